import { listWarnings } from '../../../../db/cases/case-supervision.ts';
import type { QueryResolvers } from '../../../__generated__/resolvers-types.ts';

export const warnings: NonNullable<QueryResolvers['warnings']> = (_parent, { level }, { em, actor }) =>
  listWarnings(em, actor, level);
