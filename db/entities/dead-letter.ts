import { defineEntity, p } from '@mikro-orm/core';

/**
 * A job that exhausted its retries or failed for good, kept with its reason and case for the
 * supervisors, who can send it again from here.
 */
export const DeadLetterSchema = defineEntity({
  name: 'DeadLetter',
  tableName: 'dead_letter',
  indexes: [{ properties: ['retriedAt', 'failedAt'] }],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    queue: p.string(),
    jobName: p.string(),
    jobId: p.string(),
    caseId: p.uuid().nullable(),
    /** The job's payload: ids only. */
    payload: p.json<Record<string, unknown>>(),
    reason: p.text(),
    attempts: p.integer(),
    failedAt: p.datetime(),
    retriedAt: p.datetime().nullable(),
    retriedBy: p.string().nullable(),
  },
});

export class DeadLetter extends DeadLetterSchema.class {}
DeadLetterSchema.setClass(DeadLetter);
