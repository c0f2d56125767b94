import { randomBytes } from 'node:crypto';
import { chinaDate } from '../../db/calendar/index.ts';
import type { Case } from '../../db/entities/case.ts';
import { Certificate, type CertificateStatus, type HolderIdType } from '../../db/entities/certificate.ts';
import { CertificateType } from '../../db/entities/certificate-type.ts';
import { creditCodeCheckChar } from '../../db/identity/credit-code.ts';
import { forkEm, type HubOrm } from '../../db/orm.ts';

/** A valid unified social credit code of a company registered in 濮阳市 (serial 0–999999). */
export function creditCode(serial: number): string {
  const first17 = `91410900MA${String(serial).padStart(6, '0')}X`;
  return first17 + creditCodeCheckChar(first17);
}

/** A certificate type of this test's own (the test does not depend on any seeded types). */
export async function certificateType(
  orm: HubOrm,
  name: string,
  standsFor: string[],
  options: { itemCodes?: string[]; departmentCode?: string } = {},
): Promise<CertificateType> {
  const em = forkEm(orm);
  const type = em.create(CertificateType, {
    code: `T${randomBytes(6).toString('hex').toUpperCase()}`,
    name,
    departmentCode: options.departmentCode ?? 'market_regulation',
    fields: [],
    itemCodes: options.itemCodes ?? [],
    standsFor,
    validityYears: null,
  });
  await em.flush();
  return type;
}

export interface CertificateRowInput {
  typeCode: string;
  holderIdType: HolderIdType;
  holderIdNumber: string;
  holderName: string;
  status?: CertificateStatus;
  validFrom?: string;
  validTo?: string | null;
  sourceCase?: Case | string | null;
}

let serial = 0;

/**
 * A certificate written directly as a row, as the issuing job would leave it (unique identifier and
 * status index; not signed, no PDF): the sharing tests do not depend on issuing.
 */
export async function certificateRow(orm: HubOrm, input: CertificateRowInput): Promise<Certificate> {
  const em = forkEm(orm);
  serial++;
  const unique = randomBytes(4).readUInt32BE() % 1_000_000;
  const today = chinaDate(new Date());
  const certificate = em.create(Certificate, {
    identifier: `1.2.156.3005.2.${input.typeCode}.11410900MB0000000X.${unique}${serial}.001.T`,
    type: input.typeCode,
    serial: `${unique}${serial}`,
    version: 1,
    number: `测试证字第${String(serial).padStart(6, '0')}号`,
    holderName: input.holderName,
    holderIdType: input.holderIdType,
    holderIdNumber: input.holderIdNumber,
    issuerName: '濮阳市市场监督管理局',
    issuerCode: '11410900MB0000000X',
    issuedOn: input.validFrom ?? today,
    validFrom: input.validFrom ?? today,
    validTo: input.validTo ?? null,
    data: {},
    sourceCase: input.sourceCase ?? null,
    sourceDepartment: 'market_regulation',
    status: input.status ?? 'issued',
    statusReason: null,
    statusChangedAt: null,
    statusChangedBy: null,
    // Each test file has a database of its own, so a counter of this process is unique there.
    statusIndex: 900_000 + serial,
    pdfSha256: null,
    tokenSha256: null,
    keyId: null,
    signedAt: null,
  });
  await em.flush();
  return certificate;
}

/** A China date `days` from today. */
export function dayFromToday(days: number): string {
  return chinaDate(new Date(Date.now() + days * 24 * 3600_000));
}
