import { type CitizenIdResult, checkCitizenId } from './citizen-id.ts';
import { type CreditCodeResult, checkCreditCode } from './credit-code.ts';

/**
 * How a party identifies itself: a person by citizen ID number, an organisation by unified social credit
 * code.
 */
export type IdentityType = 'citizen_id' | 'credit_code';

export type IdentityResult = { ok: true; value: string } | { ok: false; reason: string };

/**
 * Validates and normalises an identity number of the given type (see checkCitizenId and checkCreditCode).
 *
 * @throws RangeError when an untyped caller passes a type that does not exist.
 */
export function checkIdentity(type: IdentityType, input: string): IdentityResult {
  let result: CitizenIdResult | CreditCodeResult;
  switch (type) {
    case 'citizen_id':
      result = checkCitizenId(input);
      break;
    case 'credit_code':
      result = checkCreditCode(input);
      break;
    default:
      throw new RangeError(`unknown identity type ${JSON.stringify(type satisfies never)}`);
  }
  return result.ok ? { ok: true, value: result.value } : { ok: false, reason: result.reason };
}
