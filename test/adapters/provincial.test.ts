import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type {
  CasePackage,
  DepartmentCallRecord,
  PlatformStatusChange,
} from '../../adapters/kit/adapter-contract.ts';
import { DepartmentError } from '../../adapters/kit/department-error.ts';
import { provincialAdapter } from '../../adapters/provincial/index.ts';
import {
  createProvincialAdapter,
  type ProvincialAdapter,
} from '../../adapters/provincial/provincial.adapter.ts';
import { provincialConfigSchema } from '../../adapters/provincial/provincial.config.ts';
import { type PreAcceptanceResult, toStatusRecord } from '../../adapters/provincial/provincial.mapping.ts';
import {
  type RunningProvincialSimulator,
  startProvincialSimulator,
} from '../../adapters/provincial/provincial.simulator.ts';

/** The provincial service platform adapter against its simulator. */

const ID_NUMBER = '41090219900101123X';
let serial = randomInt(100_000, 900_000);

function packageFor(overrides: Partial<CasePackage> = {}): CasePackage {
  const caseNumber = `410900-20261125-${String(serial++).padStart(6, '0')}`;
  return {
    caseNumber,
    departmentCode: 'market_regulation',
    idempotencyKey: `task-${caseNumber}-provincial`,
    itemCode: 'QYKB-001',
    itemName: '企业设立登记',
    acceptedOn: '2026-11-25',
    applicant: { name: '张伟', idType: 'citizen_id', idNumber: ID_NUMBER },
    materials: [
      { code: 'M01', name: '申请书', medium: 'paper', copies: 1, sha256: null, mediaType: null },
      {
        code: 'M02',
        name: '身份证明',
        medium: 'electronic',
        copies: 1,
        sha256: 'ab'.repeat(32),
        mediaType: 'application/pdf',
      },
    ],
    ...overrides,
  };
}

function preAcceptanceFor(overrides: Partial<PreAcceptanceResult> = {}): PreAcceptanceResult {
  const pkg = packageFor();
  return {
    caseNumber: pkg.caseNumber,
    idempotencyKey: `pre-${pkg.caseNumber}`,
    itemCode: pkg.itemCode,
    itemName: pkg.itemName,
    applicant: pkg.applicant,
    materials: pkg.materials,
    outcome: 'correction_required',
    reasons: ['营业执照复印件不清晰'],
    decidedAt: '2026-11-25T09:30:00+08:00',
    ...overrides,
  };
}

/** A later step of the package's case, as the hub sends it. */
function conclusionOf(pkg: CasePackage, overrides: Partial<PlatformStatusChange> = {}): PlatformStatusChange {
  return {
    caseNumber: pkg.caseNumber,
    idempotencyKey: `platform-status-${pkg.caseNumber}-e7`,
    itemCode: pkg.itemCode,
    itemName: pkg.itemName,
    occurredAt: '2026-12-02T10:15:00.000Z',
    departments: [{ code: 'market_regulation', name: '市场监督管理局' }],
    status: 'concluded',
    outcome: 'approved',
    reasons: [],
    results: [{ name: '营业执照', number: '91410900MA47XXXX0K' }],
    ...overrides,
  } as PlatformStatusChange;
}

function deliveryOf(pkg: CasePackage, delivery: Partial<Record<string, unknown>> = {}): PlatformStatusChange {
  return {
    caseNumber: pkg.caseNumber,
    idempotencyKey: `platform-status-${pkg.caseNumber}-e9`,
    itemCode: pkg.itemCode,
    itemName: pkg.itemName,
    occurredAt: '2026-12-03T08:40:00.000Z',
    departments: [{ code: 'market_regulation', name: '市场监督管理局' }],
    status: 'delivered',
    delivery: { method: 'pickup', recipient: 'agent', waybillNo: null, ...delivery },
  } as PlatformStatusChange;
}

