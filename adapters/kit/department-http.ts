import { Agent, request, errors as undiciErrors } from 'undici';
import type { z } from 'zod';
import type { CallRecorder, DepartmentCallRecord } from './adapter-contract.ts';
import { CircuitBreaker } from './circuit-breaker.ts';
import { ConcurrencyLimit } from './concurrency-limit.ts';
import { DepartmentError } from './department-error.ts';

/** Resilience settings, configured per department. */
export interface HttpResilience {
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  /** Attempts in all, for transient failures (1 = no retry). */
  maxAttempts: number;
  /** First backoff; doubles each retry, with full jitter, up to `backoffMaxMs`. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  breakerFailureThreshold: number;
  breakerResetMs: number;
  concurrency: number;
}

export const DEFAULT_RESILIENCE: HttpResilience = {
  connectTimeoutMs: 2000,
  headersTimeoutMs: 5000,
  bodyTimeoutMs: 10_000,
  maxAttempts: 3,
  backoffBaseMs: 200,
  backoffMaxMs: 5000,
  breakerFailureThreshold: 5,
  breakerResetMs: 15_000,
  concurrency: 16,
};

export interface DepartmentRequest {
  /** Name for the call record, e.g. `submit`, `taxpayer-lookup`. */
  operation: string;
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** The case the call concerns; sent as X-Case-Number (like X-Road's issue header). */
  caseNumber?: string | null;
}

/**
 * How an adapter reads a failed answer in its department's protocol (e.g. a SOAP fault): whether it is
 * worth retrying, and the department's own reason. null = the kit's rule (5xx/429 transient, 4xx
 * permanent) with the kit's reason.
 */
export type FailureClassifier = (
  status: number,
  text: string,
) => { kind: 'transient' | 'permanent'; reason: string } | null;

export interface DepartmentResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * The only way adapters talk HTTP to a department: timeouts on connect, headers and body; retries with
 * exponential backoff and jitter for transient failures only; a circuit breaker; a concurrency limit;
 * every attempt recorded (what, when, outcome) without bodies, so no personal data is kept.
 */
export class DepartmentHttp {
  readonly department: string;
  readonly #baseUrl: URL;
  readonly #settings: HttpResilience;
  readonly #agent: Agent;
  readonly #breaker: CircuitBreaker;
  readonly #limit: ConcurrencyLimit;
  readonly #recorder: CallRecorder;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #classify: FailureClassifier;

