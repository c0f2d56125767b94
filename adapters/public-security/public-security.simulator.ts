import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import type { RunningSimulator, SimulatorFaults, SimulatorFeedback } from '../kit/adapter-contract.ts';
import { listenOnLoopback } from '../kit/simulator-server.ts';
import { signWebhook } from '../kit/webhook-signature.ts';
import { DEVELOPMENT_CALLBACK_SECRET } from './public-security.config.ts';

/**
 * The public security bureau's approval system (公安局审批业务接口), of our own, for development, the
 * demo and tests: SOAP 1.1 at /ws/approval with its WSDL, submissions keyed by an idempotencyKey
 * element, asynchronous review whose progress and decision are PUSHED to the hub as signed callbacks
 * (Standard Webhooks), household registration look-ups for a list of citizens in one call, the
 * window's feedback on results: RefuseResult (reviewed again, a new decision pushed) and ReportDelivery,
 * and SupplyMaterials: materials owed at acceptance (容缺补交), added once per idempotency key.
 *
 * It deliberately shares no code with the adapter's client, so a client bug cannot hide behind it.
 * Client faults (bad input, a refused application) are HTTP 400, Server faults HTTP 500 (503 while
 * down): the hub's kit treats 4xx as permanent and 5xx as transient.
 */
export interface PublicSecuritySimulatorFaults extends SimulatorFaults {
  /** Every SOAP request answered HTTP 500 with a soap:Server fault (the bureau's database is failing). */
  serverFault: boolean;
  /** Every callback is delivered twice (same webhook-id), as after a lost acknowledgement. */
  duplicateCallbacks: boolean;
  /** Progress callbacks are held back until after the decision, so they arrive out of order. */
  outOfOrder: boolean;
  /** Callbacks are signed with the bureau's retired secret, as after a botched key rotation. */
  expiredCredentials: boolean;
}

export interface PublicSecuritySimulatorOptions {
  port?: number;
  /** Review time before a decision is made and pushed. */
  reviewMs?: number;
  /** Item codes the bureau rejects on review. */
  rejectItems?: string[];
  callbackSecret?: string;
  callbackUrl?: string;
  /** Deliveries of one callback before the bureau gives up; retries back off from `callbackRetryMs`. */
  callbackAttempts?: number;
  callbackRetryMs?: number;
  faults?: Partial<PublicSecuritySimulatorFaults>;
}

/** A person or organisation as the bureau records them (证件类型 111/001). */
interface Party {
  idType: '111' | '001';
  idNumber: string;
  name: string;
}

export interface StoredApplication {
  applicationId: string;
  idempotencyKey: string;
  bodyHash: string;
  caseRef: string;
  itemCode: string;
  applicant: Party;
  status: 'RECEIVED' | 'IN_REVIEW' | 'APPROVED' | 'REJECTED';
  reasons: string[];
  /** The decision document issued, made out to its holder as the bureau wrote it. */
  certificate: { name: string; number: string; itemCode: string; holder: Party } | null;
  /** Decisions made so far (a refused result is decided again, under a new number). */
  revision: number;
  decidedAt: string | null;
  sequence: number;
  /** The window's refusal of a result, kept once. */
  refusal: { reasons: string[]; at: string } | null;
  /** The window's delivery report, kept once. */
  delivery: {
    method: 'PICKUP' | 'POST' | 'ELECTRONIC';
    deliveredAt: string;
    recipient: 'APPLICANT' | 'AGENT';
    waybillNo: string | null;
  } | null;
  /** Owed materials the window supplied since acceptance, one entry per idempotency key. */
  supplements: StoredSupplement[];
}

/** A SupplyMaterials the bureau applied (容缺补交). */
export interface StoredSupplement {
  supplementId: string;
  applicationId: string;
  idempotencyKey: string;
  bodyHash: string;
  materialCodes: string[];
  at: string;
}

/** One delivery attempt of a callback, as the bureau logged it. */
export interface CallbackDelivery {
  webhookId: string;
  attempt: number;
  /** The hub's HTTP status, or null when the hub could not be reached. */
  status: number | null;
  types: string[];
  sequences: number[];
  at: string;
}

/** A callback event as the bureau sends it (JSON). */
type CallbackEvent = Record<string, unknown> & { type: string; sequence: number };

