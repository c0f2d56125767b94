import { createHash, randomInt, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { RunningSimulator, SimulatorFaults } from '../kit/adapter-contract.ts';
import { listenOnLoopback } from '../kit/simulator-server.ts';
import { signatureMatches, stringToSign } from './sms.signature.ts';

/**
 * An SMS gateway (短信平台) of our own, for development, the demo and tests, in the style of Aliyun
 * Dysms: RPC over a form POST to `/` (`Action=SendSms`, Version 2017-05-25), signed with an AccessKey
 * pair (HMAC-SHA1, SignatureVersion 1.0); registered signatures and templates with `${name}` variables;
 * answers `{ RequestId, Code: 'OK', BizId }` or an error code. Unlike Dysms, it keeps one message per
 * `OutId` (a repeat answers the first BizId with `Idempotent-Replayed: true`), and it gives errors an
 * HTTP status by their nature (400 refused, 429 flow control, 503 its own fault) instead of 200.
 * Phone numbers stay in this process's memory; no answer and no accessor outside it repeats one.
 */
export interface SmsSimulatorMode extends SimulatorFaults {
  /** The next this many SendSms requests meet flow control (isv.BUSINESS_LIMIT_CONTROL, HTTP 429). */
  throttleNext: number;
}

/** Dev credentials, shared with the adapter's config defaults. */
export const SMS_SIMULATOR_CREDENTIALS = {
  accessKeyId: 'sms-simulator-access-key-id',
  accessKeySecret: 'sms-simulator-access-key-secret',
};

/** Signatures (短信签名) approved for this account. */
export const SMS_SIMULATOR_SIGN_NAMES = ['濮阳市政务服务'];

/** Templates approved for this account, as the gateway holds them (variables in Dysms's `${name}` form). */
// biome-ignore-start lint/suspicious/noTemplateCurlyInString: the gateway's own placeholder syntax
export const SMS_SIMULATOR_TEMPLATES: Record<string, string> = {
  OWH_ACCEPTED: '您申请的${item}已受理，办件编号${caseNumber}，可凭编号在濮阳市政务服务网查询办理进度。',
  OWH_CORRECTION:
    '您申请的${item}（办件编号${caseNumber}）需补正材料，详见补正告知书${documentNumber}，请登录濮阳市政务服务网查看并按要求补正。',
  OWH_DECIDED: '您申请的${item}（办件编号${caseNumber}）已办结，办理结果：${outcome}。',
  OWH_READY_FOR_PICKUP:
    '您申请的${item}（办件编号${caseNumber}）办理结果已可领取，请携带本人有效身份证件到${place}领取。',
  OWH_SHIPPED:
    '您申请的${item}（办件编号${caseNumber}）办理结果已交EMS寄出，运单号${waybillNo}，请注意查收。',
  OWH_RETURNED:
    '您申请的${item}（办件编号${caseNumber}）办理结果邮件未能投递已退回，请携带本人有效身份证件到${place}领取。',
};
// biome-ignore-end lint/suspicious/noTemplateCurlyInString: the gateway's own placeholder syntax

/** A message as the tests may see it: the rendered text and only the last four digits of the phone. */
export interface SimulatedSms {
  idempotencyKey: string;
  template: string;
  text: string;
  phoneSuffix: string;
}

export interface RunningSmsSimulator extends RunningSimulator {
  mode: SmsSimulatorMode;
  setMode(mode: Partial<SmsSimulatorMode>): void;
  /** Messages sent, one per OutId, in order. */
  messages(): SimulatedSms[];
}

/** A successful answer: its body, and whether it repeats an earlier message's. */
interface Reply {
  body: Record<string, unknown>;
  replayed: boolean;
}

interface StoredSms {
  bizId: string;
  outId: string;
  /** The full number, in this process's memory only. */
  phone: string;
  template: string;
  params: Record<string, string>;
  text: string;
  /** What the message is (number, signature, template, parameters), to tell a repeat from a misused OutId. */
  fingerprint: string;
}

/** The gateway's refusal of a request: HTTP status, error code, message. */
class Refusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  constructor(status: number, code: string, message: string) {
    this.status = status;
    this.code = code;
    this.message = message;
  }
}

const DEFAULT_MODE: SmsSimulatorMode = {
  latencyMs: 0,
  down: false,
  hang: false,
  malformed: false,
  rejectSubmissions: false,
  throttleNext: 0,
};

const MOBILE = /^1[3-9]\d{9}$/;
const VARIABLE = /\$\{(\w+)\}/g;
/** Dysms's limit on a variable's value. */
const MAX_PARAM_LENGTH = 35;
/** How far a request's Timestamp may be from the gateway's clock. */
const TIMESTAMP_TOLERANCE_MS = 15 * 60_000;

/** The variables of a template, in order of appearance. */
export function templateVariables(template: string): string[] {
  return [...template.matchAll(VARIABLE)].map((m) => m[1]!);
}

