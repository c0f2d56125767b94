import { defineEntity, p } from '@mikro-orm/core';
import { Case } from './case.ts';

export const SUSPENSION_REASONS = ['correction', 'deficiency_commitment'] as const;

/** A span during which the case's clock stands still (the applicant owes materials). */
export const CaseSuspensionSchema = defineEntity({
  name: 'CaseSuspension',
  tableName: 'case_suspension',
  properties: {
    id: p.integer().primary().autoincrement(),
    case: () => p.manyToOne(Case).index(),
    reason: p.enum(SUSPENSION_REASONS),
    from: p.string().length(10),
    /** null while still suspended. */
    to: p.string().length(10).nullable(),
  },
});

export class CaseSuspension extends CaseSuspensionSchema.class {}
CaseSuspensionSchema.setClass(CaseSuspension);
