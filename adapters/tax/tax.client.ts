import { z } from 'zod';
import type { CallRecorder } from '../kit/adapter-contract.ts';
import { DepartmentError } from '../kit/department-error.ts';
import {
  DepartmentHttp,
  type DepartmentRequest,
  type HttpResilience,
  parseJson,
} from '../kit/department-http.ts';
import type {
  TaxApplication,
  TaxDecisionView,
  TaxDeliveryReport,
  TaxMaterialSupplement,
  TaxpayerRecord,
  TaxResultRefusal,
} from './tax.mapping.ts';

const tokenSchema = z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive() });
const submitSchema = z.object({ applicationId: z.string().min(1), status: z.string() });
const decisionSchema = z.object({
  applicationId: z.string(),
  caseRef: z.string(),
  status: z.enum(['received', 'approved', 'rejected']),
  reasons: z.array(z.string()),
  decidedAt: z.string().nullable(),
  certificate: z
    .object({
      name: z.string().min(1),
      number: z.string().min(1),
      itemCode: z.string().min(1),
      issuedTo: z.object({ name: z.string().min(1), idNumber: z.string().min(1) }),
    })
    .nullable(),
});
const decisionsSchema = z.object({ decisions: z.array(decisionSchema), next: z.string() });
/** The bureau's answer to a result refusal or a delivery report (a repeat answers the first again). */
const feedbackSchema = z.object({ applicationId: z.string().min(1), status: z.string() });
/** The bureau's answer to a supplement of materials (a repeat of the key answers the first again). */
const supplementSchema = z.object({ applicationId: z.string().min(1), supplementId: z.string().min(1) });
const lookupSchema = z.object({
  results: z.array(
    z.object({
      idNumber: z.string(),
      status: z.enum(['normal', 'abnormal', 'unregistered']),
      clearance: z.boolean(),
      outstandingFen: z.number().int(),
    }),
  ),
});

/** The only code that talks to the tax bureau: OAuth2 client credentials, then its REST API. */
export class TaxClient {
  readonly http: DepartmentHttp;
  readonly #clientId: string;
  readonly #clientSecret: string;
  #token: { value: string; expiresAt: number } | null = null;

  constructor(options: {
    baseUrl: string;
    clientId: string;
    clientSecret: string;
    recorder: CallRecorder;
    resilience?: Partial<HttpResilience>;
  }) {
    this.http = new DepartmentHttp({
      department: 'tax',
      baseUrl: options.baseUrl,
      recorder: options.recorder,
      ...(options.resilience ? { resilience: options.resilience } : {}),
    });
    this.#clientId = options.clientId;
    this.#clientSecret = options.clientSecret;
  }

  async #accessToken(force: boolean): Promise<string> {
    if (!force && this.#token && this.#token.expiresAt > Date.now() + 30_000) return this.#token.value;
    const response = await this.http.send({
      operation: 'token',
      method: 'POST',
      path: '/oauth/token',
      headers: {
        authorization: `Basic ${Buffer.from(`${this.#clientId}:${this.#clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    const token = parseJson('tax', response.text, tokenSchema, 'token');
    this.#token = { value: token.access_token, expiresAt: Date.now() + token.expires_in * 1000 };
    return token.access_token;
  }

  /** Sends with a token; an expired token is renewed once and the call repeated. */
  async #authorised(req: DepartmentRequest): Promise<string> {
    for (const force of [false, true]) {
      const token = await this.#accessToken(force);
      try {
        const response = await this.http.send({
          ...req,
          headers: { ...req.headers, authorization: `Bearer ${token}` },
        });
        return response.text;
      } catch (error) {
        if (!(error instanceof DepartmentError && error.status === 401) || force) throw error;
        this.#token = null;
      }
    }
    throw new DepartmentError('tax', 'permanent', 'the tax bureau refused a fresh token');
  }

  async submit(
    application: TaxApplication,
    idempotencyKey: string,
  ): Promise<{ applicationId: string; status: string }> {
    const text = await this.#authorised({
      operation: 'submit',
      method: 'POST',
      path: '/v1/applications',
      headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
      body: JSON.stringify(application),
      caseNumber: application.caseRef,
    });
    return parseJson('tax', text, submitSchema, 'submission');
  }

  async decisionsSince(cursor: string | null): Promise<{ decisions: TaxDecisionView[]; next: string }> {
    const text = await this.#authorised({
      operation: 'decisions',
      method: 'GET',
      path: `/v1/decisions?since=${encodeURIComponent(cursor ?? '0')}`,
    });
    return parseJson('tax', text, decisionsSchema, 'decisions');
  }

  /**
   * Sends an issued result back (it does not match the acceptance data); the bureau reviews the
   * application again and a new decision follows. Applied once per idempotency key.
   */
  async refuseResult(
    applicationId: string,
    refusal: TaxResultRefusal,
    idempotencyKey: string,
  ): Promise<{ applicationId: string; status: string }> {
    const text = await this.#authorised({
      operation: 'result-refusal',
      method: 'POST',
      path: `/v1/applications/${encodeURIComponent(applicationId)}/result-refusals`,
      headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
      body: JSON.stringify(refusal),
      caseNumber: refusal.caseRef,
    });
    return parseJson('tax', text, feedbackSchema, 'result refusal');
  }

  /** Tells the bureau how its result was delivered. Applied once per idempotency key. */
  async reportDelivery(
    applicationId: string,
    report: TaxDeliveryReport,
    idempotencyKey: string,
  ): Promise<{ applicationId: string; status: string }> {
    const text = await this.#authorised({
      operation: 'delivery-report',
      method: 'POST',
      path: `/v1/applications/${encodeURIComponent(applicationId)}/delivery`,
      headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
      body: JSON.stringify(report),
      caseNumber: report.caseRef,
    });
    return parseJson('tax', text, feedbackSchema, 'delivery report');
  }

  /**
   * Adds materials the taxpayer owed at acceptance (容缺补交) to an application the bureau holds.
   * Applied once per idempotency key; the key with other materials is refused (409).
   */
  async supplyMaterials(
    applicationId: string,
    supplement: TaxMaterialSupplement,
    idempotencyKey: string,
  ): Promise<{ applicationId: string; supplementId: string }> {
    const text = await this.#authorised({
      operation: 'material-supplement',
      method: 'POST',
      path: `/v1/applications/${encodeURIComponent(applicationId)}/materials`,
      headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
      body: JSON.stringify(supplement),
      caseNumber: supplement.caseRef,
    });
    return parseJson('tax', text, supplementSchema, 'material supplement');
  }

  /** One call for a whole batch of taxpayers. */
  async lookupTaxpayers(idNumbers: string[]): Promise<TaxpayerRecord[]> {
    if (idNumbers.length === 0) return [];
    const text = await this.#authorised({
      operation: 'taxpayer-lookup',
      method: 'POST',
      path: '/v1/taxpayers/lookup',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ taxpayers: idNumbers.map((idNumber) => ({ idNumber })) }),
    });
    return parseJson('tax', text, lookupSchema, 'taxpayer look-up').results;
  }
}
