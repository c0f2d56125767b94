import { listSharingConsumers } from '../../../../db/sharing/sharing-consumers.ts';
import type { QueryResolvers } from '../../../__generated__/resolvers-types.ts';

export const sharingConsumers: NonNullable<QueryResolvers['sharingConsumers']> = (
  _parent,
  _args,
  { em, actor },
) => listSharingConsumers(em, actor);
