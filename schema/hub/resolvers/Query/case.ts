import { findCaseFor } from '../../../../db/cases/case-queries.ts';
import type { QueryResolvers } from '../../../__generated__/resolvers-types.ts';

export const caseById: NonNullable<QueryResolvers['case']> = (_parent, { id }, { em, actor }) =>
  findCaseFor(em, actor, { id });
