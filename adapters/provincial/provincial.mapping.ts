import type { CasePackage, PackageMaterial, PlatformStatusChange } from '../kit/adapter-contract.ts';

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

/**
 * A later step of an accepted case as the platform records it (办件过程/办结信息): what happened and
 * when, who handled it, and the step's own facts. No applicant section: no identity numbers.
 */
export interface ProvincialStatusRecord {
  caseNumber: string;
  itemCode: string;
  itemName: string;
  hallCode: string;
  status: 'RETURNED' | 'CONCLUDED' | 'DELIVERED' | 'MATERIALS_SUPPLIED';
  /** The platform's name of the step, as its process view shows it. */
  statusName: '退办' | '办结' | '送达' | '容缺补齐';
  occurredAt: string;
  departments: { code: string; name: string }[];
  /** 办结 only. */
  conclusion?: {
    result: 'APPROVED' | 'DENIED';
    reasons: string[];
    results: { name: string; number: string }[];
  };
  /** 送达 only. */
  delivery?: {
    method: 'WINDOW_PICKUP' | 'POST' | 'ONLINE';
    recipient: 'APPLICANT' | 'AGENT';
    waybillNo: string | null;
  };
  /** 退办 only: why. */
  reasons?: string[];
  /** 容缺补齐 only: the materials supplied. */
  materials?: { code: string; name: string }[];
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

const DELIVERY_METHOD = {
  pickup: 'WINDOW_PICKUP',
  post: 'POST',
  electronic: 'ONLINE',
} as const satisfies Record<
  Extract<PlatformStatusChange, { status: 'delivered' }>['delivery']['method'],
  NonNullable<ProvincialStatusRecord['delivery']>['method']
>;

export function toStatusRecord(change: PlatformStatusChange): ProvincialStatusRecord {
  const common = {
    caseNumber: change.caseNumber,
    itemCode: change.itemCode,
    itemName: change.itemName,
    hallCode: hallCodeOf(change.caseNumber),
    occurredAt: change.occurredAt,
    departments: change.departments.map((d) => ({ code: d.code, name: d.name })),
  };
  switch (change.status) {
    case 'returned':
      return { ...common, status: 'RETURNED', statusName: '退办', reasons: change.reasons };
    case 'concluded':
      return {
        ...common,
        status: 'CONCLUDED',
        statusName: '办结',
        conclusion: {
          result: change.outcome === 'approved' ? 'APPROVED' : 'DENIED',
          reasons: change.reasons,
          results: change.results.map((r) => ({ name: r.name, number: r.number })),
        },
      };
    case 'delivered':
      return {
        ...common,
        status: 'DELIVERED',
        statusName: '送达',
        delivery: {
          method: DELIVERY_METHOD[change.delivery.method],
          recipient: change.delivery.recipient === 'agent' ? 'AGENT' : 'APPLICANT',
          waybillNo: change.delivery.waybillNo,
        },
      };
    case 'materials_supplied':
      return {
        ...common,
        status: 'MATERIALS_SUPPLIED',
        statusName: '容缺补齐',
        materials: change.materials.map((m) => ({ code: m.code, name: m.name })),
      };
  }
}
