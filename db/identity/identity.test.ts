import { describe, expect, it } from 'vitest';
import { checkIdentity, type IdentityType } from './identity.ts';

describe('checkIdentity', () => {
  it('checks a citizen ID number, returning only the normalised value', () => {
    expect(checkIdentity('citizen_id', '11010519491231002x')).toEqual({
      ok: true,
      value: '11010519491231002X',
    });
    expect(checkIdentity('citizen_id', '91350100M000100Y43')).toEqual({
      ok: false,
      reason: 'only digits, with X allowed as the last character; character 9 is "M"',
    });
  });

  it('checks a unified social credit code', () => {
    expect(checkIdentity('credit_code', '91350100m000100y43')).toEqual({
      ok: true,
      value: '91350100M000100Y43',
    });
    expect(checkIdentity('credit_code', '9135010')).toEqual({
      ok: false,
      reason: 'must be 18 characters, got 7',
    });
  });

  it('throws on a type an untyped caller made up', () => {
    expect(() => checkIdentity('passport' as IdentityType, 'E12345678')).toThrow(RangeError);
  });
});
