import { randomInt } from 'node:crypto';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DepartmentCallRecord, SmsMessage } from '../../adapters/kit/adapter-contract.ts';
import { DepartmentError } from '../../adapters/kit/department-error.ts';
import { AdapterConfigError, buildAdapters } from '../../adapters/registry.ts';
import { smsAdapter } from '../../adapters/sms/index.ts';
import { createSmsAdapter, type SmsAdapter } from '../../adapters/sms/sms.adapter.ts';
import { smsConfigSchema } from '../../adapters/sms/sms.config.ts';
import { describeRefusal, SMS_TEMPLATE_PARAMS } from '../../adapters/sms/sms.mapping.ts';
import { rpcSignature } from '../../adapters/sms/sms.signature.ts';
import {
  type RunningSmsSimulator,
  SMS_SIMULATOR_CREDENTIALS,
  SMS_SIMULATOR_TEMPLATES,
  startSmsSimulator,
  templateVariables,
} from '../../adapters/sms/sms.simulator.ts';

/** The SMS gateway (短信平台) adapter against its simulator: a real HTTP server on loopback. */

const PHONE = '13903931234';
const deps = (calls: DepartmentCallRecord[]) => ({
  recorder: { record: (c: DepartmentCallRecord) => calls.push(c) },
  identities: { resolve: async () => new Map() },
});
let serial = randomInt(100_000, 900_000);

function acceptedMessage(overrides: Partial<SmsMessage> = {}): SmsMessage {
  const caseNumber = `410900-20261125-${String(serial++).padStart(6, '0')}`;
  return {
    to: PHONE,
    template: 'OWH_ACCEPTED',
    params: { item: '企业设立登记', caseNumber },
    idempotencyKey: `sms-${caseNumber}-accepted`,
    ...overrides,
  };
}

describe('the gateway signature', () => {
  it("matches Alibaba Cloud's published example of a version 1.0 signature", () => {
    const signature = rpcSignature('testsecret', 'GET', {
      AccessKeyId: 'testid',
      Action: 'DescribeRegions',
      Format: 'XML',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
      SignatureVersion: '1.0',
      Timestamp: '2016-02-23T12:46:24Z',
      Version: '2014-05-26',
    });
    expect(signature).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
  });

  it('masks a mobile number a gateway might echo in its reason', () => {
    expect(describeRefusal('SignatureDoesNotMatch', `PhoneNumbers%3D${PHONE}%26SignName`)).toBe(
      'SignatureDoesNotMatch: PhoneNumbers%3D139****1234%26SignName',
    );
  });
});

