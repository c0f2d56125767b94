import { citizenIdCheckChar } from '../../db/identity/citizen-id.ts';
import type { ServiceItemSeed } from '../../db/seed/catalogue/catalogue-seed.types.ts';
import { catalogue } from '../../db/seed/catalogue/index.ts';

/** A valid citizen ID number for a person born on the given day (region 410902, 濮阳市华龙区). */
export function citizenId(serial: number, birth = '19850312'): string {
  const first17 = `410902${birth}${String(serial % 1000).padStart(3, '0')}`;
  return first17 + citizenIdCheckChar(first17);
}

export function findItem(predicate: (item: ServiceItemSeed) => boolean, what: string): ServiceItemSeed {
  const item = catalogue.items.find((i) => i.comprehensiveWindow && predicate(i));
  if (!item) throw new Error(`the catalogue has no item that is ${what}`);
  return item;
}

/** A promised item with a tolerable required material and an intolerable one. */
export const TOLERANT_ITEM = findItem(
  (i) =>
    i.kind === 'promised' &&
    i.promisedLimitDays >= 3 &&
    i.materials.some((m) => m.required && m.tolerable) &&
    i.materials.some((m) => m.required && !m.tolerable),
  'promised with tolerable and intolerable required materials',
);

export const IMMEDIATE_ITEM = findItem((i) => i.kind === 'immediate', 'immediate');

/** Paper materials for every required entry, conforming, except the codes left out. */
export function requiredMaterials(item: ServiceItemSeed, leaveOut: string[] = []) {
  return item.materials
    .filter((m) => m.required && !leaveOut.includes(m.code))
    .map((m) => ({ checklistCode: m.code, medium: 'PAPER', copies: m.copies }));
}

export const CASE_FIELDS = `id number status version acceptedOn correctionDeadline hallCode
  applicant { name idNumber phone }
  deadline { dueDate suspendedWorkingDays suspendedNow remainingWorkingDays overdue estimated suspensions { reason from to } }
  commitment { materialCodes supplyBy }
  materialCheck { complete allGapsTolerable gaps { code name state reasons tolerable } entries { material { code } state } }
  documents { id kind number title issuedOn pdfUrl }
  timeline { seq actorId actorRole type changes documentId }`;

export const DECISION_FIELDS = `
  __typename
  ... on CaseAccepted { case { ${CASE_FIELDS} } notice { number title } }
  ... on CorrectionRequired { case { ${CASE_FIELDS} } notice { number title } gaps { code reasons } }
  ... on CaseRefused { case { ${CASE_FIELDS} } decision { number title } }
  ... on AcceptedWithDeficiency { case { ${CASE_FIELDS} } notice { number title } }
  ... on PreAccepted { case { ${CASE_FIELDS} } notice { number title } }
  ... on ImmediateDecided { approved case { ${CASE_FIELDS} } decision { number title } }
  ... on DecisionNotAllowed { errorCode message gaps { code name tolerable } case { id version status } }`;

export const REGISTER = `mutation($input: RegisterCaseInput!) { registerCase(input: $input) { ${CASE_FIELDS} } }`;
export const DECIDE = `mutation($id: ID!, $v: Int!, $d: AcceptanceDecisionInput!) { decideAcceptance(caseId: $id, expectedVersion: $v, decision: $d) { ${DECISION_FIELDS} } }`;
export const PRESENT = `mutation($id: ID!, $v: Int!, $m: [PresentedMaterialInput!]!) { presentMaterials(caseId: $id, expectedVersion: $v, materials: $m) { ${CASE_FIELDS} } }`;
