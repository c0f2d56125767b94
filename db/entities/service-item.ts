import { defineEntity, p } from '@mikro-orm/core';
import { Department } from './department.ts';
import { ServiceItemVersion } from './service-item-version.ts';
import { Zone } from './zone.ts';

export const ITEM_KINDS = ['immediate', 'promised', 'joint', 'major_project'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/**
 * A service item (事项) of the catalogue. Its terms and checklist live in versions, so a case keeps
 * the checklist it was accepted under while the catalogue moves on.
 */
export const ServiceItemSchema = defineEntity({
  name: 'ServiceItem',
  tableName: 'service_item',
  properties: {
    code: p.string().primary(),
    name: p.string().index(),
    zone: () => p.manyToOne(Zone).index(),
    kind: p.enum(ITEM_KINDS),
    comprehensiveWindow: p.boolean(),
    resultName: p.string(),
    guide: p.text(),
    /** Lead department first. */
    departments: () => p.manyToMany(Department).pivotTable('service_item_department').fixedOrder().owner(),
    currentVersion: () => p.manyToOne(ServiceItemVersion).nullable(),
    /** false once the item is withdrawn from the catalogue; rows are never deleted because cases point at them. */
    active: p.boolean().default(true),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export class ServiceItem extends ServiceItemSchema.class {}
ServiceItemSchema.setClass(ServiceItem);
