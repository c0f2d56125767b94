import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { RunningSimulator, SimulatorFaults } from '../kit/adapter-contract.ts';
import { listenOnLoopback } from '../kit/simulator-server.ts';
import { signWebhook } from '../kit/webhook-signature.ts';

/**
 * An EMS system of our own, for development, the demo and tests: REST/JSON behind an `X-Api-Key`,
 * shipments keyed by `Idempotency-Key`, and tracking events pushed to the hub as Standard Webhooks
 * callbacks while each shipment walks 收寄 → 运输中 → 派送中 → 已签收. Recipients' phones and
 * addresses are kept in memory only and never logged or echoed in an answer.
 */
export interface PostSimulatorMode extends SimulatorFaults {
  /** Time between one tracking step of a shipment and the next. */
  stepMs: number;
  /** Every callback is delivered twice, with the same webhook-id. */
  duplicateCallbacks: boolean;
  /** Tracking events of a shipment arrive in swapped pairs (2, 1, 4, 3). */
  outOfOrder: boolean;
  /** Shipments without the recipient's phone and address are refused (as a real courier would). */
  requireDelivery: boolean;
}

/** Dev credentials, shared with the adapter's config defaults. */
export const POST_SIMULATOR_CREDENTIALS = {
  apiKey: 'post-simulator-api-key',
  callbackSecret: 'post-simulator-callback-secret',
};

const TRACKING_STEPS = [
  { status: '收寄', location: '濮阳市邮政分公司华龙揽投部' },
  { status: '运输中', location: '濮阳邮区中心局' },
  { status: '派送中', location: '濮阳市华龙区投递部' },
  { status: '已签收', location: '濮阳市华龙区投递部' },
] as const;

/** Delays before the 2nd, 3rd and 4th attempt of a callback the hub did not take. */
const REDELIVERY_DELAYS_MS = [100, 500, 2000];

interface TrackingEvent {
  type: string;
  waybillNo: string;
  caseRef: string;
  status: string;
  location: string;
  sequence: number;
  occurredAt: string;
}

interface StoredShipment {
  waybillNo: string;
  key: string;
  bodyHash: string;
  caseRef: string;
  contents: string;
  /** Real contact data, as the courier needs it: in this process's memory only. */
  recipient: { name: string; phone: string | null; address: string | null; postcode: string | null };
  status: string;
  events: TrackingEvent[];
  /** An event held back in out-of-order mode, sent after the next one. */
  held: TrackingEvent | null;
}

export interface CallbackDelivery {
  webhookId: string;
  attempt: number;
  /** The hub's HTTP status, or null when it could not be reached. */
  status: number | null;
}

export interface RunningPostSimulator extends RunningSimulator {
  mode: PostSimulatorMode;
  setMode(mode: Partial<PostSimulatorMode>): void;
  setCallbackUrl(url: string): void;
  signedCallback(events: { departmentRef: string; caseNumber: string; type: string; sequence: number }[]): {
    headers: Record<string, string>;
    body: string;
  };
  /** Shipments held, one per idempotency key (with the recipient's real data, for tests only). */
  shipments(): StoredShipment[];
  /** Every callback attempt made, in order. */
  deliveries(): CallbackDelivery[];
}

const DEFAULT_MODE: PostSimulatorMode = {
  latencyMs: 0,
  down: false,
  hang: false,
  malformed: false,
  rejectSubmissions: false,
  stepMs: 1000,
  duplicateCallbacks: false,
  outOfOrder: false,
  requireDelivery: false,
};

const S10_WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7];

/** UPU S10 check digit of an 8-digit serial. */
export function s10CheckDigit(serial: string): number {
  const sum = [...serial].reduce((total, digit, i) => total + Number(digit) * S10_WEIGHTS[i]!, 0);
  const check = 11 - (sum % 11);
  return check === 10 ? 0 : check === 11 ? 5 : check;
}

/** EA + 8-digit serial + check digit + CN: the S10 form of an EMS item number. */
export function s10Waybill(serial: number): string {
  const digits = String(serial).padStart(8, '0');
  return `EA${digits}${s10CheckDigit(digits)}CN`;
}

const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-?\d{7,8}$/;