export interface RunningPublicSecuritySimulator extends RunningSimulator {
  faults: PublicSecuritySimulatorFaults;
  setFaults(faults: Partial<PublicSecuritySimulatorFaults>): void;
  setCallbackUrl(url: string): void;
  signedCallback: NonNullable<RunningSimulator['signedCallback']>;
  applications(): StoredApplication[];
  /** Every callback delivery attempt, in order. */
  deliveries(): CallbackDelivery[];
  /** Callbacks waiting for a callback URL. */
  pendingCallbacks(): number;
  feedback(): SimulatorFeedback;
  supplements(): { departmentRef: string; idempotencyKey: string; materialCodes: string[] }[];
}

export const SOAP_ENVELOPE_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const APPROVAL_NAMESPACE = 'http://gat.henan.gov.cn/approval/v1';
/** The secret the bureau signed with before rotating (for the expiredCredentials fault). */
const RETIRED_CALLBACK_SECRET = 'public-security-retired-callback-secret';
const OPERATIONS = [
  'SubmitApplication',
  'GetApplicationStatus',
  'QueryHouseholdRegistrations',
  'RefuseResult',
  'ReportDelivery',
  'SupplyMaterials',
] as const;
type Operation = (typeof OPERATIONS)[number];
const WSDL = readFileSync(path.join(import.meta.dirname, 'public-security.wsdl'), 'utf8');
const WSDL_LOCATION = 'http://localhost:8080/ws/approval';

const DEFAULT_FAULTS: PublicSecuritySimulatorFaults = {
  latencyMs: 0,
  down: false,
  hang: false,
  malformed: false,
  rejectSubmissions: false,
  misattributeResults: false,
  serverFault: false,
  duplicateCallbacks: false,
  outOfOrder: false,
  expiredCredentials: false,
};

// ---------------------------------------------------------------------------------------------------
// Household registrations (户籍), deterministic from the identity number so answers are stable.

interface Town {
  name: string;
  station: string;
  roads?: string[];
  villages?: string[];
}

const URBAN_COMMUNITIES = [
  '锦绣家园',
  '开州花园',
  '龙城世家',
  '绿城小区',
  '中原油田职工住宅区',
  '建业森林半岛',
];

const DISTRICTS: Record<string, { name: string; bureau: string; towns: Town[] }> = {
  '410902': {
    name: '华龙区',
    bureau: '濮阳市公安局华龙分局',
    towns: [
      { name: '胜利路街道', station: '胜利路派出所', roads: ['胜利路', '京开大道', '任丘路'] },
      { name: '人民路街道', station: '人民路派出所', roads: ['人民路', '振兴路', '绿城路'] },
      { name: '中原路街道', station: '中原路派出所', roads: ['中原路', '大庆路', '长庆路'] },
      { name: '建设路街道', station: '建设路派出所', roads: ['建设路', '黄河路', '华龙路'] },
      { name: '大庆路街道', station: '大庆路派出所', roads: ['大庆路', '石化路', '历山路'] },
      { name: '孟轲乡', station: '孟轲派出所', villages: ['孟轲村', '东北庄村', '后范庄村'] },
    ],
  },
  '410922': {
    name: '清丰县',
    bureau: '清丰县公安局',
    towns: [
      { name: '城关镇', station: '城关派出所', roads: ['顿丘路', '中州路', '朝阳路'] },
      { name: '韩村镇', station: '韩村派出所', villages: ['韩村', '北留固村'] },
    ],
  },
  '410923': {
    name: '南乐县',
    bureau: '南乐县公安局',
    towns: [
      { name: '城关镇', station: '城关派出所', roads: ['仓颉路', '昌州路'] },
      { name: '元村镇', station: '元村派出所', villages: ['元村', '前韩张村'] },
    ],
  },
  '410926': {
    name: '范县',
    bureau: '范县公安局',
    towns: [{ name: '龙王庄镇', station: '龙王庄派出所', roads: ['板桥路', '新区路'] }],
  },
  '410927': {
    name: '台前县',
    bureau: '台前县公安局',
    towns: [{ name: '城关镇', station: '城关派出所', roads: ['金水路', '将军渡路'] }],
  },
  '410928': {
    name: '濮阳县',
    bureau: '濮阳县公安局',
    towns: [
      { name: '城关镇', station: '城关派出所', roads: ['挥公大道', '红旗路', '澶州路'] },
      { name: '文留镇', station: '文留派出所', villages: ['文留村', '胡状村'] },
    ],
  },
};

