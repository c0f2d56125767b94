import { describe, expect, it } from 'vitest';
import { certificateTypes } from './catalogue/certificate-types.ts';
import { catalogue } from './catalogue/index.ts';
import { validateCertificateTypes } from './seed-certificate-types.ts';

describe('certificate types (电子证照类型) against the catalogue', () => {
  it('the shipped types fit the catalogue: items, departments, material names', () => {
    expect(validateCertificateTypes(certificateTypes, catalogue)).toEqual([]);
  });

  it('covers the items whose result is a licence or certificate', () => {
    const issuing = new Set(certificateTypes.flatMap((t) => [...t.itemCodes, ...t.reissueItemCodes]));
    for (const code of ['QYKB-001', 'QYKB-002', 'QYKB-006', 'BDC-001', 'BDC-002', 'KJWW-001', 'SBMS-013'])
      expect(issuing.has(code), code).toBe(true);
    const licence = certificateTypes.find((t) => t.name === '营业执照')!;
    expect(licence.standsFor).toContain('营业执照');
    expect(licence.reissueItemCodes).toEqual(['QYKB-002']);
  });

  it('names each problem of a bad type', () => {
    const problems = validateCertificateTypes(
      [
        {
          ...certificateTypes.find((t) => t.name === '营业执照')!,
          code: 'SHORT',
          itemCodes: ['NOPE-001', 'BDC-001'],
          standsFor: ['不存在的材料'],
        },
      ],
      catalogue,
    );
    expect(problems).toEqual([
      expect.stringMatching(/18-character authority code/),
      expect.stringMatching(/unknown item NOPE-001/),
      expect.stringMatching(/BDC-001 is not handled by market_regulation/),
      expect.stringMatching(/stands for "不存在的材料"/),
    ]);
  });
});
