import { describe, expect, it } from 'vitest';
import { buildIdentifier, checkIdentifier, mod3736CheckChar } from './certificate-identifier.ts';

const PUBLIC_EXAMPLE = '1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U';

describe('certificate identifier (GB/T 36903, ISO 7064 MOD 37,36 hybrid)', () => {
  it('the public example checks out', () => {
    expect(mod3736CheckChar('11100000000013338W01111430000006122244L20230000403001')).toBe('U');
    const check = checkIdentifier(PUBLIC_EXAMPLE);
    expect(check).toMatchObject({
      ok: true,
      parts: {
        typeCode: '11100000000013338W011',
        issuerCode: '11430000006122244L',
        serial: '20230000403',
        version: 1,
      },
      checkChar: 'U',
    });
  });

  it('builds the same identifier from its parts, and the next version gets its own check character', () => {
    const parts = {
      typeCode: '11100000000013338W011',
      issuerCode: '11430000006122244L',
      serial: '20230000403',
      version: 1,
    };
    expect(buildIdentifier(parts)).toBe(PUBLIC_EXAMPLE);
    // Published elsewhere as the example of a second version.
    expect(buildIdentifier({ ...parts, version: 2 })).toBe(
      '1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.002.S',
    );
  });

  it('an altered digit is caught by the check character, with the expected one named', () => {
    const altered = PUBLIC_EXAMPLE.replace('20230000403', '20230000408');
    const check = checkIdentifier(altered);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.reason).toMatch(/check character is U but the rest of the identifier gives/);
    expect(check.expectedCheckChar).not.toBe('U');
    // Swapped neighbours too.
    expect(checkIdentifier(PUBLIC_EXAMPLE.replace('0403', '0430')).ok).toBe(false);
  });

  it('says what is wrong with each malformation', () => {
    const reason = (value: string) => {
      const check = checkIdentifier(value);
      return check.ok ? null : check.reason;
    };
    expect(reason('')).toMatch(/empty/);
    expect(reason('1.2.156.3005.1.11100000000013338W011.11430000006122244L.20230000403.001.U')).toMatch(
      /starts with 1\.2\.156\.3005\.2\./,
    );
    expect(reason('1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001')).toMatch(
      /5 parts .* found 4/,
    );
    expect(reason('1.2.156.3005.2.11100000000013338W.11430000006122244L.20230000403.001.U')).toMatch(
      /type code .*\(21 characters/,
    );
    expect(reason('1.2.156.3005.2.11100000000013338W011.1143000000612224.20230000403.001.U')).toMatch(
      /issuer code .* 18-character/,
    );
    expect(reason('1.2.156.3005.2.11100000000013338W011.11430000006122244L.2023-0403.001.U')).toMatch(
      /serial has up to 64 digits and capital letters/,
    );
    expect(reason('1.2.156.3005.2.11100000000013338W011.11430000006122244L..001.U')).toMatch(
      /serial is empty/,
    );
    expect(reason('1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.1.U')).toMatch(
      /version has exactly 3 digits/,
    );
    expect(reason('1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.000.U')).toMatch(
      /starts at 001/,
    );
    expect(reason('1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.u')).toMatch(
      /one digit or capital letter/,
    );
  });

  it('ignores surrounding spaces only', () => {
    expect(checkIdentifier(`  ${PUBLIC_EXAMPLE}\n`).ok).toBe(true);
  });
});