/** Relation to the head of household (与户主关系), weighted roughly as in a real register. */
const RELATIONS: string[] = [
  ...Array<string>(8).fill('户主'),
  ...Array<string>(5).fill('配偶'),
  ...Array<string>(3).fill('子'),
  ...Array<string>(2).fill('女'),
  '母亲',
  '父亲',
];

export type HouseholdAnswer =
  | { idNumber: string; found: false }
  | {
      idNumber: string;
      found: true;
      address: string;
      relationToHead: string;
      policeStation: string;
      status: 'NORMAL' | 'MIGRATED_OUT' | 'DECEASED';
    };

/**
 * The bureau's registration of one person. Only numbers of 濮阳 (region 4109xx) are registered here;
 * unknown county codes fall back to 华龙区. About 1 in 20 is deceased and 1 in 10 has moved out.
 */
export function householdRegistrationOf(idNumber: string): HouseholdAnswer {
  if (!/^4109\d{13}[\dX]$/.test(idNumber)) return { idNumber, found: false };
  const d = createHash('sha256').update(idNumber).digest();
  const district = DISTRICTS[idNumber.slice(0, 6)] ?? DISTRICTS['410902']!;
  const town = district.towns[d[0]! % district.towns.length]!;
  const place = `河南省濮阳市${district.name}${town.name}`;
  const address = town.roads
    ? `${place}${town.roads[d[1]! % town.roads.length]}${(d[2]! % 300) + 1}号` +
      `${URBAN_COMMUNITIES[d[3]! % URBAN_COMMUNITIES.length]}${(d[4]! % 20) + 1}号楼` +
      `${(d[5]! % 4) + 1}单元${(d[6]! % 18) + 1}0${(d[7]! % 4) + 1}室`
    : `${place}${town.villages![d[1]! % town.villages!.length]}${(d[2]! % 200) + 1}号`;
  const roll = d[9]! % 20;
  return {
    idNumber,
    found: true,
    address,
    relationToHead: RELATIONS[d[8]! % RELATIONS.length]!,
    policeStation: `${district.bureau}${town.station}`,
    status: roll === 0 ? 'DECEASED' : roll <= 2 ? 'MIGRATED_OUT' : 'NORMAL',
  };
}

const CHECK_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const OTHER_NAMES = ['王秀兰', '李国强', '张玉梅', '周志刚'];

/**
 * Someone other than the applicant (for the misattributeResults fault): a citizen with another name and
 * another 濮阳 citizen ID number whose GB 11643 check character is valid, stable per applicant.
 */
function someoneElse(applicant: { idNumber: string; name: string }): Party {
  const d = createHash('sha256').update(`misattributed:${applicant.idNumber}`).digest();
  const name = OTHER_NAMES.filter((n) => n !== applicant.name)[d[0]! % 3]!;
  for (let n = 0; ; n++) {
    const birth = `${1955 + (d[1]! % 45)}${String(1 + (d[2]! % 12)).padStart(2, '0')}${String(1 + (d[3]! % 28)).padStart(2, '0')}`;
    const first17 = `410928${birth}${String((d[4]! * 11 + n) % 1000).padStart(3, '0')}`;
    const sum = [...first17].reduce((total, digit, i) => total + Number(digit) * CHECK_WEIGHTS[i]!, 0);
    const idNumber = first17 + '10X98765432'[sum % 11]!;
    if (idNumber !== applicant.idNumber) return { idType: '111', idNumber, name };
  }
}

// ---------------------------------------------------------------------------------------------------
// SOAP on the bureau's side.

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false,
  // Repeated elements of the requests (an applicant's idNumber stays single).
  isArray: (_name, jPath) =>
    String(jPath).endsWith('SubmitApplication.material') ||
    String(jPath).endsWith('QueryHouseholdRegistrations.idNumber') ||
    String(jPath).endsWith('RefuseResult.reason') ||
    String(jPath).endsWith('SupplyMaterials.material'),
});
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_' });

function qualified(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(qualified);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => [`gat:${k}`, qualified(v)]),
  );
}

