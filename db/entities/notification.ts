import { defineEntity, p } from '@mikro-orm/core';
import { Case } from './case.ts';

export const NOTIFICATION_STATUSES = ['sent', 'skipped'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/**
 * A message to an applicant about their case, one per outbox event that calls for one (the outbox id
 * makes it once). `skipped` when the applicant left no mobile number; the number itself is not kept here.
 */
export const NotificationSchema = defineEntity({
  name: 'Notification',
  tableName: 'notification',
  properties: {
    id: p.integer().primary().autoincrement(),
    case: () => p.manyToOne(Case).index(),
    outboxId: p.bigint('number').unique(),
    kind: p.string(),
    template: p.string(),
    status: p.enum(NOTIFICATION_STATUSES),
    /** Last four digits of the number it went to, so a clerk can answer "which phone?". */
    phoneSuffix: p.string().length(4).nullable(),
    gatewayRef: p.string().nullable(),
    sentAt: p.datetime(),
  },
});

export class Notification extends NotificationSchema.class {}
NotificationSchema.setClass(Notification);
