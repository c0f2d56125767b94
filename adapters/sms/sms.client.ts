import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { CallRecorder } from '../kit/adapter-contract.ts';
import { DepartmentError } from '../kit/department-error.ts';
import {
  DepartmentHttp,
  type DepartmentResponse,
  type HttpResilience,
  parseJson,
} from '../kit/department-http.ts';
import { describeRefusal, errorKindOf, type SendSmsParams } from './sms.mapping.ts';
import { canonicalQuery, percentEncode, rpcSignature } from './sms.signature.ts';

/** The API version and region of Dysms's RPC interface, which the gateway speaks. */
const API_VERSION = '2017-05-25';
const REGION_ID = 'cn-hangzhou';

/** Every answer carries these; `Code` is `OK` or the gateway's error code. */
const answerSchema = z.object({
  RequestId: z.string().min(1),
  Code: z.string().min(1),
  Message: z.string().optional(),
});
const sendAnswerSchema = answerSchema.extend({ BizId: z.string().optional() });
const signAnswerSchema = answerSchema.extend({
  SignStatus: z.number().int().optional(),
  Reason: z.string().optional(),
});

type Answer = z.infer<typeof answerSchema>;

/** A refusal answered with HTTP 200 and a Code other than OK, as Dysms gives its business errors. */
function refusalOf(answer: Answer): DepartmentError {
  return new DepartmentError('sms', errorKindOf(answer.Code), describeRefusal(answer.Code, answer.Message));
}

/**
 * A 4xx the kit turned into a permanent error keeps the raw answer (cut at 300 characters) as its
 * reason, since the gateway's fields are `Code`/`Message`, not `message`: read it back as
 * `Code: Message`. An answer that cannot be read is not passed on (it may echo the request and its
 * number); its Code is kept when it can be found.
 */
function withGatewayReason(error: unknown): unknown {
  if (!(error instanceof DepartmentError) || error.kind !== 'permanent') return error;
  let reason: string;
  try {
    const answer = answerSchema.parse(JSON.parse(error.reason));
    reason = describeRefusal(answer.Code, answer.Message);
  } catch {
    const code = /"Code"\s*:\s*"([\w.-]{1,64})"/.exec(error.reason)?.[1];
    reason = code ? `${code} (the rest of the answer could not be read)` : 'the answer could not be read';
  }
  return new DepartmentError('sms', 'permanent', reason, error.status);
}

/**
 * The only code that talks to the SMS gateway (短信平台): Dysms-style RPC, a form POST to `/` whose
 * parameters (the phone number among them) travel only in the body, signed with the AccessKey pair.
 */
export class SmsClient {
  readonly http: DepartmentHttp;
  readonly #accessKeyId: string;
  readonly #accessKeySecret: string;

  constructor(options: {
    baseUrl: string;
    accessKeyId: string;
    accessKeySecret: string;
    recorder: CallRecorder;
    resilience?: Partial<HttpResilience>;
  }) {
    this.http = new DepartmentHttp({
      department: 'sms',
      baseUrl: options.baseUrl,
      recorder: options.recorder,
      ...(options.resilience ? { resilience: options.resilience } : {}),
    });
    this.#accessKeyId = options.accessKeyId;
    this.#accessKeySecret = options.accessKeySecret;
  }

  /**
   * Sends one message, once per OutId: `replayed` when the gateway already had that OutId (it answers
   * the first BizId again with `Idempotent-Replayed: true`).
   */
  async sendSms(
    params: SendSmsParams,
    caseNumber: string | null,
  ): Promise<{ bizId: string; replayed: boolean }> {
    const response = await this.#call('sms-send', 'SendSms', { ...params }, caseNumber);
    const answer = parseJson('sms', response.text, sendAnswerSchema, 'SendSms');
    if (answer.Code !== 'OK') throw refusalOf(answer);
    if (!answer.BizId) throw new DepartmentError('sms', 'malformed', 'SendSms: the answer lacks BizId');
    return { bizId: answer.BizId, replayed: response.headers['idempotent-replayed'] === 'true' };
  }

  /** The approval state of a signature (0 pending, 1 approved, 2 refused): the health check. */
  async querySign(signName: string): Promise<{ status: number; reason: string }> {
    const response = await this.#call('health', 'QuerySmsSign', { SignName: signName }, null);
    const answer = parseJson('sms', response.text, signAnswerSchema, 'QuerySmsSign');
    if (answer.Code !== 'OK') throw refusalOf(answer);
    if (answer.SignStatus === undefined)
      throw new DepartmentError('sms', 'malformed', 'QuerySmsSign: the answer lacks SignStatus');
    return { status: answer.SignStatus, reason: answer.Reason ?? '' };
  }

  async #call(
    operation: string,
    action: string,
    params: Record<string, string>,
    caseNumber: string | null,
  ): Promise<DepartmentResponse> {
    // Signed once per call: the kit repeats this very request on a retry, within the timestamp window.
    const signed: Record<string, string> = {
      ...params,
      AccessKeyId: this.#accessKeyId,
      Action: action,
      Format: 'JSON',
      RegionId: REGION_ID,
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: randomUUID(),
      SignatureVersion: '1.0',
      Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      Version: API_VERSION,
    };
    const signature = rpcSignature(this.#accessKeySecret, 'POST', signed);
    try {
      return await this.http.send({
        operation,
        method: 'POST',
        path: '/',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `${canonicalQuery(signed)}&Signature=${percentEncode(signature)}`,
        caseNumber,
      });
    } catch (error) {
      throw withGatewayReason(error);
    }
  }
}
