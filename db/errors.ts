/**
 * Faults the hub reports to callers. Expected business outcomes are data (GraphQL unions);
 * these are for input a caller must correct, or access it does not have. The gateway maps each
 * code to a GraphQL error code in one place (gateway/errors.ts).
 */
export const HUB_ERROR_CODES = ['BAD_USER_INPUT', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT'] as const;
export type HubErrorCode = (typeof HUB_ERROR_CODES)[number];

export class HubError extends Error {
  readonly code: HubErrorCode;
  /** Which argument or field is wrong, when the error concerns one. */
  readonly field: string | undefined;

  constructor(code: HubErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'HubError';
    this.code = code;
    this.field = field;
  }
}

export function badInput(field: string, message: string): HubError {
  return new HubError('BAD_USER_INPUT', message, field);
}
