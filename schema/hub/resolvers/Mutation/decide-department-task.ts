import { decideDepartmentTask as decide } from '../../../../db/departments/back-office.ts';
import type { MutationResolvers } from '../../../__generated__/resolvers-types.ts';

export const decideDepartmentTask: NonNullable<MutationResolvers['decideDepartmentTask']> = (
  _parent,
  { input },
  { em, actor },
) =>
  decide(em, actor, {
    taskId: input.taskId,
    expectedVersion: input.expectedVersion,
    approve: input.approve,
    reasons: input.reasons ?? [],
    resultNumber: input.resultNumber ?? null,
    resultName: input.resultName ?? null,
  });
