import type { CasePackage, PackageMaterial } from '../kit/adapter-contract.ts';

/** Pure mappings between the hub's model and the provincial service platform's (河南政务服务网). */

export type ProvincialIdentityType = 'RESIDENT_ID_CARD' | 'UNIFIED_SOCIAL_CREDIT_CODE';

export interface ProvincialApplicant {
  name: string;
  identityType: ProvincialIdentityType;
  identityNumber: string;
}

export interface ProvincialMaterial {
  code: string;
  name: string;
  medium: 'PAPER' | 'ELECTRONIC';
  copies: number;
  sha256: string | null;
}

/** An acceptance as the platform records it (R-F1). */
export interface ProvincialAcceptanceRecord {
  caseNumber: string;
  itemCode: string;
  itemName: string;
  hallCode: string;
  acceptedOn: string;
  applicant: ProvincialApplicant;
  materials: ProvincialMaterial[];
}

/** An online pre-acceptance result, as the hub hands it to the adapter (R-F5). */
export interface PreAcceptanceResult {
  caseNumber: string;
  /** Unique per result; the platform records a result once per key. */
  idempotencyKey: string;
  itemCode: string;
  itemName: string;
  applicant: CasePackage['applicant'];
  materials: PackageMaterial[];
  outcome: 'accepted' | 'correction_required' | 'refused';
  /** Required by the platform when the outcome is not `accepted`. */
  reasons: string[];
  /** ISO date-time of the pre-acceptance decision. */
  decidedAt: string;
}

export interface ProvincialPreAcceptanceRecord {
  caseNumber: string;
  itemCode: string;
  itemName: string;
  hallCode: string;
  channel: 'ONLINE';
  result: 'PASS' | 'CORRECTION' | 'REFUSE';
  reasons: string[];
  decidedAt: string;
  applicant: ProvincialApplicant;
  materials: ProvincialMaterial[];
}

const IDENTITY_TYPE = {
  citizen_id: 'RESIDENT_ID_CARD',
  credit_code: 'UNIFIED_SOCIAL_CREDIT_CODE',
} as const satisfies Record<CasePackage['applicant']['idType'], ProvincialIdentityType>;

const RESULT = {
  accepted: 'PASS',
  correction_required: 'CORRECTION',
  refused: 'REFUSE',
} as const satisfies Record<PreAcceptanceResult['outcome'], ProvincialPreAcceptanceRecord['result']>;

/**
 * The hall's division code is the first part of the hub's case number (410900-20261125-000123); an
 * unreadable case number gives an empty code, which the platform then reports field by field.
 */
export function hallCodeOf(caseNumber: string): string {
  return /^(\d{6})-/.exec(caseNumber)?.[1] ?? '';
}

function toApplicant(applicant: CasePackage['applicant']): ProvincialApplicant {
  return {
    name: applicant.name,
    identityType: IDENTITY_TYPE[applicant.idType],
    identityNumber: applicant.idNumber,
  };
}

function toMaterials(materials: PackageMaterial[]): ProvincialMaterial[] {
  return materials.map((m) => ({
    code: m.code,
    name: m.name,
    medium: m.medium === 'paper' ? 'PAPER' : 'ELECTRONIC',
    copies: m.copies,
    sha256: m.sha256,
  }));
}

export function toAcceptanceRecord(pkg: CasePackage): ProvincialAcceptanceRecord {
  return {
    caseNumber: pkg.caseNumber,
    itemCode: pkg.itemCode,
    itemName: pkg.itemName,
    hallCode: hallCodeOf(pkg.caseNumber),
    acceptedOn: pkg.acceptedOn,
    applicant: toApplicant(pkg.applicant),
    materials: toMaterials(pkg.materials),
  };
}

export function toPreAcceptanceRecord(result: PreAcceptanceResult): ProvincialPreAcceptanceRecord {
  return {
    caseNumber: result.caseNumber,
    itemCode: result.itemCode,
    itemName: result.itemName,
    hallCode: hallCodeOf(result.caseNumber),
    channel: 'ONLINE',
    result: RESULT[result.outcome],
    reasons: result.reasons,
    decidedAt: result.decidedAt,
    applicant: toApplicant(result.applicant),
    materials: toMaterials(result.materials),
  };
}
