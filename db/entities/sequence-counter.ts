import { defineEntity, p } from '@mikro-orm/core';

/**
 * Gap-free serials for case and document numbers, one row per scope (e.g. `case:410900:20261125`).
 * Incremented with a single upsert, so concurrent registrations never get the same number.
 */
export const SequenceCounterSchema = defineEntity({
  name: 'SequenceCounter',
  tableName: 'sequence_counter',
  properties: {
    scope: p.string().primary(),
    last: p.integer(),
  },
});

export class SequenceCounter extends SequenceCounterSchema.class {}
SequenceCounterSchema.setClass(SequenceCounter);
