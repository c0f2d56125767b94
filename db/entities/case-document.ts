import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { Blob } from './blob.ts';
import { Case } from './case.ts';

export const DOCUMENT_KINDS = [
  'acceptance_notice',
  'correction_notice',
  'refusal_decision',
  'deficiency_acceptance_notice',
  'pre_acceptance_result',
  'immediate_decision',
  'return_notice',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** A numbered document the hall issued on a case; its content is frozen at issue. */
export const CaseDocumentSchema = defineEntity({
  name: 'CaseDocument',
  tableName: 'case_document',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    case: () => p.manyToOne(Case).index(),
    kind: p.enum(DOCUMENT_KINDS),
    /** Unique, e.g. 濮政服受字〔2026〕第000123号. */
    number: p.string().unique(),
    title: p.string(),
    issuedAt: p.datetime(),
    issuedOn: p.string().length(10),
    issuedBy: p.string(),
    /** The document as issued (facts, paragraphs, materials), rendered to PDF from this. */
    content: p.json<Record<string, unknown>>(),
    /** The gaps a correction notice listed: `code|reason` keys, to refuse a repeated notice. */
    gapKeys: p.json<string[]>().nullable(),
    /** The rendered PDF, once rendered (content-addressed). */
    pdf: () => p.manyToOne(Blob).nullable(),
  },
});

export class CaseDocument extends CaseDocumentSchema.class {}
CaseDocumentSchema.setClass(CaseDocument);
