import { createHash } from 'node:crypto';
import { creditCodeCheckChar } from '../identity/credit-code.ts';

/**
 * Who issues a certificate: the department of the hall's city or county, e.g. 濮阳市市场监督管理局 for
 * the market regulation department at 濮阳市政务服务中心, with its unified social credit code (the
 * issuer part of the identifier).
 *
 * The catalogue does not hold departments' credit codes yet, so the code is a stand-in of the right
 * form and stable for a hall and department: 11 (机关) + the hall's division code + MB + 7 digits
 * derived from the department code + the GB 32100 check character. Only certificates issued after
 * real codes arrive carry them; earlier identifiers stay valid (they are never recomputed).
 */
export function issuerOf(
  hall: { code: string; name: string },
  department: { code: string; name: string },
): { name: string; code: string } {
  const place = hall.name.replace(/政务服务中心$/, '');
  const digits =
    BigInt(`0x${createHash('sha256').update(department.code).digest('hex').slice(0, 12)}`) % 10_000_000n;
  const first17 = `11${hall.code}MB${String(digits).padStart(7, '0')}`;
  return { name: `${place}${department.name}`, code: `${first17}${creditCodeCheckChar(first17)}` };
}
