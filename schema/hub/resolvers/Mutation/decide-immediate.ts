import { decideImmediate as decide } from '../../../../db/cases/case-decisions.ts';
import type { MutationResolvers } from '../../../__generated__/resolvers-types.ts';
import { toDecisionResult } from '../decision-result.ts';

export const decideImmediate: NonNullable<MutationResolvers['decideImmediate']> = async (
  _parent,
  { caseId, expectedVersion, approve, reasons },
  { em, actor },
) => toDecisionResult(await decide(em, actor, caseId, expectedVersion, { approve, reasons: reasons ?? [] }));
