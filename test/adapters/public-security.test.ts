import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CasePackage,
  DepartmentCallRecord,
  DepartmentEvent,
} from '../../adapters/kit/adapter-contract.ts';
import { DepartmentError } from '../../adapters/kit/department-error.ts';
import { verifyWebhook } from '../../adapters/kit/webhook-signature.ts';
import { publicSecurityAdapter } from '../../adapters/public-security/index.ts';
import type { createPublicSecurityAdapter } from '../../adapters/public-security/public-security.adapter.ts';
import {
  DEVELOPMENT_CALLBACK_SECRET,
  publicSecurityConfigSchema,
} from '../../adapters/public-security/public-security.config.ts';
import {
  fromApplicationStatus,
  toSupplyMaterials,
} from '../../adapters/public-security/public-security.mapping.ts';
import {
  householdRegistrationOf,
  type RunningPublicSecuritySimulator,
  startPublicSecuritySimulator,
} from '../../adapters/public-security/public-security.simulator.ts';
import { registerCase } from '../../db/cases/case-intake.ts';
import { createIdentityResolver } from '../../db/departments/applicant-identities.ts';
import { CallbackReceipt } from '../../db/entities/callback-receipt.ts';
import { PersonalDataAccess } from '../../db/entities/personal-data-access.ts';
import { forkEm } from '../../db/orm.ts';
import { DEMO_ACTORS } from '../../gateway/auth/demo-actors.ts';
import { eventually } from '../kit/eventually.ts';
import { citizenId, requiredMaterials, TOLERANT_ITEM } from '../kit/front-desk.ts';
import { createTestDatabase, type TestDatabase } from '../kit/test-database.ts';
import { startTestHub, type TestHub } from '../kit/test-hub.ts';

type PublicSecurityAdapter = ReturnType<typeof createPublicSecurityAdapter>;

function adapterFor(
  simulator: { url: string },
  calls: DepartmentCallRecord[] = [],
  env: Record<string, string> = {},
): PublicSecurityAdapter {
  return publicSecurityAdapter.create(
    publicSecurityAdapter.config.parse({
      PUBLIC_SECURITY_TIMEOUT_MS: '400',
      PUBLIC_SECURITY_MAX_ATTEMPTS: '3',
      ...env,
    }),
    simulator.url,
    { recorder: { record: (c) => calls.push(c) }, identities: { resolve: async () => new Map() } },
  ) as PublicSecurityAdapter;
}

function packageFor(overrides: Partial<CasePackage> = {}): CasePackage {
  const caseNumber = `410900-20261125-${randomUUID().slice(0, 6)}`;
  return {
    caseNumber,
    departmentCode: 'public_security',
    idempotencyKey: `task-${caseNumber}-1`,
    itemCode: 'GASF-003',
    itemName: '普通护照签发',
    acceptedOn: '2026-11-25',
    applicant: { name: '张伟', idType: 'citizen_id', idNumber: citizenId(801) },
    materials: [
      {
        code: 'M01',
        name: '中国公民出入境证件申请表',
        medium: 'paper',
        copies: 1,
        sha256: null,
        mediaType: null,
      },
      {
        code: 'M02',
        name: '居民身份证',
        medium: 'electronic',
        copies: 1,
        sha256: 'a'.repeat(64),
        mediaType: 'application/pdf',
      },
    ],
    ...overrides,
  };
}

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error as DepartmentError,
  );

