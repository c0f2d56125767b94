import { listDepartmentTasks } from '../../../../db/departments/back-office.ts';
import type { QueryResolvers } from '../../../__generated__/resolvers-types.ts';

export const departmentTasks: NonNullable<QueryResolvers['departmentTasks']> = (
  _parent,
  { status },
  { em, actor },
) => listDepartmentTasks(em, actor, status);
