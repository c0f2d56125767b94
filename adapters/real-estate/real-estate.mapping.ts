import type {
  CasePackage,
  DeliveryReport,
  DepartmentDecision,
  PackageMaterial,
} from '../kit/adapter-contract.ts';

/** Pure mappings between the hub's model and the 不动产登记中心's (real-estate.department.v2.graphql). */

export type RegistrationType = 'FIRST' | 'TRANSFER' | 'MORTGAGE' | 'INQUIRY' | 'OTHER';
export type RegistrationStatus = 'RECEIVED' | 'REVIEWING' | 'REGISTERED' | 'REJECTED';
export type CertificateKind = 'TITLE_CERTIFICATE' | 'REGISTRATION_PROOF' | 'INQUIRY_RESULT';

/** The registry's `RegistrationInput`. */
export interface RegistrationInput {
  caseRef: string;
  itemCode: string;
  itemName: string;
  type: RegistrationType;
  acceptedOn: string;
  applicant: { name: string; idType: 'CITIZEN_ID' | 'CREDIT_CODE'; idNumber: string };
  materials: MaterialInput[];
  unitNumber: string | null;
}

/** The registry's `MaterialInput`: a material handed in with an application or supplied later. */
export interface MaterialInput {
  code: string;
  name: string;
  medium: 'PAPER' | 'ELECTRONIC';
  copies: number;
  sha256: string | null;
  mediaType: string | null;
}

/** The fields of the registry's `Registration` the adapter reads for decisions. */
export interface RegistrationView {
  id: string;
  caseRef: string;
  itemCode: string;
  status: RegistrationStatus;
  rejectionReasons: string[];
  decidedAt: string | null;
  certificateKind: CertificateKind | null;
  certificateNumber: string | null;
  /** Whom the certificate is made out to, as the registry wrote it (v2). */
  certificateHolder: { name: string; idType: 'CITIZEN_ID' | 'CREDIT_CODE'; idNumber: string } | null;
}

/** The registry's `ResultDeliveryInput`. */
export interface ResultDeliveryInput {
  method: 'PICKUP' | 'POST' | 'ELECTRONIC';
  deliveredAt: string;
  recipient: 'APPLICANT' | 'AGENT';
  waybillNo: string | null;
}

/** The catalogue's registration items and the registry's kind of registration for each. */
const REGISTRATION_TYPES: Record<string, RegistrationType> = {
  'BDC-001': 'FIRST',
  'BDC-002': 'TRANSFER',
  'BDC-003': 'MORTGAGE',
  'BDC-004': 'INQUIRY',
};

/** Names of what the registry issues, as the hall hands them out (the catalogue's result names). */
export const CERTIFICATE_NAMES: Record<CertificateKind, string> = {
  TITLE_CERTIFICATE: '不动产权证书',
  REGISTRATION_PROOF: '不动产登记证明',
  INQUIRY_RESULT: '不动产登记信息查询结果证明',
};

export function registrationTypeOf(itemCode: string): RegistrationType {
  // Items the registry has no procedure of its own for go through its general one.
  return REGISTRATION_TYPES[itemCode] ?? 'OTHER';
}

export function toRegistrationInput(pkg: CasePackage): RegistrationInput {
  return {
    caseRef: pkg.caseNumber,
    itemCode: pkg.itemCode,
    itemName: pkg.itemName,
    type: registrationTypeOf(pkg.itemCode),
    acceptedOn: pkg.acceptedOn,
    applicant: {
      name: pkg.applicant.name,
      idType: pkg.applicant.idType === 'citizen_id' ? 'CITIZEN_ID' : 'CREDIT_CODE',
      idNumber: pkg.applicant.idNumber,
    },
    materials: toMaterialInputs(pkg.materials),
    // The hall does not record the 不动产单元号 yet; the registry then finds the property by its 权利人.
    unitNumber: null,
  };
}

/** Materials in the registry's terms, for a submission or a supplement (容缺补交). */
export function toMaterialInputs(materials: PackageMaterial[]): MaterialInput[] {
  return materials.map((m) => ({
    code: m.code,
    name: m.name,
    medium: m.medium === 'paper' ? 'PAPER' : 'ELECTRONIC',
    copies: m.copies,
    sha256: m.sha256,
    mediaType: m.mediaType,
  }));
}

export function fromRegistration(view: RegistrationView): DepartmentDecision {
  const base = { departmentRef: view.id, caseNumber: view.caseRef };
  switch (view.status) {
    case 'REGISTERED':
      return {
        ...base,
        outcome: 'approved',
        reasons: [],
        decidedAt: view.decidedAt,
        result: view.certificateNumber
          ? {
              name: CERTIFICATE_NAMES[view.certificateKind ?? 'TITLE_CERTIFICATE'],
              number: view.certificateNumber,
              itemCode: view.itemCode,
              ...(view.certificateHolder
                ? { holder: { name: view.certificateHolder.name, idNumber: view.certificateHolder.idNumber } }
                : {}),
            }
          : null,
      };
    case 'REJECTED':
      return {
        ...base,
        outcome: 'rejected',
        reasons: view.rejectionReasons,
        decidedAt: view.decidedAt,
        result: null,
      };
    case 'RECEIVED':
    case 'REVIEWING':
      return { ...base, outcome: 'in_review', reasons: [], decidedAt: null, result: null };
  }
}

export function toResultDelivery(report: DeliveryReport): ResultDeliveryInput {
  return {
    method: report.method === 'pickup' ? 'PICKUP' : report.method === 'post' ? 'POST' : 'ELECTRONIC',
    deliveredAt: report.deliveredAt,
    recipient: report.recipient === 'applicant' ? 'APPLICANT' : 'AGENT',
    waybillNo: report.waybillNo,
  };
}

/**
 * The registry's type names in the one schema: department-owned types carry the RealEstate prefix,
 * and the per-case answer of `registrationsByCaseRefs` becomes the hub's Case (merged by number).
 */
export const HUB_TYPE_NAMES: Record<string, string> = {
  CaseRegistration: 'Case',
  Registration: 'RealEstateRegistration',
  RegistrationType: 'RealEstateRegistrationType',
  RegistrationStatus: 'RealEstateRegistrationStatus',
  CertificateKind: 'RealEstateCertificateKind',
  Property: 'RealEstateProperty',
  PropertyUse: 'RealEstatePropertyUse',
};

/** Field names that change with the type: the case reference is the hub's case number. */
export const HUB_FIELD_NAMES: Record<string, Record<string, string>> = {
  Case: { caseRef: 'number', registration: 'realEstateRegistration' },
};
