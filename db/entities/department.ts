import { defineEntity, p } from '@mikro-orm/core';

export const DEPARTMENT_KINDS = ['government', 'enterprise'] as const;
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];

/** A department (or public utility) that handles items of the hall in its own back office. */
export const DepartmentSchema = defineEntity({
  name: 'Department',
  tableName: 'department',
  properties: {
    code: p.string().primary(),
    name: p.string(),
    nameEn: p.string(),
    kind: p.enum(DEPARTMENT_KINDS),
  },
});

export class Department extends DepartmentSchema.class {}
DepartmentSchema.setClass(Department);