describe('SMS gateway adapter', () => {
  let simulator: RunningSmsSimulator;
  const calls: DepartmentCallRecord[] = [];
  const adapters: SmsAdapter[] = [];

  /** A fresh adapter (and circuit breaker) per test, so one test's failures do not open the next one's circuit. */
  const makeAdapter = (env: Record<string, string> = {}) => {
    const config = smsConfigSchema.parse({ SMS_TIMEOUT_MS: '400', SMS_MAX_ATTEMPTS: '3', ...env });
    const adapter = createSmsAdapter({ ...config, SMS_BASE_URL: simulator.url }, deps(calls));
    adapters.push(adapter);
    return adapter;
  };
  const failureOf = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected the send to fail');
      },
      (error: unknown) => {
        expect(error).toBeInstanceOf(DepartmentError);
        return error as DepartmentError;
      },
    );
  const sent = (key: string) => simulator.messages().filter((m) => m.idempotencyKey === key);

  beforeAll(async () => {
    simulator = await startSmsSimulator();
  });
  afterAll(async () => {
    await Promise.all(adapters.map((a) => a.client.http.close()));
    await simulator?.close();
  });
  beforeEach(() => {
    simulator.setMode({
      latencyMs: 0,
      down: false,
      hang: false,
      malformed: false,
      rejectSubmissions: false,
      throttleNext: 0,
    });
    calls.length = 0;
  });

  it('is registered as the SMS gateway: no catalogue departments, no tasks, dev credentials shared', async () => {
    const config = smsAdapter.config.parse({});
    expect(config).toMatchObject({
      SMS_ACCESS_KEY_ID: SMS_SIMULATOR_CREDENTIALS.accessKeyId,
      SMS_ACCESS_KEY_SECRET: SMS_SIMULATOR_CREDENTIALS.accessKeySecret,
      SMS_SIGN_NAME: '濮阳市政务服务',
    });
    expect(smsAdapter.baseUrlVariable).toBe('SMS_BASE_URL');
    const adapter = smsAdapter.create(config, simulator.url, deps(calls)) as SmsAdapter;
    adapters.push(adapter);
    expect(adapter).toMatchObject({ name: 'sms', departmentCodes: [] });
    expect(adapter.sms).toBeDefined();
    expect(adapter.pullDecisions).toBeUndefined();
    expect(adapter.callbacks).toBeUndefined();
    const refusal = await failureOf(adapter.submit({} as never));
    expect(refusal).toMatchObject({ kind: 'permanent', department: 'sms' });
    expect(calls).toHaveLength(0);
  });

  it('knows the same templates, with the same parameters, as the gateway holds', () => {
    const registered = Object.fromEntries(
      Object.entries(SMS_SIMULATOR_TEMPLATES).map(([code, text]) => [code, templateVariables(text)]),
    );
    expect(registered).toEqual(SMS_TEMPLATE_PARAMS);
  });

  it("sends a message rendered from the template, under the hall's signature", async () => {
    const adapter = makeAdapter();
    const message = acceptedMessage();
    const answer = await adapter.sms.send(message);
    expect(answer.status).toBe('accepted');
    expect(answer.messageId).toMatch(/^\d{18}\^0$/);
    expect(sent(message.idempotencyKey)).toEqual([
      {
        idempotencyKey: message.idempotencyKey,
        template: 'OWH_ACCEPTED',
        text: `【濮阳市政务服务】您申请的企业设立登记已受理，办件编号${message.params.caseNumber}，可凭编号在濮阳市政务服务网查询办理进度。`,
        phoneSuffix: '1234',
      },
    ]);
    expect(simulator.submissions().find((s) => s.idempotencyKey === message.idempotencyKey)).toEqual({
      idempotencyKey: message.idempotencyKey,
      departmentRef: answer.messageId,
      caseNumber: message.params.caseNumber,
    });
    expect(calls).toMatchObject([
      { department: 'sms', operation: 'sms-send', caseNumber: message.params.caseNumber, outcome: 'ok' },
    ]);
  });

  it('renders every template the hub uses', async () => {
    const adapter = makeAdapter();
    const values: Record<string, string> = {
      item: '不动产登记',
      documentNumber: '濮政服补字〔2026〕0012号',
      outcome: '准予登记',
      place: '濮阳市政务服务中心一楼12号窗口',
      waybillNo: 'EA000000017CN',
    };
    for (const [template, names] of Object.entries(SMS_TEMPLATE_PARAMS)) {
      const base = acceptedMessage();
      const params = Object.fromEntries(
        names.map((name) => [name, name === 'caseNumber' ? base.params.caseNumber! : values[name]!]),
      );
      const key = `${base.idempotencyKey}-${template}`;
      await adapter.sms.send({ ...base, template, params, idempotencyKey: key });
      const [message] = sent(key);
      expect(message?.text.startsWith('【濮阳市政务服务】')).toBe(true);
      expect(message?.text).not.toContain('${');
      for (const name of names) expect(message?.text).toContain(params[name]);
    }
  });

  it('sends one message per key however often it is sent', async () => {
    const adapter = makeAdapter();
    const message = acceptedMessage();
    const first = await adapter.sms.send(message);
    const second = await adapter.sms.send(message);
    const third = await adapter.sms.send({ ...message, params: { ...message.params } });
    expect(second).toEqual({ messageId: first.messageId, status: 'duplicate' });
    expect(third).toEqual({ messageId: first.messageId, status: 'duplicate' });
    expect(sent(message.idempotencyKey)).toHaveLength(1);
    // The same key for another message is a hub bug: refused, not silently dropped.
    const misused = await failureOf(adapter.sms.send({ ...message, to: '13903930000' }));
    expect(misused).toMatchObject({ kind: 'permanent', status: 409 });
    expect(misused.reason).toMatch(/^IdempotentParameterMismatch/);
    expect(sent(message.idempotencyKey)).toHaveLength(1);
  });

  it('refuses an invalid number as permanent, naming the problem but not the number, without retry', async () => {
    const adapter = makeAdapter();
    for (const to of ['1390393123', '12903931234', '139-0393-1234']) {
      const message = acceptedMessage({ to });
      const error = await failureOf(adapter.sms.send(message));
      expect(error).toMatchObject({ kind: 'permanent', department: 'sms', status: 400 });
      expect(error.reason).toMatch(/^isv\.MOBILE_NUMBER_ILLEGAL/);
      expect(error.message).not.toContain(to);
      expect(sent(message.idempotencyKey)).toHaveLength(0);
    }
    expect(calls.map((c) => c.outcome)).toEqual(['permanent', 'permanent', 'permanent']);
    // A list would reach several people: refused before it leaves the hub.
    const list = await failureOf(adapter.sms.send(acceptedMessage({ to: `${PHONE},13903930000` })));
    expect(list.kind).toBe('permanent');
    expect(list.message).not.toContain(PHONE);
    expect(calls).toHaveLength(3);
  });

  it('refuses a message whose template lacks a parameter as permanent, naming the parameter', async () => {
    const adapter = makeAdapter();
    const base = acceptedMessage();
    const message: SmsMessage = {
      ...base,
      template: 'OWH_CORRECTION',
      params: { item: '企业设立登记', caseNumber: base.params.caseNumber! },
      idempotencyKey: `${base.idempotencyKey}-correction`,
    };
    const error = await failureOf(adapter.sms.send(message));
    expect(error).toMatchObject({ kind: 'permanent', status: 400 });
    expect(error.reason).toMatch(/^isv\.TEMPLATE_MISSING_PARAMETERS: .*documentNumber/);
    expect(calls).toHaveLength(1);
    expect(sent(message.idempotencyKey)).toHaveLength(0);
  });

  it('refuses unknown templates, over-long parameters and messages the gateway will not carry', async () => {
    const adapter = makeAdapter();
    const unknown = await failureOf(adapter.sms.send(acceptedMessage({ template: 'OWH_NOT_REGISTERED' })));
    expect(unknown.reason).toMatch(/^isv\.SMS_TEMPLATE_ILLEGAL/);
    const long = acceptedMessage();
    const tooLong = await failureOf(
      adapter.sms.send({ ...long, params: { ...long.params, item: '项'.repeat(36) } }),
    );
    expect(tooLong.reason).toMatch(/^isv\.PARAM_LENGTH_LIMIT: .*item/);
    simulator.setFaults({ rejectSubmissions: true });
    const rejected = await failureOf(adapter.sms.send(acceptedMessage()));
    expect(rejected).toMatchObject({ kind: 'permanent' });
    expect(rejected.reason).toMatch(/^isv\.SMS_CONTENT_ILLEGAL/);
    expect(calls.filter((c) => c.operation === 'sms-send')).toHaveLength(3);
  });

  it('retries a send that meets flow control, then sends it once', async () => {
    const adapter = makeAdapter();
    simulator.setMode({ throttleNext: 2 });
    const message = acceptedMessage();
    const answer = await adapter.sms.send(message);
    expect(answer.status).toBe('accepted');
    expect(calls.map((c) => [c.status, c.outcome, c.attempt])).toEqual([
      [429, 'transient', 1],
      [429, 'transient', 2],
      [200, 'ok', 3],
    ]);
    expect(sent(message.idempotencyKey)).toHaveLength(1);
  });

  it('reports a gateway that stays down as transient after its retries, sending nothing', async () => {
    const adapter = makeAdapter();
    simulator.setFaults({ down: true });
    const message = acceptedMessage();
    const error = await failureOf(adapter.sms.send(message));
    expect(error).toMatchObject({ kind: 'transient', department: 'sms' });
    expect(error.retryable).toBe(true);
    expect(calls.map((c) => c.outcome)).toEqual(['transient', 'transient', 'transient']);
    expect(sent(message.idempotencyKey)).toHaveLength(0);
  });

  it('reports an answer it cannot read as malformed, sending nothing', async () => {
    const adapter = makeAdapter();
    simulator.setFaults({ malformed: true });
    const before = simulator.messages().length;
    const error = await failureOf(adapter.sms.send(acceptedMessage()));
    expect(error).toMatchObject({ kind: 'malformed', department: 'sms' });
    expect(simulator.messages()).toHaveLength(before);
  });

  it('refuses a request signed with the wrong secret, without passing on the echoed number', async () => {
    const adapter = makeAdapter({ SMS_ACCESS_KEY_SECRET: 'not-the-gateway-secret' });
    const message = acceptedMessage();
    const error = await failureOf(adapter.sms.send(message));
    expect(error).toMatchObject({ kind: 'permanent', status: 400 });
    expect(error.reason).toMatch(/^SignatureDoesNotMatch/);
    expect(error.message).not.toContain(PHONE);
    expect(sent(message.idempotencyKey)).toHaveLength(0);
  });

  it('keeps the phone out of the call records: successes, refusals and retries alike', async () => {
    const adapter = makeAdapter();
    await adapter.sms.send(acceptedMessage());
    await adapter.sms.send(acceptedMessage({ to: '139039312345' })).catch(() => {});
    simulator.setMode({ throttleNext: 1 });
    await adapter.sms.send(acceptedMessage());
    expect(calls.length).toBe(4);
    expect(calls.every((c) => c.path === '/')).toBe(true);
    const recorded = JSON.stringify(calls);
    expect(recorded).not.toContain(PHONE);
    expect(recorded).not.toContain('139039312345');
  });

  it('answers health: up, then down when the gateway fails or does not answer', async () => {
    expect(await makeAdapter().health()).toMatchObject({ department: 'sms', state: 'up' });
    simulator.setFaults({ down: true });
    expect(await makeAdapter().health()).toMatchObject({ department: 'sms', state: 'down' });
    simulator.setFaults({ down: false, hang: true });
    const hung = await makeAdapter().health();
    expect(hung.state).toBe('down');
    expect(hung.detail).toMatch(/no answer|timed out/);
  });

  it('is down while its signature is not registered with the gateway', async () => {
    const health = await makeAdapter({ SMS_SIGN_NAME: '别的签名' }).health();
    expect(health.state).toBe('down');
    expect(health.detail).toMatch(/isv\.SMS_SIGNATURE_ILLEGAL/);
  });
});

