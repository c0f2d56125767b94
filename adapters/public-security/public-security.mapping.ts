import type {
  ApplicationRef,
  CasePackage,
  DeliveryReport,
  DepartmentDecision,
  DepartmentEvent,
  DepartmentResult,
  PackageMaterial,
} from '../kit/adapter-contract.ts';

/** Pure mappings between the hub's model and the public security bureau's (SOAP fields, callback JSON). */

/** The bureau's identity document codes (as on electronic certificates: 111 citizen ID, 001 credit code). */
const ID_TYPE_CODES = { citizen_id: '111', credit_code: '001' } as const;

/** The fields of a SubmitApplication request, in the bureau's terms. */
export interface SubmitApplicationFields {
  idempotencyKey: string;
  caseRef: string;
  itemCode: string;
  itemName: string;
  acceptedOn: string;
  applicant: { idType: '111' | '001'; idNumber: string; name: string };
  materials: MaterialFields[];
}

/** A material as the bureau's `Material` type holds it. */
export interface MaterialFields {
  code: string;
  name: string;
  medium: 'PAPER' | 'ELECTRONIC';
  copies: number;
  sha256: string | null;
  mediaType: string | null;
}

/** The fields of a SupplyMaterials request: owed materials added to an application (容缺补交). */
export interface SupplyMaterialsFields {
  idempotencyKey: string;
  applicationId: string;
  caseRef: string;
  materials: MaterialFields[];
}

export type ApplicationStatusCode = 'RECEIVED' | 'IN_REVIEW' | 'APPROVED' | 'REJECTED';

/** A decision document (准予行政许可决定书) as the bureau writes it: its item and whom it is made out to. */
export interface CertificateView {
  name: string;
  number: string;
  itemCode: string;
  holder: { idType: '111' | '001'; idNumber: string; name: string };
}

/** The fields of a RefuseResult request: the window sends a result back with its reasons. */
export interface RefuseResultFields {
  applicationId: string;
  caseRef: string;
  reason: string[];
}

/** The fields of a ReportDelivery request. */
export interface ReportDeliveryFields {
  applicationId: string;
  caseRef: string;
  method: 'PICKUP' | 'POST' | 'ELECTRONIC';
  deliveredAt: string;
  recipient: 'APPLICANT' | 'AGENT';
  waybillNo: string | null;
}

/** A GetApplicationStatus answer, as the client reads it. */
export interface ApplicationStatusView {
  applicationId: string;
  caseRef: string;
  status: ApplicationStatusCode;
  reasons: string[];
  decidedAt: string | null;
  certificate: CertificateView | null;
  sequence: number;
}

export type HouseholdStatusCode = 'NORMAL' | 'MIGRATED_OUT' | 'DECEASED';

/** One person's household registration (户籍登记) as the bureau answers it. */
export interface HouseholdRecord {
  idNumber: string;
  address: string;
  relationToHead: string;
  policeStation: string;
  status: HouseholdStatusCode;
}

interface CallbackEventCommon {
  applicationId: string;
  caseRef: string;
  /** The bureau's sequence, increasing with every change of an application. */
  sequence: number;
  occurredAt: string;
}

/** An event of a callback body, as the client has checked it. */
export type CallbackEventView =
  | (CallbackEventCommon & {
      type: 'decision';
      status: 'approved' | 'rejected';
      reasons: string[];
      certificate: CertificateView | null;
    })
  | (CallbackEventCommon & { type: 'progress'; stage: string })
  /** An event type this adapter does not know yet: passed on with its common facts only. */
  | (CallbackEventCommon & { type: 'other'; name: string });

export function toSubmitApplication(pkg: CasePackage): SubmitApplicationFields {
  return {
    idempotencyKey: pkg.idempotencyKey,
    caseRef: pkg.caseNumber,
    itemCode: pkg.itemCode,
    itemName: pkg.itemName,
    acceptedOn: pkg.acceptedOn,
    applicant: {
      idType: ID_TYPE_CODES[pkg.applicant.idType],
      idNumber: pkg.applicant.idNumber,
      name: pkg.applicant.name,
    },
    materials: pkg.materials.map(toMaterialFields),
  };
}