/** A loopback HTTP server answering whatever the test says (for answers no bureau would give on purpose). */
async function startStub(
  answer: (body: string, headers: IncomingHttpHeaders) => { status: number; body: string },
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = answer(Buffer.concat(chunks).toString('utf8'), req.headers);
      res.writeHead(reply.status, { 'content-type': 'text/xml; charset=utf-8' }).end(reply.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('public security: SOAP client against the simulated bureau', () => {
  let simulator: RunningPublicSecuritySimulator;
  beforeAll(async () => {
    simulator = await startPublicSecuritySimulator({ reviewMs: 30, rejectItems: ['GASF-002'] });
  });
  afterAll(async () => {
    await simulator?.close();
  });

  it('serves a WSDL 1.1 document describing its six operations, with its own address', async () => {
    const response = await fetch(`${simulator.url}/ws/approval?wsdl`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/xml/);
    const wsdl = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
      await response.text(),
    ) as {
      'wsdl:definitions': {
        targetNamespace: string;
        'wsdl:binding': { 'wsdl:operation': { name: string; 'soap:operation': { soapAction: string } }[] };
      };
    };
    const definitions = wsdl['wsdl:definitions'];
    expect(definitions.targetNamespace).toBe('http://gat.henan.gov.cn/approval/v1');
    expect(definitions['wsdl:binding']['wsdl:operation'].map((o) => o['soap:operation'].soapAction)).toEqual([
      'http://gat.henan.gov.cn/approval/v1/SubmitApplication',
      'http://gat.henan.gov.cn/approval/v1/GetApplicationStatus',
      'http://gat.henan.gov.cn/approval/v1/QueryHouseholdRegistrations',
      'http://gat.henan.gov.cn/approval/v1/RefuseResult',
      'http://gat.henan.gov.cn/approval/v1/ReportDelivery',
      'http://gat.henan.gov.cn/approval/v1/SupplyMaterials',
    ]);
    const described = await adapterFor(simulator).client.describeService();
    expect(described).toEqual({
      targetNamespace: 'http://gat.henan.gov.cn/approval/v1',
      operations: [
        'SubmitApplication',
        'GetApplicationStatus',
        'QueryHouseholdRegistrations',
        'RefuseResult',
        'ReportDelivery',
        'SupplyMaterials',
      ],
      endpoint: `${simulator.url}/ws/approval`,
    });
    expect(await adapterFor(simulator).health()).toMatchObject({
      department: 'public_security',
      state: 'up',
    });
  });

  it('reports a bureau whose WSDL no longer offers SupplyMaterials as degraded, naming the operation', async () => {
    const served = await (await fetch(`${simulator.url}/ws/approval?wsdl`)).text();
    const older = served.replace(/<wsdl:operation name="SupplyMaterials">[\s\S]*?<\/wsdl:operation>/g, '');
    expect(older).not.toMatch(/<wsdl:operation name="SupplyMaterials"/);
    const stub = await startStub(() => ({ status: 200, body: older }));
    try {
      expect(await adapterFor(stub).health()).toMatchObject({
        state: 'degraded',
        detail: 'the service no longer offers SupplyMaterials',
      });
    } finally {
      stub.server.close();
    }
  });

  it('applies an application once per idempotency key; the repeat is reported as a duplicate', async () => {
    const calls: DepartmentCallRecord[] = [];
    const adapter = adapterFor(simulator, calls);
    const before = simulator.calls()['POST /ws/approval SubmitApplication'] ?? 0;
    const pkg = packageFor();
    const first = await adapter.submit(pkg);
    const second = await adapter.submit(pkg);
    expect(first).toEqual({ departmentRef: expect.stringMatching(/^GA\d{14}$/), status: 'received' });
    expect(second).toEqual({ departmentRef: first.departmentRef, status: 'duplicate' });
    expect(simulator.submissions().filter((s) => s.idempotencyKey === pkg.idempotencyKey)).toEqual([
      { idempotencyKey: pkg.idempotencyKey, departmentRef: first.departmentRef, caseNumber: pkg.caseNumber },
    ]);
    expect((simulator.calls()['POST /ws/approval SubmitApplication'] ?? 0) - before).toBe(2);
    expect(calls.map((c) => [c.operation, c.method, c.path, c.status, c.outcome, c.caseNumber])).toEqual([
      ['submit', 'POST', '/ws/approval', 200, 'ok', pkg.caseNumber],
      ['submit', 'POST', '/ws/approval', 200, 'ok', pkg.caseNumber],
    ]);
  });

  it('answers a reused key with a different application as a Client fault: permanent, not retried', async () => {
    const calls: DepartmentCallRecord[] = [];
    const adapter = adapterFor(simulator, calls);
    const pkg = packageFor();
    await adapter.submit(pkg);
    const error = await failureOf(adapter.submit({ ...pkg, itemName: '普通护照换发' }));
    expect(error).toBeInstanceOf(DepartmentError);
    expect(error).toMatchObject({
      kind: 'permanent',
      status: 400,
      department: 'public_security',
      reason: '幂等键已用于另一份申请，不能重复使用',
    });
    expect(calls).toHaveLength(2);
    expect(simulator.submissions().filter((s) => s.idempotencyKey === pkg.idempotencyKey)).toHaveLength(1);
  });

  it('keeps the faultstring of a refused application as the reason (HTTP 400, soap:Client)', async () => {
    const calls: DepartmentCallRecord[] = [];
    simulator.setFaults({ rejectSubmissions: true });
    try {
      const error = await failureOf(adapterFor(simulator, calls).submit(packageFor()));
      expect(error).toMatchObject({
        kind: 'permanent',
        status: 400,
        reason: '申请材料不符合要求：申请人身份信息与人口信息系统登记不一致',
      });
      expect(calls.map((c) => c.outcome)).toEqual(['permanent']);
    } finally {
      simulator.setFaults({ rejectSubmissions: false });
    }
  });

  it('retries a Server fault (HTTP 500) and a bureau that is down (HTTP 503), then reports them as transient', async () => {
    for (const fault of [{ serverFault: true }, { down: true }] as const) {
      const calls: DepartmentCallRecord[] = [];
      simulator.setFaults(fault);
      try {
        const pkg = packageFor();
        const error = await failureOf(adapterFor(simulator, calls).submit(pkg));
        // The bureau's own faultstring is the reason, not just the HTTP status.
        expect(error).toMatchObject({
          kind: 'transient',
          department: 'public_security',
          reason:
            'serverFault' in fault
              ? expect.stringMatching(/ORA-12170/)
              : expect.stringMatching(/服务暂不可用/),
        });
        expect(calls.map((c) => [c.outcome, c.status, c.attempt])).toEqual(
          [1, 2, 3].map((attempt) => ['transient', 'serverFault' in fault ? 500 : 503, attempt]),
        );
        expect(simulator.submissions().some((s) => s.caseNumber === pkg.caseNumber)).toBe(false);
      } finally {
        simulator.setFaults({ serverFault: false, down: false });
      }
    }
  });

  it('reports a cut-off envelope as malformed, and the bureau stores nothing', async () => {
    simulator.setFaults({ malformed: true });
    try {
      const before = simulator.submissions().length;
      const error = await failureOf(adapterFor(simulator).submit(packageFor()));
      expect(error).toMatchObject({
        kind: 'malformed',
        reason: expect.stringMatching(/not well-formed XML/),
      });
      expect(simulator.submissions()).toHaveLength(before);
    } finally {
      simulator.setFaults({ malformed: false });
    }
  });

  it('tells a well-formed answer that is no SOAP envelope, and a fault cut short by the kit, apart', async () => {
    let reply = { status: 200, body: '<html><body>系统维护中</body></html>' };
    const stub = await startStub(() => reply);
    try {
      const adapter = adapterFor(stub);
      expect(await failureOf(adapter.submit(packageFor()))).toMatchObject({
        kind: 'malformed',
        reason: 'SubmitApplication: the answer is not a SOAP envelope',
      });
      // The kit keeps only the first 300 characters of a 4xx answer; the faultstring is read as far as it goes.
      const long = `申请人身份核验未通过：${'照片与人口信息系统登记照片比对不一致；'.repeat(20)}`;
      reply = {
        status: 400,
        body: `<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><S:Fault><faultcode>S:Client</faultcode><faultstring>${long}</faultstring></S:Fault></S:Body></S:Envelope>`,
      };
      const error = await failureOf(adapter.submit(packageFor()));
      expect(error.kind).toBe('permanent');
      expect(error.reason.startsWith('申请人身份核验未通过：照片与人口信息系统')).toBe(true);
      expect(error.reason).not.toMatch(/</);
    } finally {
      stub.server.close();
    }
  });

  it('answers the status of an application, mapped to the hub decision', async () => {
    const adapter = adapterFor(simulator);
    const approved = await adapter.submit(packageFor());
    const rejected = await adapter.submit(
      packageFor({ itemCode: 'GASF-002', itemName: '往来港澳通行证签发' }),
    );
    const decided = async (ref: string) =>
      eventually(async () => {
        const view = await adapter.client.applicationStatus(ref);
        return view.status === 'APPROVED' || view.status === 'REJECTED' ? view : null;
      });
    const approvedView = await decided(approved.departmentRef);
    expect(fromApplicationStatus(approvedView)).toMatchObject({
      departmentRef: approved.departmentRef,
      outcome: 'approved',
      reasons: [],
      decidedAt: expect.any(String),
      result: {
        name: '准予行政许可决定书',
        number: expect.stringMatching(/^濮公许准字〔\d{4}〕\d{6}号$/),
        itemCode: 'GASF-003',
        holder: { name: '张伟', idNumber: citizenId(801) },
      },
    });
    expect(fromApplicationStatus(await decided(rejected.departmentRef))).toMatchObject({
      outcome: 'rejected',
      reasons: ['经审查，申请事项不符合法定条件，不予许可'],
      result: null,
    });
    // The bureau checks its own register: an applicant whose registration was cancelled on death is refused.
    const deceased = Array.from({ length: 1000 }, (_, i) => citizenId(i)).find((id) => {
      const answer = householdRegistrationOf(id);
      return answer.found && answer.status === 'DECEASED';
    })!;
    const refused = await adapter.submit(
      packageFor({ applicant: { name: '李强', idType: 'citizen_id', idNumber: deceased } }),
    );
    expect(fromApplicationStatus(await decided(refused.departmentRef))).toMatchObject({
      outcome: 'rejected',
      reasons: ['申请人户口已因死亡注销，不予办理'],
    });
    expect(await failureOf(adapter.client.applicationStatus('GA000'))).toMatchObject({
      kind: 'permanent',
      reason: '查无此申请',
    });
  });

  it('looks up the household registrations of a whole list in one call, the same every time', async () => {
    const adapter = adapterFor(simulator);
    const before = simulator.calls()['POST /ws/approval QueryHouseholdRegistrations'] ?? 0;
    const puyang = Array.from({ length: 12 }, (_, i) => citizenId(900 + i));
    const elsewhere = '110101199003074514';
    const records = await adapter.client.queryHouseholdRegistrations([...puyang, elsewhere]);
    expect((simulator.calls()['POST /ws/approval QueryHouseholdRegistrations'] ?? 0) - before).toBe(1);
    expect(records.map((r) => r.idNumber)).toEqual(puyang);
    for (const record of records) {
      expect(record.address).toMatch(/^河南省濮阳市华龙区/);
      expect(record.policeStation).toMatch(/^濮阳市公安局华龙分局.+派出所$/);
      expect(['NORMAL', 'MIGRATED_OUT', 'DECEASED']).toContain(record.status);
      expect({ ...householdRegistrationOf(record.idNumber) }).toEqual({ ...record, found: true });
    }
    expect(await adapter.client.queryHouseholdRegistrations(puyang)).toEqual(records);
  });
});

/** A hub stand-in that verifies each callback like the gateway does and keeps what it read. */
async function startReceiver(secret: string) {
  const received: { webhookId: string; status: number; events: DepartmentEvent[] }[] = [];
  const adapter = adapterFor({ url: 'http://127.0.0.1:9' });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const webhookId = String(req.headers['webhook-id']);
      const verdict = verifyWebhook(
        secret,
        {
          id: webhookId,
          timestamp: req.headers['webhook-timestamp'] as string | undefined,
          signature: req.headers['webhook-signature'] as string | undefined,
        },
        body,
      );
      const events = verdict.ok ? adapter.callbacks!.parse(body) : [];
      received.push({ webhookId, status: verdict.ok ? 200 : 401, events });
      res.writeHead(verdict.ok ? 200 : 401, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callbacks/public_security`,
    received,
    accepted: () => received.filter((r) => r.status === 200),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('public security: signed callbacks', () => {
  let simulator: RunningPublicSecuritySimulator;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    simulator = await startPublicSecuritySimulator({ reviewMs: 30, callbackRetryMs: 40 });
    receiver = await startReceiver(DEVELOPMENT_CALLBACK_SECRET);
  });
  afterAll(async () => {
    await simulator?.close();
    await receiver?.close();
  });

  it('signs a callback so the kit verifies it; a tampered body, an old timestamp or another secret fail', () => {
    const adapter = adapterFor(simulator);
    const { headers, body } = simulator.signedCallback([
      {
        departmentRef: 'GA20261125000001',
        caseNumber: '410900-20261125-000001',
        type: 'decision',
        sequence: 7,
      },
    ]);
    const signed = {
      id: headers['webhook-id'],
      timestamp: headers['webhook-timestamp'],
      signature: headers['webhook-signature'],
    };
    const secret = adapter.callbacks!.secret;
    expect(verifyWebhook(secret, signed, Buffer.from(body))).toEqual({ ok: true });
    expect(verifyWebhook(secret, signed, Buffer.from(body.replace('"approved"', '"rejected"')))).toEqual({
      ok: false,
      reason: 'the signature does not match',
    });
    const now = Number(signed.timestamp);
    expect(verifyWebhook(secret, signed, Buffer.from(body), now + 301)).toMatchObject({ ok: false });
    expect(verifyWebhook('another-secret-of-sixteen', signed, Buffer.from(body))).toMatchObject({
      ok: false,
    });
  });

  it('reads a decision callback into a hub event that keeps the bureau sequence', () => {
    const adapter = adapterFor(simulator);
    const { body } = simulator.signedCallback([
      {
        departmentRef: 'GA20261125000002',
        caseNumber: '410900-20261125-000002',
        type: 'progress',
        sequence: 3,
      },
      {
        departmentRef: 'GA20261125000002',
        caseNumber: '410900-20261125-000002',
        type: 'decision',
        sequence: 4,
      },
    ]);
    const [progress, decision] = adapter.callbacks!.parse(Buffer.from(body));
    expect(progress).toMatchObject({ type: 'progress', sequence: 3, data: { stage: '审核中' } });
    expect(decision).toEqual({
      type: 'decision',
      departmentRef: 'GA20261125000002',
      caseNumber: '410900-20261125-000002',
      occurredAt: expect.any(String),
      sequence: 4,
      decision: {
        departmentRef: 'GA20261125000002',
        caseNumber: '410900-20261125-000002',
        outcome: 'approved',
        reasons: [],
        decidedAt: decision!.occurredAt,
        result: {
          name: '准予行政许可决定书',
          number: expect.any(String),
          itemCode: expect.any(String),
          holder: { name: expect.any(String), idNumber: expect.stringMatching(/^\d{17}[\dX]$/) },
        },
      },
      data: {},
    });
  });

  it('refuses a callback it cannot read as malformed', () => {
    const adapter = adapterFor(simulator);
    for (const body of [
      'not json',
      '{"events":[]}',
      '{"events":[{"type":"decision","applicationId":"GA1"}]}',
    ]) {
      expect(() => adapter.callbacks!.parse(Buffer.from(body))).toThrow(
        expect.objectContaining({ kind: 'malformed', department: 'public_security' }),
      );
    }
  });

  it('keeps decisions while it has no callback URL, then pushes them signed, in sequence', async () => {
    const adapter = adapterFor(simulator);
    const { departmentRef } = await adapter.submit(packageFor());
    await eventually(() => simulator.pendingCallbacks() === 2);
    await new Promise((r) => setTimeout(r, 60));
    expect(simulator.pendingCallbacks()).toBe(2);
    expect(receiver.received).toHaveLength(0);
    simulator.setCallbackUrl(receiver.url);
    await eventually(() => receiver.accepted().length === 2);
    const events = receiver.accepted().flatMap((r) => r.events);
    expect(events.map((e) => [e.type, e.departmentRef])).toEqual([
      ['progress', departmentRef],
      ['decision', departmentRef],
    ]);
    expect(events[0]!.sequence).toBeLessThan(events[1]!.sequence);
    expect(events[1]!.decision).toMatchObject({
      outcome: 'approved',
      result: { number: expect.any(String) },
    });
  });

  it('may deliver a callback twice (same webhook-id) and a decision before the progress it follows', async () => {
    receiver.received.length = 0;
    simulator.setFaults({ duplicateCallbacks: true, outOfOrder: true });
    try {
      const { departmentRef } = await adapterFor(simulator).submit(packageFor());
      // Only this application's deliveries: a late one of an earlier test must not be counted.
      const mine = () => receiver.accepted().filter((r) => r.events[0]!.departmentRef === departmentRef);
      await eventually(() => mine().length >= 4);
      const arrived = mine();
      expect(arrived.map((r) => r.events[0]!.type)).toEqual(['decision', 'decision', 'progress', 'progress']);
      expect(arrived[0]!.webhookId).toBe(arrived[1]!.webhookId);
      expect(arrived[2]!.webhookId).toBe(arrived[3]!.webhookId);
      expect(new Set(arrived.map((r) => r.events[0]!.departmentRef))).toEqual(new Set([departmentRef]));
      // The sequence tells the hub that the late progress is older than the decision.
      expect(arrived[2]!.events[0]!.sequence).toBeLessThan(arrived[0]!.events[0]!.sequence);
    } finally {
      simulator.setFaults({ duplicateCallbacks: false, outOfOrder: false });
    }
  });

  it('retries a refused delivery with the same webhook-id, and gets through once the secret is right', async () => {
    // A bureau and a receiver of this test's own: no delivery of an earlier test can arrive here.
    const own = await startPublicSecuritySimulator({ reviewMs: 30, callbackRetryMs: 40 });
    const hub = await startReceiver(DEVELOPMENT_CALLBACK_SECRET);
    try {
      own.setCallbackUrl(hub.url);
      own.setFaults({ expiredCredentials: true });
      await adapterFor(own).submit(packageFor());
      await eventually(() => hub.received.some((r) => r.status === 401));
      own.setFaults({ expiredCredentials: false });
      await eventually(() => hub.accepted().length >= 2);
      const refused = hub.received.find((r) => r.status === 401)!;
      expect(hub.accepted().some((r) => r.webhookId === refused.webhookId)).toBe(true);
      // The bureau logs a delivery once its answer is back, a moment after the receiver counted it.
      await eventually(() =>
        own.deliveries().some((d) => d.webhookId === refused.webhookId && d.status === 200),
      );
      const log = own.deliveries().filter((d) => d.webhookId === refused.webhookId);
      expect(log[0]).toMatchObject({ attempt: 1, status: 401 });
      expect(log.at(-1)).toMatchObject({ status: 200 });
      expect(log.at(-1)!.attempt).toBeGreaterThan(1);
    } finally {
      await own.close();
      await hub.close();
    }
  });

  it('takes a refused result back (RefuseResult): progress, then a new signed decision of a higher sequence made out to the applicant', async () => {
    const own = await startPublicSecuritySimulator({ reviewMs: 30, callbackRetryMs: 40 });
    const hub = await startReceiver(DEVELOPMENT_CALLBACK_SECRET);
    try {
      own.setCallbackUrl(hub.url);
      own.setFaults({ misattributeResults: true });
      const calls: DepartmentCallRecord[] = [];
      const adapter = adapterFor(own, calls);
      const pkg = packageFor();
      const { departmentRef } = await adapter.submit(pkg);
      const eventsOf = (type: string) =>
        [
          ...new Map(
            hub
              .accepted()
              .flatMap((r) => r.events)
              .filter((e) => e.type === type && e.departmentRef === departmentRef)
              .map((e) => [e.sequence, e]),
          ).values(),
        ].sort((a, b) => a.sequence - b.sequence);
      const [first] = await eventually(() => eventsOf('decision').length === 1 && eventsOf('decision'));
      const applicant = { name: pkg.applicant.name, idNumber: pkg.applicant.idNumber };
      expect(first!.decision!.result!.holder).not.toEqual(applicant);

      const ref = { departmentRef, caseNumber: pkg.caseNumber, idempotencyKey: pkg.idempotencyKey };
      const reasons = ['办理结果持证人与受理信息不一致'];
      await adapter.results!.refuseResult(ref, reasons);
      await adapter.results!.refuseResult(ref, reasons);
      const decisions = await eventually(() => eventsOf('decision').length === 2 && eventsOf('decision'));
      const again = decisions[1]!;
      expect(again.sequence).toBeGreaterThan(first!.sequence);
      expect(again.decision).toMatchObject({
        outcome: 'approved',
        result: { itemCode: pkg.itemCode, holder: applicant },
      });
      expect(again.decision!.result!.number).not.toBe(first!.decision!.result!.number);
      // In between, the bureau told the hub that the application is under review again.
      const back = await eventually(() =>
        eventsOf('progress').find((e) => e.data.stage === '办理结果被退回，重新审核'),
      );
      expect(back.sequence).toBeGreaterThan(first!.sequence);
      expect(back.sequence).toBeLessThan(again.sequence);
      // Told twice, kept once; the bureau's own status agrees with the callback.
      expect(own.feedback().refusals).toEqual([{ departmentRef, reasons }]);
      expect(own.calls()['POST /ws/approval RefuseResult']).toBe(2);
      expect(calls.filter((c) => c.operation === 'result-refusal').map((c) => c.caseNumber)).toEqual([
        pkg.caseNumber,
        pkg.caseNumber,
      ]);
      expect(fromApplicationStatus(await adapter.client.applicationStatus(departmentRef)).result).toEqual(
        again.decision!.result,
      );
    } finally {
      await own.close();
      await hub.close();
    }
  });

  it('adds owed materials once per key (SupplyMaterials): a repeat is replayed; other materials under the key, bad input or another case are Client faults', async () => {
    const calls: DepartmentCallRecord[] = [];
    const adapter = adapterFor(simulator, calls);
    const pkg = packageFor();
    const { departmentRef } = await adapter.submit(pkg);
    const ref = { departmentRef, caseNumber: pkg.caseNumber, idempotencyKey: pkg.idempotencyKey };
    const key = `${pkg.idempotencyKey}:supplement-1`;
    const owed = [{ ...pkg.materials[1]!, code: 'M03', name: '出入境证件照片回执' }];
    const before = simulator.calls()['POST /ws/approval SupplyMaterials'] ?? 0;
    const first = await adapter.client.supplyMaterials(toSupplyMaterials(ref, owed, key));
    const again = await adapter.client.supplyMaterials(toSupplyMaterials(ref, owed, key));
    expect(first).toEqual({ supplementId: expect.stringMatching(/^BZ\d{14}$/), replayed: false });
    expect(again).toEqual({ supplementId: first.supplementId, replayed: true });
    await adapter.supplements!.supplyMaterials(ref, owed, key);
    expect((simulator.calls()['POST /ws/approval SupplyMaterials'] ?? 0) - before).toBe(3);
    expect(simulator.applications().find((a) => a.applicationId === departmentRef)!.supplements).toEqual([
      {
        supplementId: first.supplementId,
        applicationId: departmentRef,
        idempotencyKey: key,
        bodyHash: expect.any(String),
        materialCodes: ['M03'],
        at: expect.any(String),
      },
    ]);
    calls.length = 0;
    const conflict = await failureOf(adapter.supplements!.supplyMaterials(ref, pkg.materials, key));
    expect(conflict).toMatchObject({
      kind: 'permanent',
      status: 400,
      reason: '幂等键已用于另一次材料补交，不能重复使用',
    });
    const other = `${pkg.idempotencyKey}:supplement-2`;
    const invalid = await failureOf(
      adapter.supplements!.supplyMaterials(ref, [{ ...owed[0]!, copies: 0 }], other),
    );
    expect(invalid.reason).toBe('缺少或错误的必填项：material[0].copies');
    const none = await failureOf(adapter.supplements!.supplyMaterials(ref, [], other));
    expect(none.reason).toBe('缺少或错误的必填项：material');
    const wrongCase = await failureOf(
      adapter.supplements!.supplyMaterials({ ...ref, caseNumber: '410900-20261125-999999' }, owed, other),
    );
    expect(wrongCase.reason).toBe('受理编号与申请不符');
    expect(calls.map((c) => [c.operation, c.status, c.outcome, c.attempt, c.caseNumber])).toEqual([
      ['material-supplement', 400, 'permanent', 1, pkg.caseNumber],
      ['material-supplement', 400, 'permanent', 1, pkg.caseNumber],
      ['material-supplement', 400, 'permanent', 1, pkg.caseNumber],
      ['material-supplement', 400, 'permanent', 1, '410900-20261125-999999'],
    ]);
    expect(simulator.supplements().filter((s) => s.departmentRef === departmentRef)).toEqual([
      { departmentRef, idempotencyKey: key, materialCodes: ['M03'] },
    ]);
  });

  it('keeps a delivery report once (ReportDelivery), and answers one it cannot take with a Client fault', async () => {
    const calls: DepartmentCallRecord[] = [];
    const adapter = adapterFor(simulator, calls);
    const pkg = packageFor();
    const { departmentRef } = await adapter.submit(pkg);
    const ref = { departmentRef, caseNumber: pkg.caseNumber, idempotencyKey: pkg.idempotencyKey };
    const report = {
      method: 'post' as const,
      deliveredAt: '2026-11-28T03:00:00.000Z',
      recipient: 'agent' as const,
      waybillNo: '1151234567',
    };
    await eventually(
      async () => (await adapter.client.applicationStatus(departmentRef)).status === 'APPROVED',
    );
    await adapter.results!.reportDelivery(ref, report);
    await adapter.results!.reportDelivery(ref, report);
    expect(simulator.feedback().deliveries.filter((d) => d.departmentRef === departmentRef)).toEqual([
      { departmentRef, method: 'post', recipient: 'agent', waybillNo: '1151234567' },
    ]);
    expect(simulator.applications().find((a) => a.applicationId === departmentRef)!.delivery).toEqual({
      method: 'POST',
      deliveredAt: report.deliveredAt,
      recipient: 'AGENT',
      waybillNo: '1151234567',
    });
    calls.length = 0;
    const wrongCase = await failureOf(
      adapter.results!.reportDelivery({ ...ref, caseNumber: '410900-20261125-999999' }, report),
    );
    expect(wrongCase).toMatchObject({ kind: 'permanent', status: 400, reason: '受理编号与申请不符' });
    const noWaybill = await failureOf(adapter.results!.reportDelivery(ref, { ...report, waybillNo: null }));
    expect(noWaybill.reason).toBe('缺少或错误的必填项：waybillNo');
    expect(calls.map((c) => [c.operation, c.status, c.outcome, c.attempt])).toEqual([
      ['delivery-report', 400, 'permanent', 1],
      ['delivery-report', 400, 'permanent', 1],
    ]);
  });
});

const LIST = `{ cases(first: 50) { edges { node { number applicant { id name
  householdRegistration { address relationToHead headOfHousehold policeStation status checkedAt } } } } } }`;
type Listed = {
  cases: {
    edges: {
      node: {
        number: string;
        applicant: {
          id: string;
          name: string;
          householdRegistration: {
            address: string;
            relationToHead: string;
            headOfHousehold: boolean;
            policeStation: string;
            status: string;
          } | null;
        };
      };
    }[];
  };
};

describe('public security in the hub: household registrations on applicants, decisions by callback', () => {
  let db: TestDatabase;
  let simulator: RunningPublicSecuritySimulator;
  let adapter: PublicSecurityAdapter;
  let hub: TestHub;
  let clerk: string;
  const people = Array.from({ length: 20 }, (_, i) => ({
    name: `户籍申请人${i}`,
    idNumber: citizenId(700 + i),
  }));
  beforeAll(async () => {
    db = await createTestDatabase();
    simulator = await startPublicSecuritySimulator({ reviewMs: 30 });
    adapter = publicSecurityAdapter.create(
      publicSecurityConfigSchema.parse({
        PUBLIC_SECURITY_TIMEOUT_MS: '400',
        PUBLIC_SECURITY_MAX_ATTEMPTS: '2',
      }),
      simulator.url,
      { recorder: { record: () => {} }, identities: createIdentityResolver(db.orm) },
    ) as PublicSecurityAdapter;
    hub = await startTestHub({ db, adapters: [adapter] });
    clerk = await hub.token('clerk');
    const materials = requiredMaterials(TOLERANT_ITEM).map((m) => ({
      checklistCode: m.checklistCode,
      medium: 'paper' as const,
    }));
    for (const person of people) {
      await registerCase(forkEm(db.orm), DEMO_ACTORS.clerk, {
        itemCode: TOLERANT_ITEM.code,
        channel: 'window',
        applicant: { type: 'person', ...person },
        materials,
      });
    }
  }, 60_000);
  afterAll(async () => {
    await simulator?.close();
    await hub?.close();
    await db?.drop();
  });

  it('adds household registrations to 20 applicants with one SOAP call, and audits each look-up', async () => {
    const before = simulator.calls()['POST /ws/approval QueryHouseholdRegistrations'] ?? 0;
    const { body } = await hub.gql<Listed>(LIST, {}, { token: clerk });
    expect(body.errors).toBeUndefined();
    const nodes = body.data!.cases.edges.map((e) => e.node);
    expect(nodes).toHaveLength(20);
    expect((simulator.calls()['POST /ws/approval QueryHouseholdRegistrations'] ?? 0) - before).toBe(1);
    for (const node of nodes) {
      const person = people.find((p) => p.name === node.applicant.name)!;
      const expected = householdRegistrationOf(person.idNumber);
      if (!expected.found) throw new Error('every 华龙区 citizen is registered in the simulator');
      expect(node.applicant.householdRegistration).toMatchObject({
        address: expected.address,
        relationToHead: expected.relationToHead,
        headOfHousehold: expected.relationToHead === '户主',
        policeStation: expected.policeStation,
        status: expected.status,
      });
    }
    const audits = await forkEm(db.orm).find(PersonalDataAccess, {
      purpose: 'household registration',
      actorId: DEMO_ACTORS.clerk.id,
    });
    expect(audits.filter((a) => a.granted)).toHaveLength(20);
  });

  it('gives a consumer asking directly nothing, and asks the bureau nothing for them', async () => {
    const ids = (await hub.gql<Listed>(LIST, {}, { token: clerk })).body
      .data!.cases.edges.slice(0, 3)
      .map((e) => e.node.applicant.id);
    const before = simulator.calls()['POST /ws/approval QueryHouseholdRegistrations'] ?? 0;
    const { body } = await hub.gql<{ householdRegistrations: { householdRegistration: unknown }[] }>(
      'query($ids: [ID!]!) { householdRegistrations(ids: $ids) { id householdRegistration { address } } }',
      { ids },
      { token: await hub.token('consumer') },
    );
    expect(body.data!.householdRegistrations.map((a) => a.householdRegistration)).toEqual([null, null, null]);
    expect(simulator.calls()['POST /ws/approval QueryHouseholdRegistrations'] ?? 0).toBe(before);
  });

  it('delivers pushed decisions to the hub, stored once however often they arrive', async () => {
    simulator.setCallbackUrl(`${hub.url}/callbacks/public_security`);
    simulator.setFaults({ duplicateCallbacks: true });
    try {
      const pkg = packageFor();
      const { departmentRef } = await adapter.submit(pkg);
      await eventually(
        () =>
          simulator.deliveries().filter((d) => d.status === 200 && d.types.includes('decision')).length === 2,
      );
      const receipts = await forkEm(db.orm).find(
        CallbackReceipt,
        { adapter: 'public_security' },
        { orderBy: { id: 'asc' } },
      );
      expect(receipts.map((r) => r.verdict)).toEqual(['accepted', 'accepted']);
      const events = receipts.flatMap((r) => r.events as unknown as DepartmentEvent[]);
      expect(events.map((e) => [e.type, e.departmentRef, e.caseNumber])).toEqual([
        ['progress', departmentRef, pkg.caseNumber],
        ['decision', departmentRef, pkg.caseNumber],
      ]);
      expect(events[1]!.decision).toMatchObject({
        outcome: 'approved',
        result: { holder: { name: pkg.applicant.name, idNumber: pkg.applicant.idNumber } },
      });
      // The identity number travels in stored events only as whom the result is made out to (R-D2).
      const withoutHolders = events.map((e) =>
        e.decision?.result
          ? { ...e, decision: { ...e.decision, result: { ...e.decision.result, holder: null } } }
          : e,
      );
      expect(JSON.stringify(withoutHolders)).not.toContain(pkg.applicant.idNumber);
    } finally {
      simulator.setFaults({ duplicateCallbacks: false });
    }
  });

  it('degrades only the household fields while the bureau is down; the rest of the answer arrives', async () => {
    simulator.setFaults({ down: true });
    try {
      const { status, body } = await hub.gql<Listed>(LIST, {}, { token: clerk });
      expect(status).toBe(200);
      const nodes = body.data!.cases.edges.map((e) => e.node);
      expect(nodes).toHaveLength(20);
      expect(
        nodes.every(
          (n) => n.applicant.name.startsWith('户籍申请人') && n.applicant.householdRegistration === null,
        ),
      ).toBe(true);
      expect(body.errors!.length).toBeGreaterThan(0);
      for (const error of body.errors!) {
        expect(error.extensions).toMatchObject({
          code: 'DEPARTMENT_UNAVAILABLE',
          department: 'public_security',
        });
        expect(error.path).toContain('householdRegistration');
      }
    } finally {
      simulator.setFaults({ down: false });
    }
  });
});
