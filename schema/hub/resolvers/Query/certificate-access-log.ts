import { listCertificateAccess } from '../../../../db/sharing/access-log-queries.ts';
import type { QueryResolvers } from '../../../__generated__/resolvers-types.ts';

export const certificateAccessLog: NonNullable<QueryResolvers['certificateAccessLog']> = (
  _parent,
  { filter, beforeSeq, first },
  { em, actor },
) => listCertificateAccess(em, actor, filter ?? {}, beforeSeq, first);
