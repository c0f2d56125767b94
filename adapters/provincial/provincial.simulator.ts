import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { RunningSimulator, SimulatorFaults } from '../kit/adapter-contract.ts';
import { listenOnLoopback } from '../kit/simulator-server.ts';

/**
 * A provincial service platform (河南政务服务网) of our own, for development, the demo and tests:
 * REST/JSON behind a static bearer token; acceptance records, online pre-acceptance results and the later
 * steps of accepted cases (办件过程/办结) keyed by `Idempotency-Key`; strict validation answering 422 with
 * field-level errors, as the platform does. A step is taken only for a case whose acceptance the
 * platform holds (422 `CASE_NOT_ACCEPTED` on `caseNumber` otherwise), and each case's records are kept
 * in the order they arrived.
 */
export type ProvincialSimulatorMode = SimulatorFaults & {
  /** Status records refused as invalid (a field-level 422), as `rejectSubmissions` does for the others. */
  rejectStatusChanges: boolean;
};

/** Dev token, shared with the adapter's config default. */
export const PROVINCIAL_SIMULATOR_TOKEN = 'provincial-simulator-token';

type RecordKind = 'acceptance' | 'pre-acceptance' | 'status';

interface FieldError {
  field: string;
  message: string;
}

interface StoredRecord {
  recordId: string;
  kind: RecordKind;
  key: string;
  bodyHash: string;
  caseNumber: string;
  body: Record<string, unknown>;
}

/** The platform's code for a step of a case it holds no acceptance for (the client tells it apart). */
const CASE_NOT_ACCEPTED = 'CASE_NOT_ACCEPTED';

export interface RunningProvincialSimulator extends RunningSimulator {
  mode: ProvincialSimulatorMode;
  setFaults(faults: Partial<ProvincialSimulatorMode>): void;
  /** Records held, of every kind, one per kind and idempotency key, in the order they arrived. */
  records(): StoredRecord[];
  /** One case's records in the order the platform received them: its process view. */
  caseRecords(caseNumber: string): StoredRecord[];
}

const DEFAULT_MODE: ProvincialSimulatorMode = {
  latencyMs: 0,
  down: false,
  hang: false,
  malformed: false,
  rejectSubmissions: false,
  rejectStatusChanges: false,
};

const CASE_NUMBER = /^\d{6}-\d{8}-\d{6}$/;
const ITEM_CODE = /^[A-Z]{2,4}-\d{3}$/;
const IDENTITY_TYPES = ['RESIDENT_ID_CARD', 'UNIFIED_SOCIAL_CREDIT_CODE'];
const RESULTS = ['PASS', 'CORRECTION', 'REFUSE'];
const STATUS_NAMES: Record<string, string> = {
  RETURNED: '退办',
  CONCLUDED: '办结',
  DELIVERED: '送达',
  MATERIALS_SUPPLIED: '容缺补齐',
};
const DELIVERY_METHODS = ['WINDOW_PICKUP', 'POST', 'ONLINE'];
const RECIPIENTS = ['APPLICANT', 'AGENT'];

function isBlank(value: unknown): boolean {
  return typeof value !== 'string' || value.trim() === '';
}

function isIsoDate(value: unknown): boolean {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

function isIsoDateTime(value: unknown): boolean {
  return (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) &&
    !Number.isNaN(Date.parse(value))
  );
}

