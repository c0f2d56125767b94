import type { DeadLetterResolvers } from '../../__generated__/resolvers-types.ts';

export const DeadLetter: DeadLetterResolvers = {
  id: (d) => String(d.id),
  caseId: (d) => d.caseId ?? null,
  failedAt: (d) => d.failedAt.toISOString(),
  retriedAt: (d) => d.retriedAt?.toISOString() ?? null,
  retriedBy: (d) => d.retriedBy ?? null,
};
