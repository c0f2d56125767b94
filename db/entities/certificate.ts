import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { Case } from './case.ts';
import { CertificateType } from './certificate-type.ts';

/** 111 = citizen ID number, 001 = unified social credit code (the national holder id types). */
export const HOLDER_ID_TYPES = ['111', '001'] as const;
export type HolderIdType = (typeof HOLDER_ID_TYPES)[number];

/** issued = valid (unless expired); suspended = reversible; revoked = final. */
export const CERTIFICATE_STATUSES = ['issued', 'suspended', 'revoked'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

/**
 * An electronic certificate (电子证照), one version of it: a re-issued certificate is a new row with
 * the same serial and the next version. Its rendered PDF and signed token are archived content-
 * addressed (blobs by SHA-256); `statusIndex` is its own position in the published status list.
 */
export const CertificateSchema = defineEntity({
  name: 'Certificate',
  tableName: 'certificate',
  uniques: [{ properties: ['type', 'serial', 'version'] }],
  indexes: [{ properties: ['holderIdType', 'holderIdNumber'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    /** `1.2.156.3005.2.<type>.<issuer>.<serial>.<version>.<check>` (GB/T 36903). */
    identifier: p.string().unique(),
    type: () => p.manyToOne(CertificateType),
    serial: p.string(),
    version: p.integer(),
    /** The number printed on the certificate (证照编号), as the department issued it. */
    number: p.string(),
    holderName: p.string(),
    holderIdType: p.enum(HOLDER_ID_TYPES),
    holderIdNumber: p.string().length(18),
    issuerName: p.string(),
    /** Issuing authority's unified social credit code. */
    issuerCode: p.string().length(18),
    issuedOn: p.string().length(10),
    validFrom: p.string().length(10),
    validTo: p.string().length(10).nullable(),
    data: p.json<Record<string, string>>(),
    sourceCase: () => p.manyToOne(Case).nullable().index(),
    sourceDepartment: p.string().nullable(),
    status: p.enum(CERTIFICATE_STATUSES),
    statusReason: p.text().nullable(),
    statusChangedAt: p.datetime().nullable(),
    statusChangedBy: p.string().nullable(),
    /** Position in the Bitstring Status List; unique, never reused. */
    statusIndex: p.integer().unique(),
    /** Archived renderings: the PDF and the signed token (JWS), by SHA-256. */
    pdfSha256: p.string().length(64).nullable(),
    tokenSha256: p.string().length(64).nullable(),
    /** Key id of the signature (several keys live side by side for rotation). */
    keyId: p.string().nullable(),
    signedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class Certificate extends CertificateSchema.class {}
CertificateSchema.setClass(Certificate);
