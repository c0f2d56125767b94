import { isRealIsoDate } from '../calendar/iso-date.ts';
import { chinaDate } from '../calendar/working-day-calendar.ts';

export type CitizenIdResult =
  | {
      ok: true;
      value: string;
      divisionCode: string;
      birthDate: string /* YYYY-MM-DD */;
      sex: 'male' | 'female';
    }
  | { ok: false; reason: string };

// ISO 7064 MOD 11-2: digit i weighs 2^(17 − i) mod 11; the check character is indexed by the sum mod 11.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/**
 * Province-level codes of GB/T 2260 (11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71 Taiwan, 81 Hong Kong, 82
 * Macao) plus 83, which residence permits for Taiwan residents use (the permits share this number format). 91
 * ("abroad" in some old validators) is not in GB/T 2260 and no resident ID card carries it.
 */
const PROVINCE_CODES = new Set([
  ...['11', '12', '13', '14', '15'],
  ...['21', '22', '23'],
  ...['31', '32', '33', '34', '35', '36', '37'],
  ...['41', '42', '43', '44', '45', '46'],
  ...['50', '51', '52', '53', '54'],
  ...['61', '62', '63', '64', '65'],
  ...['71', '81', '82', '83'],
]);

const EARLIEST_BIRTH_DATE = '1900-01-01';

/**
 * The check character (ISO 7064 MOD 11-2) of a resident citizen ID number from its first 17 digits.
 *
 * @throws RangeError when `first17` is not exactly 17 digits.
 */
export function citizenIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) {
    // The value is not echoed: it is most of a citizen ID number.
    throw new RangeError(
      `the first 17 characters of a citizen ID must be 17 digits (got ${first17.length} characters)`,
    );
  }
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    sum += Number(first17[i]) * WEIGHTS[i]!;
  }
  return CHECK_CHARS[sum % 11]!;
}

/**
 * Validates a PRC resident citizen ID number (GB 11643-1999) as typed at a counter: surrounding spaces and a
 * lowercase x are accepted. The reason of a rejection names what is wrong but never repeats the whole number.
 *
 * @param today The instant whose date in China bounds the birth date; defaults to now.
 */
export function checkCitizenId(input: string, today: Date = new Date()): CitizenIdResult {
  const value = input.trim().toUpperCase();
  // Code points, so a stray emoji or rare character counts as one character, as the clerk sees it.
  const chars = Array.from(value);
  if (chars.length !== 18) {
    return { ok: false, reason: `must be 18 characters, got ${chars.length}` };
  }
  const badAt = chars.findIndex((char, i) => !(/^\d$/.test(char) || (i === 17 && char === 'X')));
  if (badAt !== -1) {
    const position = badAt + 1;
    return {
      ok: false,
      reason: `only digits, with X allowed as the last character; character ${position} is "${chars[badAt]}"`,
    };
  }

  const province = value.slice(0, 2);
  if (!PROVINCE_CODES.has(province)) {
    return { ok: false, reason: `the region code ${province} is not a province of China` };
  }

  const compactBirth = value.slice(6, 14);
  const birthDate = `${compactBirth.slice(0, 4)}-${compactBirth.slice(4, 6)}-${compactBirth.slice(6, 8)}`;
  if (!isRealIsoDate(birthDate)) {
    return { ok: false, reason: `the birth date ${compactBirth} is not a real date` };
  }
  if (birthDate < EARLIEST_BIRTH_DATE) {
    return { ok: false, reason: `the birth date ${compactBirth} is before 1900` };
  }
  if (birthDate > chinaDate(today)) {
    return { ok: false, reason: `the birth date ${compactBirth} is in the future` };
  }

  const expected = citizenIdCheckChar(value.slice(0, 17));
  const actual = value[17];
  if (actual !== expected) {
    return {
      ok: false,
      reason: `the check character should be ${expected}, not ${actual} (a digit may be mistyped)`,
    };
  }

  return {
    ok: true,
    value,
    divisionCode: value.slice(0, 6),
    birthDate,
    // GB 11643: the last digit of the sequence code is odd for men, even for women.
    sex: Number(value[16]) % 2 === 1 ? 'male' : 'female',
  };
}
