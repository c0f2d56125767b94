import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { Case } from './case.ts';
import { DELIVERY_OPTIONS } from './service-item-version.ts';

/**
 * awaiting_result = the departments have not all decided; ready = the result passed the window's
 * check and waits at the window (pickup) or is available (electronic); shipping = handed to the post,
 * waybill pending; shipped = with the post; delivered; delivery_failed = the post could not deliver
 * (back at the window for pickup).
 */
export const DELIVERY_STATUSES = [
  'awaiting_result',
  'ready',
  'shipping',
  'shipped',
  'delivered',
  'delivery_failed',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const RECIPIENT_KINDS = ['applicant', 'agent'] as const;
export type RecipientKind = (typeof RECIPIENT_KINDS)[number];

/**
 * How a case's result reaches the applicant (统一窗口出件, R-D1…R-D5): the method chosen among the
 * item's options, and the delivery itself. The address and phone are personal data: shown in full
 * only to the applicant and the clerks of the hall, never logged, never in job payloads.
 */
export const CaseDeliverySchema = defineEntity({
  name: 'CaseDelivery',
  tableName: 'case_delivery',
  indexes: [{ properties: ['status'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    /** One delivery per case (unique); the case does not load it unless asked. */
    case: () => p.manyToOne(Case).unique(),
    method: p.enum(DELIVERY_OPTIONS),
    recipientName: p.string().nullable(),
    phone: p.string().nullable(),
    address: p.text().nullable(),
    postcode: p.string().length(6).nullable(),
    status: p.enum(DELIVERY_STATUSES),
    readyAt: p.datetime().nullable(),
    /** Post: the waybill number and the last tracking status seen (in department sequence). */
    waybillNo: p.string().nullable(),
    trackingStatus: p.string().nullable(),
    trackingSequence: p.integer().default(0),
    trackingLocation: p.string().nullable(),
    shippedAt: p.datetime().nullable(),
    deliveredAt: p.datetime().nullable(),
    /** Pickup: who received it, checked against their identity number, and who handed it over. */
    receivedBy: p.enum(RECIPIENT_KINDS).nullable(),
    handedOverBy: p.string().nullable(),
    /** The recipient's signature image (uploaded file id). */
    signature: p.string().length(64).nullable(),
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export class CaseDelivery extends CaseDeliverySchema.class {}
CaseDeliverySchema.setClass(CaseDelivery);