describe('what reaches the wire', () => {
  let server: Server;
  let url: string;
  const received: { url: string; headers: IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    // A stand-in gateway that records the raw request and answers like Dysms.
    const app = express();
    app.post('/', express.text({ type: '*/*' }), (req, res) => {
      received.push({ url: req.originalUrl, headers: req.headers, body: req.body as string });
      res.json({ RequestId: 'A1', Code: 'OK', Message: 'OK', BizId: '123456789012345678^0' });
    });
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  });

  it('carries the phone only in the signed form body, never in the URL or a header', async () => {
    const adapter = createSmsAdapter({ ...smsConfigSchema.parse({}), SMS_BASE_URL: url }, deps([]));
    try {
      const message = acceptedMessage();
      expect(await adapter.sms.send(message)).toEqual({
        messageId: '123456789012345678^0',
        status: 'accepted',
      });
      const [request] = received;
      expect(request?.url).toBe('/');
      expect(JSON.stringify(request?.headers)).not.toContain(PHONE);
      expect(request?.headers['x-case-number']).toBe(message.params.caseNumber);
      const form = new URLSearchParams(request?.body);
      expect(form.get('PhoneNumbers')).toBe(PHONE);
      expect(form.get('OutId')).toBe(message.idempotencyKey);
      expect(JSON.parse(form.get('TemplateParam')!)).toEqual(message.params);
      expect(form.get('Signature')).toBeTruthy();
    } finally {
      await adapter.client.http.close();
    }
  });
});

