import { preAccept as decide } from '../../../../db/cases/case-decisions.ts';
import type { MutationResolvers } from '../../../__generated__/resolvers-types.ts';
import { toDecisionResult } from '../decision-result.ts';

export const preAccept: NonNullable<MutationResolvers['preAccept']> = async (
  _parent,
  { caseId, expectedVersion, decision },
  { em, actor },
) => {
  const type =
    decision.outcome === 'PASS' ? 'pass' : decision.outcome === 'REFUSE' ? 'refuse' : 'require_correction';
  const outcome = await decide(
    em,
    actor,
    caseId,
    expectedVersion,
    type === 'refuse' ? { type, reasons: decision.reasons ?? [] } : { type },
  );
  return toDecisionResult(outcome);
};