describe('provincial service platform adapter', () => {
  let simulator: RunningProvincialSimulator;
  const calls: DepartmentCallRecord[] = [];
  const adapters: ProvincialAdapter[] = [];

  const makeAdapter = (env: Record<string, string> = {}) => {
    const config = provincialConfigSchema.parse({
      PROVINCIAL_TIMEOUT_MS: '400',
      PROVINCIAL_MAX_ATTEMPTS: '3',
      ...env,
    });
    const adapter = createProvincialAdapter(
      { ...config, PROVINCIAL_BASE_URL: simulator.url },
      { recorder: { record: (c) => calls.push(c) }, identities: { resolve: async () => new Map() } },
    );
    adapters.push(adapter);
    return adapter;
  };

  beforeAll(async () => {
    simulator = await startProvincialSimulator();
  });
  afterAll(async () => {
    await Promise.all(adapters.map((a) => a.client.http.close()));
    await simulator?.close();
  });
  beforeEach(() => {
    simulator.setFaults({
      latencyMs: 0,
      down: false,
      hang: false,
      malformed: false,
      rejectSubmissions: false,
      rejectStatusChanges: false,
    });
    calls.length = 0;
  });

  it('is registered as the provincial platform, with no catalogue departments and no callbacks', () => {
    const adapter = provincialAdapter.create(provincialAdapter.config.parse({}), simulator.url, {
      recorder: { record: () => {} },
      identities: { resolve: async () => new Map() },
    });
    expect(adapter).toMatchObject({ name: 'provincial', departmentCodes: [] });
    expect(adapter.callbacks).toBeUndefined();
    expect(adapter.pullDecisions).toBeUndefined();
    expect(provincialAdapter.baseUrlVariable).toBe('PROVINCIAL_BASE_URL');
    adapters.push(adapter as ProvincialAdapter);
  });

  it('records an acceptance once per key, however often it is sent', async () => {
    const adapter = makeAdapter();
    const pkg = packageFor();
    const first = await adapter.submit(pkg);
    const second = await adapter.submit(pkg);
    expect(first.status).toBe('received');
    expect(second).toEqual({ departmentRef: first.departmentRef, status: 'duplicate' });
    expect(simulator.submissions().filter((s) => s.idempotencyKey === pkg.idempotencyKey)).toEqual([
      { idempotencyKey: pkg.idempotencyKey, departmentRef: first.departmentRef, caseNumber: pkg.caseNumber },
    ]);
    const record = simulator.records().find((r) => r.key === pkg.idempotencyKey)!;
    expect(record.body).toMatchObject({
      caseNumber: pkg.caseNumber,
      itemCode: 'QYKB-001',
      hallCode: '410900',
      acceptedOn: '2026-11-25',
      applicant: { name: '张伟', identityType: 'RESIDENT_ID_CARD', identityNumber: ID_NUMBER },
      materials: [
        { code: 'M01', name: '申请书', medium: 'PAPER', copies: 1 },
        { code: 'M02', name: '身份证明', medium: 'ELECTRONIC', copies: 1 },
      ],
    });
    // Call records carry ids and outcomes only.
    expect(JSON.stringify(calls)).not.toContain(ID_NUMBER);
    expect(calls.every((c) => c.operation === 'submit' && c.caseNumber === pkg.caseNumber)).toBe(true);
  });

  it('surfaces the platform’s field errors in a permanent error a clerk can act on, without retry', async () => {
    const adapter = makeAdapter();
    const good = packageFor();
    const pkg = packageFor({
      acceptedOn: '2026-13-01',
      applicant: { name: '张伟', idType: 'citizen_id', idNumber: '4109021990' },
      materials: [good.materials[0]!, good.materials[1]!, { ...good.materials[0]!, code: 'M03', name: '' }],
    });
    const error = await adapter.submit(pkg).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DepartmentError);
    expect(error).toMatchObject({ kind: 'permanent', status: 422, department: 'provincial' });
    const { reason } = error as DepartmentError;
    expect(reason).toContain('记录不合法');
    expect(reason).toContain('materials[2].name: 不能为空');
    expect(reason).toContain('applicant.identityNumber: 须为 18 位');
    expect(reason).toContain('acceptedOn: 须为 YYYY-MM-DD 格式的日期');
    expect(reason).not.toContain('4109021990');
    expect(calls).toHaveLength(1);
    expect(simulator.submissions().some((s) => s.caseNumber === pkg.caseNumber)).toBe(false);
  });

  it('checks the case number, item code and materials strictly', async () => {
    const adapter = makeAdapter();
    const error = await adapter
      .submit(packageFor({ caseNumber: '410900-20261125-abc123', itemCode: 'qykb1', materials: [] }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'permanent', status: 422 });
    const { reason } = error as DepartmentError;
    expect(reason).toContain('caseNumber: 格式应为');
    expect(reason).toContain('itemCode: 格式应为');
    expect(reason).toContain('materials: 至少须有一份材料');
  });

  it('treats rejectSubmissions as permanent with its field errors', async () => {
    const adapter = makeAdapter();
    simulator.setFaults({ rejectSubmissions: true });
    const error = await adapter.submit(packageFor()).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'permanent', status: 422 });
    expect((error as DepartmentError).reason).toContain('applicant.identityNumber: 与实名认证信息不一致');
    expect(calls).toHaveLength(1);
  });

  it('retries a platform that is down, then reports it as transient, recording nothing', async () => {
    const adapter = makeAdapter();
    simulator.setFaults({ down: true });
    const pkg = packageFor();
    const error = await adapter.submit(pkg).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'transient', status: 503 });
    expect(calls.map((c) => [c.attempt, c.outcome])).toEqual([
      [1, 'transient'],
      [2, 'transient'],
      [3, 'transient'],
    ]);
    expect(simulator.submissions().some((s) => s.caseNumber === pkg.caseNumber)).toBe(false);
  });

  it('reports an unreadable answer as malformed', async () => {
    const adapter = makeAdapter();
    simulator.setFaults({ malformed: true });
    const before = simulator.submissions().length;
    const error = await adapter.submit(packageFor()).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'malformed', department: 'provincial' });
    expect(simulator.submissions()).toHaveLength(before);
  });

  it('treats a wrong token as permanent', async () => {
    const adapter = makeAdapter({ PROVINCIAL_TOKEN: 'not-the-token' });
    const error = await adapter.submit(packageFor()).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'permanent', status: 401 });
    expect(calls).toHaveLength(1);
    expect((await adapter.health()).state).toBe('down');
  });

  it('records an online pre-acceptance result once per key', async () => {
    const adapter = makeAdapter();
    const result = preAcceptanceFor();
    const first = await adapter.recordPreAcceptance(result);
    const second = await adapter.recordPreAcceptance(result);
    expect(first.departmentRef).toMatch(/^YS410900\d{8}$/);
    expect(second).toEqual({ departmentRef: first.departmentRef, status: 'duplicate' });
    const stored = simulator.records().filter((r) => r.key === result.idempotencyKey);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.body).toMatchObject({
      channel: 'ONLINE',
      result: 'CORRECTION',
      reasons: ['营业执照复印件不清晰'],
      hallCode: '410900',
    });
    expect(calls.map((c) => c.operation)).toEqual(['pre-acceptance', 'pre-acceptance']);
  });

  it('refuses a pre-acceptance refusal without reasons, naming the field', async () => {
    const adapter = makeAdapter();
    const error = await adapter
      .recordPreAcceptance(preAcceptanceFor({ outcome: 'refused', reasons: [], decidedAt: 'yesterday' }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'permanent', status: 422 });
    expect((error as DepartmentError).reason).toContain('reasons: 补正或不予受理时须写明理由');
    expect((error as DepartmentError).reason).toContain('decidedAt: 须为 ISO 8601 日期时间');
  });

  it('records a case’s later steps once per key, in the order they came, without identity numbers', async () => {
    const adapter = makeAdapter();
    const pkg = packageFor();
    await adapter.submit(pkg);
    const concluded = conclusionOf(pkg);
    const first = await adapter.platform!.statusChange(concluded);
    const again = await adapter.platform!.statusChange(concluded);
    expect(first).toMatchObject({
      status: 'received',
      departmentRef: expect.stringMatching(/^GC410900\d{8}$/),
    });
    expect(again).toEqual({
      status: 'duplicate',
      departmentRef: (first as { departmentRef: string }).departmentRef,
    });
    await adapter.platform!.statusChange(deliveryOf(pkg));

    const held = simulator.caseRecords(pkg.caseNumber);
    expect(held.map((r) => [r.kind, r.body.status ?? null])).toEqual([
      ['acceptance', null],
      ['status', 'CONCLUDED'],
      ['status', 'DELIVERED'],
    ]);
    expect(held[1]!.body).toEqual({
      caseNumber: pkg.caseNumber,
      itemCode: 'QYKB-001',
      itemName: '企业设立登记',
      hallCode: '410900',
      status: 'CONCLUDED',
      statusName: '办结',
      occurredAt: '2026-12-02T10:15:00.000Z',
      departments: [{ code: 'market_regulation', name: '市场监督管理局' }],
      conclusion: {
        result: 'APPROVED',
        reasons: [],
        results: [{ name: '营业执照', number: '91410900MA47XXXX0K' }],
      },
    });
    expect(held[2]!.body).toMatchObject({
      status: 'DELIVERED',
      statusName: '送达',
      delivery: { method: 'WINDOW_PICKUP', recipient: 'AGENT', waybillNo: null },
    });
    expect(JSON.stringify(held.slice(1))).not.toContain(ID_NUMBER);
    // Steps are no applications: the platform's submissions stay one per case.
    expect(simulator.submissions().filter((s) => s.caseNumber === pkg.caseNumber)).toHaveLength(1);
    expect(calls.filter((c) => c.operation === 'status-change').map((c) => c.outcome)).toEqual([
      'ok',
      'ok',
      'ok',
    ]);
  });

  it('refuses a bad step field by field, permanently and without retry, holding nothing', async () => {
    const adapter = makeAdapter();
    const pkg = packageFor();
    await adapter.submit(pkg);
    calls.length = 0;
    const error = await adapter
      .platform!.statusChange(
        conclusionOf(pkg, {
          occurredAt: 'yesterday',
          departments: [],
          outcome: 'denied',
          reasons: [],
          results: [{ name: '营业执照', number: '' }],
        } as Partial<PlatformStatusChange>),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DepartmentError);
    expect(error).toMatchObject({ kind: 'permanent', status: 422, department: 'provincial' });
    const { reason } = error as DepartmentError;
    expect(reason).toContain('记录不合法');
    expect(reason).toContain('occurredAt: 须为 ISO 8601 日期时间');
    expect(reason).toContain('departments: 须写明办理部门');
    expect(reason).toContain('conclusion.reasons: 不予许可时须写明理由');
    expect(reason).toContain('conclusion.results[0].number: 不能为空');
    expect(calls).toHaveLength(1);

    const post = await adapter
      .platform!.statusChange(deliveryOf(pkg, { method: 'post', recipient: 'applicant' }))
      .catch((e: unknown) => e);
    expect((post as DepartmentError).reason).toContain('delivery.waybillNo: 邮寄送达时不能为空');
    expect(simulator.caseRecords(pkg.caseNumber).map((r) => r.kind)).toEqual(['acceptance']);
  });

  it('answers a step of a case the platform holds no acceptance for as case_not_accepted, and takes it once the acceptance lands', async () => {
    const adapter = makeAdapter();
    const pkg = packageFor();
    const early = await adapter.platform!.statusChange(conclusionOf(pkg));
    expect(early).toEqual({
      status: 'case_not_accepted',
      reason: '办件无受理记录: caseNumber: 平台未收到该办件的受理信息，须先报送受理信息',
    });
    // An answer, not a fault: one call, not retried within it, and nothing held.
    expect(calls.map((c) => [c.operation, c.status, c.outcome])).toEqual([
      ['status-change', 422, 'permanent'],
    ]);
    expect(simulator.caseRecords(pkg.caseNumber)).toEqual([]);

    await adapter.submit(pkg);
    expect(await adapter.platform!.statusChange(conclusionOf(pkg))).toMatchObject({ status: 'received' });
    expect(simulator.caseRecords(pkg.caseNumber).map((r) => r.kind)).toEqual(['acceptance', 'status']);
  });

  it('refuses a bad step of an unknown case for its fields (a bad record, not an early one)', async () => {
    const adapter = makeAdapter();
    const error = await adapter
      .platform!.statusChange(
        conclusionOf(packageFor(), { departments: [{ code: '', name: '市场监督管理局' }] }),
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'permanent', status: 422 });
    expect((error as DepartmentError).reason).toBe('记录不合法: departments[0].code: 不能为空');
  });

  it('refuses steps carrying the applicant, and steps it is set to reject, with their fields', async () => {
    const adapter = makeAdapter();
    const pkg = packageFor();
    await adapter.submit(pkg);
    // Sent past the mapping, which never adds one.
    const record = { ...toStatusRecord(conclusionOf(pkg)), applicant: pkg.applicant };
    const withApplicant = await adapter.client
      .recordStatusChange(record, `with-applicant-${pkg.caseNumber}`)
      .catch((e: unknown) => e);
    expect((withApplicant as DepartmentError).reason).toContain(
      'applicant: 办件过程信息不得包含申请人身份信息',
    );

    simulator.setFaults({ rejectStatusChanges: true });
    const rejected = await adapter.platform!.statusChange(conclusionOf(pkg)).catch((e: unknown) => e);
    expect(rejected).toMatchObject({ kind: 'permanent', status: 422 });
    expect((rejected as DepartmentError).reason).toContain(
      'departments[0].code: 与事项实施清单登记的实施部门不一致',
    );
    // Acceptances are not affected by that switch.
    expect(await adapter.submit(packageFor())).toMatchObject({ status: 'received' });
    expect(simulator.caseRecords(pkg.caseNumber).map((r) => r.kind)).toEqual(['acceptance']);
  });

  it('reports health: up when it answers, down when it does not', async () => {
    const adapter = makeAdapter();
    expect(await adapter.health()).toMatchObject({ department: 'provincial', state: 'up' });
    simulator.setFaults({ hang: true });
    const started = Date.now();
    expect((await adapter.health()).state).toBe('down');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
