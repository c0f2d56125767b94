import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AdapterDefinition,
  CasePackage,
  DepartmentAdapter,
  DepartmentCallRecord,
  RunningSimulator,
} from '../../adapters/kit/adapter-contract.ts';
import { DepartmentError } from '../../adapters/kit/department-error.ts';
import { adapterDefinitions } from '../../adapters/registry.ts';
import { CallbackReceipt } from '../../db/entities/callback-receipt.ts';
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

// The hub's own back office is no remote system (no simulator, no faults); test/adapters/back-office.test.ts covers it.
for (const definition of (adapterDefinitions as AdapterDefinition<unknown>[]).filter(
  (d) => d.startSimulator,
)) {
  const startSimulator = definition.startSimulator!;
  describe(`adapter conformance: ${definition.name}`, () => {
    const calls: DepartmentCallRecord[] = [];
    let simulator: RunningSimulator;
    let adapter: DepartmentAdapter;
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
    });
    afterAll(async () => {
      await simulator?.close();
    });
    const reset = () => {
      simulator.setFaults({
        latencyMs: 0,
        down: false,
        hang: false,
        malformed: false,
        rejectSubmissions: false,
      });
      calls.length = 0;
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

    it('maps the department decision back to the hub', async () => {
      reset();
      // Push adapters deliver decisions by callback instead; their suite checks the signatures.
      if (!adapter.pullDecisions) return;
      const pkg = packageFor(`410900-20261125-${String(randomInt(1_000_000)).padStart(6, '0')}`);
      const { departmentRef } = await adapter.submit(pkg);
      const decision = await eventually(async () => {
        const page = await adapter.pullDecisions!(null);
        return page.decisions.find((d) => d.departmentRef === departmentRef);
      });
      expect(decision).toMatchObject({ caseNumber: pkg.caseNumber, outcome: 'approved' });
      expect(decision.result?.number).toBeTruthy();
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
