import { findCertificateByIdentifier } from '../../../../db/certificates/certificate-queries.ts';
import type { QueryResolvers } from '../../../__generated__/resolvers-types.ts';

export const certificate: NonNullable<QueryResolvers['certificate']> = (
  _parent,
  { identifier },
  { em, actor },
) => findCertificateByIdentifier(em, actor, identifier);
