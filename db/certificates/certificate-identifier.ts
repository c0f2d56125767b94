/**
 * The national electronic certificate identifier (电子证照标识, GB/T 36903 as the national platform
 * implements it): `1.2.156.3005.2.<type code>.<issuer code>.<serial>.<3-digit version>.<check char>`.
 * The check character is ISO 7064 MOD 37,36 (hybrid) over everything after the prefix, dots removed.
 *
 * Pure and dependency-free: the offline verifier (verify-offline.ts) imports it, so a consumer that
 * copies that file copies this one too.
 */

/** The OID arc of electronic certificates (证照根代码), with its trailing dot. */
export const IDENTIFIER_PREFIX = '1.2.156.3005.2.';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const MOD = 36;

/**
 * The ISO 7064 MOD 37,36 hybrid check character of `text` (digits and capital letters only).
 *
 * @throws RangeError naming the first character outside 0–9, A–Z.
 */
export function mod3736CheckChar(text: string): string {
  let product = MOD;
  for (let i = 0; i < text.length; i++) {
    const value = ALPHABET.indexOf(text[i]!);
    if (value === -1)
      throw new RangeError(`character ${i + 1} ("${text[i]}") is not a digit or capital letter`);
    const sum = (product + value) % MOD || MOD;
    product = (sum * 2) % (MOD + 1);
  }
  return ALPHABET[(MOD + 1 - product) % MOD]!;
}

export interface IdentifierParts {
  /** Defining authority's 18-character code + 3-digit type serial, e.g. `11100000000013338W011`. */
  typeCode: string;
  /** Issuing authority's unified social credit code (18 characters). */
  issuerCode: string;
  serial: string;
  /** 1…999. */
  version: number;
}

/** The full identifier of a certificate version, check character included. */
export function buildIdentifier(parts: IdentifierParts): string {
  const version = formatVersion(parts.version);
  const body = [parts.typeCode, parts.issuerCode, parts.serial, version];
  const problem = partProblems(parts.typeCode, parts.issuerCode, parts.serial, version);
  if (problem) throw new RangeError(`cannot build a certificate identifier: ${problem}`);
  return `${IDENTIFIER_PREFIX}${body.join('.')}.${mod3736CheckChar(body.join(''))}`;
}

/** `1` → `001`. */
export function formatVersion(version: number): string {
  if (!Number.isInteger(version) || version < 1 || version > 999)
    throw new RangeError(`a certificate version is 1 to 999, got ${version}`);
  return String(version).padStart(3, '0');
}

export type IdentifierCheck =
  | { ok: true; identifier: string; parts: IdentifierParts; checkChar: string }
  | {
      ok: false;
      /** What is wrong, in a sentence that names the part. */
      reason: string;
      /** The parts that could be read, when the shape was right. */
      parts: Partial<IdentifierParts>;
      /** The check character the identifier should end with, when everything before it is well formed. */
      expectedCheckChar: string | null;
    };

/**
 * Checks an identifier as received (surrounding spaces are ignored) and says exactly what is wrong:
 * the prefix, the number of parts, each part's form, or the check character.
 */
export function checkIdentifier(input: string): IdentifierCheck {
  const value = input.trim();
  const fail = (
    reason: string,
    parts: Partial<IdentifierParts> = {},
    expectedCheckChar: string | null = null,
  ): IdentifierCheck => ({ ok: false, reason, parts, expectedCheckChar });
  if (value === '') return fail('the identifier is empty');
  if (!value.startsWith(IDENTIFIER_PREFIX))
    return fail(`an electronic certificate identifier starts with ${IDENTIFIER_PREFIX}`);
  const rest = value.slice(IDENTIFIER_PREFIX.length).split('.');
  if (rest.length !== 5)
    return fail(
      `after ${IDENTIFIER_PREFIX} come 5 parts separated by dots (type code, issuer code, serial, version, check character); found ${rest.length}`,
    );
  const [typeCode, issuerCode, serial, version, checkChar] = rest as [string, string, string, string, string];
  const problem = partProblems(typeCode, issuerCode, serial, version);
  const parts: Partial<IdentifierParts> = { typeCode, issuerCode, serial };
  if (/^\d{3}$/.test(version) && version !== '000') parts.version = Number(version);
  if (problem) return fail(problem, parts);
  const expected = mod3736CheckChar(`${typeCode}${issuerCode}${serial}${version}`);
  if (!/^[0-9A-Z]$/.test(checkChar))
    return fail(`the check character is one digit or capital letter; found "${checkChar}"`, parts, expected);
  if (checkChar !== expected)
    return fail(
      `the check character is ${checkChar} but the rest of the identifier gives ${expected}: a character was mistyped or changed`,
      parts,
      expected,
    );
  return {
    ok: true,
    identifier: value,
    parts: { typeCode, issuerCode, serial, version: Number(version) },
    checkChar,
  };
}

function partProblems(typeCode: string, issuerCode: string, serial: string, version: string): string | null {
  if (!/^[0-9A-Z]{18}\d{3}$/.test(typeCode))
    return `the type code is the defining authority's 18-character code followed by a 3-digit serial (21 characters, digits and capital letters); found "${typeCode}"`;
  if (!/^[0-9A-Z]{18}$/.test(issuerCode))
    return `the issuer code is the issuing authority's 18-character unified social credit code (digits and capital letters); found "${issuerCode}"`;
  if (serial === '') return 'the serial is empty';
  if (!/^[0-9A-Z]{1,64}$/.test(serial))
    return `the serial has up to 64 digits and capital letters; found "${serial}"`;
  if (!/^\d{3}$/.test(version)) return `the version has exactly 3 digits (001, 002 …); found "${version}"`;
  if (version === '000') return 'the version starts at 001';
  return null;
}
