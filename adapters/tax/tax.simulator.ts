import { createHash, randomBytes } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { RunningSimulator, SimulatorFaults, SimulatorFeedback } from '../kit/adapter-contract.ts';
import { listenOnLoopback } from '../kit/simulator-server.ts';

/**
 * A tax bureau approval system of our own, for development, the demo and tests: REST/JSON with OAuth2
 * client-credentials tokens that expire, submissions keyed by `Idempotency-Key`, asynchronous review
 * (decisions are pulled), taxpayer look-ups, the window's result refusals (the application is decided
 * again) and delivery reports, and materials supplied after acceptance (容缺补交), also keyed by
 * `Idempotency-Key`. Failure modes are switched per run.
 */
export interface TaxSimulatorMode {
  /** Added to every /v1 answer. */
  latencyMs: number;
  /** Share of /v1 requests answered 503. */
  failRate: number;
  /** Every /v1 request is answered 503 (the system is down). */
  down: boolean;
  /** /v1 requests never answer. */
  hang: boolean;
  /** /v1 answers are 200 with a body that is not JSON. */
  malformed: boolean;
  /** Tokens are treated as expired on their next use (once), as after a key rotation. */
  expireTokens: boolean;
  /** Review time before a decision appears. */
  reviewMs: number;
  /** Item codes the bureau rejects. */
  rejectItems: string[];
  /** Submissions answered 422 (as if invalid). */
  rejectSubmissions: boolean;
  /** Results are made out to another taxpayer, until the window refuses one back. */
  misattributeResults: boolean;
}

export const TAX_CLIENT = { id: 'onewindow-hub', secret: 'tax-simulator-secret' };

/** A call the window made about an application, kept once per Idempotency-Key. */
interface StoredFeedback<T> {
  key: string;
  bodyHash: string;
  /** The answer given, repeated to a repeat of the call. */
  answer: { applicationId: string; status: string };
  at: string;
  content: T;
}

/** Materials the window supplied after acceptance (容缺补交), kept once per Idempotency-Key. */
interface StoredSupplement {
  supplementId: string;
  applicationId: string;
  key: string;
  bodyHash: string;
  materialCodes: string[];
  at: string;
}

interface StoredApplication {
  applicationId: string;
  key: string;
  bodyHash: string;
  caseRef: string;
  itemCode: string;
  taxpayer: { name: string; idNumber: string };
  status: 'received' | 'approved' | 'rejected';
  reasons: string[];
  certificateNumber: string | null;
  /** Who the certificate is made out to, as the bureau wrote it. */
  issuedTo: { name: string; idNumber: string } | null;
  /** Decisions made so far (a refused result is decided again, under a new number). */
  revision: number;
  decidedAt: string | null;
  seq: number;
  refusal: StoredFeedback<{ reasons: string[] }> | null;
  delivery: StoredFeedback<{
    method: string;
    deliveredAt: string;
    recipient: string;
    waybillNo: string | null;
  }> | null;
  /** Owed materials added since acceptance, in the order they arrived. */
  supplements: StoredSupplement[];
}

export interface RunningTaxSimulator extends RunningSimulator {
  mode: TaxSimulatorMode;
  setMode(mode: Partial<TaxSimulatorMode>): void;
  /** Applications created, by idempotency key (each key must appear once however often it was sent). */
  applications(): StoredApplication[];
  feedback(): SimulatorFeedback;
  supplements(): { departmentRef: string; idempotencyKey: string; materialCodes: string[] }[];
}

const DEFAULT_MODE: TaxSimulatorMode = {
  latencyMs: 0,
  failRate: 0,
  down: false,
  hang: false,
  malformed: false,
  expireTokens: false,
  reviewMs: 20,
  rejectItems: [],
  rejectSubmissions: false,
  misattributeResults: false,
};

const CHECK_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const OTHER_NAMES = ['刘桂芳', '陈志明', '赵丽娟', '孙建华'];

/**
 * Someone other than the taxpayer (for the misattributeResults fault): a name and a citizen ID number
 * with a valid GB 11643 check character, both different from the taxpayer's, stable per taxpayer.
 */