  constructor(options: {
    department: string;
    baseUrl: string;
    resilience?: Partial<HttpResilience>;
    recorder: CallRecorder;
    sleep?: (ms: number) => Promise<void>;
    classify?: FailureClassifier;
  }) {
    this.department = options.department;
    this.#baseUrl = new URL(options.baseUrl);
    this.#settings = { ...DEFAULT_RESILIENCE, ...options.resilience };
    this.#agent = new Agent({
      connectTimeout: this.#settings.connectTimeoutMs,
      headersTimeout: this.#settings.headersTimeoutMs,
      bodyTimeout: this.#settings.bodyTimeoutMs,
      keepAliveTimeout: 10_000,
    });
    this.#breaker = new CircuitBreaker({
      failureThreshold: this.#settings.breakerFailureThreshold,
      resetMs: this.#settings.breakerResetMs,
    });
    this.#limit = new ConcurrencyLimit(this.#settings.concurrency);
    this.#recorder = options.recorder;
    this.#sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.#classify = options.classify ?? (() => null);
  }

  get circuit(): 'closed' | 'open' | 'half_open' {
    return this.#breaker.state;
  }

  /**
   * Sends a request; answers 2xx responses. A 4xx is a permanent DepartmentError (never retried);
   * 5xx, 429, timeouts and connection failures are retried up to maxAttempts, then transient.
   */
  async send(req: DepartmentRequest): Promise<DepartmentResponse> {
    let lastError: DepartmentError | null = null;
    for (let attempt = 1; attempt <= this.#settings.maxAttempts; attempt++) {
      if (attempt > 1) await this.#sleep(this.#backoff(attempt - 1));
      try {
        return await this.#limit.run(() => this.#once(req, attempt));
      } catch (error) {
        if (!(error instanceof DepartmentError)) throw error;
        lastError = error;
        if (error.kind !== 'transient') throw error;
      }
    }
    throw lastError!;
  }

  #backoff(retry: number): number {
    const cap = Math.min(this.#settings.backoffMaxMs, this.#settings.backoffBaseMs * 2 ** (retry - 1));
    return Math.round(cap / 2 + Math.random() * (cap / 2));
  }

  async #once(req: DepartmentRequest, attempt: number): Promise<DepartmentResponse> {
    const startedAt = new Date();
    const record = (status: number | null, outcome: DepartmentCallRecord['outcome'], error: string | null) =>
      this.#recorder.record({
        department: this.department,
        caseNumber: req.caseNumber ?? null,
        operation: req.operation,
        method: req.method,
        path: req.path.split('?')[0]!,
        requestBytes: req.body ? Buffer.byteLength(req.body) : 0,
        status,
        outcome,
        error,
        startedAt,
        durationMs: Date.now() - startedAt.getTime(),
        attempt,
      });
    if (!this.#breaker.allow()) {
      record(null, 'unavailable', 'circuit open');
      throw new DepartmentError(
        this.department,
        'unavailable',
        'too many recent failures; calls are paused briefly',
      );
    }
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    if (req.caseNumber) headers['x-case-number'] = req.caseNumber;
    let status: number;
    let text: string;
    let responseHeaders: DepartmentResponse['headers'];
    try {
      const response = await request(new URL(req.path, this.#baseUrl), {
        method: req.method,
        headers,
        ...(req.body !== undefined ? { body: req.body } : {}),
        dispatcher: this.#agent,
      });
      status = response.statusCode;
      responseHeaders = response.headers;
      text = await response.body.text();
    } catch (error) {
      this.#breaker.failure();
      const reason = describeNetworkError(error);
      record(null, 'transient', reason);
      throw new DepartmentError(this.department, 'transient', reason);
    }
    const own = status >= 400 ? this.#classify(status, text) : null;
    if (own) {
      // The department said in its own protocol what kind of failure this is.
      if (own.kind === 'transient') this.#breaker.failure();
      else this.#breaker.success();
      record(status, own.kind, `HTTP ${status}`);
      throw new DepartmentError(this.department, own.kind, own.reason.slice(0, 2000), status);
    }
    if (status >= 500 || status === 429) {
      this.#breaker.failure();
      record(status, 'transient', `HTTP ${status}`);
      throw new DepartmentError(
        this.department,
        'transient',
        `the department answered HTTP ${status}`,
        status,
      );
    }
    this.#breaker.success();
    if (status >= 400) {
      record(status, 'permanent', `HTTP ${status}`);
      throw new DepartmentError(this.department, 'permanent', rejectionReason(text, status), status);
    }
    record(status, 'ok', null);
    return { status, headers: responseHeaders, text };
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }
}

function describeNetworkError(error: unknown): string {
  if (error instanceof undiciErrors.ConnectTimeoutError) return 'connecting timed out';
  if (error instanceof undiciErrors.HeadersTimeoutError) return 'no answer (headers) in time';
  if (error instanceof undiciErrors.BodyTimeoutError) return 'the answer stalled (body) past the timeout';
  const code = (error as { code?: string }).code;
  return code ? `connection failed (${code})` : `connection failed (${(error as Error).message})`;
}

/** The department's own reason for a rejection, from a JSON `message`/`error` or the raw text. */
function rejectionReason(text: string, status: number): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown; errors?: unknown };
    // Field-level errors (`[{field, message}]`) are what a clerk needs to fix a record, so they are kept.
    const fields = Array.isArray(body.errors)
      ? body.errors
          .filter(
            (e): e is { field: string; message: string } =>
              typeof e?.field === 'string' && typeof e?.message === 'string',
          )
          .map((e) => `${e.field}: ${e.message}`)
          .join('; ')
      : '';
    const summary =
      typeof body.message === 'string' ? body.message : typeof body.error === 'string' ? body.error : null;
    if (summary !== null || fields) return [summary, fields].filter(Boolean).join(': ').slice(0, 2000);
  } catch {
    // not JSON: fall through
  }
  return text.trim().slice(0, 300) || `rejected with HTTP ${status}`;
}

/** Parses a JSON answer, or fails as `malformed` (no state change follows a malformed answer). */
export function parseJson<T>(department: string, text: string, schema: z.ZodType<T>, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new DepartmentError(department, 'malformed', `${what}: the answer is not JSON`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    throw new DepartmentError(department, 'malformed', `${what}: the answer lacks or garbles ${fields}`);
  }
  return parsed.data;
}
