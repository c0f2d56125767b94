import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CasePackage,
  DepartmentAdapter,
  DepartmentCallRecord,
  DepartmentDecision,
} from '../../adapters/kit/adapter-contract.ts';
import { DepartmentError } from '../../adapters/kit/department-error.ts';
import { taxAdapter } from '../../adapters/tax/index.ts';
import type { createTaxAdapter } from '../../adapters/tax/tax.adapter.ts';
import { type RunningTaxSimulator, startTaxSimulator } from '../../adapters/tax/tax.simulator.ts';
import { registerCase } from '../../db/cases/case-intake.ts';
import { createIdentityResolver } from '../../db/departments/applicant-identities.ts';
import { PersonalDataAccess } from '../../db/entities/personal-data-access.ts';
import { forkEm } from '../../db/orm.ts';
import { DEMO_ACTORS } from '../../gateway/auth/demo-actors.ts';
import { eventually } from '../kit/eventually.ts';
import { citizenId, requiredMaterials, TOLERANT_ITEM } from '../kit/front-desk.ts';
import { createTestDatabase, type TestDatabase } from '../kit/test-database.ts';
import { startTestHub, type TestHub } from '../kit/test-hub.ts';

const LIST = `{ cases(first: 50) { edges { node { number applicant { id name taxStatus { status clearance outstandingFen } } } } } }`;
type Listed = {
  cases: {
    edges: {
      node: { number: string; applicant: { id: string; name: string; taxStatus: { status: string } | null } };
    }[];
  };
};

describe('department data in the one schema (tax)', () => {
  let db: TestDatabase;
  let simulator: RunningTaxSimulator;
  let adapter: DepartmentAdapter;
  let hub: TestHub;
  let clerk: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    simulator = await startTaxSimulator();
    adapter = taxAdapter.create(
      taxAdapter.config.parse({ TAX_TIMEOUT_MS: '400', TAX_MAX_ATTEMPTS: '2' }),
      simulator.url,
      {
        recorder: { record: () => {} },
        identities: createIdentityResolver(db.orm),
      },
    );
    hub = await startTestHub({ db, adapters: [adapter] });
    clerk = await hub.token('clerk');
    const materials = requiredMaterials(TOLERANT_ITEM).map((m) => ({
      checklistCode: m.checklistCode,
      medium: 'paper' as const,
    }));
    for (let i = 0; i < 50; i++) {
      await registerCase(forkEm(db.orm), DEMO_ACTORS.clerk, {
        itemCode: TOLERANT_ITEM.code,
        channel: 'window',
        applicant: { type: 'person', name: `申请人${i}`, idNumber: citizenId(600 + i) },
        materials,
      });
    }
  }, 60_000);
  afterAll(async () => {
    await hub?.close();
    await simulator?.close();
    await db?.drop();
  });

  it('adds tax status to 50 applicants with one call to the tax bureau, and audits each look-up', async () => {
    const before = simulator.calls()['POST /v1/taxpayers/lookup'] ?? 0;
    const { body } = await hub.gql<Listed>(LIST, {}, { token: clerk });
    expect(body.errors).toBeUndefined();
    const nodes = body.data!.cases.edges.map((e) => e.node);
    expect(nodes).toHaveLength(50);
    expect(
      nodes.every((n) => ['NORMAL', 'ABNORMAL', 'UNREGISTERED'].includes(n.applicant.taxStatus!.status)),
    ).toBe(true);
    expect((simulator.calls()['POST /v1/taxpayers/lookup'] ?? 0) - before).toBe(1);
    const audits = await forkEm(db.orm).find(PersonalDataAccess, {
      purpose: 'tax status',
      actorId: DEMO_ACTORS.clerk.id,
    });
    expect(audits.filter((a) => a.granted)).toHaveLength(50);
  });

  it('gives nobody else the data: a consumer asking directly gets nulls, and the refusal is audited', async () => {
    const ids = (await hub.gql<Listed>(LIST, {}, { token: clerk })).body
      .data!.cases.edges.slice(0, 3)
      .map((e) => e.node.applicant.id);
    const { body } = await hub.gql<{ taxApplicants: { id: string; taxStatus: unknown }[] }>(
      'query($ids: [ID!]!) { taxApplicants(ids: $ids) { id taxStatus { status } } }',
      { ids },
      { token: await hub.token('consumer') },
    );
    expect(body.data!.taxApplicants.map((a) => a.taxStatus)).toEqual([null, null, null]);
    const refused = await forkEm(db.orm).find(PersonalDataAccess, { actorRole: 'consumer' });
    expect(refused.map((r) => r.granted)).toEqual([false, false, false]);
  });

  it('degrades only the tax fields while the tax bureau is down; the rest of the answer arrives', async () => {
    simulator.setFaults({ down: true });
    try {
      const { status, body } = await hub.gql<Listed>(LIST, {}, { token: clerk });
      expect(status).toBe(200);
      const nodes = body.data!.cases.edges.map((e) => e.node);
      expect(nodes).toHaveLength(50);
      expect(
        nodes.every((n) => n.applicant.name.startsWith('申请人') && n.applicant.taxStatus === null),
      ).toBe(true);
      expect(body.errors!.length).toBeGreaterThan(0);
      for (const error of body.errors!) {
        expect(error.extensions).toMatchObject({ code: 'DEPARTMENT_UNAVAILABLE', department: 'tax' });
        expect(error.path).toContain('taxStatus');
      }
      const ready = await (await fetch(`${hub.url}/readyz`)).json();
      expect(ready).toMatchObject({ status: 'ready', departments: [{ department: 'tax', state: 'down' }] });
    } finally {
      simulator.setFaults({ down: false });
    }
  });
});

describe('tax bureau result feedback (REST)', () => {
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
    const caseNumber = `410900-20261125-2000${String(++serial).padStart(2, '0')}`;
    return {
      caseNumber,
      departmentCode: 'tax',
      idempotencyKey: `task-${caseNumber}-1`,
      itemCode: 'SW-003',
      itemName: '清税证明开具',
      acceptedOn: '2026-11-25',
      applicant: { name: '赵敏', idType: 'citizen_id', idNumber: citizenId(200 + serial) },
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
});

describe('the hub owns the types departments extend', () => {
  it('keeps the hub descriptions of Applicant and Case in the one schema', async () => {
    const { buildAdapters } = await import('../../adapters/registry.ts');
    const built = await buildAdapters(
      {},
      { recorder: { record: () => {} }, identities: { resolve: async () => new Map() } },
      { simulate: true },
    );
    const hub = await startTestHub({ adapters: built.adapters });
    try {
      const { body } = await hub.gql<{ applicant: { description: string }; case: { description: string } }>(
        '{ applicant: __type(name: "Applicant") { description } case: __type(name: "Case") { description } }',
      );
      expect(body.data!.applicant.description).toBe('An applicant as the caller may see them.');
      expect(body.data!.case.description).toBe(
        'A case (办件): one application, from registration to decision.',
      );
    } finally {
      await hub.close();
      await built.close();
    }
  });
});
