/**
 * The content of one official hall document (受理通知书, 补齐补正通知书, 不予受理决定书 …), independent of
 * how it is rendered. Callers build it from a case; `renderDocumentPdf` (render-pdf.ts) lays it out as an
 * A4 notice. Every string is printed as given: masking personal data (names, 证件号码) is the caller's job,
 * because only the caller knows which rule applies to the addressee.
 */

/**
 * The document kinds the hall issues. Kept open (`string`) so that a new kind a department asks for needs no
 * change here: the renderer lays out every kind the same way, and the kind is recorded only as metadata.
 */
export type HallDocumentKind =
  | 'acceptance_notice'
  | 'correction_notice'
  | 'refusal_decision'
  | 'deficiency_acceptance_notice'
  | 'pre_acceptance_result'
  | 'immediate_decision'
  | (string & Record<never, never>);

/** One row of the key-facts table; label and value are printed as given and wrap when long. */
export interface HallDocumentFact {
  /** e.g. 办件编号, 申请事项, 申请人, 证件号码, 受理日期, 承诺办结日期 */
  label: string;
  value: string;
}

/** One row of the materials table of a notice about submitted or missing materials. */
export interface HallDocumentMaterial {
  /** The material's name as in the service item's checklist; long names wrap. */
  name: string;
  /** e.g. 已提交, 缺少, 不符合要求 */
  status: string;
  /** What is wrong or what to bring, e.g. 须加盖公章; printed in the 说明 column. */
  note?: string;
}

/** A document ready to render: every text the reader sees, in reading order. */
export interface HallDocument {
  kind: HallDocumentKind;
  /** e.g. 受理通知书; printed centred and large at the top of page 1. */
  title: string;
  /** The document number, e.g. 濮政服受字〔2026〕第000123号; printed under the title, right-aligned. */
  number: string;
  /** The issuing hall, e.g. 濮阳市政务服务中心; printed in the signature block and set as the PDF author. */
  hallName: string;
  /** Issue date as YYYY-MM-DD; printed as 二〇二六年十一月二十五日 and used as the PDF creation date. */
  issuedOn: string;
  /** Whom the notice is addressed to (already masked where required); printed as `XXX：`. Empty: no line. */
  addressee: string;
  /** Key facts shown as a two-column table after the body paragraphs; empty: no table. */
  facts: HallDocumentFact[];
  /** Body paragraphs in Chinese; each starts with a two-character indent. */
  paragraphs: string[];
  /** Table of materials (序号, 材料名称, 状态, 说明); it continues over pages with its header repeated. */
  materials?: HallDocumentMaterial[];
  /** Lines printed right-aligned above the signature, e.g. 特此通知。 or the seal text （印章）. */
  closing: string[];
  /** Printed small at the bottom of every page, e.g. 咨询电话 or how to verify the document. */
  footer?: string;
}
