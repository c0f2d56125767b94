import { createHash, randomBytes } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { RunningSimulator, SimulatorFaults } from '../kit/adapter-contract.ts';
import { listenOnLoopback } from '../kit/simulator-server.ts';

/**
 * A tax bureau approval system of our own, for development, the demo and tests: REST/JSON with OAuth2
 * client-credentials tokens that expire, submissions keyed by `Idempotency-Key`, asynchronous review
 * (decisions are pulled), and taxpayer look-ups. Failure modes are switched per run.
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
}

export const TAX_CLIENT = { id: 'onewindow-hub', secret: 'tax-simulator-secret' };

interface StoredApplication {
  applicationId: string;
  key: string;
  bodyHash: string;
  caseRef: string;
  itemCode: string;
  status: 'received' | 'approved' | 'rejected';
  reasons: string[];
  certificateNumber: string | null;
  decidedAt: string | null;
  seq: number;
}

export interface RunningTaxSimulator extends RunningSimulator {
  mode: TaxSimulatorMode;
  setMode(mode: Partial<TaxSimulatorMode>): void;
  /** Applications created, by idempotency key (each key must appear once however often it was sent). */
  applications(): StoredApplication[];
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
};

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
  const calls: Record<string, number> = {};
  const timers = new Set<NodeJS.Timeout>();
  let serial = 0;
  let seq = 0;

  const app = express();
  app.disable('x-powered-by');
  app.use((req, _res, next) => {
    const route = `${req.method} ${req.path.replace(/\/SW\d+$/, '/:id')}`;
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
    if (!Array.isArray(body?.materials)) missing.push('materials');
    if (missing.length > 0) {
      res.status(422).json({ message: `missing or invalid: ${missing.join(', ')}` });
      return;
    }
    const bodyHash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
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
      status: 'received',
      reasons: [],
      certificateNumber: null,
      decidedAt: null,
      seq: ++seq,
    };
    applications.set(key, stored);
    byId.set(stored.applicationId, stored);
    const timer = setTimeout(() => {
      timers.delete(timer);
      const rejected = mode.rejectItems.includes(stored.itemCode);
      stored.status = rejected ? 'rejected' : 'approved';
      stored.reasons = rejected ? ['纳税人存在未结清税款，不予办理'] : [];
      stored.certificateNumber = rejected
        ? null
        : `税证${new Date().getFullYear()}${stored.applicationId.slice(2)}`;
      stored.decidedAt = new Date().toISOString();
      stored.seq = ++seq;
    }, mode.reviewMs);
    timers.add(timer);
    res.status(202).json({ applicationId: stored.applicationId, status: stored.status });
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
    async close() {
      for (const t of timers) clearTimeout(t);
      await listening.close();
    },
  };
}

function view(a: StoredApplication) {
  return {
    applicationId: a.applicationId,
    caseRef: a.caseRef,
    status: a.status,
    reasons: a.reasons,
    decidedAt: a.decidedAt,
    certificate: a.certificateNumber ? { name: '税务事项通知书', number: a.certificateNumber } : null,
  };
}
