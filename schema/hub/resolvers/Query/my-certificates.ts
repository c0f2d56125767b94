import { certificatesOfApplicant } from '../../../../db/sharing/shared-certificates.ts';
import type { QueryResolvers } from '../../../__generated__/resolvers-types.ts';

export const myCertificates: NonNullable<QueryResolvers['myCertificates']> = (
  _parent,
  _args,
  { em, actor },
) => certificatesOfApplicant(em, actor);
