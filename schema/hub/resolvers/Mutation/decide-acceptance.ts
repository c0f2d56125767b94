import { type AcceptanceDecision, decideAcceptance as decide } from '../../../../db/cases/case-decisions.ts';
import { badInput } from '../../../../db/errors.ts';
import type { AcceptanceDecisionInput, MutationResolvers } from '../../../__generated__/resolvers-types.ts';
import { toDecisionResult } from '../decision-result.ts';

function decisionOf(input: AcceptanceDecisionInput): AcceptanceDecision {
  switch (input.type) {
    case 'ACCEPT':
      return { type: 'accept' };
    case 'REQUIRE_CORRECTION':
      return { type: 'require_correction' };
    case 'REFUSE':
      return { type: 'refuse', reasons: input.reasons ?? [] };
    case 'ACCEPT_WITH_DEFICIENCY':
      if (!input.commitment) {
        throw badInput(
          'decision.commitment',
          'deficiency-tolerant acceptance needs the owed materials and a supply date',
        );
      }
      return { type: 'accept_with_deficiency', commitment: input.commitment };
  }
}

export const decideAcceptance: NonNullable<MutationResolvers['decideAcceptance']> = async (
  _parent,
  { caseId, expectedVersion, decision },
  { em, actor },
) => toDecisionResult(await decide(em, actor, caseId, expectedVersion, decisionOf(decision)));
