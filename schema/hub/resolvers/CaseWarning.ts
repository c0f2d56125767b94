import type { CaseWarningResolvers } from '../../__generated__/resolvers-types.ts';

export const CaseWarning: CaseWarningResolvers = {
  caseNumber: (w) => w.case.number,
  raisedAt: (w) => w.raisedAt.toISOString(),
};
