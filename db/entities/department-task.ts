import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';

export const TASK_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/**
 * A case's task at a department without its own approval system, kept by the hub's back office and
 * decided by the department's reviewers through the gateway.
 */
export const DepartmentTaskSchema = defineEntity({
  name: 'DepartmentTask',
  tableName: 'department_task',
  indexes: [{ properties: ['departmentCode', 'status'] }, { properties: ['decisionSeq'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    idempotencyKey: p.string().unique(),
    departmentCode: p.string(),
    caseNumber: p.string().index(),
    itemCode: p.string(),
    itemName: p.string(),
    acceptedOn: p.string().length(10),
    /** The applicant's name as on the case; identity numbers stay on the case. */
    applicantName: p.string(),
    /** Handed over with the task; `supplement` marks owed materials supplied later (容缺补交), by key. */
    materials:
      p.json<
        {
          code: string;
          name: string;
          medium: string;
          copies: number;
          sha256: string | null;
          supplement?: string;
        }[]
      >(),
    status: p.enum(TASK_STATUSES),
    reasons: p.json<string[]>(),
    resultName: p.string().nullable(),
    resultNumber: p.string().nullable(),
    decidedBy: p.string().nullable(),
    decidedAt: p.datetime().nullable(),
    /** Order in which decisions were taken; the adapter pulls decisions after a cursor on it. */
    decisionSeq: p.bigint('number').nullable(),
    /** The window's refusals of this task's result (R-D2): the reviewer decides again. */
    refusals: p.json<{ at: string; reasons: string[] }[]>().nullable(),
    /** How the result reached the applicant (R-D5). */
    deliveryReport: p
      .json<{ method: string; deliveredAt: string; recipient: string; waybillNo: string | null }>()
      .nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    version: p.integer().version(),
  },
});

export class DepartmentTask extends DepartmentTaskSchema.class {}
DepartmentTaskSchema.setClass(DepartmentTask);
