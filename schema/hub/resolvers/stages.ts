import { CASE_SCOPE, stageDeadlineOf } from '../../../db/cases/case-supervision.ts';
import type {
  CaseDepartmentTaskResolvers,
  CaseWarningResolvers,
} from '../../__generated__/resolvers-types.ts';

/** The stage fields of a case's department task (schema/hub/stages.graphql). */
export const CaseDepartmentTaskStage: CaseDepartmentTaskResolvers = {
  dueOn: (t) => t.dueOn ?? null,
  overdue: (t) => stageDeadlineOf(t)?.overdue ?? false,
};

/** The department of a stage warning; a warning on the case's own deadline has none. */
export const CaseWarningStage: CaseWarningResolvers = {
  department: (w, _args, { catalogue }) => (w.scope === CASE_SCOPE ? null : catalogue.department(w.scope)),
};
