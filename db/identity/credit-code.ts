export type CreditCodeResult =
  | { ok: true; value: string; divisionCode: string }
  | { ok: false; reason: string };

// No I, O, Z, S or V: they are too easily read as 1, 0, 2, 5 and U.
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
// 3^i mod 31 for positions 1–17.
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/**
 * Registration authority codes (position 1). GB 32100-2015 itself lists 1 机构编制, 5 民政, 9 工商 and Y 其他; the
 * authority-code list maintained since adds 2 外交, 3 司法行政, 4 文化, 6 旅游, 7 宗教, 8 工会, A 中央军委改革和编制办公室 and N 农业.
 * Codes from those authorities are in circulation (law firms 31…, trade unions 81…, village collectives N2…),
 * and refusing a real code at the counter is worse than accepting an unused first character: the check
 * character still catches typing errors.
 */
const AUTHORITY_CODES = new Set(['1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'N', 'Y']);

/**
 * The check character (position 18) of a unified social credit code from its first 17 characters.
 *
 * @throws RangeError when `first17` is not 17 characters of the credit-code alphabet.
 */
export function creditCodeCheckChar(first17: string): string {
  if (first17.length !== 17) {
    throw new RangeError(
      `the first 17 characters of a credit code must be 17 characters, got ${first17.length}`,
    );
  }
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const index = ALPHABET.indexOf(first17[i]!);
    if (index === -1) {
      throw new RangeError(`character ${i + 1} of a credit code cannot be "${first17[i]}"`);
    }
    sum += index * WEIGHTS[i]!;
  }
  return ALPHABET[(31 - (sum % 31)) % 31]!;
}

/**
 * Validates a unified social credit code (GB 32100-2015) as typed at a counter: surrounding spaces and
 * lowercase letters are accepted. The reason of a rejection names what is wrong but never repeats the whole
 * code.
 */
export function checkCreditCode(input: string): CreditCodeResult {
  const value = input.trim().toUpperCase();
  const chars = Array.from(value);
  if (chars.length !== 18) {
    return { ok: false, reason: `must be 18 characters, got ${chars.length}` };
  }
  const badAt = chars.findIndex((char) => !ALPHABET.includes(char));
  if (badAt !== -1) {
    return {
      ok: false,
      reason:
        `only digits and capital letters other than I, O, S, V and Z; ` +
        `character ${badAt + 1} is "${chars[badAt]}"`,
    };
  }
  const authority = value[0]!;
  if (!AUTHORITY_CODES.has(authority)) {
    return {
      ok: false,
      reason: `the first character (registration authority) must be one of 1–9, A, N or Y, not ${authority}`,
    };
  }
  const divisionCode = value.slice(2, 8);
  if (!/^\d{6}$/.test(divisionCode)) {
    return { ok: false, reason: 'characters 3–8 (the region code of the registering office) must be digits' };
  }
  const expected = creditCodeCheckChar(value.slice(0, 17));
  const actual = value[17];
  if (actual !== expected) {
    return {
      ok: false,
      reason: `the check character should be ${expected}, not ${actual} (a character may be mistyped)`,
    };
  }
  return { ok: true, value, divisionCode };
}