function asObject(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** A non-empty list of `{code, name}` (departments, materials), each part checked by name. */
function checkCodedList(
  field: string,
  value: unknown,
  add: (field: string, message: string) => void,
  emptyMessage: string,
): void {
  if (!Array.isArray(value) || value.length === 0) {
    add(field, emptyMessage);
    return;
  }
  value.forEach((entry: unknown, i) => {
    const e = asObject(entry) ?? {};
    if (isBlank(e.code)) add(`${field}[${i}].code`, '不能为空');
    if (isBlank(e.name)) add(`${field}[${i}].name`, '不能为空');
  });
}

function checkReasons(
  field: string,
  value: unknown,
  add: (field: string, message: string) => void,
  required: string | null,
): void {
  if (!Array.isArray(value) || value.some(isBlank)) add(field, '须为非空文字的列表');
  else if (required && value.length === 0) add(field, required);
}

/** A process record (办件过程/办结): the step, when, who handled it, and the step's own facts. */
function validateStatus(r: Record<string, unknown>, add: (field: string, message: string) => void): void {
  // Process records are public progress: the platform takes no applicant data with them.
  if ('applicant' in r) add('applicant', '办件过程信息不得包含申请人身份信息');
  const status = typeof r.status === 'string' ? r.status : '';
  if (!(status in STATUS_NAMES)) add('status', '须为 RETURNED、CONCLUDED、DELIVERED 或 MATERIALS_SUPPLIED');
  else if (r.statusName !== STATUS_NAMES[status]) add('statusName', `须为 ${STATUS_NAMES[status]}`);
  if (isBlank(r.occurredAt)) add('occurredAt', '不能为空');
  else if (!isIsoDateTime(r.occurredAt)) add('occurredAt', '须为 ISO 8601 日期时间');
  checkCodedList('departments', r.departments, add, '须写明办理部门');

  if (status === 'RETURNED') checkReasons('reasons', r.reasons, add, '退办时须写明理由');
  if (status === 'MATERIALS_SUPPLIED') checkCodedList('materials', r.materials, add, '须写明补齐的材料');
  if (status === 'CONCLUDED') {
    const conclusion = asObject(r.conclusion);
    if (!conclusion) {
      add('conclusion', '办结时不能为空');
    } else {
      if (conclusion.result !== 'APPROVED' && conclusion.result !== 'DENIED')
        add('conclusion.result', '须为 APPROVED 或 DENIED');
      checkReasons(
        'conclusion.reasons',
        conclusion.reasons,
        add,
        conclusion.result === 'DENIED' ? '不予许可时须写明理由' : null,
      );
      if (!Array.isArray(conclusion.results)) {
        add('conclusion.results', '须为列表');
      } else {
        conclusion.results.forEach((entry: unknown, i) => {
          const e = asObject(entry) ?? {};
          if (isBlank(e.name)) add(`conclusion.results[${i}].name`, '不能为空');
          if (isBlank(e.number)) add(`conclusion.results[${i}].number`, '不能为空');
        });
      }
    }
  }
  if (status === 'DELIVERED') {
    const delivery = asObject(r.delivery);
    if (!delivery) {
      add('delivery', '送达时不能为空');
    } else {
      if (typeof delivery.method !== 'string' || !DELIVERY_METHODS.includes(delivery.method))
        add('delivery.method', '须为 WINDOW_PICKUP、POST 或 ONLINE');
      if (typeof delivery.recipient !== 'string' || !RECIPIENTS.includes(delivery.recipient))
        add('delivery.recipient', '须为 APPLICANT 或 AGENT');
      if (delivery.method === 'POST' && isBlank(delivery.waybillNo))
        add('delivery.waybillNo', '邮寄送达时不能为空');
    }
  }
}

/** Every problem of a record at once, field by field; messages never repeat the values. */
function validate(kind: RecordKind, body: unknown): FieldError[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return [{ field: '(root)', message: '须为 JSON 对象' }];
  const r = body as Record<string, unknown>;
  const errors: FieldError[] = [];
  const add = (field: string, message: string) => errors.push({ field, message });

  if (isBlank(r.caseNumber)) add('caseNumber', '不能为空');
  else if (!CASE_NUMBER.test(r.caseNumber as string))
    add('caseNumber', '格式应为 区划代码6位-日期8位-流水号6位');
  if (isBlank(r.itemCode)) add('itemCode', '不能为空');
  else if (!ITEM_CODE.test(r.itemCode as string)) add('itemCode', '格式应为 2至4位大写字母-3位数字');
  if (isBlank(r.itemName)) add('itemName', '不能为空');
  if (isBlank(r.hallCode)) add('hallCode', '不能为空');
  else if (!/^\d{6}$/.test(r.hallCode as string)) add('hallCode', '须为 6 位行政区划代码');

  if (kind === 'status') {
    validateStatus(r, add);
    return errors;
  }
  if (kind === 'acceptance') {
    if (isBlank(r.acceptedOn)) add('acceptedOn', '不能为空');
    else if (!isIsoDate(r.acceptedOn)) add('acceptedOn', '须为 YYYY-MM-DD 格式的日期');
  } else {
    if (r.channel !== 'ONLINE') add('channel', '须为 ONLINE');
    if (typeof r.result !== 'string' || !RESULTS.includes(r.result))
      add('result', '须为 PASS、CORRECTION 或 REFUSE');
    if (!Array.isArray(r.reasons) || r.reasons.some(isBlank)) add('reasons', '须为非空文字的列表');
    else if (r.result !== 'PASS' && r.reasons.length === 0) add('reasons', '补正或不予受理时须写明理由');
    if (isBlank(r.decidedAt)) add('decidedAt', '不能为空');
    else if (!isIsoDateTime(r.decidedAt)) add('decidedAt', '须为 ISO 8601 日期时间');
  }

  const applicant = r.applicant;
  if (typeof applicant !== 'object' || applicant === null) {
    add('applicant', '不能为空');
  } else {
    const a = applicant as Record<string, unknown>;
    if (isBlank(a.name)) add('applicant.name', '不能为空');
    if (typeof a.identityType !== 'string' || !IDENTITY_TYPES.includes(a.identityType))
      add('applicant.identityType', '须为 RESIDENT_ID_CARD 或 UNIFIED_SOCIAL_CREDIT_CODE');
    if (isBlank(a.identityNumber)) add('applicant.identityNumber', '不能为空');
    else if ((a.identityNumber as string).length !== 18) add('applicant.identityNumber', '须为 18 位');
    else if (!/^[0-9A-Z]{18}$/.test(a.identityNumber as string))
      add('applicant.identityNumber', '只能包含数字和大写字母');
  }

  if (!Array.isArray(r.materials) || r.materials.length === 0) {
    add('materials', '至少须有一份材料');
  } else {
    r.materials.forEach((material: unknown, i) => {
      const m = (typeof material === 'object' && material !== null ? material : {}) as Record<
        string,
        unknown
      >;
      if (isBlank(m.code)) add(`materials[${i}].code`, '不能为空');
      if (isBlank(m.name)) add(`materials[${i}].name`, '不能为空');
      if (m.copies !== undefined && (!Number.isInteger(m.copies) || (m.copies as number) < 1))
        add(`materials[${i}].copies`, '须为正整数');
    });
  }
  return errors;
}

export async function startProvincialSimulator(
  options: { port?: number; mode?: Partial<ProvincialSimulatorMode>; token?: string } = {},
): Promise<RunningProvincialSimulator> {
  const mode: ProvincialSimulatorMode = { ...DEFAULT_MODE, ...options.mode };
  const token = options.token ?? PROVINCIAL_SIMULATOR_TOKEN;
  const records = new Map<string, StoredRecord>();
  const calls: Record<string, number> = {};
  const serials: Record<RecordKind, number> = { acceptance: 0, 'pre-acceptance': 0, status: 0 };
  const accepted = (caseNumber: string) =>
    [...records.values()].some((r) => r.kind === 'acceptance' && r.caseNumber === caseNumber);

  const app = express();
  app.disable('x-powered-by');
  app.use((req, _res, next) => {
    const route = `${req.method} ${req.path}`;
    calls[route] = (calls[route] ?? 0) + 1;
    next();
  });

  const api = express.Router();
  api.use(async (_req: Request, res: Response, next: NextFunction) => {
    if (mode.hang) return; // never answers; the client's timeouts must cope
    if (mode.latencyMs > 0) await sleep(mode.latencyMs);
    if (mode.down) {
      res.status(503).json({ message: '平台维护中，请稍后再试' });
      return;
    }
    if (mode.malformed) {
      res.status(200).type('application/json').send('<html>网关错误');
      return;
    }
    next();
  });
  api.use((req, res, next) => {
    if (req.get('authorization') !== `Bearer ${token}`) {
      res.status(401).json({ message: '访问令牌无效或缺失' });
      return;
    }
    next();
  });
  api.use(express.json({ limit: '1mb' }));

  api.get('/health', (_req, res) => {
    res.json({ status: 'UP' });
  });

  const recordRoute = (kind: RecordKind, prefix: string) => (req: Request, res: Response) => {
    if (kind !== 'status' && mode.rejectSubmissions) {
      res.status(422).json({
        message: '记录不合法',
        errors: [{ field: 'applicant.identityNumber', message: '与实名认证信息不一致' }],
      });
      return;
    }
    if (kind === 'status' && mode.rejectStatusChanges) {
      res.status(422).json({
        message: '记录不合法',
        errors: [{ field: 'departments[0].code', message: '与事项实施清单登记的实施部门不一致' }],
      });
      return;
    }
    const key = req.get('idempotency-key');
    if (!key) {
      res.status(400).json({ message: '缺少 Idempotency-Key 请求头' });
      return;
    }
    const errors = validate(kind, req.body);
    if (errors.length > 0) {
      res.status(422).json({ message: '记录不合法', errors });
      return;
    }
    const body = req.body as Record<string, unknown> & { caseNumber: string };
    const bodyHash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
    const existing = records.get(`${kind}:${key}`);
    if (existing) {
      if (existing.bodyHash !== bodyHash) {
        res.status(409).json({ message: 'Idempotency-Key 已用于另一条记录' });
        return;
      }
      res.status(200).json({ recordId: existing.recordId });
      return;
    }
    if (kind === 'status' && !accepted(body.caseNumber)) {
      res.status(422).json({
        code: CASE_NOT_ACCEPTED,
        message: '办件无受理记录',
        errors: [{ field: 'caseNumber', message: '平台未收到该办件的受理信息，须先报送受理信息' }],
      });
      return;
    }
    const stored: StoredRecord = {
      recordId: `${prefix}${body.caseNumber.slice(0, 6)}${String(++serials[kind]).padStart(8, '0')}`,
      kind,
      key,
      bodyHash,
      caseNumber: body.caseNumber,
      body,
    };
    records.set(`${kind}:${key}`, stored);
    res.status(201).json({ recordId: stored.recordId });
  };
  api.post('/acceptance-records', recordRoute('acceptance', 'SL'));
  api.post('/pre-acceptance-results', recordRoute('pre-acceptance', 'YS'));
  api.post('/status-records', recordRoute('status', 'GC'));

  app.use('/api', api);
  // Unreadable JSON: a JSON answer in the platform's shape, not express's HTML page.
  app.use((error: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    const status = error.status && error.status < 500 ? error.status : 500;
    res.status(status).json({ message: '请求体不是合法的 JSON', errors: [] });
  });

  const listening = await listenOnLoopback(app, options.port);
  return {
    url: listening.url,
    mode,
    setFaults(faults: Partial<ProvincialSimulatorMode>) {
      Object.assign(mode, faults);
    },
    records: () => [...records.values()],
    caseRecords: (caseNumber: string) => [...records.values()].filter((r) => r.caseNumber === caseNumber),
    // Applications only: the acceptance and pre-acceptance records (a case's later steps are no application).
    submissions: () =>
      [...records.values()]
        .filter((r) => r.kind !== 'status')
        .map((r) => ({
          idempotencyKey: r.key,
          departmentRef: r.recordId,
          caseNumber: r.caseNumber,
        })),
    calls: () => ({ ...calls }),
    async close() {
      await listening.close();
    },
  };
}
