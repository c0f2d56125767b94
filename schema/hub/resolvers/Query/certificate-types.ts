import { CertificateType } from '../../../../db/entities/certificate-type.ts';
import type { QueryResolvers } from '../../../__generated__/resolvers-types.ts';

export const certificateTypes: NonNullable<QueryResolvers['certificateTypes']> = (_parent, _args, { em }) =>
  em.find(CertificateType, {}, { orderBy: { code: 'asc' } });
