import { verifyCertificateToken } from '../../../../db/certificates/certificate-verification.ts';
import type { QueryResolvers } from '../../../__generated__/resolvers-types.ts';

export const verifyCertificate: NonNullable<QueryResolvers['verifyCertificate']> = (
  _parent,
  { token },
  { em, certificates },
) => verifyCertificateToken(em, certificates, token);
