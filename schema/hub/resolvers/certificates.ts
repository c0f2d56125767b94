import { caseExtrasOf } from '../../../db/cases/case-extras.ts';
import {
  holderIdNumberFor,
  isExpired,
  scopeOfCertificate,
} from '../../../db/certificates/certificate-queries.ts';
import type { StatusChangeOutcome } from '../../../db/certificates/certificate-status.ts';
import type {
  CaseResolvers,
  CertificateResolvers,
  CertificateTypeResolvers,
  Resolvers,
  ResolversParentTypes,
  ResolversUnionTypes,
} from '../../__generated__/resolvers-types.ts';

/** Enum values of the certificate schema as the database stores them. */
export const certificateEnums = {
  HolderIdType: { CITIZEN_ID: '111', CREDIT_CODE: '001' },
  CertificateStatus: { ISSUED: 'issued', SUSPENDED: 'suspended', REVOKED: 'revoked' },
} satisfies Resolvers;

export const Certificate: CertificateResolvers = {
  type: async (c, _args, { em }) => (c.type.name ? c.type : em.populate(c, ['type']).then(() => c.type)),
  holderIdNumber: async (c, _args, { em, actor }) =>
    holderIdNumberFor(actor, c, await scopeOfCertificate(em, c)),
  validTo: (c) => c.validTo ?? null,
  expired: (c) => isExpired(c),
  data: async (c, _args, { em }) => {
    await em.populate(c, ['type']);
    const known = c.type.fields.filter((f) => c.data[f.name]);
    const extra = Object.keys(c.data).filter((name) => !known.some((f) => f.name === name));
    return [
      ...known.map((f) => ({ name: f.name, label: f.label, value: c.data[f.name]! })),
      ...extra.map((name) => ({ name, label: name, value: c.data[name]! })),
    ];
  },
  statusReason: (c) => c.statusReason ?? null,
  statusChangedAt: (c) => c.statusChangedAt?.toISOString() ?? null,
  sourceDepartment: (c) => c.sourceDepartment ?? null,
  keyId: (c) => c.keyId ?? null,
  signedAt: (c) => c.signedAt?.toISOString() ?? null,
  pdfSha256: (c) => c.pdfSha256 ?? null,
  tokenSha256: (c) => c.tokenSha256 ?? null,
  pdfUrl: (c) => `/certificates/${c.id}.pdf`,
  tokenUrl: (c) => `/certificates/${c.id}.jws`,
};

export const CertificateType: CertificateTypeResolvers = {
  validityYears: (t) => t.validityYears ?? null,
};

/** `Case.certificates`: the case itself was access-checked when it was fetched. */
export const CaseCertificateFields: CaseResolvers = {
  certificates: (c, _args, { em }) => caseExtrasOf(em).certificates.load(c.id),
};

type StatusResultValue = ResolversUnionTypes<ResolversParentTypes>['CertificateStatusResult'];

/** Maps a status change outcome to its member of the CertificateStatusResult union. */
export function toCertificateStatusResult(outcome: StatusChangeOutcome): StatusResultValue {
  switch (outcome.kind) {
    case 'changed':
      return { __typename: 'CertificateStatusChanged', certificate: outcome.certificate };
    case 'not_changed':
      return {
        __typename: 'CertificateStatusNotChanged',
        errorCode: outcome.errorCode,
        message: outcome.message,
        certificate: outcome.certificate,
      };
  }
}
