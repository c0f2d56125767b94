import { defineEntity, p } from '@mikro-orm/core';

/**
 * An event written in the same transaction as the change it reports; a relay moves it to the job
 * queues (job id = outbox id), so a crash between commit and enqueue loses nothing.
 */
export const OutboxEventSchema = defineEntity({
  name: 'OutboxEvent',
  tableName: 'outbox_event',
  indexes: [{ properties: ['publishedAt', 'id'] }],
  // Wakes the relays at commit (LISTEN outbox_event; PostgreSQL sends one notification per
  // transaction); they still poll, as they must on PGlite.
  triggers: [
    {
      name: 'outbox_event_notify',
      timing: 'after',
      events: ['insert', 'update'],
      forEach: 'row',
      when: '(new.published_at IS NULL)',
      body: "perform pg_notify('outbox_event', ''); return null;",
    },
  ],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    topic: p.string(),
    caseId: p.uuid().nullable(),
    /** References and facts the consumers need; identity numbers only where a record for the provincial platform requires them is built by its adapter from the database, not here. */
    payload: p.json<Record<string, unknown>>(),
    createdAt: p.datetime().onCreate(() => new Date()),
    publishedAt: p.datetime().nullable(),
  },
});

export class OutboxEvent extends OutboxEventSchema.class {}
OutboxEventSchema.setClass(OutboxEvent);
