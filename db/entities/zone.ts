import { defineEntity, p } from '@mikro-orm/core';
import { Department } from './department.ts';

export const ZONE_CODES = [
  'investment',
  'business_startup',
  'real_estate',
  'science_education_culture_health',
  'public_security_justice',
  'social_security_livelihood',
] as const;
export type ZoneCode = (typeof ZONE_CODES)[number];

/** One of the six zones (功能区) of the hall; each has its own comprehensive windows. */
export const ZoneSchema = defineEntity({
  name: 'Zone',
  tableName: 'zone',
  properties: {
    code: p.enum(ZONE_CODES).primary(),
    name: p.string(),
    nameEn: p.string(),
    scope: p.text(),
    ordinal: p.integer().unique(),
    departments: () => p.manyToMany(Department).pivotTable('zone_department').fixedOrder().owner(),
  },
});

export class Zone extends ZoneSchema.class {}
ZoneSchema.setClass(Zone);
