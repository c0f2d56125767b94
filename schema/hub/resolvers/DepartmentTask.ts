import type { DepartmentTaskResolvers } from '../../__generated__/resolvers-types.ts';

export const DepartmentTask: DepartmentTaskResolvers = {
  decidedAt: (t) => t.decidedAt?.toISOString() ?? null,
  resultName: (t) => t.resultName ?? null,
  resultNumber: (t) => t.resultNumber ?? null,
  decidedBy: (t) => t.decidedBy ?? null,
};
