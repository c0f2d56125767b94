import type {
  ApplicationRef,
  CasePackage,
  DeliveryReport,
  DepartmentDecision,
  PackageMaterial,
} from '../kit/adapter-contract.ts';

/** Pure mappings between the hub's model and the tax bureau's. */

export interface TaxApplication {
  caseRef: string;
  itemCode: string;
  itemName: string;
  acceptedOn: string;
  taxpayer: { idType: 'citizen_id' | 'credit_code'; idNumber: string; name: string };
  materials: TaxMaterial[];
}

/** A material as the bureau lists it on an application. */
export interface TaxMaterial {
  code: string;
  name: string;
  medium: string;
  copies: number;
  sha256: string | null;
  mediaType: string | null;
}

export interface TaxDecisionView {
  applicationId: string;
  caseRef: string;
  status: 'received' | 'approved' | 'rejected';
  reasons: string[];
  decidedAt: string | null;
  certificate: TaxCertificate | null;
}

/** A document the tax bureau issued, as it writes it: the item and the taxpayer it is made out to. */
export interface TaxCertificate {
  name: string;
  number: string;
  itemCode: string;
  issuedTo: { name: string; idNumber: string };
}

/** `POST /v1/applications/{id}/result-refusals`: the window sends a result back. */
export interface TaxResultRefusal {
  caseRef: string;
  reasons: string[];
}

/** `POST /v1/applications/{id}/materials`: materials the taxpayer owed at acceptance (容缺补交). */
export interface TaxMaterialSupplement {
  caseRef: string;
  materials: TaxMaterial[];
}

/** `POST /v1/applications/{id}/delivery`: how the result reached the taxpayer. */
export interface TaxDeliveryReport {
  caseRef: string;
  method: 'pickup' | 'post' | 'electronic';
  deliveredAt: string;
  recipient: 'applicant' | 'agent';
  waybillNo: string | null;
}

export interface TaxpayerRecord {
  idNumber: string;
  status: 'normal' | 'abnormal' | 'unregistered';
  clearance: boolean;
  outstandingFen: number;
}

export function toTaxApplication(pkg: CasePackage): TaxApplication {
  return {
    caseRef: pkg.caseNumber,
    itemCode: pkg.itemCode,
    itemName: pkg.itemName,
    acceptedOn: pkg.acceptedOn,
    taxpayer: { idType: pkg.applicant.idType, idNumber: pkg.applicant.idNumber, name: pkg.applicant.name },
    materials: pkg.materials.map(toTaxMaterial),
  };
}

function toTaxMaterial(m: PackageMaterial): TaxMaterial {
  return {
    code: m.code,
    name: m.name,
    medium: m.medium,
    copies: m.copies,
    sha256: m.sha256,
    mediaType: m.mediaType,
  };
}

export function fromTaxDecision(view: TaxDecisionView): DepartmentDecision {
  return {
    departmentRef: view.applicationId,
    caseNumber: view.caseRef,
    outcome: view.status === 'received' ? 'in_review' : view.status,
    reasons: view.reasons,
    decidedAt: view.decidedAt,
    result: view.certificate
      ? {
          name: view.certificate.name,
          number: view.certificate.number,
          itemCode: view.certificate.itemCode,
          holder: { name: view.certificate.issuedTo.name, idNumber: view.certificate.issuedTo.idNumber },
        }
      : null,
  };
}

export function toTaxResultRefusal(ref: ApplicationRef, reasons: string[]): TaxResultRefusal {
  return { caseRef: ref.caseNumber, reasons };
}

export function toTaxMaterialSupplement(
  ref: ApplicationRef,
  materials: PackageMaterial[],
): TaxMaterialSupplement {
  return { caseRef: ref.caseNumber, materials: materials.map(toTaxMaterial) };
}

export function toTaxDeliveryReport(ref: ApplicationRef, report: DeliveryReport): TaxDeliveryReport {
  return {
    caseRef: ref.caseNumber,
    method: report.method,
    deliveredAt: report.deliveredAt,
    recipient: report.recipient,
    waybillNo: report.waybillNo,
  };
}

/** The tax status shown on an applicant (no identity number: the front end already knows whom it asked about). */
export function toTaxpayerStatus(record: TaxpayerRecord, checkedAt: Date) {
  return {
    status: record.status.toUpperCase() as 'NORMAL' | 'ABNORMAL' | 'UNREGISTERED',
    clearance: record.clearance,
    outstandingFen: record.outstandingFen,
    checkedAt: checkedAt.toISOString(),
  };
}