function refusal(status: number, code: string, message: string): Refusal {
  return new Refusal(status, code, message);
}

/** Reads TemplateParam: a JSON object whose values are all strings. */
function readTemplateParam(text: string | undefined): Record<string, string> | Refusal {
  const invalid = refusal(400, 'isv.INVALID_JSON_PARAM', 'JSON参数不合法，只接受字符串值');
  if (text === undefined || text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return invalid;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return invalid;
  const entries = Object.entries(value);
  if (!entries.every(([, v]) => typeof v === 'string')) return invalid;
  return Object.fromEntries(entries) as Record<string, string>;
}

/** Renders a template, or the refusal of a parameter that is missing or too long (named, never its value). */
function render(template: string, params: Record<string, string>): string | Refusal {
  for (const name of templateVariables(template)) {
    const value = params[name];
    if (value === undefined || value === '')
      return refusal(400, 'isv.TEMPLATE_MISSING_PARAMETERS', `模板变量缺少对应参数值：${name}`);
    if ([...value].length > MAX_PARAM_LENGTH)
      return refusal(
        400,
        'isv.PARAM_LENGTH_LIMIT',
        `参数超出长度限制：${name}（不超过 ${MAX_PARAM_LENGTH} 个字符）`,
      );
  }
  return template.replace(VARIABLE, (_, name: string) => params[name]!);
}

export async function startSmsSimulator(
  options: {
    port?: number;
    mode?: Partial<SmsSimulatorMode>;
    accessKeyId?: string;
    accessKeySecret?: string;
  } = {},
): Promise<RunningSmsSimulator> {
  const mode: SmsSimulatorMode = { ...DEFAULT_MODE, ...options.mode };
  const accessKeyId = options.accessKeyId ?? SMS_SIMULATOR_CREDENTIALS.accessKeyId;
  const accessKeySecret = options.accessKeySecret ?? SMS_SIMULATOR_CREDENTIALS.accessKeySecret;
  const messages = new Map<string, StoredSms>();
  const calls: Record<string, number> = {};
  let serial = 0;

  /** Dysms-style BizId: 18 digits, `^`, the part number. */
  const nextBizId = () =>
    `${randomInt(100_000, 1_000_000)}${String(Date.now()).slice(-7)}${String(++serial).padStart(5, '0')}^0`;

  /** Checks the common parameters and the signature; null when the request is authentic. */
  function authenticate(params: Record<string, string>): Refusal | null {
    for (const name of ['AccessKeyId', 'Signature', 'SignatureNonce', 'Timestamp'])
      if (!params[name]) return refusal(400, `Missing${name}`, `${name} is mandatory for this action.`);
    if (params.AccessKeyId !== accessKeyId)
      return refusal(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    const timestamp = Date.parse(params.Timestamp!);
    if (Number.isNaN(timestamp))
      return refusal(
        400,
        'InvalidTimeStamp.Format',
        'Specified time stamp or date value is not well formatted.',
      );
    if (Math.abs(Date.now() - timestamp) > TIMESTAMP_TOLERANCE_MS)
      return refusal(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
    // SignatureNonce is not checked for reuse: the kit resends the very same signed request on a retry.
    if (params.SignatureMethod !== 'HMAC-SHA1' || !signatureMatches(accessKeySecret, 'POST', params))
      // Like Dysms, the answer shows the string it signed: the client must not pass it on unmasked.
      return refusal(
        400,
        'SignatureDoesNotMatch',
        `Specified signature is not matched with our calculation. server string to sign is:${stringToSign('POST', params)}`,
      );
    return null;
  }

  /** Answers a SendSms: the message's BizId, sent once per OutId, or the refusal. */
  function sendSms(params: Record<string, string>): Reply | Refusal {
    if (mode.rejectSubmissions) return refusal(400, 'isv.SMS_CONTENT_ILLEGAL', '短信内容包含禁止发送内容');
    const { PhoneNumbers: phone, SignName: signName, TemplateCode: code, OutId: outId } = params;
    if (!phone) return refusal(400, 'MissingPhoneNumbers', 'PhoneNumbers is mandatory for this action.');
    // One number per request (Dysms would take a comma-separated list; the hub never sends one).
    if (!MOBILE.test(phone)) return refusal(400, 'isv.MOBILE_NUMBER_ILLEGAL', '非法手机号');
    if (!signName) return refusal(400, 'MissingSignName', 'SignName is mandatory for this action.');
    if (!SMS_SIMULATOR_SIGN_NAMES.includes(signName))
      return refusal(400, 'isv.SMS_SIGNATURE_ILLEGAL', '该账号下找不到对应签名');
    if (!code) return refusal(400, 'MissingTemplateCode', 'TemplateCode is mandatory for this action.');
    const template = SMS_SIMULATOR_TEMPLATES[code];
    if (!template) return refusal(400, 'isv.SMS_TEMPLATE_ILLEGAL', '该账号下找不到对应模板');
    if (!outId) return refusal(400, 'MissingOutId', 'OutId is mandatory for this gateway.');
    const values = readTemplateParam(params.TemplateParam);
    if (values instanceof Refusal) return values;
    const rendered = render(template, values);
    if (rendered instanceof Refusal) return rendered;
    const sorted = Object.fromEntries(Object.entries(values).sort(([a], [b]) => a.localeCompare(b)));
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([phone, signName, code, sorted]))
      .digest('hex');
    const existing = messages.get(outId);
    if (existing) {
      if (existing.fingerprint !== fingerprint)
        return refusal(409, 'IdempotentParameterMismatch', 'OutId 已用于另一条短信');
      // A repeat sends nothing, so flow control does not apply to it.
      return { body: { Code: 'OK', Message: 'OK', BizId: existing.bizId }, replayed: true };
    }
    if (mode.throttleNext > 0) {
      mode.throttleNext--;
      return refusal(429, 'isv.BUSINESS_LIMIT_CONTROL', '触发分钟级流控Permits:1');
    }
    const sms: StoredSms = {
      bizId: nextBizId(),
      outId,
      phone,
      template: code,
      params: values,
      text: `【${signName}】${rendered}`,
      fingerprint,
    };
    messages.set(outId, sms);
    return { body: { Code: 'OK', Message: 'OK', BizId: sms.bizId }, replayed: false };
  }

  /** Answers a QuerySmsSign: every signature this account holds is approved (SignStatus 1). */
  function querySmsSign(params: Record<string, string>): Reply | Refusal {
    const signName = params.SignName;
    if (!signName) return refusal(400, 'MissingSignName', 'SignName is mandatory for this action.');
    if (!SMS_SIMULATOR_SIGN_NAMES.includes(signName))
      return refusal(400, 'isv.SMS_SIGNATURE_ILLEGAL', '该账号下找不到对应签名');
    return {
      body: { Code: 'OK', Message: 'OK', SignName: signName, SignStatus: 1, Reason: '' },
      replayed: false,
    };
  }

  const actions = new Map<string, (params: Record<string, string>) => Reply | Refusal>([
    ['SendSms', sendSms],
    ['QuerySmsSign', querySmsSign],
  ]);

  /** Every answer is JSON with a RequestId; a refusal carries its Code and Message. */
  function reply(res: Response, result: Reply | Refusal): void {
    const requestId = randomUUID().toUpperCase();
    if (result instanceof Refusal) {
      res.status(result.status).json({ RequestId: requestId, Code: result.code, Message: result.message });
      return;
    }
    if (result.replayed) res.set('idempotent-replayed', 'true');
    res.status(200).json({ RequestId: requestId, ...result.body });
  }

  const app = express();
  app.disable('x-powered-by');
  app.use(express.urlencoded({ extended: false, limit: '16kb' }));
  app.use((req, _res, next) => {
    const action = typeof req.body?.Action === 'string' ? `?Action=${req.body.Action}` : '';
    const route = `${req.method} ${req.path}${action}`;
    calls[route] = (calls[route] ?? 0) + 1;
    next();
  });
  app.use(async (_req: Request, res: Response, next: NextFunction) => {
    if (mode.hang) return; // never answers; the client's timeouts must cope
    if (mode.latencyMs > 0) await sleep(mode.latencyMs);
    if (mode.down) {
      reply(
        res,
        refusal(
          503,
          'ServiceUnavailable',
          'The request has failed due to a temporary failure of the server.',
        ),
      );
      return;
    }
    if (mode.malformed) {
      res.status(200).type('application/json').send('{"RequestId":"8E1F","Code":"OK","BizId":"9');
      return;
    }
    next();
  });

  app.post('/', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!Object.values(body).every((v) => typeof v === 'string')) {
      reply(res, refusal(400, 'InvalidParameter', 'Each parameter may be given once.'));
      return;
    }
    const params = body as Record<string, string>;
    const action = actions.get(params.Action ?? '');
    reply(
      res,
      authenticate(params) ??
        (action
          ? action(params)
          : refusal(
              404,
              'InvalidApi.NotFound',
              'Specified api is not found, please check your url and method.',
            )),
    );
  });
  // Unreadable bodies: a JSON answer, not express's HTML page.
  app.use((error: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    const status = error.status && error.status < 500 ? error.status : 500;
    reply(
      res,
      refusal(
        status,
        status < 500 ? 'InvalidParameter' : 'InternalError',
        'The request body cannot be read.',
      ),
    );
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
    messages: () =>
      [...messages.values()].map((m) => ({
        idempotencyKey: m.outId,
        template: m.template,
        text: m.text,
        phoneSuffix: m.phone.slice(-4),
      })),
    submissions: () =>
      [...messages.values()].map((m) => ({
        idempotencyKey: m.outId,
        departmentRef: m.bizId,
        caseNumber: m.params.caseNumber ?? '',
      })),
    calls: () => ({ ...calls }),
    close: () => listening.close(),
  };
}
