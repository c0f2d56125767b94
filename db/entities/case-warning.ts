import { defineEntity, p } from '@mikro-orm/core';
import { Case } from './case.ts';

export const WARNING_LEVELS = ['yellow', 'red'] as const;
export type WarningLevel = (typeof WARNING_LEVELS)[number];

/**
 * Electronic supervision (电子监察): a yellow warning when a case nears its due date, a red one when it
 * is overdue, each raised once per case and escalated to the hall's supervisors.
 */
export const CaseWarningSchema = defineEntity({
  name: 'CaseWarning',
  tableName: 'case_warning',
  uniques: [{ properties: ['case', 'scope', 'level'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    case: () => p.manyToOne(Case),
    hallCode: p.string().length(6).index(),
    /** `case` for the case's own deadline, or the department code of a task's stage deadline. */
    scope: p.string().default('case'),
    level: p.enum(WARNING_LEVELS),
    dueDate: p.string().length(10),
    remainingWorkingDays: p.integer(),
    raisedAt: p.datetime(),
    acknowledgedBy: p.string().nullable(),
  },
});

export class CaseWarning extends CaseWarningSchema.class {}
CaseWarningSchema.setClass(CaseWarning);
