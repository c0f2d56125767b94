import { defineEntity, p } from '@mikro-orm/core';

/** One call to a department system: what, when, outcome (never bodies, so no personal data). */
export const DepartmentCallSchema = defineEntity({
  name: 'DepartmentCall',
  tableName: 'department_call',
  indexes: [{ properties: ['department', 'startedAt'] }, { properties: ['caseNumber'] }],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    department: p.string(),
    caseNumber: p.string().nullable(),
    operation: p.string(),
    method: p.string(),
    path: p.string(),
    requestBytes: p.integer(),
    status: p.integer().nullable(),
    outcome: p.string(),
    error: p.text().nullable(),
    startedAt: p.datetime(),
    durationMs: p.integer(),
    attempt: p.integer(),
  },
});

export class DepartmentCall extends DepartmentCallSchema.class {}
DepartmentCallSchema.setClass(DepartmentCall);
