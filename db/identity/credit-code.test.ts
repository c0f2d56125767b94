import { describe, expect, it } from 'vitest';
import { checkCreditCode, creditCodeCheckChar } from './credit-code.ts';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

// Hand-verified. Alphabet index: digits 0–9, A10 … H17, J18 K19 L20 M21 N22 P23 Q24 R25 T26 U27 W28 X29 Y30;
// weights 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28; check = 31 − (sum mod 31), 31 → 0.
// 91350100M000100Y4 → 9+3+27+135+0+26+0+0+21·20+0+0+0+8+0+0+30·30+4·28 = 1640;
//   1640 mod 31 = 28; 31 − 28 = 3 → '3'.
// 91110000600037341 → 9+3+9+27+0+0+0+0+120+0+0+0+24+168+30+120+28 = 538; 538 mod 31 = 11; 31 − 11 = 20 → 'L'.
const FUJIAN_SAMPLE = '91350100M000100Y43';
const BEIJING_SAMPLE = '91110000600037341L';
const VALID = [FUJIAN_SAMPLE, BEIJING_SAMPLE];

function reasonOf(input: string): string {
  const result = checkCreditCode(input);
  if (result.ok) {
    throw new Error(`expected a rejection, got ${JSON.stringify(result)}`);
  }
  return result.reason;
}

function withCheckChar(first17: string): string {
  return first17 + creditCodeCheckChar(first17);
}

describe('creditCodeCheckChar', () => {
  it('matches the hand-computed check characters', () => {
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3');
    expect(creditCodeCheckChar('91110000600037341')).toBe('L');
  });

  it('maps a sum divisible by 31 to 0, not to the nonexistent index 31', () => {
    // All zeros: sum 0, 31 − 0 = 31 → 0.
    expect(creditCodeCheckChar('00000000000000000')).toBe('0');
  });

  it('refuses a wrong length or a character outside the alphabet', () => {
    expect(() => creditCodeCheckChar('9135010')).toThrow(RangeError);
    expect(() => creditCodeCheckChar('91350100M000100I4')).toThrow(
      /character 16 of a credit code cannot be "I"/,
    );
  });
});

describe('checkCreditCode accepts', () => {
  it('the public samples, with the division code', () => {
    expect(checkCreditCode(FUJIAN_SAMPLE)).toEqual({
      ok: true,
      value: FUJIAN_SAMPLE,
      divisionCode: '350100',
    });
    expect(checkCreditCode(BEIJING_SAMPLE)).toEqual({
      ok: true,
      value: BEIJING_SAMPLE,
      divisionCode: '110000',
    });
  });

  it('lowercase letters and surrounding spaces, normalised', () => {
    expect(checkCreditCode(' 91350100m000100y43 ')).toEqual({
      ok: true,
      value: FUJIAN_SAMPLE,
      divisionCode: '350100',
    });
  });

  it('every registration authority of the maintained list', () => {
    for (const authority of '123456789ANY') {
      expect(checkCreditCode(withCheckChar(`${authority}1110000600037341`)).ok, authority).toBe(true);
    }
  });
});

describe('checkCreditCode rejects', () => {
  it('a wrong length', () => {
    expect(reasonOf(FUJIAN_SAMPLE.slice(0, 17))).toBe('must be 18 characters, got 17');
    expect(reasonOf('')).toBe('must be 18 characters, got 0');
  });

  it('the letters the standard leaves out, naming the position', () => {
    for (const letter of 'IOZSV') {
      const code = `${FUJIAN_SAMPLE.slice(0, 8)}${letter}${FUJIAN_SAMPLE.slice(9)}`;
      expect(reasonOf(code)).toBe(
        `only digits and capital letters other than I, O, S, V and Z; character 9 is "${letter}"`,
      );
    }
    expect(reasonOf('91350100M000100Y4-')).toMatch(/character 18 is "-"/);
  });

  it('an unknown registration authority', () => {
    expect(reasonOf(withCheckChar('B1350100M000100Y4'))).toBe(
      'the first character (registration authority) must be one of 1–9, A, N or Y, not B',
    );
    expect(reasonOf(withCheckChar('01350100M000100Y4'))).toMatch(/not 0$/);
  });

  it('a region code with letters', () => {
    expect(reasonOf(withCheckChar('9135A100M000100Y4'))).toBe(
      'characters 3–8 (the region code of the registering office) must be digits',
    );
  });

  it('a wrong check character, saying which one is expected', () => {
    expect(reasonOf('91350100M000100Y44')).toBe(
      'the check character should be 3, not 4 (a character may be mistyped)',
    );
  });

  it('every single-character substitution of a valid code', () => {
    for (const valid of VALID) {
      let tried = 0;
      for (let position = 0; position < 18; position += 1) {
        for (const replacement of ALPHABET) {
          if (replacement === valid[position]) {
            continue;
          }
          const altered = valid.slice(0, position) + replacement + valid.slice(position + 1);
          expect(checkCreditCode(altered).ok, `position ${position + 1} → ${replacement}`).toBe(false);
          tried += 1;
        }
      }
      expect(tried).toBe(18 * 30);
    }
  });
});

describe('rejection reasons', () => {
  it('never contain the code that was typed', () => {
    const inputs: string[] = [
      FUJIAN_SAMPLE.slice(0, 17),
      '91350100M000100Y44',
      withCheckChar('B1350100M000100Y4'),
    ];
    for (const valid of VALID) {
      for (let position = 0; position < 18; position += 1) {
        for (const replacement of `${ALPHABET}IOZSV`) {
          const altered = valid.slice(0, position) + replacement + valid.slice(position + 1);
          if (altered !== valid) {
            inputs.push(altered);
          }
        }
      }
    }
    for (const input of inputs) {
      const result = checkCreditCode(input);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.reason).not.toContain(input);
        expect(result.reason).not.toContain(input.slice(0, 17));
      }
    }
  });
});