/** What is wrong with a shipment request, in words that never repeat the recipient's data. */
function shipmentProblem(body: unknown, requireDelivery: boolean): string | null {
  if (typeof body !== 'object' || body === null) return '请求体须为 JSON 对象';
  const { caseRef, contents, recipient } = body as Record<string, unknown>;
  if (typeof caseRef !== 'string' || caseRef.trim() === '') return 'caseRef 不能为空';
  if (typeof contents !== 'string' || contents.trim() === '') return 'contents 不能为空';
  if (typeof recipient !== 'object' || recipient === null) return 'recipient 不能为空';
  const { name, phone, address, postcode } = recipient as Record<string, unknown>;
  if (typeof name !== 'string' || name.trim() === '') return '收件人姓名不能为空';
  if (phone !== undefined) {
    if (typeof phone !== 'string') return '收件人电话格式不正确';
    if (phone.includes('*')) return '收件人电话不完整：不接受打码的号码，投递员须能联系收件人';
    if (!MOBILE.test(phone) && !LANDLINE.test(phone)) return '收件人电话格式不正确';
  }
  if (address !== undefined && (typeof address !== 'string' || address.trim().length < 5))
    return '收件地址不完整';
  if (postcode !== undefined && (typeof postcode !== 'string' || !/^\d{6}$/.test(postcode)))
    return '邮政编码须为 6 位数字';
  if (requireDelivery && (phone === undefined || address === undefined))
    return '收件人电话和收件地址不能为空';
  return null;
}