function someoneElse(taxpayer: { name: string; idNumber: string }): { name: string; idNumber: string } {
  const d = createHash('sha256').update(`misattributed:${taxpayer.idNumber}`).digest();
  const name = OTHER_NAMES.filter((n) => n !== taxpayer.name)[d[0]! % 3]!;
  for (let n = 0; ; n++) {
    const birth = `${1960 + (d[1]! % 40)}${String(1 + (d[2]! % 12)).padStart(2, '0')}${String(1 + (d[3]! % 28)).padStart(2, '0')}`;
    const first17 = `410902${birth}${String((d[4]! * 7 + n) % 1000).padStart(3, '0')}`;
    const sum = [...first17].reduce((total, digit, i) => total + Number(digit) * CHECK_WEIGHTS[i]!, 0);
    const idNumber = first17 + '10X98765432'[sum % 11]!;
    if (idNumber !== taxpayer.idNumber) return { name, idNumber };
  }
}

/** Field errors of the materials of a supplement: 1 to 100, each complete, no code twice. */
function materialErrors(materials: unknown): { field: string; message: string }[] {
  if (!Array.isArray(materials) || materials.length === 0 || materials.length > 100)
    return [{ field: 'materials', message: '须为1至100项材料' }];
  const errors: { field: string; message: string }[] = [];
  const codes = new Set<string>();
  materials.forEach((material: Record<string, unknown> | null, i) => {
    const at = `materials[${i}]`;
    const code = material?.code;
    if (typeof code !== 'string' || code.trim() === '')
      errors.push({ field: `${at}.code`, message: '不能为空' });
    else if (codes.has(code)) errors.push({ field: `${at}.code`, message: '同一次补交中材料编码重复' });
    else codes.add(code);
    if (typeof material?.name !== 'string' || material.name.trim() === '')
      errors.push({ field: `${at}.name`, message: '不能为空' });
    if (material?.medium !== 'paper' && material?.medium !== 'electronic')
      errors.push({ field: `${at}.medium`, message: '须为 paper 或 electronic' });
    if (!Number.isInteger(material?.copies) || (material?.copies as number) < 1)
      errors.push({ field: `${at}.copies`, message: '须为正整数' });
  });
  return errors;
}

/** Deterministic taxpayer data from an identity number, so answers are stable across runs. */
function taxpayerOf(idNumber: string) {
  const digest = createHash('sha256').update(idNumber).digest();
  const roll = digest[0]! % 10;
  const status = roll === 0 ? 'unregistered' : roll === 1 ? 'abnormal' : 'normal';
  return {
    idNumber,
    status,
    clearance: status === 'normal',
    outstandingFen: status === 'abnormal' ? (digest[1]! + 1) * 1000 : 0,
  };
}

