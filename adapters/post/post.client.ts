import { z } from 'zod';
import type { CallRecorder } from '../kit/adapter-contract.ts';
import { DepartmentHttp, type HttpResilience, parseJson } from '../kit/department-http.ts';
import {
  type PostShipmentRequest,
  type PostTrackingEventView,
  type PostTrackingStatus,
  TRACKING_STATUS,
} from './post.mapping.ts';

const shipmentSchema = z.object({ waybillNo: z.string().min(1), status: z.string() });
const healthSchema = z.object({ status: z.literal('ok') });
const callbackSchema = z.object({
  events: z
    .array(
      z.object({
        type: z.literal('tracking'),
        waybillNo: z.string().min(1),
        caseRef: z.string().min(1),
        status: z.enum(Object.keys(TRACKING_STATUS) as [PostTrackingStatus, ...PostTrackingStatus[]]),
        location: z.string(),
        sequence: z.number().int().nonnegative(),
        occurredAt: z.iso.datetime({ offset: true }),
      }),
    )
    .min(1),
});

/** Reads a (verified) tracking callback body; DepartmentError('malformed') when it cannot. */
export function parseTrackingCallback(body: Buffer): PostTrackingEventView[] {
  return parseJson('post', body.toString('utf8'), callbackSchema, 'tracking callback').events;
}

/** The only code that talks to the post (EMS): REST/JSON with an API key. */
export class PostClient {
  readonly http: DepartmentHttp;
  readonly #apiKey: string;

  constructor(options: {
    baseUrl: string;
    apiKey: string;
    recorder: CallRecorder;
    resilience?: Partial<HttpResilience>;
  }) {
    this.http = new DepartmentHttp({
      department: 'post',
      baseUrl: options.baseUrl,
      recorder: options.recorder,
      ...(options.resilience ? { resilience: options.resilience } : {}),
    });
    this.#apiKey = options.apiKey;
  }

  /** Creates a shipment once per key; `replayed` when the post already had it (HTTP 200, not 201). */
  async createShipment(
    shipment: PostShipmentRequest,
    idempotencyKey: string,
  ): Promise<{ waybillNo: string; status: string; replayed: boolean }> {
    const response = await this.http.send({
      operation: 'submit',
      method: 'POST',
      path: '/api/v1/shipments',
      headers: {
        'x-api-key': this.#apiKey,
        'content-type': 'application/json',
        'idempotency-key': idempotencyKey,
      },
      body: JSON.stringify(shipment),
      caseNumber: shipment.caseRef,
    });
    const answer = parseJson('post', response.text, shipmentSchema, 'shipment');
    return { ...answer, replayed: response.status === 200 };
  }

  async ping(): Promise<void> {
    const response = await this.http.send({
      operation: 'health',
      method: 'GET',
      path: '/api/v1/health',
      headers: { 'x-api-key': this.#apiKey },
    });
    parseJson('post', response.text, healthSchema, 'health');
  }
}
