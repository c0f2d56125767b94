import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { Blob } from './blob.ts';
import { Case } from './case.ts';
import { Certificate } from './certificate.ts';

export const MATERIAL_MEDIA = ['paper', 'electronic'] as const;
export type MaterialMedium = (typeof MATERIAL_MEDIA)[number];

/**
 * A material the applicant presented for one checklist entry. Presenting again (a correction or a
 * supplied commitment) adds a newer row; the check reads the latest per entry.
 */
export const CaseMaterialSchema = defineEntity({
  name: 'CaseMaterial',
  tableName: 'case_material',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    case: () => p.manyToOne(Case).index(),
    position: p.integer(),
    /** The checklist entry (code within the case's item version). */
    checklistCode: p.string(),
    medium: p.enum(MATERIAL_MEDIA),
    /** Paper: number of sheets or copies presented. */
    copies: p.integer(),
    blob: () => p.manyToOne(Blob).nullable(),
    /** On file (免提交): the applicant's valid electronic certificate that stands for this material. */
    certificate: () => p.manyToOne(Certificate).nullable(),
    /** File name as uploaded (may be shown to staff of the case only). */
    fileName: p.string().nullable(),
    /** Review points (审查要点) of the entry this material fails, as the clerk found them. */
    failedReviewPoints: p.json<string[]>(),
    note: p.text().nullable(),
    presentedAt: p.datetime().onCreate(() => new Date()),
    presentedBy: p.string(),
  },
});

export class CaseMaterial extends CaseMaterialSchema.class {}
CaseMaterialSchema.setClass(CaseMaterial);
