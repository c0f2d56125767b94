import type { CasePackage, DepartmentDecision } from '../kit/adapter-contract.ts';

/** Pure mappings between the hub's model and the tax bureau's. */

export interface TaxApplication {
  caseRef: string;
  itemCode: string;
  itemName: string;
  acceptedOn: string;
  taxpayer: { idType: 'citizen_id' | 'credit_code'; idNumber: string; name: string };
  materials: {
    code: string;
    name: string;
    medium: string;
    copies: number;
    sha256: string | null;
    mediaType: string | null;
  }[];
}

export interface TaxDecisionView {
  applicationId: string;
  caseRef: string;
  status: 'received' | 'approved' | 'rejected';
  reasons: string[];
  decidedAt: string | null;
  certificate: { name: string; number: string } | null;
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
    materials: pkg.materials.map((m) => ({
      code: m.code,
      name: m.name,
      medium: m.medium,
      copies: m.copies,
      sha256: m.sha256,
      mediaType: m.mediaType,
    })),
  };
}

export function fromTaxDecision(view: TaxDecisionView): DepartmentDecision {
  return {
    departmentRef: view.applicationId,
    caseNumber: view.caseRef,
    outcome: view.status === 'received' ? 'in_review' : view.status,
    reasons: view.reasons,
    decidedAt: view.decidedAt,
    result: view.certificate,
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
