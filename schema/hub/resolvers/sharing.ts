import { certificateOnFile } from '../../../db/sharing/certificates-on-file.ts';
import type {
  CaseMaterialResolvers,
  CertificateAccessEntryResolvers,
  MaterialCheckEntryResolvers,
  Resolvers,
  SharingConsumerResolvers,
  SharingGrantResolvers,
} from '../../__generated__/resolvers-types.ts';

/** Enum values of the sharing schema as the database stores them. */
export const sharingEnums = {
  AccessOutcome: { ALLOWED: 'allowed', DENIED: 'denied' },
} satisfies Resolvers;

export const SharingConsumer: SharingConsumerResolvers = {
  id: (c) => c.consumer.id,
  name: (c) => c.consumer.name,
  webhookUrl: (c) => c.consumer.webhookUrl ?? null,
  active: (c) => c.consumer.active,
  createdAt: (c) => c.consumer.createdAt.toISOString(),
  grants: (c) => c.grants,
};

export const SharingGrant: SharingGrantResolvers = {
  id: (g) => String(g.id),
  consumerId: (g) => g.consumer.id,
  validUntil: (g) => g.validUntil.toISOString(),
  live: (g) => g.validUntil > new Date(),
  createdAt: (g) => g.createdAt.toISOString(),
};

export const CertificateAccessEntry: CertificateAccessEntryResolvers = {
  at: (e) => e.at.toISOString(),
  typeCode: (e) => e.typeCode ?? null,
  certificateId: (e) => e.certificateId ?? null,
  holder: (e) => e.holder ?? null,
  detail: (e) => e.detail ?? null,
};

/** 免提交 fields of the material check (the rest of the entry resolves in Case.ts). */
export const MaterialCheckEntryOnFile: MaterialCheckEntryResolvers = {
  certificate: (entry, _args, { em }) =>
    entry.latest?.certificateId ? certificateOnFile(em, entry.latest.certificateId) : null,
};

export const CaseMaterialOnFile: CaseMaterialResolvers = {
  certificate: (m, _args, { em }) => (m.certificate ? certificateOnFile(em, m.certificate.id) : null),
};
