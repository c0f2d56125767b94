import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { Case } from './case.ts';

export const CASE_TASK_STATUSES = ['transferred', 'approved', 'rejected'] as const;
export type CaseTaskStatus = (typeof CASE_TASK_STATUSES)[number];

/**
 * The part of a case one department handles: its package went out through the department's adapter
 * under one idempotency key (one application in the department's system however often it is sent).
 */
export const CaseDepartmentTaskSchema = defineEntity({
  name: 'CaseDepartmentTask',
  tableName: 'case_department_task',
  indexes: [{ properties: ['adapter', 'departmentRef'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    case: () => p.manyToOne(Case).index(),
    departmentCode: p.string(),
    adapter: p.string(),
    idempotencyKey: p.string().unique(),
    status: p.enum(CASE_TASK_STATUSES),
    /** The department's reference (application id, task id …). */
    departmentRef: p.string(),
    transferredAt: p.datetime(),
    decidedAt: p.datetime().nullable(),
    reasons: p.json<string[]>().nullable(),
    /** The result document or certificate the department issued. */
    resultName: p.string().nullable(),
    resultNumber: p.string().nullable(),
  },
});

export class CaseDepartmentTask extends CaseDepartmentTaskSchema.class {}
CaseDepartmentTaskSchema.setClass(CaseDepartmentTask);
