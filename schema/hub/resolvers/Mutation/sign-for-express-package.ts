import { signForPackage } from '../../../../db/cases/express-packages.ts';
import type { MutationResolvers } from '../../../__generated__/resolvers-types.ts';

export const signForExpressPackage: NonNullable<MutationResolvers['signForExpressPackage']> = (
  _parent,
  { input },
  { em, actor },
) => signForPackage(em, actor, input);
