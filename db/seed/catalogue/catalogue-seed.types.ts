/**
 * Shape of the service catalogue as it is written down in this folder.
 * The seed (db/seed/seed-catalogue.ts) validates these records before it writes anything.
 */

/** The six zones of §四 of the plan, in the plan's order. */
export type ZoneCode =
  | 'investment'
  | 'business_startup'
  | 'real_estate'
  | 'science_education_culture_health'
  | 'public_security_justice'
  | 'social_security_livelihood';

export interface ZoneSeed {
  code: ZoneCode;
  /** Chinese name as the plan writes it, e.g. 投资项目. */
  name: string;
  /** English name used in docs and for non-Chinese readers. */
  nameEn: string;
  /** 服务内容 of the plan, in Chinese. */
  scope: string;
  /** Position in the plan (1..6). */
  order: number;
  /** Department codes of the zone's 服务单位, in the plan's order. */
  departmentCodes: string[];
}

/** government = an administrative department; enterprise = a public utility or company (water, power, gas, telecoms…). */
export type DepartmentKind = 'government' | 'enterprise';

export interface DepartmentSeed {
  /** Stable code, lower snake case, e.g. `tax`, `public_security`, `power_supply`. */
  code: string;
  /** Chinese name as the plan writes it, e.g. 税务局, 濮阳供电公司. */
  name: string;
  nameEn: string;
  kind: DepartmentKind;
}

/**
 * immediate = 即办件 (decided on the spot), promised = 承诺件, joint = 联办件 (several departments),
 * major_project = 重大项目 (并联审批 under 全程督办).
 */
export type ItemKind = 'immediate' | 'promised' | 'joint' | 'major_project';

/**
 * How the departments of a several-department item work: parallel = 并联 (all at once); sequential =
 * 串联 (each acts on the result of the one before, in the order of `departmentCodes`).
 */
export type Routing = 'parallel' | 'sequential';

export type DeliveryOption = 'pickup' | 'post' | 'electronic';

/** original = 原件, copy = 复印件, original_and_copy = 原件及复印件 (original shown, copy kept). */
export type MaterialForm = 'original' | 'copy' | 'original_and_copy';

export interface MaterialSeed {
  /** Stable within the item: M01, M02, … A changed material keeps its code. */
  code: string;
  /** Chinese name, e.g. 申请人身份证明. */
  name: string;
  required: boolean;
  form: MaterialForm;
  /** Number of sheets/copies to present (份数), at least 1. */
  copies: number;
  /** Accepted as an electronic file. */
  electronicAccepted: boolean;
  /** May be owed under deficiency-tolerant acceptance (容缺受理). Never true for the core material that identifies the applicant. */
  tolerable: boolean;
  /** 审查要点: what the window checks, one point per entry, in Chinese. At least one. */
  reviewPoints: string[];
}

export interface FeeSeed {
  /** Amount in fen (分): 100 = ¥1.00; null when the item is charged but the amount depends on the matter. */
  amountFen: number | null;
  /** Legal basis or description of the charge, in Chinese. */
  basis: string;
}

export interface ServiceItemSeed {
  /** Stable item code, e.g. QYKB-001 (zone prefix + serial). */
  code: string;
  /** Chinese name of the item, e.g. 企业设立登记. */
  name: string;
  zone: ZoneCode;
  /** Owning department codes; the first is the lead department. Joint and major-project items have two or more. */
  departmentCodes: string[];
  kind: ItemKind;
  /** Joint items say how their departments work, as the guide describes it; absent = parallel. */
  routing?: Routing;
  /**
   * Major projects (全程督办): each department's own limit in working days from its handover, by
   * department code; each at most the promised limit.
   */
  stageLimits?: Record<string, number>;
  /** 法定办结时限 in working days; null when the law sets none. 0 for immediate items. */
  statutoryLimitDays: number | null;
  /** 承诺办结时限 in working days; 0 for immediate items; never above the statutory limit. */
  promisedLimitDays: number;
  /** null = free of charge (不收费). */
  fee: FeeSeed | null;
  delivery: DeliveryOption[];
  /** Accepted at the comprehensive window (一窗受理); false = still at the department's own window. */
  comprehensiveWindow: boolean;
  /** Name of the result document or certificate, e.g. 营业执照, 不动产权证书. */
  resultName: string;
  /** 受理条件 / short service-guide text in Chinese. */
  guide: string;
  materials: MaterialSeed[];
}
