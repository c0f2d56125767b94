import { registerSharingConsumer as register } from '../../../../db/sharing/sharing-consumers.ts';
import type { MutationResolvers } from '../../../__generated__/resolvers-types.ts';

export const registerSharingConsumer: NonNullable<MutationResolvers['registerSharingConsumer']> = (
  _parent,
  { input },
  { em, actor },
) => register(em, actor, input);
