import { defineEntity, p } from '@mikro-orm/core';

/**
 * A callback a department pushed to the hub: accepted (its events wait here for the jobs to apply
 * them), or rejected (forged, replayed or unreadable) and kept as an audit record. A second delivery
 * of an accepted webhook id changes nothing.
 */
export const CallbackReceiptSchema = defineEntity({
  name: 'CallbackReceipt',
  tableName: 'callback_receipt',
  uniques: [{ properties: ['adapter', 'webhookId'] }],
  indexes: [{ properties: ['verdict', 'processedAt'] }],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    adapter: p.string(),
    /** null for rejected deliveries, which may repeat an id they do not own. */
    webhookId: p.string().nullable(),
    verdict: p.enum(['accepted', 'rejected'] as const),
    reason: p.text().nullable(),
    events: p.json<Record<string, unknown>[]>(),
    remoteAddress: p.string().nullable(),
    receivedAt: p.datetime(),
    processedAt: p.datetime().nullable(),
  },
});

export class CallbackReceipt extends CallbackReceiptSchema.class {}
CallbackReceiptSchema.setClass(CallbackReceipt);
