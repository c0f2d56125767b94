import { defineEntity, p } from '@mikro-orm/core';
import { Case } from './case.ts';

/**
 * One step on a case's timeline and in its audit trail: who, in which role, when, what, old → new.
 * Events are hash-chained per case (hash = SHA-256 of the previous hash and this event), and the
 * case keeps the head, so changing, removing or reordering an event is detectable.
 */
export const CaseEventSchema = defineEntity({
  name: 'CaseEvent',
  tableName: 'case_event',
  uniques: [{ properties: ['case', 'seq'] }],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    case: () => p.manyToOne(Case),
    seq: p.integer(),
    at: p.datetime(),
    actorId: p.string(),
    actorRole: p.string(),
    type: p.string(),
    /** Field → [old, new]; never identity numbers or phones. */
    changes: p.json<Record<string, [unknown, unknown]>>(),
    documentId: p.string().nullable(),
    note: p.text().nullable(),
    prevHash: p.string().length(64),
    hash: p.string().length(64),
  },
});

export class CaseEvent extends CaseEventSchema.class {}
CaseEventSchema.setClass(CaseEvent);
