import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import {
  buildSchema,
  type DocumentNode,
  execute,
  GraphQLError,
  type GraphQLFormattedError,
  getOperationAST,
  Kind,
  parse,
  validate,
} from 'graphql';
import type { RunningSimulator, SimulatorFaults, SimulatorFeedback } from '../kit/adapter-contract.ts';
import { listenOnLoopback } from '../kit/simulator-server.ts';
import type { CertificateKind, RegistrationStatus, RegistrationType } from './real-estate.mapping.ts';

/** The registry's own schema, which the simulator serves as it is (the current version). */
export const DEPARTMENT_SDL_FILE = path.join(import.meta.dirname, 'real-estate.department.v2.graphql');
/** The registry's first version: v2 only adds to it, so callers of v1 keep working (tested). */
export const DEPARTMENT_SDL_V1_FILE = path.join(import.meta.dirname, 'real-estate.department.v1.graphql');

export interface RealEstateSimulatorMode extends SimulatorFaults {
  /** Time a registration waits as RECEIVED before a reviewer takes it up (→ REVIEWING). */
  queueMs: number;
  /** Time it stays in REVIEWING before the decision; 0 decides it the moment it is taken up. */
  reviewMs: number;
  /** Item codes the registry refuses on review (REJECTED with its reason). */
  rejectItems: string[];
}

const DEFAULT_MODE: RealEstateSimulatorMode = {
  latencyMs: 0,
  down: false,
  hang: false,
  malformed: false,
  rejectSubmissions: false,
  misattributeResults: false,
  queueMs: 20,
  reviewMs: 0,
  rejectItems: [],
};

type IdType = 'CITIZEN_ID' | 'CREDIT_CODE';
type PropertyUse = 'RESIDENTIAL' | 'COMMERCIAL' | 'OFFICE' | 'INDUSTRIAL' | 'OTHER';

interface StoredProperty {
  unitNumber: string;
  certificateNumber: string | null;
  location: string;
  use: PropertyUse;
  rightType: string;
  floorArea: number;
  landArea: number;
  owners: { name: string; idType: IdType; idNumber: string; share: string }[];
  mortgages: { mortgagee: string; amountYuan: number; proofNumber: string; registeredOn: string }[];
  seizures: { authority: string; documentNumber: string; from: string; until: string }[];
}

interface Party {
  name: string;
  idType: IdType;
  idNumber: string;
}

type DeliveryMethod = 'PICKUP' | 'POST' | 'ELECTRONIC';
type DeliveryRecipient = 'APPLICANT' | 'AGENT';

export interface StoredRegistration {
  id: string;
  idempotencyKey: string;
  inputHash: string;
  caseRef: string;
  itemCode: string;
  applicant: Party;
  type: RegistrationType;
  status: RegistrationStatus;
  receivedAt: string;
  decidedAt: string | null;
  rejectionReasons: string[];
  certificateKind: CertificateKind | null;
  certificateNumber: string | null;
  /** Whom the certificate is made out to, as the registry wrote it. */
  certificateHolder: Party | null;
  unitNumber: string | null;
  sequence: number;
  /** The hall's refusal of a result, kept once. */
  refusal: { reasons: string[]; at: string } | null;
  /** The hall's delivery report, kept once. */
  delivery: {
    method: DeliveryMethod;
    deliveredAt: string;
    recipient: DeliveryRecipient;
    waybillNo: string | null;
  } | null;
  /** Owed materials the hall supplied since acceptance (容缺补交), one entry per idempotency key. */
  supplements: StoredSupplement[];
}

/** Materials supplied after acceptance, as the registry filed them (补正收件). */
export interface StoredSupplement {
  supplementId: string;
  registrationId: string;
  idempotencyKey: string;
  inputHash: string;
  materialCodes: string[];
  receivedAt: string;
}

