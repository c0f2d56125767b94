import { grantSharing } from '../../../../db/sharing/sharing-consumers.ts';
import type { MutationResolvers } from '../../../__generated__/resolvers-types.ts';

export const grantCertificateSharing: NonNullable<MutationResolvers['grantCertificateSharing']> = (
  _parent,
  { input },
  { em, actor },
) => grantSharing(em, actor, input);
