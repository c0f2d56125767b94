import { randomInt } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import type {
  AdapterDefinition,
  ApplicationRef,
  CasePackage,
  DeliveryReport,
  DepartmentAdapter,
  DepartmentCallRecord,
  DepartmentDecision,
  PackageMaterial,
  ResultFeedback,
  RunningSimulator,
} from '../../adapters/kit/adapter-contract.ts';
import { DepartmentError } from '../../adapters/kit/department-error.ts';
import { verifyWebhook } from '../../adapters/kit/webhook-signature.ts';
import { adapterDefinitions } from '../../adapters/registry.ts';
import { CallbackReceipt } from '../../db/entities/callback-receipt.ts';
import { citizenIdCheckChar } from '../../db/identity/citizen-id.ts';
import { forkEm } from '../../db/orm.ts';
import { eventually } from '../kit/eventually.ts';
import { startTestHub, type TestHub } from '../kit/test-hub.ts';

/**
 * The conformance suite: what every adapter in the registry must do against its own simulator.
 * Settings follow the kit's convention: <NAME>_TIMEOUT_MS and <NAME>_MAX_ATTEMPTS.
 */
function packageFor(caseNumber: string): CasePackage {
  return {
    caseNumber,
    departmentCode: 'market_regulation',
    idempotencyKey: `task-${caseNumber}-1`,
    itemCode: 'QYKB-001',
    itemName: '企业设立登记',
    acceptedOn: '2026-11-25',
    applicant: { name: '测试企业有限公司', idType: 'credit_code', idNumber: '91350100M000100Y43' },
    materials: [{ code: 'M01', name: '申请书', medium: 'paper', copies: 1, sha256: null, mediaType: null }],
  };
}

/** Materials a deficiency-tolerant case owed at acceptance (容缺补交), one on paper and one electronic. */
const OWED_MATERIALS: PackageMaterial[] = [
  { code: 'M02', name: '住所使用证明', medium: 'paper', copies: 1, sha256: null, mediaType: null },
  {
    code: 'M03',
    name: '法定代表人任职文件',
    medium: 'electronic',
    copies: 1,
    sha256: 'c'.repeat(64),
    mediaType: 'application/pdf',
  },
];

const newCaseNumber = () => `410900-20261125-${String(randomInt(1_000_000)).padStart(6, '0')}`;

const refOf = (pkg: CasePackage, departmentRef: string): ApplicationRef => ({
  departmentRef,
  caseNumber: pkg.caseNumber,
  idempotencyKey: pkg.idempotencyKey,
});

/**
 * Where a test sees an adapter's decisions as the hub would: its pull feed read on from one cursor, or
 * the signed callbacks its simulator pushes (verified and parsed by the adapter). In review is no decision.
 */
interface DecisionFeed {
  /** Decisions so far for a reference, in the department's order. */
  decisionsOf(departmentRef: string): Promise<DepartmentDecision[]>;
  close(): Promise<void>;
}

function pullFeed(adapter: DepartmentAdapter): DecisionFeed {
  let cursor: string | null = null;
  const seen = new Map<string, DepartmentDecision[]>();
  return {
    async decisionsOf(departmentRef) {
      for (let page = 0; page < 20; page++) {
        const { decisions, cursor: next } = await adapter.pullDecisions!(cursor);
        for (const d of decisions) {
          if (d.outcome !== 'in_review') seen.set(d.departmentRef, [...(seen.get(d.departmentRef) ?? []), d]);
        }
        if (decisions.length === 0 || next === cursor) break;
        cursor = next;
      }
      return seen.get(departmentRef) ?? [];
    },
    async close() {},
  };
}

