import { z } from 'zod';
import type { CallRecorder } from '../kit/adapter-contract.ts';
import { DepartmentError } from '../kit/department-error.ts';
import { DepartmentHttp, type HttpResilience, parseJson } from '../kit/department-http.ts';
import type {
  ProvincialAcceptanceRecord,
  ProvincialPreAcceptanceRecord,
  ProvincialStatusRecord,
} from './provincial.mapping.ts';

const recordSchema = z.object({ recordId: z.string().min(1) });
const healthSchema = z.object({ status: z.literal('UP') });
const errorSchema = z.object({
  code: z.string().optional(),
  message: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});

/**
 * The platform's code for a process record about a case it holds no acceptance for. It is the only
 * 422 worth telling apart: the record itself may be fine and merely early.
 */
export const CASE_NOT_ACCEPTED = 'CASE_NOT_ACCEPTED';

/** `message: field: message; …`, as the kit words a refusal, so every reason reads alike. */
function describeRefusal(body: z.infer<typeof errorSchema>): string {
  const fields = (body.errors ?? []).map((e) => `${e.field}: ${e.message}`).join('; ');
  return [body.message, fields].filter(Boolean).join(': ');
}

/**
 * Tags the platform's "no acceptance for this case" answer with its code, in front of the reason;
 * every other failure is left to the kit's rule (4xx permanent, 5xx/429 transient).
 */
function classifyFailure(status: number, text: string): { kind: 'permanent'; reason: string } | null {
  if (status !== 422) return null;
  let body: z.infer<typeof errorSchema>;
  try {
    const parsed = errorSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return null;
    body = parsed.data;
  } catch {
    return null;
  }
  return body.code === CASE_NOT_ACCEPTED
    ? { kind: 'permanent', reason: `${CASE_NOT_ACCEPTED}: ${describeRefusal(body)}` }
    : null;
}

/**
 * The only code that talks to the provincial service platform: REST/JSON with a static bearer token.
 * A 422 carries field-level errors (`{message, errors: [{field, message}]}`); the kit turns it into a
 * permanent DepartmentError whose reason a clerk reads to fix the record.
 */
export class ProvincialClient {
  readonly http: DepartmentHttp;
  readonly #token: string;

  constructor(options: {
    baseUrl: string;
    token: string;
    recorder: CallRecorder;
    resilience?: Partial<HttpResilience>;
  }) {
    this.http = new DepartmentHttp({
      department: 'provincial',
      baseUrl: options.baseUrl,
      recorder: options.recorder,
      classify: classifyFailure,
      ...(options.resilience ? { resilience: options.resilience } : {}),
    });
    this.#token = options.token;
  }

  async recordAcceptance(
    record: ProvincialAcceptanceRecord,
    idempotencyKey: string,
  ): Promise<{ recordId: string; replayed: boolean }> {
    return this.#record('submit', '/api/acceptance-records', record, idempotencyKey);
  }

  async recordPreAcceptance(
    record: ProvincialPreAcceptanceRecord,
    idempotencyKey: string,
  ): Promise<{ recordId: string; replayed: boolean }> {
    return this.#record('pre-acceptance', '/api/pre-acceptance-results', record, idempotencyKey);
  }

  /**
   * A later step of an accepted case (办件过程/办结). The platform refuses it while it holds no acceptance
   * for the case: that answer comes back as `notAccepted` (the platform's words) for the caller to
   * judge; every other refusal is a permanent DepartmentError with the field errors.
   */
  async recordStatusChange(
    record: ProvincialStatusRecord,
    idempotencyKey: string,
  ): Promise<{ recordId: string; replayed: boolean } | { notAccepted: string }> {
    try {
      return await this.#record('status-change', '/api/status-records', record, idempotencyKey);
    } catch (error) {
      const prefix = `${CASE_NOT_ACCEPTED}: `;
      if (error instanceof DepartmentError && error.kind === 'permanent' && error.reason.startsWith(prefix))
        return { notAccepted: error.reason.slice(prefix.length) };
      throw error;
    }
  }

  async ping(): Promise<void> {
    const response = await this.http.send({
      operation: 'health',
      method: 'GET',
      path: '/api/health',
      headers: { authorization: `Bearer ${this.#token}` },
    });
    parseJson('provincial', response.text, healthSchema, 'health');
  }

  /** The platform answers 201 for a new record and 200 for a key it has already recorded. */
  async #record(
    operation: string,
    path: string,
    record: { caseNumber: string },
    idempotencyKey: string,
  ): Promise<{ recordId: string; replayed: boolean }> {
    const response = await this.http.send({
      operation,
      method: 'POST',
      path,
      headers: {
        authorization: `Bearer ${this.#token}`,
        'content-type': 'application/json',
        'idempotency-key': idempotencyKey,
      },
      body: JSON.stringify(record),
      caseNumber: record.caseNumber,
    });
    const { recordId } = parseJson('provincial', response.text, recordSchema, operation);
    return { recordId, replayed: response.status === 200 };
  }
}
