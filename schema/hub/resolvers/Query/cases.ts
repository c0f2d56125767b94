import { listCases } from '../../../../db/cases/case-queries.ts';
import type { QueryResolvers } from '../../../__generated__/resolvers-types.ts';

export const cases: NonNullable<QueryResolvers['cases']> = (
  _parent,
  { filter, first, after },
  { em, actor },
) => listCases(em, actor, filter ?? {}, first ?? 20, after);
