import { describe, expect, it } from 'vitest';
import { checkCitizenId, citizenIdCheckChar } from './citizen-id.ts';

// Fixed "now", so the future-date rule does not depend on when the tests run.
const TODAY = new Date('2026-06-01T00:00:00Z');

// Hand-verified, weights 7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2; sum mod 11 → 1,0,X,9,8,7,6,5,4,3,2:
// 11010519491231002X (the public GB 11643 sample):
//   7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167, 167 mod 11 = 2 → X.
// 440304200001010017: 28+36+0+15+0+16+4+0+0+0+0+9+0+5+0+0+2 = 115, 115 mod 11 = 5 → 7.
// 310115198810011238: 21+9+0+5+8+20+2+9+48+24+7+0+0+5+8+8+6 = 180, 180 mod 11 = 4 → 8.
const PUBLIC_SAMPLE = '11010519491231002X';
const SHENZHEN_MALE = '440304200001010017';
const SHANGHAI_MALE = '310115198810011238';
const VALID = [PUBLIC_SAMPLE, SHENZHEN_MALE, SHANGHAI_MALE];

function reasonOf(input: string, today: Date = TODAY): string {
  const result = checkCitizenId(input, today);
  if (result.ok) {
    throw new Error(`expected a rejection, got ${JSON.stringify(result)}`);
  }
  return result.reason;
}

/** A 17-digit prefix completed with its own check character, so only the part under test is wrong. */
function withCheckChar(first17: string): string {
  return first17 + citizenIdCheckChar(first17);
}

describe('citizenIdCheckChar', () => {
  it('matches the hand-computed check characters', () => {
    expect(citizenIdCheckChar('11010519491231002')).toBe('X');
    expect(citizenIdCheckChar('44030420000101001')).toBe('7');
    expect(citizenIdCheckChar('31011519881001123')).toBe('8');
  });

  it('refuses anything but 17 digits, without echoing the digits', () => {
    expect(() => citizenIdCheckChar('1101051949123100')).toThrow(RangeError);
    expect(() => citizenIdCheckChar('1101051949123100A')).toThrow(/got 17 characters/);
    expect(() => citizenIdCheckChar('1101051949123100A')).not.toThrow(/1101051949/);
  });
});

describe('checkCitizenId accepts', () => {
  it('the public sample, with what it encodes', () => {
    expect(checkCitizenId(PUBLIC_SAMPLE, TODAY)).toEqual({
      ok: true,
      value: PUBLIC_SAMPLE,
      divisionCode: '110105',
      birthDate: '1949-12-31',
      sex: 'female',
    });
  });

  it('numbers built from other regions, with the sex from the parity of digit 17', () => {
    expect(checkCitizenId(SHENZHEN_MALE, TODAY)).toEqual({
      ok: true,
      value: SHENZHEN_MALE,
      divisionCode: '440304',
      birthDate: '2000-01-01',
      sex: 'male',
    });
    expect(checkCitizenId(SHANGHAI_MALE, TODAY)).toMatchObject({
      ok: true,
      birthDate: '1988-10-01',
      sex: 'male',
    });
  });

  it('a lowercase x and surrounding spaces, normalised', () => {
    expect(checkCitizenId('  11010519491231002x\t', TODAY)).toMatchObject({ ok: true, value: PUBLIC_SAMPLE });
  });

  it('Hong Kong, Macao and Taiwan residence-permit regions', () => {
    for (const prefix of ['81000019900101001', '82000019900101001', '83000019900101001']) {
      expect(checkCitizenId(withCheckChar(prefix), TODAY).ok, prefix.slice(0, 2)).toBe(true);
    }
  });

  it('a birth date of 1900-01-01 and one of today in China (already tomorrow in UTC+8)', () => {
    expect(checkCitizenId(withCheckChar('11010519000101001'), TODAY).ok).toBe(true);
    // 2026-06-01T16:30Z is 2026-06-02 00:30 in Beijing.
    expect(checkCitizenId(withCheckChar('11010520260602001'), new Date('2026-06-01T16:30:00Z')).ok).toBe(
      true,
    );
  });
});

