import { describe, expect, it } from 'vitest';
import { checkCreditCode } from '../identity/credit-code.ts';
import { issuerOf } from './certificate-issuer.ts';
import { lastDayOfValidity } from './issue-certificates.ts';

describe('issuer and validity of a certificate', () => {
  it('names the department of the hall’s place, with a stable credit code whose check character holds', () => {
    const issuer = issuerOf(
      { code: '410922', name: '清丰县政务服务中心' },
      { code: 'land_resources', name: '国土资源局' },
    );
    expect(issuer.name).toBe('清丰县国土资源局');
    expect(issuer.code).toMatch(/^11410922MB\d{7}[0-9A-Z]$/);
    expect(checkCreditCode(issuer.code).ok).toBe(true);
    expect(
      issuerOf(
        { code: '410922', name: '清丰县政务服务中心' },
        { code: 'land_resources', name: '国土资源局' },
      ),
    ).toEqual(issuer);
    expect(
      issuerOf({ code: '410922', name: '清丰县政务服务中心' }, { code: 'transport', name: '交通运输局' })
        .code,
    ).not.toBe(issuer.code);
  });

  it('runs to the day before the anniversary; 29 February counts from 28 February in a common year', () => {
    expect(lastDayOfValidity('2026-11-25', 5)).toBe('2031-11-24');
    expect(lastDayOfValidity('2026-01-01', 1)).toBe('2026-12-31');
    expect(lastDayOfValidity('2020-03-01', 4)).toBe('2024-02-29');
    expect(lastDayOfValidity('2024-02-29', 1)).toBe('2025-02-27');
    expect(lastDayOfValidity('2024-02-29', 4)).toBe('2028-02-28');
  });
});
