import { verifyAccessLogFor } from '../../../../db/sharing/access-log-queries.ts';
import type { QueryResolvers } from '../../../__generated__/resolvers-types.ts';

export const verifyCertificateAccessLog: NonNullable<QueryResolvers['verifyCertificateAccessLog']> = (
  _parent,
  _args,
  { em, actor },
) => verifyAccessLogFor(em, actor);