export interface RunningRealEstateSimulator extends RunningSimulator {
  mode: RealEstateSimulatorMode;
  setMode(mode: Partial<RealEstateSimulatorMode>): void;
  /** Registrations held, one per idempotency key. */
  registrations(): StoredRegistration[];
  feedback(): SimulatorFeedback;
  supplements(): { departmentRef: string; idempotencyKey: string; materialCodes: string[] }[];
}

/** The registry's `MaterialInput`, as GraphQL coerced it. */
interface MaterialArgs {
  code: string;
  name: string;
  medium: string;
  copies: number;
  sha256?: string | null;
  mediaType?: string | null;
}

interface SubmitArgs {
  input: {
    caseRef: string;
    itemCode: string;
    itemName: string;
    type: RegistrationType;
    acceptedOn: string;
    applicant: { name: string; idType: IdType; idNumber: string };
    materials: MaterialArgs[];
    unitNumber?: string | null;
  };
  idempotencyKey: string;
}

/** A GraphQL-over-HTTP request body, unchecked. */
type GraphQLRequestBody = { query?: unknown; variables?: unknown; operationName?: unknown };

const ROADS = ['人民路', '胜利路', '中原路', '京开大道', '黄河路', '长庆路', '建设路', '华龙路'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄'];
const GIVEN = ['建国', '秀英', '志强', '丽华', '海涛', '桂兰', '文博', '雪梅'];
const ID_NUMBER = /^[0-9A-Z]{17}[0-9A-Z]$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_BATCH = 200;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Formats an instant as its Beijing date, YYYY-MM-DD (made once: a formatter is costly to build). */
const BEIJING_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' });

/** China date of an instant, YYYY-MM-DD (the registry works on Beijing time). */
function chinaDay(at: Date): string {
  return BEIJING_DAY.format(at);
}

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

const CHECK_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/**
 * Someone other than the applicant (for the misattributeResults fault): another name and another
 * citizen ID number with a valid GB 11643 check character, stable per applicant.
 */
function someoneElse(applicant: Party): Party {
  const d = createHash('sha256').update(`bdc:misattributed:${applicant.idNumber}`).digest();
  let name = `${SURNAMES[d[0]! % 8]}${GIVEN[d[1]! % 8]}`;
  if (name === applicant.name) name = `${SURNAMES[(d[0]! + 1) % 8]}${GIVEN[d[1]! % 8]}`;
  for (let n = 0; ; n++) {
    const birth = `${1950 + (d[2]! % 50)}${pad(1 + (d[3]! % 12), 2)}${pad(1 + (d[4]! % 28), 2)}`;
    const first17 = `410922${birth}${pad((d[5]! * 13 + n) % 1000, 3)}`;
    const sum = [...first17].reduce((total, digit, i) => total + Number(digit) * CHECK_WEIGHTS[i]!, 0);
    const idNumber = first17 + '10X98765432'[sum % 11]!;
    if (idNumber !== applicant.idNumber) return { name, idType: 'CITIZEN_ID', idNumber };
  }
}

/**
 * A 不动产登记中心 registration system of our own, for development, the demo and tests: its own GraphQL
 * API (real-estate.department.v2.graphql, served as it is) over POST /graphql, its own identifiers
 * (登记业务号, 不动产单元号, 不动产权证书号), submissions applied once per idempotency key, and an
 * asynchronous review whose results are pulled with `registrationsChangedSince`, the hall's
 * feedback on results (a refused result is voided and decided again; a delivery report is kept), and
 * materials the hall supplies after acceptance (容缺补交), filed once per idempotency key.
 *
 * HTTP status follows the registry's documented rules (see the SDL's schema description): requests it
 * cannot run and applications it refuses as invalid are HTTP 400 with a GraphQL errors body — unlike a
 * plain GraphQL server, which answers execution errors with 200 — so that callers treat them as final;
 * an idempotency-key conflict stays a 200 with `extensions.code = "CONFLICT"`.
 */
export async function startRealEstateSimulator(
  options: { port?: number; mode?: Partial<RealEstateSimulatorMode> } = {},
): Promise<RunningRealEstateSimulator> {
  const mode: RealEstateSimulatorMode = { ...DEFAULT_MODE, ...options.mode };
  const schema = buildSchema(readFileSync(DEPARTMENT_SDL_FILE, 'utf8'));
  const properties = new Map<string, StoredProperty>();
  const byCertificate = new Map<string, string>();
  const holdings = new Map<string, string[]>();
  const byKey = new Map<string, StoredRegistration>();
  const byId = new Map<string, StoredRegistration>();
  const latestByCase = new Map<string, StoredRegistration>();
  const supplementsByKey = new Map<string, StoredSupplement>();
  const calls: Record<string, number> = {};
  const timers = new Set<NodeJS.Timeout>();
  let sequence = 0;
  let serial = 0;
  let supplementSerial = 0;
  let titleSerial = 12_000;
  let proofSerial = 3000;
  let inquirySerial = 0;
  let newUnits = 0;

  function addProperty(property: StoredProperty) {
    properties.set(property.unitNumber, property);
    if (property.certificateNumber) byCertificate.set(property.certificateNumber, property.unitNumber);
    for (const owner of property.owners) {
      const held = holdings.get(owner.idNumber) ?? [];
      if (!held.includes(property.unitNumber)) held.push(property.unitNumber);
      holdings.set(owner.idNumber, held);
    }
  }

  /**
   * What the register holds for a right holder. The simulated register is derived from the identity
   * number (one or two properties each, some mortgaged, a few seized), so answers are stable across runs.
   */
  function holdingsOf(idNumber: string, name?: string): StoredProperty[] {
    if (!holdings.has(idNumber)) {
      const digest = createHash('sha256').update(`bdc:${idNumber}`).digest();
      const ownerName = name ?? `${SURNAMES[digest[20]! % 8]}${GIVEN[digest[21]! % 8]}`;
      const idType: IdType = /^\d{17}[\dX]$/.test(idNumber) ? 'CITIZEN_ID' : 'CREDIT_CODE';
      holdings.set(idNumber, []);
      for (let i = 0; i < 1 + (digest[0]! % 2); i++) {
        const b = (k: number) => digest[(i * 8 + k) % 32]!;
        const year = 2015 + (b(1) % 11);
        const building = 1 + (b(2) % 20);
        const floorArea = Math.round((60 + (b(3) % 120) + b(4) / 256) * 100) / 100;
        addProperty({
          unitNumber: `410902${pad(b(5) % 100, 3)}${pad(b(6) % 100, 3)}GB${pad(b(7) * 37 + i, 5)}F${pad(building, 4)}${pad(100 + b(8), 4)}`,
          certificateNumber: `豫(${year})濮阳市不动产权第${pad((b(9) * 65_536 + b(10) * 256 + b(11)) % 10_000_000, 7)}号`,
          location: `濮阳市华龙区${ROADS[b(12) % 8]}${1 + (b(13) % 300)}号${building}幢${1 + (b(14) % 3)}单元${1 + (b(15) % 18)}0${1 + (b(16) % 4)}室`,
          use: b(17) % 5 === 0 ? 'COMMERCIAL' : 'RESIDENTIAL',
          rightType: '国有建设用地使用权/房屋所有权',
          floorArea,
          landArea: Math.round(floorArea * 18) / 100,
          owners: [{ name: ownerName, idType, idNumber, share: '单独所有' }],
          mortgages:
            b(18) % 4 === 0
              ? [
                  {
                    mortgagee: '中国建设银行股份有限公司濮阳分行',
                    amountYuan: 100_000 * (1 + (b(19) % 8)),
                    proofNumber: `豫(${year})濮阳市不动产证明第${pad(b(22) * 256 + b(23), 7)}号`,
                    registeredOn: `${year}-0${1 + (b(24) % 9)}-1${b(25) % 10}`,
                  },
                ]
              : [],
          seizures:
            b(26) % 10 === 1
              ? [
                  {
                    authority: '濮阳市华龙区人民法院',
                    documentNumber: `(2025)豫0902执${1000 + b(27)}号`,
                    from: '2025-06-01',
                    until: '2028-05-31',
                  },
                ]
              : [],
        });
      }
    }
    return (holdings.get(idNumber) ?? []).map((unit) => properties.get(unit)!);
  }

  /** A first registration creates its unit in the register, without a certificate until registered. */
  function newUnitFor(applicant: SubmitArgs['input']['applicant']): StoredProperty {
    const n = ++newUnits;
    const property: StoredProperty = {
      unitNumber: `410902005012GB${pad(30_000 + n, 5)}F${pad(1 + (n % 30), 4)}${pad(n, 4)}`,
      certificateNumber: null,
      location: `濮阳市华龙区${ROADS[n % 8]}${100 + n}号${1 + (n % 30)}幢1单元${pad(n % 100, 2)}01室`,
      use: 'RESIDENTIAL',
      rightType: '国有建设用地使用权/房屋所有权',
      floorArea: 89.5,
      landArea: 16.11,
      owners: [{ ...applicant, share: '单独所有' }],
      mortgages: [],
      seizures: [],
    };
    addProperty(property);
    return property;
  }

  function propertyView(property: StoredProperty) {
    const today = chinaDay(new Date());
    return {
      ...property,
      mortgaged: property.mortgages.length > 0,
      seized: property.seizures.some((s) => s.from <= today && today <= s.until),
    };
  }

  function registrationView(r: StoredRegistration) {
    const property = r.unitNumber ? properties.get(r.unitNumber) : undefined;
    return {
      id: r.id,
      caseRef: r.caseRef,
      type: r.type,
      status: r.status,
      itemCode: r.itemCode,
      receivedAt: r.receivedAt,
      decidedAt: r.decidedAt,
      rejectionReasons: r.rejectionReasons,
      certificateKind: r.certificateKind,
      certificateNumber: r.certificateNumber,
      certificateHolder: r.certificateHolder,
      property: property ? propertyView(property) : null,
      sequence: r.sequence,
    };
  }

  function later(ms: number, step: () => void) {
    const timer = setTimeout(() => {
      timers.delete(timer);
      step();
    }, ms);
    timers.add(timer);
  }

  function decide(r: StoredRegistration) {
    const property = r.unitNumber ? properties.get(r.unitNumber) : undefined;
    const now = new Date();
    const year = chinaDay(now).slice(0, 4);
    const seized = property ? propertyView(property).seized : false;
    if (mode.rejectItems.includes(r.itemCode)) {
      r.status = 'REJECTED';
      r.rejectionReasons = ['申请登记的不动产存在尚未解决的权属争议，不予登记'];
    } else if ((r.type === 'TRANSFER' || r.type === 'MORTGAGE') && seized) {
      r.status = 'REJECTED';
      r.rejectionReasons = ['该不动产已被查封，查封期间不予办理转移登记、抵押登记'];
    } else {
      r.status = 'REGISTERED';
      if (r.type === 'MORTGAGE') {
        r.certificateKind = 'REGISTRATION_PROOF';
        r.certificateNumber = `豫(${year})濮阳市不动产证明第${pad(++proofSerial, 7)}号`;
        property?.mortgages.push({
          mortgagee: '中国工商银行股份有限公司濮阳分行',
          amountYuan: 500_000,
          proofNumber: r.certificateNumber,
          registeredOn: chinaDay(now),
        });
      } else if (r.type === 'INQUIRY') {
        r.certificateKind = 'INQUIRY_RESULT';
        r.certificateNumber = `濮不动产查字〔${year}〕第${pad(++inquirySerial, 6)}号`;
      } else {
        r.certificateKind = 'TITLE_CERTIFICATE';
        r.certificateNumber = `豫(${year})濮阳市不动产权第${pad(++titleSerial, 7)}号`;
        if (property) {
          if (property.certificateNumber) byCertificate.delete(property.certificateNumber);
          property.certificateNumber = r.certificateNumber;
          byCertificate.set(r.certificateNumber, property.unitNumber);
        }
      }
    }
    // A refused result is corrected: from then on the registration is made out to its applicant.
    r.certificateHolder =
      r.status !== 'REGISTERED'
        ? null
        : mode.misattributeResults && !r.refusal
          ? someoneElse(r.applicant)
          : { ...r.applicant };
    r.decidedAt = now.toISOString();
    r.sequence = ++sequence;
  }

  function scheduleReview(r: StoredRegistration) {
    later(mode.queueMs, () => {
      r.status = 'REVIEWING';
      r.sequence = ++sequence;
      if (mode.reviewMs > 0) later(mode.reviewMs, () => decide(r));
      else decide(r);
    });
  }

  function submitRegistration({ input, idempotencyKey }: SubmitArgs) {
    if (mode.rejectSubmissions) {
      throw badInput('申请材料不符合要求：申请人身份证明与不动产登记簿记载的权利人不一致');
    }
    const problems: string[] = [];
    if (!idempotencyKey.trim() || idempotencyKey.length > 200) problems.push('idempotencyKey');
    if (!input.caseRef.trim() || input.caseRef.length > 64) problems.push('input.caseRef');
    if (!ISO_DATE.test(input.acceptedOn)) problems.push('input.acceptedOn');
    if (!input.applicant.name.trim()) problems.push('input.applicant.name');
    if (!ID_NUMBER.test(input.applicant.idNumber)) problems.push('input.applicant.idNumber');
    if (input.materials.length > 100) problems.push('input.materials');
    if (problems.length > 0) throw badInput(`申请信息不完整或格式不正确：${problems.join('、')}`);
    // Hash a canonical form, so an omitted optional field and an explicit null are the same application.
    const canonical = { ...input, unitNumber: input.unitNumber ?? null };
    const inputHash = createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
    const existing = byKey.get(idempotencyKey);
    if (existing) {
      if (existing.inputHash !== inputHash) {
        throw new GraphQLError(
          '该幂等键已用于另一份申请 (idempotency key already used for a different application)',
          {
            extensions: { code: 'CONFLICT' },
          },
        );
      }
      return { registration: registrationView(existing), replayed: true };
    }
    let unitNumber: string | null = null;
    if (input.unitNumber) {
      if (!properties.has(input.unitNumber)) throw badInput(`不动产单元号 ${input.unitNumber} 不在登记簿中`);
      unitNumber = input.unitNumber;
    } else if (input.type === 'FIRST') {
      unitNumber = newUnitFor(input.applicant).unitNumber;
    } else {
      unitNumber = holdingsOf(input.applicant.idNumber, input.applicant.name)[0]?.unitNumber ?? null;
    }
    const now = new Date();
    const stored: StoredRegistration = {
      id: `DJ${chinaDay(now).replaceAll('-', '')}${pad(++serial, 6)}`,
      idempotencyKey,
      inputHash,
      caseRef: input.caseRef,
      itemCode: input.itemCode,
      applicant: {
        name: input.applicant.name,
        idType: input.applicant.idType,
        idNumber: input.applicant.idNumber,
      },
      type: input.type,
      status: 'RECEIVED',
      receivedAt: now.toISOString(),
      decidedAt: null,
      rejectionReasons: [],
      certificateKind: null,
      certificateNumber: null,
      certificateHolder: null,
      unitNumber,
      sequence: ++sequence,
      refusal: null,
      delivery: null,
      supplements: [],
    };
    byKey.set(idempotencyKey, stored);
    byId.set(stored.id, stored);
    latestByCase.set(stored.caseRef, stored);
    scheduleReview(stored);
    return { registration: registrationView(stored), replayed: false };
  }

  /** The registration a refusal or delivery report names; only one with an issued result takes a new one. */
  function registrationFor(registrationId: string): StoredRegistration {
    const found = byId.get(registrationId);
    if (!found) throw badInput(`登记业务号 ${registrationId.slice(0, 40)} 不存在`);
    return found;
  }

  const issued = (r: StoredRegistration) => r.status === 'REGISTERED' && r.certificateNumber !== null;

  /**
   * The hall refuses the result: it is voided and the registration goes back to review, to be decided
   * again under a new number (the change feed shows both steps). Once per registration.
   */
  function refuseRegistrationResult({
    registrationId,
    reasons,
  }: {
    registrationId: string;
    reasons: string[];
  }) {
    const r = registrationFor(registrationId);
    if (reasons.length === 0 || reasons.length > 20 || reasons.some((reason) => !reason.trim()))
      throw badInput('退回理由须为1至20条');
    if (r.refusal) return { registration: registrationView(r), replayed: true };
    if (!issued(r)) throw badInput('该登记尚未出具结果，不能退回');
    const property = r.unitNumber ? properties.get(r.unitNumber) : undefined;
    // A voided registration proof leaves the register; a title certificate is replaced on re-registration.
    if (property && r.certificateKind === 'REGISTRATION_PROOF')
      property.mortgages = property.mortgages.filter((m) => m.proofNumber !== r.certificateNumber);
    r.refusal = { reasons: [...reasons], at: new Date().toISOString() };
    r.status = 'REVIEWING';
    r.decidedAt = null;
    r.certificateKind = null;
    r.certificateNumber = null;
    r.certificateHolder = null;
    r.sequence = ++sequence;
    later(mode.reviewMs, () => decide(r));
    return { registration: registrationView(r), replayed: false };
  }

  function reportResultDelivery({
    registrationId,
    delivery,
  }: {
    registrationId: string;
    delivery: {
      method: DeliveryMethod;
      deliveredAt: string;
      recipient: DeliveryRecipient;
      waybillNo?: string | null;
    };
  }) {
    const r = registrationFor(registrationId);
    const problems: string[] = [];
    if (Number.isNaN(Date.parse(delivery.deliveredAt))) problems.push('delivery.deliveredAt');
    const waybillNo = delivery.waybillNo?.trim() || null;
    if (delivery.method === 'POST' && !waybillNo) problems.push('delivery.waybillNo');
    if (problems.length > 0) throw badInput(`送达信息不完整或格式不正确：${problems.join('、')}`);
    if (r.delivery) return { registration: registrationView(r), replayed: true };
    if (!issued(r)) throw badInput('该登记尚未出具结果，无送达可反馈');
    r.delivery = {
      method: delivery.method,
      deliveredAt: delivery.deliveredAt,
      recipient: delivery.recipient,
      waybillNo,
    };
    return { registration: registrationView(r), replayed: false };
  }

  function supplementReceipt(s: StoredSupplement, replayed: boolean) {
    return {
      supplementId: s.supplementId,
      registration: registrationView(byId.get(s.registrationId)!),
      materialCodes: [...s.materialCodes],
      replayed,
    };
  }

  /**
   * The hall supplies materials owed at acceptance (容缺补交): filed with the registration whatever its
   * status, once per idempotency key; the key with other materials or for another registration is a CONFLICT.
   */
  function supplyRegistrationMaterials({
    registrationId,
    materials,
    idempotencyKey,
  }: {
    registrationId: string;
    materials: MaterialArgs[];
    idempotencyKey: string;
  }) {
    const r = registrationFor(registrationId);
    const problems: string[] = [];
    if (!idempotencyKey.trim() || idempotencyKey.length > 200) problems.push('idempotencyKey');
    if (materials.length === 0 || materials.length > 100) problems.push('materials');
    const codes = materials.map((m) => m.code);
    materials.forEach((m, i) => {
      if (!m.code.trim() || codes.indexOf(m.code) !== i) problems.push(`materials[${i}].code`);
      if (!m.name.trim()) problems.push(`materials[${i}].name`);
      if (m.copies < 1) problems.push(`materials[${i}].copies`);
    });
    if (problems.length > 0) throw badInput(`补交材料不完整或格式不正确：${problems.join('、')}`);
    // Canonical form, as for submissions: an omitted optional field and an explicit null are the same.
    const canonical = {
      registrationId: r.id,
      materials: materials.map((m) => ({ ...m, sha256: m.sha256 ?? null, mediaType: m.mediaType ?? null })),
    };
    const inputHash = createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
    const earlier = supplementsByKey.get(idempotencyKey);
    if (earlier) {
      if (earlier.inputHash !== inputHash) {
        throw new GraphQLError(
          '该幂等键已用于另一次材料补交 (idempotency key already used for different materials)',
          { extensions: { code: 'CONFLICT' } },
        );
      }
      return supplementReceipt(earlier, true);
    }
    const now = new Date();
    const supplement: StoredSupplement = {
      supplementId: `BZ${chinaDay(now).replaceAll('-', '')}${pad(++supplementSerial, 6)}`,
      registrationId: r.id,
      idempotencyKey,
      inputHash,
      materialCodes: codes,
      receivedAt: now.toISOString(),
    };
    r.supplements.push(supplement);
    supplementsByKey.set(idempotencyKey, supplement);
    return supplementReceipt(supplement, false);
  }

  const rootValue = {
    property: ({ certificateNumber }: { certificateNumber: string }) => {
      const unit = byCertificate.get(certificateNumber);
      return unit ? propertyView(properties.get(unit)!) : null;
    },
    propertiesByOwners: ({ ownerIdNumbers }: { ownerIdNumbers: string[] }) => {
      if (ownerIdNumbers.length > MAX_BATCH) throw badInput(`至多查询 ${MAX_BATCH} 个权利人`);
      const units = new Set(ownerIdNumbers.flatMap((id) => holdingsOf(id).map((p) => p.unitNumber)));
      return [...units].map((unit) => propertyView(properties.get(unit)!));
    },
    registrationsByCaseRefs: ({ caseRefs }: { caseRefs: string[] }) => {
      if (caseRefs.length > MAX_BATCH) throw badInput(`至多查询 ${MAX_BATCH} 个受理编号`);
      return caseRefs.map((caseRef) => {
        const found = latestByCase.get(caseRef);
        return { caseRef, registration: found ? registrationView(found) : null };
      });
    },
    registration: ({ id }: { id: string }) => {
      const found = byId.get(id);
      return found ? registrationView(found) : null;
    },
    registrationsChangedSince: ({ cursor, first }: { cursor?: string | null; first: number }) => {
      if (cursor != null && !/^\d{1,16}$/.test(cursor)) throw badInput('cursor 无效');
      if (first < 1 || first > 500) throw badInput('first 须在 1 到 500 之间');
      const since = Number(cursor ?? 0);
      // RECEIVED is what the caller was answered on submission; only the registry's own steps are news.
      const changed = [...byId.values()]
        .filter((r) => r.sequence > since && r.status !== 'RECEIVED')
        .sort((a, b) => a.sequence - b.sequence);
      const page = changed.slice(0, first);
      return {
        registrations: page.map(registrationView),
        cursor: String(page.at(-1)?.sequence ?? since),
        hasMore: changed.length > first,
      };
    },
    submitRegistration,
    refuseRegistrationResult,
    reportResultDelivery,
    supplyRegistrationMaterials,
  };

  /**
   * Each distinct document is parsed and validated once, as GraphQL servers keep their documents
   * (a syntax or validation error is kept too: the same text always fails the same way).
   */
  const documents = new Map<string, { document: DocumentNode | null; errors: readonly GraphQLError[] }>();
  function prepare(query: string) {
    let prepared = documents.get(query);
    if (!prepared) {
      try {
        const document = parse(query);
        prepared = { document, errors: validate(schema, document) };
      } catch (error) {
        prepared = { document: null, errors: [error as GraphQLError] };
      }
      if (documents.size >= 500) documents.delete(documents.keys().next().value as string);
      documents.set(query, prepared);
    }
    return prepared;
  }

  /** Counts a request per root field, e.g. `query registrationsByCaseRefs`, so tests can see batching. */
  function count(query: unknown, operationName: unknown) {
    let keys = ['unreadable'];
    const document = typeof query === 'string' ? prepare(query).document : null;
    const operation = document
      ? getOperationAST(document, typeof operationName === 'string' ? operationName : undefined)
      : null;
    if (operation) {
      keys = operation.selectionSet.selections.flatMap((s) =>
        s.kind === Kind.FIELD ? [`${operation.operation} ${s.name.value}`] : [],
      );
    }
    for (const key of keys) calls[key] = (calls[key] ?? 0) + 1;
  }

  const app = express();
  app.disable('x-powered-by');
  app.post('/graphql', express.text({ type: () => true, limit: '1mb' }), async (req, res) => {
    let body: GraphQLRequestBody | null;
    try {
      body = JSON.parse(typeof req.body === 'string' ? req.body : '') as GraphQLRequestBody | null;
    } catch {
      body = null;
    }
    count(body?.query, body?.operationName);
    if (mode.hang) return; // never answers; the client's timeouts must cope
    if (mode.latencyMs > 0) await new Promise((r) => setTimeout(r, mode.latencyMs));
    if (mode.down) {
      res
        .status(503)
        .json({ errors: [{ message: '不动产登记系统维护中 (service temporarily unavailable)' }] });
      return;
    }
    if (mode.malformed) {
      res.status(200).type('application/json').send('{"data": {"submitRegistration": {"registration": ');
      return;
    }
    if (!body || typeof body.query !== 'string') {
      res.status(400).json({ errors: [{ message: 'the body must be JSON with a `query` string' }] });
      return;
    }
    const prepared = prepare(body.query);
    const result =
      prepared.document && prepared.errors.length === 0
        ? await execute({
            schema,
            document: prepared.document,
            rootValue,
            ...(body.variables && typeof body.variables === 'object'
              ? { variableValues: body.variables as Record<string, unknown> }
              : {}),
            ...(typeof body.operationName === 'string' ? { operationName: body.operationName } : {}),
          })
        : { errors: prepared.errors };
    const errors: GraphQLFormattedError[] = (result.errors ?? []).map((e) => e.toJSON());
    // No `data` at all: the request could not run (syntax, unknown field, variables) — a request error.
    const requestError = !('data' in result);
    const invalidInput = errors.some((e) => e.extensions?.code === 'BAD_USER_INPUT');
    if (requestError || invalidInput) {
      res.status(400).json({ errors });
      return;
    }
    res.status(200).json(errors.length > 0 ? { data: result.data, errors } : { data: result.data });
  });
  app.all('/graphql', (_req, res) => {
    res
      .status(405)
      .set('allow', 'POST')
      .json({ errors: [{ message: 'use POST' }] });
  });

  const listening = await listenOnLoopback(app, options.port);
  return {
    url: listening.url,
    mode,
    setMode(next) {
      Object.assign(mode, next);
    },
    setFaults(faults: Partial<SimulatorFaults>) {
      Object.assign(mode, faults);
    },
    registrations: () => [...byKey.values()].map((r) => ({ ...r })),
    submissions: () =>
      [...byKey.values()].map((r) => ({
        idempotencyKey: r.idempotencyKey,
        departmentRef: r.id,
        caseNumber: r.caseRef,
      })),
    calls: () => ({ ...calls }),
    feedback: () => ({
      refusals: [...byId.values()].flatMap((r) =>
        r.refusal ? [{ departmentRef: r.id, reasons: [...r.refusal.reasons] }] : [],
      ),
      deliveries: [...byId.values()].flatMap((r) =>
        r.delivery
          ? [
              {
                departmentRef: r.id,
                method: r.delivery.method.toLowerCase(),
                recipient: r.delivery.recipient.toLowerCase(),
                waybillNo: r.delivery.waybillNo,
              },
            ]
          : [],
      ),
    }),
    supplements: () =>
      [...byId.values()].flatMap((r) =>
        r.supplements.map((s) => ({
          departmentRef: r.id,
          idempotencyKey: s.idempotencyKey,
          materialCodes: [...s.materialCodes],
        })),
      ),
    async close() {
      for (const t of timers) clearTimeout(t);
      await listening.close();
    },
  };
}