async function callbackFeed(adapter: DepartmentAdapter, simulator: RunningSimulator): Promise<DecisionFeed> {
  const spec = adapter.callbacks!;
  const events = new Map<string, { sequence: number; decision: DepartmentDecision }>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const header = (name: string) => req.headers[name] as string | undefined;
      const verdict = verifyWebhook(
        spec.secret,
        {
          id: header('webhook-id'),
          timestamp: header('webhook-timestamp'),
          signature: header('webhook-signature'),
        },
        body,
      );
      if (verdict.ok) {
        for (const e of spec.parse(body)) {
          if (e.decision && e.decision.outcome !== 'in_review')
            events.set(`${e.departmentRef}#${e.sequence}`, { sequence: e.sequence, decision: e.decision });
        }
      }
      res.writeHead(verdict.ok ? 200 : 401, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  simulator.setCallbackUrl!(
    `http://127.0.0.1:${(server.address() as AddressInfo).port}/callbacks/${adapter.name}`,
  );
  return {
    async decisionsOf(departmentRef) {
      return [...events.values()]
        .filter((e) => e.decision.departmentRef === departmentRef)
        .sort((a, b) => a.sequence - b.sequence)
        .map((e) => e.decision);
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

// The hub's own back office is no remote system (no simulator, no faults); test/adapters/back-office.test.ts covers it.
// The SMS gateway carries no packages (its submit refuses); test/adapters/sms.test.ts runs these faults on its sends.
for (const definition of (adapterDefinitions as AdapterDefinition<unknown>[]).filter(
  (d) => d.startSimulator && d.name !== 'sms',
)) {
  const startSimulator = definition.startSimulator!;
  describe(`adapter conformance: ${definition.name}`, () => {
    const calls: DepartmentCallRecord[] = [];
    let simulator: RunningSimulator;
    let adapter: DepartmentAdapter;
    /** How the adapter's decisions reach the hub; null for adapters that carry none (post, platform, SMS). */
    let feed: DecisionFeed | null = null;
    const prefix = definition.name.toUpperCase();
    beforeAll(async () => {
      simulator = await startSimulator();
      const config = definition.config.parse({
        [`${prefix}_TIMEOUT_MS`]: '400',
        [`${prefix}_MAX_ATTEMPTS`]: '3',
      });
      adapter = definition.create(config, simulator.url, {
        recorder: { record: (c) => calls.push(c) },
        identities: { resolve: async () => new Map() },
      });
      if (adapter.pullDecisions) feed = pullFeed(adapter);
      // A push adapter carries decisions when it issues results (the post's callbacks only track shipments).
      else if (adapter.callbacks && adapter.results && simulator.setCallbackUrl)
        feed = await callbackFeed(adapter, simulator);
    });
    afterAll(async () => {
      await feed?.close();
      await simulator?.close();
    });
    const reset = () => {
      simulator.setFaults({
        latencyMs: 0,
        down: false,
        hang: false,
        malformed: false,
        rejectSubmissions: false,
        misattributeResults: false,
      });
      calls.length = 0;
    };

    /** The decisions feed, or the test is skipped: this adapter carries no decisions. */
    const decisionsFeed = (ctx: TestContext): DecisionFeed => {
      if (!feed) ctx.skip('carries no decisions');
      return feed!;
    };
    /** Result feedback and the simulator's record of it, or the test is skipped: this adapter issues no results. */
    const resultFeedback = (ctx: TestContext) => {
      if (!adapter.results || !feed || !simulator.feedback) ctx.skip('issues no results');
      return { results: adapter.results!, feed: feed!, feedback: () => simulator.feedback!() };
    };
    /** Material supplements and the simulator's record of them, or the test is skipped: this adapter takes none. */
    const materialSupplements = (ctx: TestContext) => {
      if (!adapter.supplements || !simulator.supplements) ctx.skip('takes no supplements');
      return { supplements: adapter.supplements!, held: () => simulator.supplements!() };
    };
    /** Submits a package and waits for the department's first decision (approved, as the simulators decide). */
    const submitAndDecide = async (feedOf: DecisionFeed, pkg: CasePackage) => {
      const { departmentRef } = await adapter.submit(pkg);
      const [decision] = await eventually(async () => {
        const decided = await feedOf.decisionsOf(departmentRef);
        return decided.length > 0 && decided;
      });
      return { departmentRef, decision: decision! };
    };

    it('applies a package once however often it is sent with the same key', async () => {
      reset();
      const pkg = packageFor(`410900-20261125-${String(randomInt(1_000_000)).padStart(6, '0')}`);
      const first = await adapter.submit(pkg);
      const second = await adapter.submit(pkg);
      expect(second.departmentRef).toBe(first.departmentRef);
      expect(simulator.submissions().filter((s) => s.idempotencyKey === pkg.idempotencyKey)).toHaveLength(1);
      expect(
        calls.filter((c) => c.operation === 'submit').every((c) => c.caseNumber === pkg.caseNumber),
      ).toBe(true);
    });

    it('maps the department decision back to the hub, its result made out to the applicant for the item of the package', async (ctx) => {
      const decisions = decisionsFeed(ctx);
      reset();
      const pkg = packageFor(newCaseNumber());
      const { departmentRef, decision } = await submitAndDecide(decisions, pkg);
      expect(decision).toMatchObject({ departmentRef, caseNumber: pkg.caseNumber, outcome: 'approved' });
      expect(decision.result?.number).toBeTruthy();
      if (!adapter.results) return;
      expect(decision.result).toEqual({
        name: expect.any(String),
        number: expect.any(String),
        itemCode: pkg.itemCode,
        holder: { name: pkg.applicant.name, idNumber: pkg.applicant.idNumber },
      });
    });

    it('issues results to someone else while misattributeResults is on', async (ctx) => {
      const { feed } = resultFeedback(ctx);
      reset();
      simulator.setFaults({ misattributeResults: true });
      const pkg = packageFor(newCaseNumber());
      const { decision } = await submitAndDecide(feed, pkg);
      const holder = decision.result!.holder!;
      expect(holder.name).not.toBe(pkg.applicant.name);
      expect(holder.idNumber).not.toBe(pkg.applicant.idNumber);
      // Another person, plausibly: an 18-character citizen ID number whose GB 11643 check character holds.
      expect(holder.idNumber).toMatch(/^\d{17}[\dX]$/);
      expect(citizenIdCheckChar(holder.idNumber.slice(0, 17))).toBe(holder.idNumber[17]);
      expect(decision.result!.itemCode).toBe(pkg.itemCode);
    });

    it('refusing a result makes the department decide again, made out to the applicant; a repeated refusal is kept once', async (ctx) => {
      const { results, feed, feedback } = resultFeedback(ctx);
      reset();
      simulator.setFaults({ misattributeResults: true });
      const pkg = packageFor(newCaseNumber());
      const { departmentRef, decision: first } = await submitAndDecide(feed, pkg);
      expect(first.result!.holder!.idNumber).not.toBe(pkg.applicant.idNumber);
      const reasons = ['结果记载的持证人与受理信息不一致'];
      await results.refuseResult(refOf(pkg, departmentRef), reasons);
      await results.refuseResult(refOf(pkg, departmentRef), reasons);
      // A new decision, after the first (past the pull cursor, or a callback of a higher sequence); the
      // fault is still on, yet the refusal corrected this application.
      const decisions = await eventually(async () => {
        const decided = await feed.decisionsOf(departmentRef);
        return decided.length >= 2 && decided;
      });
      const again = decisions.at(-1)!;
      expect(again).toMatchObject({ departmentRef, caseNumber: pkg.caseNumber, outcome: 'approved' });
      expect(again.result).toEqual({
        name: expect.any(String),
        number: expect.any(String),
        itemCode: pkg.itemCode,
        holder: { name: pkg.applicant.name, idNumber: pkg.applicant.idNumber },
      });
      expect(feedback().refusals.filter((r) => r.departmentRef === departmentRef)).toEqual([
        { departmentRef, reasons },
      ]);
      const refusals = calls.filter((c) => c.operation === 'result-refusal');
      expect(refusals.map((c) => [c.outcome, c.caseNumber])).toEqual([
        ['ok', pkg.caseNumber],
        ['ok', pkg.caseNumber],
      ]);
    });

    it('keeps a delivery report once however often it is told', async (ctx) => {
      const { results, feed, feedback } = resultFeedback(ctx);
      reset();
      const pkg = packageFor(newCaseNumber());
      const { departmentRef } = await submitAndDecide(feed, pkg);
      const report: DeliveryReport = {
        method: 'post',
        deliveredAt: new Date().toISOString(),
        recipient: 'applicant',
        waybillNo: '1151234567890',
      };
      await results.reportDelivery(refOf(pkg, departmentRef), report);
      await results.reportDelivery(refOf(pkg, departmentRef), report);
      expect(feedback().deliveries.filter((d) => d.departmentRef === departmentRef)).toEqual([
        { departmentRef, method: 'post', recipient: 'applicant', waybillNo: '1151234567890' },
      ]);
      expect(calls.filter((c) => c.operation === 'delivery-report').map((c) => c.caseNumber)).toEqual([
        pkg.caseNumber,
        pkg.caseNumber,
      ]);
    });

    it('treats refused feedback (4xx) as permanent: no retry, the department reason kept', async (ctx) => {
      const { results, feedback } = resultFeedback(ctx);
      reset();
      const pkg = packageFor('410900-20261125-900004');
      const unknown = refOf(pkg, 'NO-SUCH-APPLICATION');
      const attempts: [string, (r: ResultFeedback) => Promise<void>][] = [
        ['result-refusal', (r) => r.refuseResult(unknown, ['持证人不一致'])],
        [
          'delivery-report',
          (r) =>
            r.reportDelivery(unknown, {
              method: 'pickup',
              deliveredAt: new Date().toISOString(),
              recipient: 'agent',
              waybillNo: null,
            }),
        ],
      ];
      for (const [operation, attempt] of attempts) {
        calls.length = 0;
        const error = await attempt(results).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DepartmentError);
        expect(error).toMatchObject({ kind: 'permanent', department: definition.name });
        expect((error as DepartmentError).status).toBeGreaterThanOrEqual(400);
        expect((error as DepartmentError).status).toBeLessThan(500);
        expect((error as DepartmentError).reason.length).toBeGreaterThan(0);
        const made = calls.filter((c) => c.operation === operation);
        expect(made.map((c) => [c.outcome, c.attempt, c.caseNumber])).toEqual([
          ['permanent', 1, pkg.caseNumber],
        ]);
      }
      const held = feedback();
      expect(
        [...held.refusals, ...held.deliveries].some((f) => f.departmentRef === unknown.departmentRef),
      ).toBe(false);
    });

    it('reports a feedback answer it cannot read as malformed, storing nothing', async (ctx) => {
      const { results, feed, feedback } = resultFeedback(ctx);
      reset();
      const pkg = packageFor(newCaseNumber());
      const { departmentRef } = await submitAndDecide(feed, pkg);
      simulator.setFaults({ malformed: true });
      const error = await results
        .refuseResult(refOf(pkg, departmentRef), ['持证人不一致'])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DepartmentError);
      expect(error).toMatchObject({ kind: 'malformed', department: definition.name });
      expect(feedback().refusals.some((r) => r.departmentRef === departmentRef)).toBe(false);
    });

    it('retries feedback to a failing system, then reports it as transient', async (ctx) => {
      const { results } = resultFeedback(ctx);
      reset();
      simulator.setFaults({ down: true });
      const pkg = packageFor('410900-20261125-900005');
      const error = await results
        .refuseResult(refOf(pkg, 'ANY-APPLICATION'), ['持证人不一致'])
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: expect.stringMatching(/^(transient|unavailable)$/) });
      const transient = calls.filter((c) => c.operation === 'result-refusal' && c.outcome === 'transient');
      expect(transient.length).toBeGreaterThanOrEqual(2);
    });

    it('adds supplied materials to the application it holds, once per key however often they are sent', async (ctx) => {
      const { supplements, held } = materialSupplements(ctx);
      reset();
      const pkg = packageFor(newCaseNumber());
      const { departmentRef } = await adapter.submit(pkg);
      const ref = refOf(pkg, departmentRef);
      const key = `${pkg.idempotencyKey}:supplement-1`;
      await supplements.supplyMaterials(ref, OWED_MATERIALS, key);
      const once = [{ departmentRef, idempotencyKey: key, materialCodes: ['M02', 'M03'] }];
      expect(held().filter((s) => s.departmentRef === departmentRef)).toEqual(once);
      await supplements.supplyMaterials(ref, OWED_MATERIALS, key);
      expect(held().filter((s) => s.departmentRef === departmentRef)).toEqual(once);
      // A later supplement of the same application, under its own key, is a second entry.
      const later = `${pkg.idempotencyKey}:supplement-2`;
      await supplements.supplyMaterials(
        ref,
        [{ ...OWED_MATERIALS[0]!, code: 'M04', name: '补充说明' }],
        later,
      );
      expect(held().filter((s) => s.departmentRef === departmentRef)).toEqual([
        ...once,
        { departmentRef, idempotencyKey: later, materialCodes: ['M04'] },
      ]);
      const made = calls.filter((c) => c.operation === 'material-supplement');
      expect(made.map((c) => [c.outcome, c.attempt, c.caseNumber])).toEqual([
        ['ok', 1, pkg.caseNumber],
        ['ok', 1, pkg.caseNumber],
        ['ok', 1, pkg.caseNumber],
      ]);
    });

    it('refuses a key used again with other materials as a conflict: permanent, nothing more added', async (ctx) => {
      const { supplements, held } = materialSupplements(ctx);
      reset();
      const pkg = packageFor(newCaseNumber());
      const { departmentRef } = await adapter.submit(pkg);
      const ref = refOf(pkg, departmentRef);
      const key = `${pkg.idempotencyKey}:supplement-1`;
      await supplements.supplyMaterials(ref, OWED_MATERIALS, key);
      calls.length = 0;
      const error = await supplements
        .supplyMaterials(ref, [OWED_MATERIALS[0]!], key)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DepartmentError);
      expect(error).toMatchObject({ kind: 'permanent', department: definition.name });
      expect((error as DepartmentError).reason.length).toBeGreaterThan(0);
      expect(calls.filter((c) => c.operation === 'material-supplement')).toHaveLength(1);
      expect(held().filter((s) => s.departmentRef === departmentRef)).toEqual([
        { departmentRef, idempotencyKey: key, materialCodes: ['M02', 'M03'] },
      ]);
    });

    it('treats a supplement for an application it does not hold as permanent: no retry, the department reason kept', async (ctx) => {
      const { supplements, held } = materialSupplements(ctx);
      reset();
      const pkg = packageFor('410900-20261125-900006');
      const unknown = refOf(pkg, 'NO-SUCH-APPLICATION');
      const error = await supplements
        .supplyMaterials(unknown, OWED_MATERIALS, `${pkg.idempotencyKey}:supplement-1`)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DepartmentError);
      expect(error).toMatchObject({ kind: 'permanent', department: definition.name });
      expect((error as DepartmentError).status).toBeGreaterThanOrEqual(400);
      expect((error as DepartmentError).status).toBeLessThan(500);
      expect((error as DepartmentError).reason.length).toBeGreaterThan(0);
      const made = calls.filter((c) => c.operation === 'material-supplement');
      expect(made.map((c) => [c.outcome, c.attempt, c.caseNumber])).toEqual([
        ['permanent', 1, pkg.caseNumber],
      ]);
      expect(held().some((s) => s.departmentRef === unknown.departmentRef)).toBe(false);
    });

    it('retries a supplement to a failing system, then reports it as transient', async (ctx) => {
      const { supplements, held } = materialSupplements(ctx);
      reset();
      const pkg = packageFor(newCaseNumber());
      const { departmentRef } = await adapter.submit(pkg);
      simulator.setFaults({ down: true });
      const key = `${pkg.idempotencyKey}:supplement-1`;
      const error = await supplements
        .supplyMaterials(refOf(pkg, departmentRef), OWED_MATERIALS, key)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DepartmentError);
      expect(error).toMatchObject({ kind: expect.stringMatching(/^(transient|unavailable)$/) });
      const transient = calls.filter(
        (c) => c.operation === 'material-supplement' && c.outcome === 'transient',
      );
      expect(transient.length).toBeGreaterThanOrEqual(2);
      expect(held().some((s) => s.idempotencyKey === key)).toBe(false);
    });

    it('treats a rejection as permanent: no retry, the department reason kept', async () => {
      reset();
      simulator.setFaults({ rejectSubmissions: true });
      const error = await adapter.submit(packageFor('410900-20261125-900001')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DepartmentError);
      expect(error).toMatchObject({ kind: 'permanent', department: definition.name });
      expect((error as DepartmentError).reason.length).toBeGreaterThan(0);
      expect(calls.filter((c) => c.operation === 'submit')).toHaveLength(1);
    });

    it('retries a failing system, then reports it as transient', async () => {
      reset();
      simulator.setFaults({ down: true });
      const error = await adapter.submit(packageFor('410900-20261125-900002')).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: expect.stringMatching(/^(transient|unavailable)$/) });
      expect(calls.filter((c) => c.outcome === 'transient').length).toBeGreaterThanOrEqual(2);
      expect(simulator.submissions().some((s) => s.caseNumber === '410900-20261125-900002')).toBe(false);
    });

    it('reports an answer it cannot read as malformed, changing nothing', async () => {
      reset();
      await new Promise((r) => setTimeout(r, 50));
      simulator.setFaults({ malformed: true });
      const before = simulator.submissions().length;
      const error = await adapter.submit(packageFor('410900-20261125-900003')).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'malformed' });
      expect(simulator.submissions()).toHaveLength(before);
    });

    it('gives up on a system that does not answer, within its timeouts', async () => {
      reset();
      simulator.setFaults({ hang: true });
      const started = Date.now();
      const error = await adapter.health();
      expect(error.state).toBe('down');
      expect(Date.now() - started).toBeLessThan(15_000);
    }, 20_000);
  });

  describe(`adapter callbacks: ${definition.name}`, () => {
    let simulator: RunningSimulator;
    let hub: TestHub | null = null;
    let pushes = false;
    beforeAll(async () => {
      simulator = await startSimulator();
      const adapter = definition.create(definition.config.parse({}), simulator.url, {
        recorder: { record: () => {} },
        identities: { resolve: async () => new Map() },
      });
      hub = await startTestHub({ adapters: [adapter] });
      pushes = Boolean(adapter.callbacks);
    });
    afterAll(async () => {
      await hub?.close();
      await simulator?.close();
    });

    async function deliver(headers: Record<string, string>, body: string) {
      const response = await fetch(`${hub!.url}/callbacks/${definition.name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    }

    it('accepts a signed callback once, ignores its repeat, and refuses forged or replayed ones with an audit record', async () => {
      if (!pushes) {
        // A pull adapter takes no callbacks: anything posted in its name is refused.
        const response = await deliver({}, '{}');
        expect(response.status).toBe(404);
        return;
      }
      expect(simulator.signedCallback).toBeDefined();
      if (!hub || !simulator.signedCallback) return;
      const event = {
        departmentRef: 'REF-1',
        caseNumber: '410900-20261125-000001',
        type: 'decision',
        sequence: 1,
      };
      const valid = simulator.signedCallback([event]);
      expect(await deliver(valid.headers, valid.body)).toEqual({
        status: 200,
        body: { accepted: 1, duplicate: false },
      });
      expect(await deliver(valid.headers, valid.body)).toEqual({
        status: 200,
        body: { accepted: 1, duplicate: true },
      });
      const forged = await deliver(valid.headers, valid.body.replace('REF-1', 'REF-2'));
      expect(forged.status).toBe(401);
      const stale = simulator.signedCallback([{ ...event, sequence: 2 }]);
      const replayed = await deliver(
        { ...stale.headers, 'webhook-timestamp': String(Math.floor(Date.now() / 1000) - 600) },
        stale.body,
      );
      expect(replayed.status).toBe(401);
      const receipts = await forkEm(hub.db.orm).find(
        CallbackReceipt,
        { adapter: definition.name },
        { orderBy: { id: 'asc' } },
      );
      expect(receipts.map((r) => r.verdict)).toEqual(['accepted', 'rejected', 'rejected']);
      expect(receipts[1]!.reason).toMatch(/signature does not match/);
      expect(receipts[2]!.reason).toMatch(/tolerance/);
    });
  });
}
