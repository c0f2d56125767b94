import type { DecisionOutcome } from '../../../db/cases/case-decisions.ts';
import type { ResolversParentTypes, ResolversUnionTypes } from '../../__generated__/resolvers-types.ts';

type DecisionResultValue = ResolversUnionTypes<ResolversParentTypes>['DecisionResult'];

/** Maps a service outcome to its member of the DecisionResult union. */
export function toDecisionResult(outcome: DecisionOutcome): DecisionResultValue {
  switch (outcome.kind) {
    case 'accepted':
      return { __typename: 'CaseAccepted', case: outcome.hallCase, notice: outcome.document };
    case 'correction_required':
      return {
        __typename: 'CorrectionRequired',
        case: outcome.hallCase,
        notice: outcome.document,
        gaps: outcome.gaps,
      };
    case 'refused':
      return { __typename: 'CaseRefused', case: outcome.hallCase, decision: outcome.document };
    case 'accepted_with_deficiency':
      return { __typename: 'AcceptedWithDeficiency', case: outcome.hallCase, notice: outcome.document };
    case 'pre_accepted':
      return { __typename: 'PreAccepted', case: outcome.hallCase, notice: outcome.document };
    case 'immediate_decided':
      return {
        __typename: 'ImmediateDecided',
        case: outcome.hallCase,
        decision: outcome.document,
        approved: outcome.approved,
      };
    case 'not_allowed':
      return {
        __typename: 'DecisionNotAllowed',
        errorCode: outcome.code,
        message: outcome.message,
        gaps: outcome.gaps,
        case: outcome.hallCase,
      };
  }
}
