import { signPaperHandover as sign } from '../../../../db/cases/paper-handover.ts';
import type { MutationResolvers } from '../../../__generated__/resolvers-types.ts';

export const signPaperHandover: NonNullable<MutationResolvers['signPaperHandover']> = (
  _parent,
  args,
  { em, actor },
) => sign(em, actor, args);