export async function startPostSimulator(
  options: {
    port?: number;
    mode?: Partial<PostSimulatorMode>;
    apiKey?: string;
    callbackSecret?: string;
  } = {},
): Promise<RunningPostSimulator> {
  const mode: PostSimulatorMode = { ...DEFAULT_MODE, ...options.mode };
  const apiKey = options.apiKey ?? POST_SIMULATOR_CREDENTIALS.apiKey;
  const callbackSecret = options.callbackSecret ?? POST_SIMULATOR_CREDENTIALS.callbackSecret;
  const shipments = new Map<string, StoredShipment>();
  const calls: Record<string, number> = {};
  const deliveries: CallbackDelivery[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const closing = new AbortController();
  let callbackUrl: string | null = null;
  // Messages waiting for a callback URL, then one outbound queue so callbacks leave in order.
  const pending: { id: string; body: string }[] = [];
  let outbox: Promise<void> = Promise.resolve();
  let serial = 0;

  function signed(id: string, body: string): Record<string, string> {
    const timestamp = Math.floor(Date.now() / 1000);
    return {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook(callbackSecret, id, timestamp, body),
    };
  }

  /** Delivers one message, retrying a hub that fails or cannot be reached (signed anew per attempt). */
  async function deliver(url: string, message: { id: string; body: string }): Promise<void> {
    for (let attempt = 1; attempt <= REDELIVERY_DELAYS_MS.length + 1; attempt++) {
      if (closing.signal.aborted) return;
      let status: number | null = null;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: signed(message.id, message.body),
          body: message.body,
          signal: AbortSignal.any([closing.signal, AbortSignal.timeout(5000)]),
        });
        status = response.status;
        await response.arrayBuffer();
      } catch {
        // unreachable or too slow: counted as a failed attempt below
      }
      deliveries.push({ webhookId: message.id, attempt, status });
      if (status !== null && status >= 200 && status < 300) return;
      const delay = REDELIVERY_DELAYS_MS[attempt - 1];
      if (delay === undefined) return;
      try {
        await sleep(delay, undefined, { signal: closing.signal });
      } catch {
        return;
      }
    }
  }

  function enqueue(message: { id: string; body: string }): void {
    if (!callbackUrl) {
      pending.push(message);
      return;
    }
    const url = callbackUrl;
    const copies = mode.duplicateCallbacks ? 2 : 1;
    for (let i = 0; i < copies; i++) outbox = outbox.then(() => deliver(url, message));
  }

  function emit(event: TrackingEvent): void {
    enqueue({ id: `msg_${randomUUID()}`, body: JSON.stringify({ events: [event] }) });
  }

  function step(shipment: StoredShipment, index: number): void {
    const next = TRACKING_STEPS[index];
    if (!next) return;
    const event: TrackingEvent = {
      type: 'tracking',
      waybillNo: shipment.waybillNo,
      caseRef: shipment.caseRef,
      status: next.status,
      location: next.location,
      sequence: index + 1,
      occurredAt: new Date().toISOString(),
    };
    shipment.status = next.status;
    shipment.events.push(event);
    const last = index === TRACKING_STEPS.length - 1;
    if (mode.outOfOrder && !shipment.held && !last) {
      shipment.held = event;
    } else {
      emit(event);
      if (shipment.held) emit(shipment.held);
      shipment.held = null;
    }
    if (!last) schedule(() => step(shipment, index + 1), mode.stepMs);
  }

  function schedule(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  }

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
      res.status(503).json({ message: '系统维护中，请稍后再试' });
      return;
    }
    if (mode.malformed) {
      res.status(200).type('application/json').send('{"waybillNo": "EA');
      return;
    }
    next();
  });
  api.use((req, res, next) => {
    if (req.get('x-api-key') !== apiKey) {
      res.status(401).json({ message: 'API key 无效或缺失' });
      return;
    }
    next();
  });
  api.use(express.json({ limit: '64kb' }));

  api.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  api.post('/shipments', (req, res) => {
    if (mode.rejectSubmissions) {
      res.status(422).json({ message: '收件地址不在投递范围内' });
      return;
    }
    const key = req.get('idempotency-key');
    if (!key) {
      res.status(400).json({ message: 'Idempotency-Key header is required' });
      return;
    }
    const problem = shipmentProblem(req.body, mode.requireDelivery);
    if (problem) {
      res.status(422).json({ message: problem });
      return;
    }
    const body = req.body as {
      caseRef: string;
      contents: string;
      recipient: { name: string; phone?: string; address?: string; postcode?: string };
    };
    const bodyHash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
    const existing = shipments.get(key);
    if (existing) {
      if (existing.bodyHash !== bodyHash) {
        res.status(409).json({ message: 'Idempotency-Key was already used with a different shipment' });
        return;
      }
      res.status(200).json({ waybillNo: existing.waybillNo, status: existing.status });
      return;
    }
    const shipment: StoredShipment = {
      waybillNo: s10Waybill(++serial),
      key,
      bodyHash,
      caseRef: body.caseRef,
      contents: body.contents,
      recipient: {
        name: body.recipient.name,
        phone: body.recipient.phone ?? null,
        address: body.recipient.address ?? null,
        postcode: body.recipient.postcode ?? null,
      },
      status: 'created',
      events: [],
      held: null,
    };
    shipments.set(key, shipment);
    schedule(() => step(shipment, 0), mode.stepMs);
    res.status(201).json({ waybillNo: shipment.waybillNo, status: shipment.status });
  });

  app.use('/api/v1', api);
  // Unreadable JSON: a JSON answer, not express's HTML page.
  app.use((error: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    res
      .status(error.status && error.status < 500 ? error.status : 500)
      .json({ message: '请求体不是合法的 JSON' });
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
    setCallbackUrl(url) {
      callbackUrl = url;
      for (const message of pending.splice(0)) enqueue(message);
    },
    // The post only ever pushes tracking events, so a requested `type` (e.g. `decision`) is carried as one.
    signedCallback(events) {
      const body = JSON.stringify({
        events: events.map((e) => {
          const stepOf = TRACKING_STEPS[Math.min(Math.max(e.sequence, 1), TRACKING_STEPS.length) - 1]!;
          return {
            type: 'tracking',
            waybillNo: e.departmentRef,
            caseRef: e.caseNumber,
            status: stepOf.status,
            location: stepOf.location,
            sequence: e.sequence,
            occurredAt: new Date().toISOString(),
          };
        }),
      });
      return { headers: signed(`msg_${randomUUID()}`, body), body };
    },
    shipments: () => [...shipments.values()],
    submissions: () =>
      [...shipments.values()].map((s) => ({
        idempotencyKey: s.key,
        departmentRef: s.waybillNo,
        caseNumber: s.caseRef,
      })),
    deliveries: () => [...deliveries],
    calls: () => ({ ...calls }),
    async close() {
      closing.abort();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await outbox;
      await listening.close();
    },
  };
}
