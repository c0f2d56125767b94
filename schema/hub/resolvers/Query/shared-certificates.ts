import { fetchSharedCertificates } from '../../../../db/sharing/shared-certificates.ts';
import type { QueryResolvers } from '../../../__generated__/resolvers-types.ts';

export const sharedCertificates: NonNullable<QueryResolvers['sharedCertificates']> = (
  _parent,
  { request },
  { em, actor },
) => fetchSharedCertificates(em, actor, request);