describe('SMS settings', () => {
  it('refuses the development credentials in production, naming the variables', async () => {
    const error = await buildAdapters(
      { NODE_ENV: 'production' },
      { recorder: { record: () => {} }, identities: { resolve: async () => new Map() } },
      { simulate: false },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdapterConfigError);
    const problems = (error as AdapterConfigError).problems;
    expect(problems).toContain('SMS_BASE_URL: the URL of the sms system is required');
    expect(problems.find((p) => p.startsWith('SMS_ACCESS_KEY_SECRET:'))).toMatch(
      /development secret is refused/,
    );
    expect(problems.find((p) => p.startsWith('SMS_ACCESS_KEY_ID:'))).toMatch(/development key id is refused/);
    expect(() =>
      smsConfigSchema.parse({
        NODE_ENV: 'production',
        SMS_BASE_URL: 'https://dysmsapi.aliyuncs.com/',
        SMS_ACCESS_KEY_ID: 'LTAI5tExampleKeyId',
        SMS_ACCESS_KEY_SECRET: 'a-real-secret-from-the-vault',
      }),
    ).not.toThrow();
  });

  it('keeps NODE_ENV out of the parsed settings', () => {
    expect(smsConfigSchema.parse({ NODE_ENV: 'test' })).not.toHaveProperty('NODE_ENV');
  });
});
