import { defineEntity, p } from '@mikro-orm/core';
import { ServiceItemVersion } from './service-item-version.ts';

export const MATERIAL_FORMS = ['original', 'copy', 'original_and_copy'] as const;
export type MaterialForm = (typeof MATERIAL_FORMS)[number];

/** One entry of an item version's material checklist (材料清单), with its review points (审查要点). */
export const ChecklistMaterialSchema = defineEntity({
  name: 'ChecklistMaterial',
  tableName: 'checklist_material',
  uniques: [{ properties: ['itemVersion', 'code'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    itemVersion: () => p.manyToOne(ServiceItemVersion),
    position: p.integer(),
    code: p.string(),
    name: p.string(),
    required: p.boolean(),
    form: p.enum(MATERIAL_FORMS),
    copies: p.integer(),
    electronicAccepted: p.boolean(),
    /** May be owed under deficiency-tolerant acceptance (容缺受理). */
    tolerable: p.boolean(),
    reviewPoints: p.json<string[]>(),
  },
});

export class ChecklistMaterial extends ChecklistMaterialSchema.class {}
ChecklistMaterialSchema.setClass(ChecklistMaterial);
