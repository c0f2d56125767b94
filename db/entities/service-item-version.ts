import { defineEntity, p } from '@mikro-orm/core';
import { ChecklistMaterial } from './checklist-material.ts';
import { ServiceItem } from './service-item.ts';

export const DELIVERY_OPTIONS = ['pickup', 'post', 'electronic'] as const;
export type DeliveryOption = (typeof DELIVERY_OPTIONS)[number];

/** How the departments of a several-department item work: all at once, or one after another. */
export const ROUTINGS = ['parallel', 'sequential'] as const;
export type Routing = (typeof ROUTINGS)[number];

/**
 * The terms of an item at one point in time: time limits, fee, delivery options and the material
 * checklist. Immutable once written; a changed catalogue entry becomes a new version.
 */
export const ServiceItemVersionSchema = defineEntity({
  name: 'ServiceItemVersion',
  tableName: 'service_item_version',
  uniques: [{ properties: ['item', 'version'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    item: () => p.manyToOne(ServiceItem),
    version: p.integer(),
    /** SHA-256 of the seed record this version was written from; equal hash = nothing changed. */
    contentHash: p.string().length(64),
    statutoryLimitDays: p.integer().nullable(),
    promisedLimitDays: p.integer(),
    feeFen: p.integer().nullable(),
    feeBasis: p.text().nullable(),
    deliveryOptions: p.json<DeliveryOption[]>(),
    /** Joint items may declare a sequence (the departments in catalogue order); the default is parallel. */
    routing: p.enum(ROUTINGS).default('parallel'),
    /** Major projects: each department's own limit in working days from its handover (督办 stages). */
    stageLimits: p.json<Record<string, number>>().nullable(),
    materials: () => p.oneToMany(ChecklistMaterial).mappedBy('itemVersion').orderBy({ position: 'asc' }),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class ServiceItemVersion extends ServiceItemVersionSchema.class {}
ServiceItemVersionSchema.setClass(ServiceItemVersion);