function toMaterialFields(m: PackageMaterial): MaterialFields {
  return {
    code: m.code,
    name: m.name,
    medium: m.medium === 'paper' ? 'PAPER' : 'ELECTRONIC',
    copies: m.copies,
    sha256: m.sha256,
    mediaType: m.mediaType,
  };
}

export function toSupplyMaterials(
  ref: ApplicationRef,
  materials: PackageMaterial[],
  idempotencyKey: string,
): SupplyMaterialsFields {
  return {
    idempotencyKey,
    applicationId: ref.departmentRef,
    caseRef: ref.caseNumber,
    materials: materials.map(toMaterialFields),
  };
}

export function toRefuseResult(ref: ApplicationRef, reasons: string[]): RefuseResultFields {
  return { applicationId: ref.departmentRef, caseRef: ref.caseNumber, reason: reasons };
}

export function toReportDelivery(ref: ApplicationRef, report: DeliveryReport): ReportDeliveryFields {
  return {
    applicationId: ref.departmentRef,
    caseRef: ref.caseNumber,
    method: report.method === 'pickup' ? 'PICKUP' : report.method === 'post' ? 'POST' : 'ELECTRONIC',
    deliveredAt: report.deliveredAt,
    recipient: report.recipient === 'applicant' ? 'APPLICANT' : 'AGENT',
    waybillNo: report.waybillNo,
  };
}

/** The result in the hub's terms: who it is made out to, as the bureau wrote it. */
function resultOf(certificate: CertificateView | null): DepartmentResult | null {
  if (!certificate) return null;
  return {
    name: certificate.name,
    number: certificate.number,
    itemCode: certificate.itemCode,
    holder: { name: certificate.holder.name, idNumber: certificate.holder.idNumber },
  };
}

function outcomeOf(status: ApplicationStatusCode | 'approved' | 'rejected'): DepartmentDecision['outcome'] {
  switch (status) {
    case 'APPROVED':
    case 'approved':
      return 'approved';
    case 'REJECTED':
    case 'rejected':
      return 'rejected';
    case 'RECEIVED':
    case 'IN_REVIEW':
      return 'in_review';
  }
}

/** A GetApplicationStatus answer in the hub's terms. */
export function fromApplicationStatus(view: ApplicationStatusView): DepartmentDecision {
  const outcome = outcomeOf(view.status);
  return {
    departmentRef: view.applicationId,
    caseNumber: view.caseRef,
    outcome,
    reasons: view.reasons,
    decidedAt: outcome === 'in_review' ? null : view.decidedAt,
    result: outcome === 'approved' ? resultOf(view.certificate) : null,
  };
}

/** Callback events in the hub's terms; the bureau's sequence orders events that arrive out of order. */
export function fromCallbackEvents(events: CallbackEventView[]): DepartmentEvent[] {
  return events.map((event) => {
    const common = {
      departmentRef: event.applicationId,
      caseNumber: event.caseRef,
      occurredAt: event.occurredAt,
      sequence: event.sequence,
    };
    if (event.type === 'progress') return { type: 'progress', ...common, data: { stage: event.stage } };
    if (event.type === 'other') return { type: event.name, ...common, data: {} };
    const outcome = outcomeOf(event.status);
    return {
      type: 'decision',
      ...common,
      decision: {
        departmentRef: event.applicationId,
        caseNumber: event.caseRef,
        outcome,
        reasons: event.reasons,
        decidedAt: event.occurredAt,
        result: outcome === 'approved' ? resultOf(event.certificate) : null,
      },
      data: {},
    };
  });
}

/**
 * The household registration shown on an applicant. The identity number is left out: the front end
 * already knows whom it asked about.
 */
export function toHouseholdRegistration(record: HouseholdRecord, checkedAt: Date) {
  return {
    address: record.address,
    relationToHead: record.relationToHead,
    headOfHousehold: record.relationToHead === '户主',
    policeStation: record.policeStation,
    status: record.status,
    checkedAt: checkedAt.toISOString(),
  };
}
