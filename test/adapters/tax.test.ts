import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CasePackage,
  DepartmentCallRecord,
  DepartmentDecision,
  PackageMaterial,
} from '../../adapters/kit/adapter-contract.ts';
import { DepartmentError } from '../../adapters/kit/department-error.ts';
import { taxAdapter } from '../../adapters/tax/index.ts';
import type { createTaxAdapter } from '../../adapters/tax/tax.adapter.ts';
import { type RunningTaxSimulator, startTaxSimulator } from '../../adapters/tax/tax.simulator.ts';
import { eventually } from '../kit/eventually.ts';
import { citizenId } from '../kit/front-desk.ts';

/** The tax bureau's REST side of the owed materials of a deficiency-tolerant case (容缺补交). */

const ROUTE = 'POST /v1/applications/:id/materials';
const OWED: PackageMaterial[] = [
  { code: 'M02', name: '税务登记表', medium: 'paper', copies: 2, sha256: null, mediaType: null },
  {
    code: 'M03',
    name: '清税申报表',
    medium: 'electronic',
    copies: 1,
    sha256: 'd'.repeat(64),
    mediaType: 'application/pdf',
  },
];

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(DepartmentError);
      return error as DepartmentError;
    },
  );

describe('the tax bureau over REST: result feedback (R-D2, R-D5) and supplied materials (容缺补交)', () => {
  const calls: DepartmentCallRecord[] = [];
  let simulator: RunningTaxSimulator;
  let adapter: ReturnType<typeof createTaxAdapter>;
  let serial = 0;
  beforeAll(async () => {
    simulator = await startTaxSimulator();
    adapter = taxAdapter.create(
      taxAdapter.config.parse({ TAX_TIMEOUT_MS: '400', TAX_MAX_ATTEMPTS: '2' }),
      simulator.url,
      { recorder: { record: (c) => calls.push(c) }, identities: { resolve: async () => new Map() } },
    ) as ReturnType<typeof createTaxAdapter>;
  });
  afterAll(async () => {
    await simulator?.close();
  });

  function packageFor(): CasePackage {
    const caseNumber = `410900-20261125-3000${String(++serial).padStart(2, '0')}`;
    return {
      caseNumber,
      departmentCode: 'tax',
      idempotencyKey: `task-${caseNumber}-1`,
      itemCode: 'SW-003',
      itemName: '清税证明开具',
      acceptedOn: '2026-11-25',
      applicant: { name: '钱进', idType: 'citizen_id', idNumber: citizenId(300 + serial) },
      materials: [{ code: 'M01', name: '申请表', medium: 'paper', copies: 1, sha256: null, mediaType: null }],
    };
  }

  /** Reads the decision feed on from `cursor` until the application's next decision appears. */
  async function nextDecision(departmentRef: string, cursor: string | null) {
    let at = cursor;
    return eventually(async () => {
      const page = await adapter.pullDecisions!(at);
      at = page.cursor;
      const decision = page.decisions.find((d) => d.departmentRef === departmentRef);
      return decision && { decision, cursor: at };
    });
  }

  it('refuses a result with its token and an Idempotency-Key; the bureau decides again under a new number, after the cursor', async () => {
    simulator.setMode({ misattributeResults: true });
    try {
      const pkg = packageFor();
      const { departmentRef } = await adapter.submit(pkg);
      const first = await nextDecision(departmentRef, null);
      const applicant = { name: pkg.applicant.name, idNumber: pkg.applicant.idNumber };
      expect(first.decision.result).toMatchObject({ name: '税务事项通知书', itemCode: 'SW-003' });
      expect(first.decision.result!.holder).not.toEqual(applicant);

      // A rotated key on the way: the client renews its token once and repeats the call.
      simulator.setMode({ expireTokens: true });
      calls.length = 0;
      const ref = { departmentRef, caseNumber: pkg.caseNumber, idempotencyKey: pkg.idempotencyKey };
      await adapter.results!.refuseResult(ref, ['税务事项通知书记载的纳税人与申请人不一致']);
      simulator.setMode({ expireTokens: false });
      expect(calls.map((c) => [c.operation, c.status])).toEqual([
        ['result-refusal', 401],
        ['token', 200],
        ['result-refusal', 202],
      ]);
      expect(calls.every((c) => c.operation === 'token' || c.caseNumber === pkg.caseNumber)).toBe(true);
      expect(simulator.applications().find((a) => a.applicationId === departmentRef)!.refusal).toMatchObject({
        key: `${pkg.idempotencyKey}:result-refusal`,
        content: { reasons: ['税务事项通知书记载的纳税人与申请人不一致'] },
      });

      const again: DepartmentDecision = (await nextDecision(departmentRef, first.cursor)).decision;
      expect(again).toMatchObject({ outcome: 'approved', caseNumber: pkg.caseNumber });
      expect(again.result).toEqual({
        name: '税务事项通知书',
        number: `${first.decision.result!.number}-2`,
        itemCode: 'SW-003',
        holder: applicant,
      });
      // The same refusal again is answered as before and changes nothing.
      await adapter.results!.refuseResult(ref, ['税务事项通知书记载的纳税人与申请人不一致']);
      expect(simulator.calls()['POST /v1/applications/:id/result-refusals']).toBe(3);
      expect(simulator.feedback().refusals).toEqual([
        { departmentRef, reasons: ['税务事项通知书记载的纳税人与申请人不一致'] },
      ]);
      expect(simulator.applications().find((a) => a.applicationId === departmentRef)).toMatchObject({
        status: 'approved',
        revision: 2,
      });
    } finally {
      simulator.setMode({ misattributeResults: false, expireTokens: false });
    }
  });

  it('answers its own conflicts and validation as permanent, with the field errors kept', async () => {
    const pkg = packageFor();
    const { departmentRef } = await adapter.submit(pkg);
    await nextDecision(departmentRef, null);
    const ref = { departmentRef, caseNumber: pkg.caseNumber, idempotencyKey: pkg.idempotencyKey };
    const report = {
      method: 'post' as const,
      deliveredAt: '2026-11-28T03:00:00.000Z',
      recipient: 'applicant' as const,
      waybillNo: '1151234567890',
    };
    // The review after the refusal takes long: meanwhile the application has no result.
    simulator.setMode({ reviewMs: 60_000 });
    try {
      await adapter.results!.refuseResult(ref, ['持证人不一致']);
      calls.length = 0;
      // The same Idempotency-Key with other content: the bureau takes one refusal per application.
      const conflict = await failure(
        adapter.client.refuseResult(
          departmentRef,
          { caseRef: pkg.caseNumber, reasons: ['另一理由'] },
          `${pkg.idempotencyKey}:result-refusal`,
        ),
      );
      expect(conflict).toMatchObject({ kind: 'permanent', status: 409, reason: '该申请的结果已被退回过' });
      const early = await failure(adapter.results!.reportDelivery(ref, report));
      expect(early).toMatchObject({ status: 409, reason: '该申请尚未出具结果，无送达可反馈' });
      const invalid = await failure(adapter.results!.reportDelivery(ref, { ...report, waybillNo: null }));
      expect(invalid).toMatchObject({
        status: 422,
        reason: '送达信息不完整: waybillNo: 邮寄送达须提供运单号',
      });
      const wrongCase = await failure(
        adapter.results!.reportDelivery({ ...ref, caseNumber: '410900-20261125-999999' }, report),
      );
      expect(wrongCase).toMatchObject({ status: 422, reason: 'caseRef: 与该申请的受理编号不符' });
      expect(calls.map((c) => [c.operation, c.status, c.outcome, c.attempt])).toEqual([
        ['result-refusal', 409, 'permanent', 1],
        ['delivery-report', 409, 'permanent', 1],
        ['delivery-report', 422, 'permanent', 1],
        ['delivery-report', 422, 'permanent', 1],
      ]);
    } finally {
      simulator.setMode({ reviewMs: 20 });
    }
  });

  it('keeps a delivery report once per Idempotency-Key', async () => {
    const pkg = packageFor();
    const { departmentRef } = await adapter.submit(pkg);
    await nextDecision(departmentRef, null);
    const ref = { departmentRef, caseNumber: pkg.caseNumber, idempotencyKey: pkg.idempotencyKey };
    const before = simulator.calls()['POST /v1/applications/:id/delivery'] ?? 0;
    const report = {
      method: 'pickup' as const,
      deliveredAt: '2026-11-28T03:00:00.000Z',
      recipient: 'agent' as const,
      waybillNo: null,
    };
    await adapter.results!.reportDelivery(ref, report);
    await adapter.results!.reportDelivery(ref, report);
    expect((simulator.calls()['POST /v1/applications/:id/delivery'] ?? 0) - before).toBe(2);
    expect(simulator.applications().find((a) => a.applicationId === departmentRef)!.delivery).toMatchObject({
      key: `${pkg.idempotencyKey}:delivery`,
      content: { method: 'pickup', deliveredAt: report.deliveredAt, recipient: 'agent', waybillNo: null },
    });
    expect(simulator.feedback().deliveries.filter((d) => d.departmentRef === departmentRef)).toEqual([
      { departmentRef, method: 'pickup', recipient: 'agent', waybillNo: null },
    ]);
  });

  async function submitted() {
    const pkg = packageFor();
    const { departmentRef } = await adapter.submit(pkg);
    return {
      pkg,
      departmentRef,
      ref: { departmentRef, caseNumber: pkg.caseNumber, idempotencyKey: pkg.idempotencyKey },
    };
  }

  it('adds owed materials to the application under the caller key as Idempotency-Key; a repeat is answered as before and kept once', async () => {
    const { pkg, departmentRef, ref } = await submitted();
    const key = `${pkg.idempotencyKey}:supplement-1`;
    const before = simulator.calls()[ROUTE] ?? 0;
    calls.length = 0;
    await adapter.supplements!.supplyMaterials(ref, OWED, key);
    await adapter.supplements!.supplyMaterials(ref, OWED, key);
    expect((simulator.calls()[ROUTE] ?? 0) - before).toBe(2);
    // Created, then the first answer again.
    expect(calls.map((c) => [c.operation, c.path, c.status, c.caseNumber])).toEqual([
      ['material-supplement', `/v1/applications/${departmentRef}/materials`, 201, pkg.caseNumber],
      ['material-supplement', `/v1/applications/${departmentRef}/materials`, 200, pkg.caseNumber],
    ]);
    expect(simulator.applications().find((a) => a.applicationId === departmentRef)!.supplements).toEqual([
      {
        supplementId: expect.stringMatching(/^BJ\d{8}$/),
        applicationId: departmentRef,
        key,
        bodyHash: expect.any(String),
        materialCodes: ['M02', 'M03'],
        at: expect.any(String),
      },
    ]);
    expect(simulator.supplements().filter((s) => s.departmentRef === departmentRef)).toEqual([
      { departmentRef, idempotencyKey: key, materialCodes: ['M02', 'M03'] },
    ]);
  });

  it('answers its own refusals as permanent with the reason kept: a key reused for another application, invalid materials, another case, an unknown application', async () => {
    const first = await submitted();
    const second = await submitted();
    const key = `${first.pkg.idempotencyKey}:supplement-1`;
    await adapter.supplements!.supplyMaterials(first.ref, OWED, key);
    calls.length = 0;
    const reused = await failure(adapter.supplements!.supplyMaterials(second.ref, OWED, key));
    expect(reused).toMatchObject({ kind: 'permanent', status: 409, reason: '该幂等键已用于另一次材料补交' });
    const other = `${second.pkg.idempotencyKey}:supplement-1`;
    const invalid = await failure(
      adapter.supplements!.supplyMaterials(second.ref, [{ ...OWED[0]!, copies: 0 }, OWED[0]!], other),
    );
    expect(invalid).toMatchObject({
      kind: 'permanent',
      status: 422,
      reason: '补交材料不完整: materials[0].copies: 须为正整数; materials[1].code: 同一次补交中材料编码重复',
    });
    const wrongCase = await failure(
      adapter.supplements!.supplyMaterials(
        { ...second.ref, caseNumber: '410900-20261125-999999' },
        OWED,
        other,
      ),
    );
    expect(wrongCase).toMatchObject({ status: 422, reason: 'caseRef: 与该申请的受理编号不符' });
    const unknown = await failure(
      adapter.supplements!.supplyMaterials({ ...second.ref, departmentRef: 'SW99999999' }, OWED, other),
    );
    expect(unknown).toMatchObject({ kind: 'permanent', status: 404, reason: 'no such application' });
    expect(calls.map((c) => [c.operation, c.status, c.outcome, c.attempt])).toEqual([
      ['material-supplement', 409, 'permanent', 1],
      ['material-supplement', 422, 'permanent', 1],
      ['material-supplement', 422, 'permanent', 1],
      ['material-supplement', 404, 'permanent', 1],
    ]);
    expect(simulator.supplements().filter((s) => s.idempotencyKey === key)).toEqual([
      { departmentRef: first.departmentRef, idempotencyKey: key, materialCodes: ['M02', 'M03'] },
    ]);
    expect(simulator.supplements().some((s) => s.departmentRef === second.departmentRef)).toBe(false);
  });
});