function soapResponse(operation: Operation, fields: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build({
    'soap:Envelope': {
      '@_xmlns:soap': SOAP_ENVELOPE_NS,
      'soap:Body': {
        [`gat:${operation}Response`]: { '@_xmlns:gat': APPROVAL_NAMESPACE, ...(qualified(fields) as object) },
      },
    },
  })}`;
}

/** A fault is written compactly, without an XML declaration, so that its faultstring comes early. */
function soapFault(code: 'Client' | 'Server', message: string, errorCode: string): string {
  return builder.build({
    'soap:Envelope': {
      '@_xmlns:soap': SOAP_ENVELOPE_NS,
      'soap:Body': {
        'soap:Fault': {
          faultcode: `soap:${code}`,
          faultstring: message,
          detail: { 'gat:ApprovalFault': { '@_xmlns:gat': APPROVAL_NAMESPACE, 'gat:errorCode': errorCode } },
        },
      },
    },
  });
}

class ClientFault extends Error {
  readonly errorCode: string;
  constructor(errorCode: string, message: string) {
    super(message);
    this.errorCode = errorCode;
  }
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/** What is missing or wrong in a list of `Material` elements: 1 to 100, each complete, no code twice. */
function materialProblems(materials: unknown): string[] {
  if (!Array.isArray(materials) || materials.length === 0 || materials.length > 100) return ['material'];
  const codes = new Set<string>();
  return materials.flatMap((value: unknown, i) => {
    const m = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    const at = `material[${i}]`;
    const problems: string[] = [];
    const code = text(m.code);
    if (!code || codes.has(code)) problems.push(`${at}.code`);
    if (code) codes.add(code);
    if (!text(m.name)) problems.push(`${at}.name`);
    if (m.medium !== 'PAPER' && m.medium !== 'ELECTRONIC') problems.push(`${at}.medium`);
    if (!/^[1-9]\d{0,3}$/.test(text(m.copies) ?? '')) problems.push(`${at}.copies`);
    return problems;
  });
}

function operationOf(soapAction: string | undefined): Operation | null {
  const action = (soapAction ?? '').replace(/^"|"$/g, '');
  return OPERATIONS.find((op) => action === `${APPROVAL_NAMESPACE}/${op}`) ?? null;
}

// ---------------------------------------------------------------------------------------------------

export async function startPublicSecuritySimulator(
  options: PublicSecuritySimulatorOptions = {},
): Promise<RunningPublicSecuritySimulator> {
  const faults: PublicSecuritySimulatorFaults = { ...DEFAULT_FAULTS, ...options.faults };
  const reviewMs = options.reviewMs ?? 50;
  const rejectItems = options.rejectItems ?? [];
  const secret = options.callbackSecret ?? DEVELOPMENT_CALLBACK_SECRET;
  const callbackAttempts = options.callbackAttempts ?? 5;
  const callbackRetryMs = options.callbackRetryMs ?? 200;
  let callbackUrl: string | null = options.callbackUrl ?? null;
  const byKey = new Map<string, StoredApplication>();
  const byId = new Map<string, StoredApplication>();
  const supplementsByKey = new Map<string, StoredSupplement>();
  const calls: Record<string, number> = {};
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<AbortController>();
  const outbox: { webhookId: string; events: CallbackEvent[] }[] = [];
  const deliveries: CallbackDelivery[] = [];
  let serial = 0;
  let supplementSerial = 0;
  let sequence = 0;
  let closed = false;

  const later = (ms: number, fn: () => void) => {
    if (closed) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  // --- callbacks -----------------------------------------------------------------------------------

  const sign = (webhookId: string, body: string, key: string) => {
    const timestamp = Math.floor(Date.now() / 1000);
    return {
      'content-type': 'application/json',
      'user-agent': 'GAT-Approval-Notifier/1.0',
      'webhook-id': webhookId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook(key, webhookId, timestamp, body),
    };
  };

  const post = async (url: string, webhookId: string, body: string): Promise<number | null> => {
    const controller = new AbortController();
    inFlight.add(controller);
    try {
      const key = faults.expiredCredentials ? RETIRED_CALLBACK_SECRET : secret;
      const response = await fetch(url, {
        method: 'POST',
        headers: sign(webhookId, body, key),
        body,
        signal: controller.signal,
      });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return null;
    } finally {
      inFlight.delete(controller);
    }
  };

  /** Delivers one callback; every attempt is freshly signed and keeps its webhook-id, as the standard asks. */
  const deliver = async (callback: { webhookId: string; events: CallbackEvent[] }, attempt: number) => {
    if (closed || !callbackUrl) return;
    const body = JSON.stringify({ events: callback.events });
    let ok = false;
    for (let copy = 0; copy < (faults.duplicateCallbacks ? 2 : 1); copy++) {
      const status = await post(callbackUrl, callback.webhookId, body);
      if (closed) return;
      deliveries.push({
        webhookId: callback.webhookId,
        attempt,
        status,
        types: callback.events.map((e) => e.type),
        sequences: callback.events.map((e) => e.sequence),
        at: new Date().toISOString(),
      });
      ok ||= status !== null && status >= 200 && status < 300;
    }
    if (!ok && attempt < callbackAttempts)
      later(callbackRetryMs * 2 ** (attempt - 1), () => void deliver(callback, attempt + 1));
  };

  const dispatch = (callback: { webhookId: string; events: CallbackEvent[] }) => {
    const held = faults.outOfOrder && callback.events.every((e) => e.type !== 'decision');
    later(held ? reviewMs * 2 + 100 : 0, () => void deliver(callback, 1));
  };

  const push = (events: CallbackEvent[]) => {
    const callback = { webhookId: `msg_${randomBytes(12).toString('hex')}`, events };
    // Without a URL the bureau keeps its notices until the hub tells it where to send them.
    if (callbackUrl) dispatch(callback);
    else outbox.push(callback);
  };

  const decisionEvent = (a: StoredApplication): CallbackEvent => ({
    type: 'decision',
    applicationId: a.applicationId,
    caseRef: a.caseRef,
    status: a.status === 'APPROVED' ? 'approved' : 'rejected',
    reasons: a.reasons,
    certificate: a.certificate,
    sequence: a.sequence,
    occurredAt: a.decidedAt ?? new Date().toISOString(),
  });

  // --- review --------------------------------------------------------------------------------------

  const progress = (stored: StoredApplication, stage: string) => {
    stored.status = 'IN_REVIEW';
    stored.sequence = ++sequence;
    push([
      {
        type: 'progress',
        applicationId: stored.applicationId,
        caseRef: stored.caseRef,
        stage,
        sequence: stored.sequence,
        occurredAt: new Date().toISOString(),
      },
    ]);
  };

  const decide = (stored: StoredApplication) => {
    const { applicant } = stored;
    const household = applicant.idType === '111' ? householdRegistrationOf(applicant.idNumber) : null;
    const reasons = rejectItems.includes(stored.itemCode)
      ? ['经审查，申请事项不符合法定条件，不予许可']
      : household?.found && household.status === 'DECEASED'
        ? ['申请人户口已因死亡注销，不予办理']
        : [];
    stored.revision += 1;
    stored.status = reasons.length > 0 ? 'REJECTED' : 'APPROVED';
    stored.reasons = reasons;
    // A refused result is corrected: from then on the application is made out to its applicant.
    const holder = faults.misattributeResults && !stored.refusal ? someoneElse(applicant) : { ...applicant };
    stored.certificate =
      reasons.length > 0
        ? null
        : {
            name: '准予行政许可决定书',
            number: `濮公许准字〔${new Date().getFullYear()}〕${stored.applicationId.slice(-6)}${stored.revision > 1 ? `-${stored.revision}` : ''}号`,
            itemCode: stored.itemCode,
            holder,
          };
    stored.decidedAt = new Date().toISOString();
    stored.sequence = ++sequence;
    push([decisionEvent(stored)]);
  };

  const review = (stored: StoredApplication) => {
    later(0, () => progress(stored, '审核中'));
    later(reviewMs, () => decide(stored));
  };

  // --- operations ----------------------------------------------------------------------------------

  const submitApplication = (request: Record<string, unknown>) => {
    if (faults.rejectSubmissions)
      throw new ClientFault('E_REJECTED', '申请材料不符合要求：申请人身份信息与人口信息系统登记不一致');
    const applicant = (request.applicant ?? {}) as Record<string, unknown>;
    const missing = ['idempotencyKey', 'caseRef', 'itemCode', 'itemName', 'acceptedOn'].filter(
      (f) => !text(request[f]),
    );
    if (!text(applicant.idNumber)) missing.push('applicant.idNumber');
    if (!text(applicant.name)) missing.push('applicant.name');
    if (applicant.idType !== '111' && applicant.idType !== '001') missing.push('applicant.idType');
    if (missing.length > 0) throw new ClientFault('E_INVALID', `缺少或错误的必填项：${missing.join('、')}`);
    const key = request.idempotencyKey as string;
    const bodyHash = createHash('sha256').update(JSON.stringify(request)).digest('hex');
    const existing = byKey.get(key);
    if (existing) {
      if (existing.bodyHash !== bodyHash)
        throw new ClientFault('E_IDEMPOTENCY_CONFLICT', '幂等键已用于另一份申请，不能重复使用');
      return { applicationId: existing.applicationId, status: existing.status, replayed: true };
    }
    const day = new Date().toISOString().slice(0, 10).replaceAll('-', '');
    const stored: StoredApplication = {
      applicationId: `GA${day}${String(++serial).padStart(6, '0')}`,
      idempotencyKey: key,
      bodyHash,
      caseRef: request.caseRef as string,
      itemCode: request.itemCode as string,
      applicant: {
        idType: applicant.idType as Party['idType'],
        idNumber: applicant.idNumber as string,
        name: applicant.name as string,
      },
      status: 'RECEIVED',
      reasons: [],
      certificate: null,
      revision: 0,
      decidedAt: null,
      sequence: ++sequence,
      refusal: null,
      delivery: null,
      supplements: [],
    };
    byKey.set(key, stored);
    byId.set(stored.applicationId, stored);
    review(stored);
    return { applicationId: stored.applicationId, status: stored.status, replayed: false };
  };

  const getApplicationStatus = (request: Record<string, unknown>) => {
    const stored = byId.get(text(request.applicationId) ?? '');
    if (!stored) throw new ClientFault('E_NOT_FOUND', '查无此申请');
    return {
      applicationId: stored.applicationId,
      caseRef: stored.caseRef,
      status: stored.status,
      reason: stored.reasons,
      decidedAt: stored.decidedAt,
      certificate: stored.certificate,
      sequence: stored.sequence,
    };
  };

  const queryHouseholdRegistrations = (request: Record<string, unknown>) => {
    const ids = request.idNumber;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > 200 || ids.some((id) => !text(id)))
      throw new ClientFault('E_INVALID', '每次须查询1至200个公民身份号码');
    return {
      registration: (ids as string[]).map((id) => {
        const answer = householdRegistrationOf(id);
        return { ...answer, found: String(answer.found) };
      }),
    };
  };

  /** The application a RefuseResult, ReportDelivery or SupplyMaterials names, checked against its case reference. */
  const applicationOf = (request: Record<string, unknown>): StoredApplication => {
    const stored = byId.get(text(request.applicationId) ?? '');
    if (!stored) throw new ClientFault('E_NOT_FOUND', '查无此申请');
    if (text(request.caseRef) !== stored.caseRef) throw new ClientFault('E_INVALID', '受理编号与申请不符');
    return stored;
  };

  /** One refusal per application: the first sends it back to review; a repeat changes nothing. */
  const refuseResult = (request: Record<string, unknown>) => {
    const stored = applicationOf(request);
    const reasons = request.reason;
    if (
      !Array.isArray(reasons) ||
      reasons.length === 0 ||
      reasons.length > 20 ||
      reasons.some((r) => !text(r))
    )
      throw new ClientFault('E_INVALID', '退回理由须为1至20条');
    if (stored.refusal) return { applicationId: stored.applicationId, status: stored.status, replayed: true };
    if (stored.status !== 'APPROVED' || !stored.certificate)
      throw new ClientFault('E_NO_RESULT', '该申请尚未出具办理结果，不能退回');
    stored.refusal = { reasons: reasons as string[], at: new Date().toISOString() };
    stored.certificate = null;
    stored.decidedAt = null;
    progress(stored, '办理结果被退回，重新审核');
    later(reviewMs, () => decide(stored));
    return { applicationId: stored.applicationId, status: stored.status, replayed: false };
  };

  /** One delivery report per application; a repeat changes nothing. */
  const reportDelivery = (request: Record<string, unknown>) => {
    const stored = applicationOf(request);
    const method = request.method;
    const recipient = request.recipient;
    const deliveredAt = text(request.deliveredAt);
    const waybillNo = text(request.waybillNo);
    const invalid: string[] = [];
    if (method !== 'PICKUP' && method !== 'POST' && method !== 'ELECTRONIC') invalid.push('method');
    if (recipient !== 'APPLICANT' && recipient !== 'AGENT') invalid.push('recipient');
    if (!deliveredAt || Number.isNaN(Date.parse(deliveredAt))) invalid.push('deliveredAt');
    if (method === 'POST' && !waybillNo) invalid.push('waybillNo');
    if (invalid.length > 0) throw new ClientFault('E_INVALID', `缺少或错误的必填项：${invalid.join('、')}`);
    if (stored.delivery) return { applicationId: stored.applicationId, replayed: true };
    if (stored.status !== 'APPROVED' || !stored.certificate)
      throw new ClientFault('E_NO_RESULT', '该申请尚未出具办理结果，无送达可反馈');
    stored.delivery = {
      method: method as 'PICKUP' | 'POST' | 'ELECTRONIC',
      deliveredAt: deliveredAt!,
      recipient: recipient as 'APPLICANT' | 'AGENT',
      waybillNo,
    };
    return { applicationId: stored.applicationId, replayed: false };
  };

  /**
   * Owed materials added to the application, whatever its status, once per idempotency key: a repeat
   * is `replayed`; the key with other materials or for another application is a Client fault.
   */
  const supplyMaterials = (request: Record<string, unknown>) => {
    const stored = applicationOf(request);
    const key = text(request.idempotencyKey);
    const invalid = [...(key ? [] : ['idempotencyKey']), ...materialProblems(request.material)];
    if (invalid.length > 0) throw new ClientFault('E_INVALID', `缺少或错误的必填项：${invalid.join('、')}`);
    const bodyHash = createHash('sha256').update(JSON.stringify(request)).digest('hex');
    const earlier = supplementsByKey.get(key!);
    if (earlier) {
      if (earlier.bodyHash !== bodyHash)
        throw new ClientFault('E_IDEMPOTENCY_CONFLICT', '幂等键已用于另一次材料补交，不能重复使用');
      return { applicationId: earlier.applicationId, supplementId: earlier.supplementId, replayed: true };
    }
    const day = new Date().toISOString().slice(0, 10).replaceAll('-', '');
    const supplement: StoredSupplement = {
      supplementId: `BZ${day}${String(++supplementSerial).padStart(6, '0')}`,
      applicationId: stored.applicationId,
      idempotencyKey: key!,
      bodyHash,
      materialCodes: (request.material as Record<string, string>[]).map((m) => m.code!),
      at: new Date().toISOString(),
    };
    stored.supplements.push(supplement);
    supplementsByKey.set(supplement.idempotencyKey, supplement);
    return { applicationId: stored.applicationId, supplementId: supplement.supplementId, replayed: false };
  };

  const handlers: Record<Operation, (request: Record<string, unknown>) => Record<string, unknown>> = {
    SubmitApplication: submitApplication,
    GetApplicationStatus: getApplicationStatus,
    QueryHouseholdRegistrations: queryHouseholdRegistrations,
    RefuseResult: refuseResult,
    ReportDelivery: reportDelivery,
    SupplyMaterials: supplyMaterials,
  };

  // --- HTTP ----------------------------------------------------------------------------------------

  const app = express();
  app.disable('x-powered-by');
  app.use((req, _res, next) => {
    // SOAP has one path: POSTs count per operation (SOAPAction), GETs tell the WSDL apart.
    const operation = req.method === 'POST' ? operationOf(req.get('soapaction')) : null;
    const wsdl = req.method === 'GET' && ('wsdl' in req.query || 'WSDL' in req.query);
    const route = `${req.method} ${req.path}${wsdl ? '?wsdl' : ''}${operation ? ` ${operation}` : ''}`;
    calls[route] = (calls[route] ?? 0) + 1;
    next();
  });

  const xml = (res: Response, status: number, body: string) =>
    res.status(status).type('text/xml; charset=utf-8').send(body);

  app.use('/ws/approval', async (req: Request, res: Response, next: NextFunction) => {
    if (faults.hang) return; // never answers; the client's timeouts must cope
    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    if (faults.down) {
      xml(res, 503, soapFault('Server', '服务暂不可用，请稍后重试', 'E_UNAVAILABLE'));
      return;
    }
    if (faults.malformed) {
      // Cut off mid-answer, as by a proxy that drops the connection.
      xml(
        res,
        200,
        `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="${SOAP_ENVELOPE_NS}"><soap:Body><gat:`,
      );
      return;
    }
    if (faults.serverFault && req.method === 'POST') {
      xml(res, 500, soapFault('Server', '数据库连接超时（ORA-12170），请稍后重试', 'E_DATABASE'));
      return;
    }
    next();
  });

  app.get('/ws/approval', (req, res) => {
    if (!('wsdl' in req.query || 'WSDL' in req.query)) {
      res.status(404).type('text/plain').send('append ?wsdl for the service description');
      return;
    }
    // Like real SOAP stacks, the address is where the service was reached.
    xml(res, 200, WSDL.replace(WSDL_LOCATION, `${req.protocol}://${req.get('host')}/ws/approval`));
  });

  app.post('/ws/approval', express.text({ type: () => true, limit: '1mb' }), (req, res) => {
    if (!/^text\/xml\b/i.test(req.get('content-type') ?? '')) {
      xml(res, 415, soapFault('Client', 'SOAP 1.1 requests must be sent as text/xml', 'E_CONTENT_TYPE'));
      return;
    }
    const operation = operationOf(req.get('soapaction'));
    if (!operation) {
      xml(
        res,
        400,
        soapFault('Client', `unknown SOAPAction ${req.get('soapaction') ?? '(none)'}`, 'E_ACTION'),
      );
      return;
    }
    const body = typeof req.body === 'string' ? req.body : '';
    if (XMLValidator.validate(body) !== true) {
      xml(res, 400, soapFault('Client', 'the request is not well-formed XML', 'E_XML'));
      return;
    }
    const request = (parser.parse(body) as { Envelope?: { Body?: Record<string, unknown> } }).Envelope
      ?.Body?.[operation];
    if (request === undefined) {
      xml(res, 400, soapFault('Client', `the body does not hold a ${operation} element`, 'E_ACTION'));
      return;
    }
    try {
      const answer = handlers[operation](
        typeof request === 'object' && request !== null ? (request as Record<string, unknown>) : {},
      );
      xml(res, 200, soapResponse(operation, answer));
    } catch (error) {
      if (!(error instanceof ClientFault)) throw error;
      xml(res, 400, soapFault('Client', error.message, error.errorCode));
    }
  });

  const listening = await listenOnLoopback(app, options.port);

  return {
    url: listening.url,
    faults,
    setFaults(next) {
      Object.assign(faults, next);
    },
    setCallbackUrl(url) {
      callbackUrl = url;
      for (const callback of outbox.splice(0)) dispatch(callback);
    },
    signedCallback(events) {
      const body = JSON.stringify({
        events: events.map((e): CallbackEvent => {
          const common = {
            type: e.type,
            applicationId: e.departmentRef,
            caseRef: e.caseNumber,
            sequence: e.sequence,
            occurredAt: new Date().toISOString(),
          };
          if (e.type === 'decision') {
            // Made out to the applicant of the application when the bureau holds it.
            const held = byId.get(e.departmentRef);
            return {
              ...common,
              status: 'approved',
              reasons: [],
              certificate: {
                name: '准予行政许可决定书',
                number: `濮公许准字〔${new Date().getFullYear()}〕${e.sequence}号`,
                itemCode: held?.itemCode ?? e.result?.itemCode ?? 'GASF-003',
                holder: held
                  ? { ...held.applicant }
                  : e.result
                    ? { idType: '111', ...e.result.holder }
                    : someoneElse({ idNumber: e.departmentRef, name: '' }),
              },
            };
          }
          return e.type === 'progress' ? { ...common, stage: '审核中' } : common;
        }),
      });
      return { headers: sign(`msg_${randomBytes(12).toString('hex')}`, body, secret), body };
    },
    applications: () => [...byKey.values()].map((a) => ({ ...a })),
    submissions: () =>
      [...byKey.values()].map((a) => ({
        idempotencyKey: a.idempotencyKey,
        departmentRef: a.applicationId,
        caseNumber: a.caseRef,
      })),
    calls: () => ({ ...calls }),
    deliveries: () => deliveries.map((d) => ({ ...d })),
    feedback: () => ({
      refusals: [...byId.values()].flatMap((a) =>
        a.refusal ? [{ departmentRef: a.applicationId, reasons: [...a.refusal.reasons] }] : [],
      ),
      deliveries: [...byId.values()].flatMap((a) =>
        a.delivery
          ? [
              {
                departmentRef: a.applicationId,
                method: a.delivery.method.toLowerCase(),
                recipient: a.delivery.recipient.toLowerCase(),
                waybillNo: a.delivery.waybillNo,
              },
            ]
          : [],
      ),
    }),
    supplements: () =>
      [...byId.values()].flatMap((a) =>
        a.supplements.map((s) => ({
          departmentRef: a.applicationId,
          idempotencyKey: s.idempotencyKey,
          materialCodes: [...s.materialCodes],
        })),
      ),
    pendingCallbacks: () => outbox.length,
    async close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const c of inFlight) c.abort();
      await listening.close();
    },
  };
}
