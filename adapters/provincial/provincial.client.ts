import { z } from 'zod';
import type { CallRecorder } from '../kit/adapter-contract.ts';
import { DepartmentHttp, type HttpResilience, parseJson } from '../kit/department-http.ts';
import type { ProvincialAcceptanceRecord, ProvincialPreAcceptanceRecord } from './provincial.mapping.ts';

const recordSchema = z.object({ recordId: z.string().min(1) });
const healthSchema = z.object({ status: z.literal('UP') });

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
