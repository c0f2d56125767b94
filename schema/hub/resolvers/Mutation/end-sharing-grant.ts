import { endSharingGrant as end } from '../../../../db/sharing/sharing-consumers.ts';
import type { MutationResolvers } from '../../../__generated__/resolvers-types.ts';

export const endSharingGrant: NonNullable<MutationResolvers['endSharingGrant']> = (
  _parent,
  { id },
  { em, actor },
) => end(em, actor, id);
