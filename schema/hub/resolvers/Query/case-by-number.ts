import { findCaseFor } from '../../../../db/cases/case-queries.ts';
import type { QueryResolvers } from '../../../__generated__/resolvers-types.ts';

export const caseByNumber: NonNullable<QueryResolvers['caseByNumber']> = (
  _parent,
  { number },
  { em, actor },
) => findCaseFor(em, actor, { number });
