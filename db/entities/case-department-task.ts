import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { Case } from './case.ts';

/**
 * transferred = with the department; approved / rejected = decided; result_refused = the window found
 * the result does not match the acceptance data and sent it back (R-D2): the department decides again.
 */
export const CASE_TASK_STATUSES = ['transferred', 'approved', 'rejected', 'result_refused'] as const;
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
    /** Who the result is made out to, as the department wrote it (checked against the applicant). */
    resultHolderName: p.string().nullable(),
    /** Reasons of each refusal of a result back to the department, oldest first. */
    resultRefusals: p
      .json<{ at: string; reasons: string[]; fingerprint: string; toldAt: string | null }[]>()
      .nullable(),
    /** Position in the item's declared sequence (0 = first; equal positions run in parallel). */
    position: p.integer().default(0),
    /** This department's own due date (per-stage deadline of a major project, 督办), when it has one. */
    dueOn: p.string().length(10).nullable(),
    /** Paper materials in the handover, and who at the department signed for them (R-F6). */
    paperCount: p.integer().default(0),
    paperSignedBy: p.string().nullable(),
    paperSignedAt: p.datetime().nullable(),
    /** Signature image (uploaded file id) of the department's receiver. */
    paperSignature: p.string().length(64).nullable(),
    /**
     * Deficiency-tolerant cases: when the owed materials reached the department (容缺补交); the case
     * concludes only once every department has them. Set at handover when nothing was owed by then.
     */
    supplementedAt: p.datetime().nullable(),
    /** When the department was told how its result was delivered (R-D5). */
    deliveryReportedAt: p.datetime().nullable(),
  },
});

export class CaseDepartmentTask extends CaseDepartmentTaskSchema.class {}
CaseDepartmentTaskSchema.setClass(CaseDepartmentTask);
