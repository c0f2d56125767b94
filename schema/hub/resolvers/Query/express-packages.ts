import { listPackages } from '../../../../db/cases/express-packages.ts';
import type { QueryResolvers } from '../../../__generated__/resolvers-types.ts';

export const expressPackages: NonNullable<QueryResolvers['expressPackages']> = (
  _parent,
  { status },
  { em, actor },
) => listPackages(em, actor, status);