export async function startTaxSimulator(
  options: { port?: number; mode?: Partial<TaxSimulatorMode> } = {},
): Promise<RunningTaxSimulator> {
  const mode: TaxSimulatorMode = { ...DEFAULT_MODE, ...options.mode };
  const tokens = new Map<string, number>();
  const expiredOnce = new Set<string>();
  const applications = new Map<string, StoredApplication>();
  const byId = new Map<string, StoredApplication>();
  const supplementsByKey = new Map<string, StoredSupplement>();
  const calls: Record<string, number> = {};
  const timers = new Set<NodeJS.Timeout>();
  let serial = 0;
  let supplementSerial = 0;
  let seq = 0;

  /** Review takes `reviewMs`; then the application is approved (certificate) or rejected. */
  const review = (stored: StoredApplication) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      const rejected = mode.rejectItems.includes(stored.itemCode);
      stored.revision += 1;
      stored.status = rejected ? 'rejected' : 'approved';
      stored.reasons = rejected ? ['纳税人存在未结清税款，不予办理'] : [];
      stored.certificateNumber = rejected
        ? null
        : `税证${new Date().getFullYear()}${stored.applicationId.slice(2)}${stored.revision > 1 ? `-${stored.revision}` : ''}`;
      // A refused result is corrected: the application is made out as it was submitted from then on.
      stored.issuedTo = rejected
        ? null
        : mode.misattributeResults && !stored.refusal
          ? someoneElse(stored.taxpayer)
          : { ...stored.taxpayer };
      stored.decidedAt = new Date().toISOString();
      stored.seq = ++seq;
    }, mode.reviewMs);
    timers.add(timer);
  };

  /**
   * The application a call of the window names (feedback, supplements), and its Idempotency-Key; or
   * the error is answered.
   */
  const targetOf = (req: Request, res: Response): { stored: StoredApplication; key: string } | null => {
    const stored = byId.get(String(req.params.id));
    if (!stored) {
      res.status(404).json({ message: 'no such application' });
      return null;
    }
    const key = req.get('idempotency-key');
    if (!key) {
      res.status(400).json({ message: 'Idempotency-Key header is required' });
      return null;
    }
    const caseRef = (req.body as { caseRef?: unknown } | undefined)?.caseRef;
    if (caseRef !== undefined && caseRef !== stored.caseRef) {
      res.status(422).json({ errors: [{ field: 'caseRef', message: '与该申请的受理编号不符' }] });
      return null;
    }
    return { stored, key };
  };

  /**
   * A call already applied: the same key and body answer the first answer again; anything else is a
   * conflict (the bureau takes one refusal and one delivery report per application).
   */
  const repeated = (
    earlier: StoredFeedback<unknown> | null,
    key: string,
    body: unknown,
    res: Response,
    conflict: string,
  ): boolean => {
    if (!earlier) return false;
    if (earlier.key === key && earlier.bodyHash === hashOf(body)) res.status(200).json(earlier.answer);
    else res.status(409).json({ message: conflict });
    return true;
  };

  const app = express();
  app.disable('x-powered-by');
  app.use((req, _res, next) => {
    const route = `${req.method} ${req.path.replace(/\/SW\d+(?=\/|$)/, '/:id')}`;
    calls[route] = (calls[route] ?? 0) + 1;
    next();
  });

  app.post('/oauth/token', express.urlencoded({ extended: false }), (req, res) => {
    const basic = /^Basic (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    const [id, secret] = basic ? Buffer.from(basic, 'base64').toString().split(':') : [];
    if (id !== TAX_CLIENT.id || secret !== TAX_CLIENT.secret) {
      res.status(401).json({ error: 'invalid_client', message: 'unknown client or wrong secret' });
      return;
    }
    if (req.body?.grant_type !== 'client_credentials') {
      res.status(400).json({ error: 'unsupported_grant_type', message: 'only client_credentials' });
      return;
    }
    const token = randomBytes(16).toString('hex');
    tokens.set(token, Date.now() + 300_000);
    // Issued after the rotation: this token is not one the rotation expires.
    if (mode.expireTokens) expiredOnce.add(token);
    res.json({ access_token: token, token_type: 'Bearer', expires_in: 300 });
  });

  const v1 = express.Router();
  v1.use(async (_req: Request, res: Response, next: NextFunction) => {
    if (mode.hang) return; // never answers; the client's timeouts must cope
    if (mode.latencyMs > 0) await new Promise((r) => setTimeout(r, mode.latencyMs));
    if (mode.down || Math.random() < mode.failRate) {
      res.status(503).json({ message: 'service temporarily unavailable' });
      return;
    }
    if (mode.malformed) {
      res.status(200).type('application/json').send('{"status": "ok", "applicationId": ');
      return;
    }
    next();
  });
  v1.use((req, res, next) => {
    const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    const expires = token ? tokens.get(token) : undefined;
    if (!token || !expires) {
      res.status(401).json({ error: 'invalid_token', message: 'missing or unknown access token' });
      return;
    }
    if (expires < Date.now() || (mode.expireTokens && !expiredOnce.has(token))) {
      expiredOnce.add(token);
      tokens.delete(token);
      res.status(401).json({ error: 'invalid_token', message: 'the access token has expired' });
      return;
    }
    next();
  });
  v1.use(express.json({ limit: '1mb' }));

  v1.post('/applications', (req, res) => {
    const key = req.get('idempotency-key');
    if (mode.rejectSubmissions) {
      res.status(422).json({ message: '申请材料不符合要求：纳税人识别信息与登记信息不一致' });
      return;
    }
    if (!key) {
      res.status(400).json({ message: 'Idempotency-Key header is required' });
      return;
    }
    const body = req.body as {
      caseRef?: string;
      itemCode?: string;
      taxpayer?: { idNumber?: string; name?: string };
      materials?: unknown[];
    };
    const missing = ['caseRef', 'itemCode'].filter((f) => typeof body?.[f as 'caseRef'] !== 'string');
    if (typeof body?.taxpayer?.idNumber !== 'string') missing.push('taxpayer.idNumber');
    if (typeof body?.taxpayer?.name !== 'string') missing.push('taxpayer.name');
    if (!Array.isArray(body?.materials)) missing.push('materials');
    if (missing.length > 0) {
      res.status(422).json({ message: `missing or invalid: ${missing.join(', ')}` });
      return;
    }
    const bodyHash = hashOf(body);
    const existing = applications.get(key);
    if (existing) {
      if (existing.bodyHash !== bodyHash) {
        res.status(409).json({ message: 'Idempotency-Key was already used with a different application' });
        return;
      }
      res.status(200).json({ applicationId: existing.applicationId, status: existing.status });
      return;
    }
    const stored: StoredApplication = {
      applicationId: `SW${String(++serial).padStart(8, '0')}`,
      key,
      bodyHash,
      caseRef: body.caseRef!,
      itemCode: body.itemCode!,
      taxpayer: { name: body.taxpayer!.name!, idNumber: body.taxpayer!.idNumber! },
      status: 'received',
      reasons: [],
      certificateNumber: null,
      issuedTo: null,
      revision: 0,
      decidedAt: null,
      seq: ++seq,
      refusal: null,
      delivery: null,
      supplements: [],
    };
    applications.set(key, stored);
    byId.set(stored.applicationId, stored);
    review(stored);
    res.status(202).json({ applicationId: stored.applicationId, status: stored.status });
  });

  /**
   * The window sends a result back: the application returns to review and is decided again under a
   * new number, made out as the acceptance data says (the refusal corrects a misattribution).
   */
  v1.post('/applications/:id/result-refusals', (req, res) => {
    const found = targetOf(req, res);
    if (!found) return;
    const { stored, key } = found;
    const body = req.body as { caseRef?: unknown; reasons?: unknown };
    const reasons = body?.reasons;
    if (
      !Array.isArray(reasons) ||
      reasons.length === 0 ||
      reasons.length > 20 ||
      reasons.some((r) => typeof r !== 'string' || r.trim() === '')
    ) {
      res.status(422).json({ errors: [{ field: 'reasons', message: '退回理由须为1至20条非空文字' }] });
      return;
    }
    if (repeated(stored.refusal, key, body, res, '该申请的结果已被退回过')) return;
    if (stored.status !== 'approved' || !stored.certificateNumber) {
      res.status(409).json({ message: '该申请尚未出具结果，无法退回' });
      return;
    }
    const answer = { applicationId: stored.applicationId, status: 'received' };
    stored.refusal = {
      key,
      bodyHash: hashOf(body),
      answer,
      at: new Date().toISOString(),
      content: { reasons: reasons as string[] },
    };
    stored.status = 'received';
    stored.reasons = [];
    stored.certificateNumber = null;
    stored.issuedTo = null;
    stored.decidedAt = null;
    stored.seq = ++seq;
    review(stored);
    res.status(202).json(answer);
  });

  /** The window reports how the result reached the taxpayer. */
  v1.post('/applications/:id/delivery', (req, res) => {
    const found = targetOf(req, res);
    if (!found) return;
    const { stored, key } = found;
    const body = req.body as {
      caseRef?: unknown;
      method?: unknown;
      deliveredAt?: unknown;
      recipient?: unknown;
      waybillNo?: unknown;
    };
    const errors: { field: string; message: string }[] = [];
    if (!['pickup', 'post', 'electronic'].includes(body?.method as string))
      errors.push({ field: 'method', message: '须为 pickup、post 或 electronic' });
    if (typeof body?.deliveredAt !== 'string' || Number.isNaN(Date.parse(body.deliveredAt)))
      errors.push({ field: 'deliveredAt', message: '须为 ISO 8601 时间' });
    if (!['applicant', 'agent'].includes(body?.recipient as string))
      errors.push({ field: 'recipient', message: '须为 applicant 或 agent' });
    const waybillNo = body?.waybillNo ?? null;
    if (waybillNo !== null && (typeof waybillNo !== 'string' || waybillNo.trim() === ''))
      errors.push({ field: 'waybillNo', message: '须为运单号或 null' });
    else if (body?.method === 'post' && waybillNo === null)
      errors.push({ field: 'waybillNo', message: '邮寄送达须提供运单号' });
    if (errors.length > 0) {
      res.status(422).json({ message: '送达信息不完整', errors });
      return;
    }
    if (repeated(stored.delivery, key, body, res, '该申请的送达结果已反馈过')) return;
    if (stored.status !== 'approved' || !stored.certificateNumber) {
      res.status(409).json({ message: '该申请尚未出具结果，无送达可反馈' });
      return;
    }
    const answer = { applicationId: stored.applicationId, status: stored.status };
    stored.delivery = {
      key,
      bodyHash: hashOf(body),
      answer,
      at: new Date().toISOString(),
      content: {
        method: body.method as string,
        deliveredAt: body.deliveredAt as string,
        recipient: body.recipient as string,
        waybillNo: waybillNo as string | null,
      },
    };
    res.status(201).json(answer);
  });

  /**
   * Materials the taxpayer owed at acceptance (容缺补交), added to the application whatever its status.
   * Once per Idempotency-Key: a repeat answers the first answer again; the key with other materials or
   * for another application is a conflict.
   */
  v1.post('/applications/:id/materials', (req, res) => {
    const found = targetOf(req, res);
    if (!found) return;
    const { stored, key } = found;
    const body = req.body as { caseRef?: unknown; materials?: unknown };
    const errors = materialErrors(body?.materials);
    if (errors.length > 0) {
      res.status(422).json({ message: '补交材料不完整', errors });
      return;
    }
    const bodyHash = hashOf({ applicationId: stored.applicationId, body });
    const earlier = supplementsByKey.get(key);
    if (earlier) {
      if (earlier.bodyHash === bodyHash)
        res.status(200).set('idempotent-replayed', 'true').json(supplementAnswer(earlier));
      else res.status(409).json({ message: '该幂等键已用于另一次材料补交' });
      return;
    }
    const supplement: StoredSupplement = {
      supplementId: `BJ${String(++supplementSerial).padStart(8, '0')}`,
      applicationId: stored.applicationId,
      key,
      bodyHash,
      materialCodes: (body.materials as { code: string }[]).map((m) => m.code),
      at: new Date().toISOString(),
    };
    stored.supplements.push(supplement);
    supplementsByKey.set(key, supplement);
    res.status(201).json(supplementAnswer(supplement));
  });

  v1.get('/applications/:id', (req, res) => {
    const stored = byId.get(req.params.id);
    if (!stored) {
      res.status(404).json({ message: 'no such application' });
      return;
    }
    res.json(view(stored));
  });

  v1.get('/decisions', (req, res) => {
    const since = Number(req.query.since ?? 0);
    const changed = [...byId.values()]
      .filter((a) => a.seq > since && a.status !== 'received')
      .sort((a, b) => a.seq - b.seq);
    const page = changed.slice(0, 100);
    res.json({ decisions: page.map(view), next: String(page.at(-1)?.seq ?? since) });
  });

  v1.post('/taxpayers/lookup', (req, res) => {
    const list = (req.body as { taxpayers?: { idNumber?: unknown }[] })?.taxpayers;
    if (!Array.isArray(list) || list.length > 200 || list.some((t) => typeof t?.idNumber !== 'string')) {
      res.status(422).json({ message: 'taxpayers must be a list of up to 200 {idNumber}' });
      return;
    }
    res.json({ results: list.map((t) => taxpayerOf(t.idNumber as string)) });
  });

  app.use('/v1', v1);

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
    applications: () => [...applications.values()],
    submissions: () =>
      [...applications.values()].map((a) => ({
        idempotencyKey: a.key,
        departmentRef: a.applicationId,
        caseNumber: a.caseRef,
      })),
    calls: () => ({ ...calls }),
    feedback: () => ({
      refusals: [...byId.values()].flatMap((a) =>
        a.refusal ? [{ departmentRef: a.applicationId, reasons: [...a.refusal.content.reasons] }] : [],
      ),
      deliveries: [...byId.values()].flatMap((a) =>
        a.delivery
          ? [
              {
                departmentRef: a.applicationId,
                method: a.delivery.content.method,
                recipient: a.delivery.content.recipient,
                waybillNo: a.delivery.content.waybillNo,
              },
            ]
          : [],
      ),
    }),
    supplements: () =>
      [...byId.values()].flatMap((a) =>
        a.supplements.map((s) => ({
          departmentRef: a.applicationId,
          idempotencyKey: s.key,
          materialCodes: [...s.materialCodes],
        })),
      ),
    async close() {
      for (const t of timers) clearTimeout(t);
      await listening.close();
    },
  };
}

const supplementAnswer = (s: StoredSupplement) => ({
  applicationId: s.applicationId,
  supplementId: s.supplementId,
  materialCodes: s.materialCodes,
});

const hashOf = (body: unknown) => createHash('sha256').update(JSON.stringify(body)).digest('hex');

function view(a: StoredApplication) {
  return {
    applicationId: a.applicationId,
    caseRef: a.caseRef,
    status: a.status,
    reasons: a.reasons,
    decidedAt: a.decidedAt,
    certificate:
      a.certificateNumber && a.issuedTo
        ? { name: '税务事项通知书', number: a.certificateNumber, itemCode: a.itemCode, issuedTo: a.issuedTo }
        : null,
  };
}