describe('checkCitizenId rejects', () => {
  it('a wrong length, counting characters as the clerk sees them', () => {
    expect(reasonOf(PUBLIC_SAMPLE.slice(0, 17))).toBe('must be 18 characters, got 17');
    expect(reasonOf(`${PUBLIC_SAMPLE}1`)).toBe('must be 18 characters, got 19');
    expect(reasonOf('')).toBe('must be 18 characters, got 0');
    expect(reasonOf('   ')).toBe('must be 18 characters, got 0');
  });

  it('letters, X before the last place, and full-width digits, naming the position', () => {
    expect(reasonOf('1101051949123100XX')).toBe(
      'only digits, with X allowed as the last character; character 17 is "X"',
    );
    expect(reasonOf('110105194912310O2X')).toBe(
      'only digits, with X allowed as the last character; character 16 is "O"',
    );
    expect(reasonOf('１1010519491231002X')).toMatch(/character 1 is "１"/);
    expect(reasonOf('1101051949 231002X')).toMatch(/character 11 is " "/);
  });

  it('a region code that is no province', () => {
    expect(reasonOf(withCheckChar('99010519491231002'))).toBe(
      'the region code 99 is not a province of China',
    );
    for (const region of [
      '00',
      '10',
      '16',
      '20',
      '24',
      '30',
      '38',
      '40',
      '47',
      '49',
      '55',
      '60',
      '66',
      '70',
      '91',
    ]) {
      expect(reasonOf(withCheckChar(`${region}010519491231002`)), region).toMatch(/^the region code/);
    }
  });

  it('a birth date that is no calendar date', () => {
    expect(reasonOf(withCheckChar('11010519990230002'))).toBe('the birth date 19990230 is not a real date');
    expect(reasonOf(withCheckChar('11010519991301002'))).toBe('the birth date 19991301 is not a real date');
    expect(reasonOf(withCheckChar('11010519000229002'))).toBe('the birth date 19000229 is not a real date');
    // 2000 is a leap year, 1900 is not.
    expect(checkCitizenId(withCheckChar('11010520000229002'), TODAY).ok).toBe(true);
  });

  it('a birth date in the future or before 1900', () => {
    expect(reasonOf(withCheckChar('11010520260602001'))).toBe('the birth date 20260602 is in the future');
    expect(reasonOf(withCheckChar('11010518991231001'))).toBe('the birth date 18991231 is before 1900');
  });

  it('a wrong check character, saying which one is expected', () => {
    expect(reasonOf('440304200001010013')).toBe(
      'the check character should be 7, not 3 (a digit may be mistyped)',
    );
    expect(reasonOf('110105194912310020')).toBe(
      'the check character should be X, not 0 (a digit may be mistyped)',
    );
  });

  it('every single-character substitution of a valid number', () => {
    for (const valid of VALID) {
      let tried = 0;
      for (let position = 0; position < 18; position += 1) {
        const replacements = position === 17 ? '0123456789X' : '0123456789';
        for (const replacement of replacements) {
          if (replacement === valid[position]) {
            continue;
          }
          const altered = valid.slice(0, position) + replacement + valid.slice(position + 1);
          expect(checkCitizenId(altered, TODAY).ok, `position ${position + 1} → ${replacement}`).toBe(false);
          tried += 1;
        }
      }
      expect(tried).toBe(17 * 9 + 10);
    }
  });

  it('a swap of two adjacent different digits', () => {
    for (const valid of VALID) {
      for (let position = 0; position < 16; position += 1) {
        if (valid[position] === valid[position + 1]) {
          continue;
        }
        const swapped =
          valid.slice(0, position) + valid[position + 1] + valid[position] + valid.slice(position + 2);
        expect(checkCitizenId(swapped, TODAY).ok, `swap at ${position + 1}`).toBe(false);
      }
    }
  });
});

describe('rejection reasons', () => {
  it('never contain the number that was typed', () => {
    const inputs: string[] = [
      PUBLIC_SAMPLE.slice(0, 17),
      `${PUBLIC_SAMPLE}1`,
      '1101051949123100XX',
      withCheckChar('99010519491231002'),
      withCheckChar('11010519990230002'),
      withCheckChar('11010520260602001'),
      '440304200001010013',
    ];
    for (const valid of VALID) {
      for (let position = 0; position < 18; position += 1) {
        for (const replacement of '0123456789X') {
          const altered = valid.slice(0, position) + replacement + valid.slice(position + 1);
          if (altered !== valid) {
            inputs.push(altered, altered.toLowerCase());
          }
        }
      }
    }
    for (const input of inputs) {
      const result = checkCitizenId(input, TODAY);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.reason).not.toContain(input.trim().toUpperCase());
        expect(result.reason).not.toContain(input.trim().toUpperCase().slice(0, 17));
      }
    }
  });
});
