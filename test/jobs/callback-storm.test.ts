import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../adapters/kit/logger.ts';
import { publicSecurityAdapter } from '../../adapters/public-security/index.ts';
import { type BuiltAdapters, buildAdapters } from '../../adapters/registry.ts';
import { decideAcceptance } from '../../db/cases/case-decisions.ts';
import { registerCase } from '../../db/cases/case-intake.ts';
import { CaseDepartmentTask } from '../../db/entities/case-department-task.ts';
import { forkEm } from '../../db/orm.ts';
import { catalogue } from '../../db/seed/catalogue/index.ts';
import { DEMO_ACTORS } from '../../gateway/auth/demo-actors.ts';
import { applyCallbacks } from '../../jobs/apply-callbacks.job.ts';
import { citizenId } from '../kit/front-desk.ts';
import { startTestHub, type TestHub } from '../kit/test-hub.ts';

const CASES = 120;

/** A seeded shuffle, so a failing order can be replayed. */
function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('500 callbacks, 30 % of them duplicates, out of order', () => {
  let built: BuiltAdapters;
  let hub: TestHub;
  const tasks: { caseId: string; caseNumber: string; ref: string; idNumber: string }[] = [];

  beforeAll(async () => {
    built = await buildAdapters(
      {},
      { recorder: { record: () => {} }, identities: { resolve: async () => new Map() } },
      {
        simulate: true,
        definitions: [publicSecurityAdapter as never],
      },
    );
    hub = await startTestHub({ adapters: built.adapters });
    const item = catalogue.items.find((i) => i.code === 'GASF-005')!;
    const materials = item.materials
      .filter((m) => m.required)
      .map((m) => ({ checklistCode: m.code, medium: 'paper' as const }));
    for (let i = 0; i < CASES; i++) {
      const c = await registerCase(forkEm(hub.db.orm), DEMO_ACTORS.clerk, {
        itemCode: item.code,
        channel: 'window',
        applicant: { type: 'person', name: '回调测试', idNumber: citizenId(i) },
        materials,
      });
      await decideAcceptance(forkEm(hub.db.orm), DEMO_ACTORS.clerk, c.id, c.version, { type: 'accept' });
      tasks.push({ caseId: c.id, caseNumber: c.number, ref: `GA-STORM-${i}`, idNumber: citizenId(i) });
    }
    await forkEm(hub.db.orm).transactional(async (tx) => {
      for (const t of tasks) {
        tx.create(CaseDepartmentTask, {
          case: t.caseId,
          departmentCode: 'public_security',
          adapter: 'public_security',
          idempotencyKey: `task-${t.caseNumber}-public_security`,
          status: 'transferred',
          departmentRef: t.ref,
          transferredAt: new Date(),
          decidedAt: null,
          reasons: null,
          resultName: null,
          resultNumber: null,
        });
      }
    });
  }, 120_000);
  afterAll(async () => {
    await hub?.close();
    await built?.close();
  });

  it('applies each decision once: transitions equal the unique decisions', async () => {
    const simulator = built.simulators.get('public_security')!;
    // 350 distinct deliveries: a decision for each case and progress notices, the progress often later than the decision.
    const unique = [
      ...tasks.map((t) =>
        simulator.signedCallback!([
          {
            departmentRef: t.ref,
            caseNumber: t.caseNumber,
            type: 'decision',
            sequence: 10,
            // The bureau does not hold these applications (the tasks are written directly): say who the result is for.
            result: { itemCode: 'GASF-005', holder: { name: '回调测试', idNumber: t.idNumber } },
          },
        ]),
      ),
      ...Array.from({ length: 350 - CASES }, (_, i) => {
        const t = tasks[i % CASES]!;
        return simulator.signedCallback!([
          { departmentRef: t.ref, caseNumber: t.caseNumber, type: 'progress', sequence: 1 + (i % 5) },
        ]);
      }),
    ];
    // 150 duplicates: half re-deliveries of the same message, half the same decision sent again as a new message.
    const duplicates = [
      ...unique.slice(0, 75),
      ...tasks.slice(0, 75).map((t) =>
        simulator.signedCallback!([
          {
            departmentRef: t.ref,
            caseNumber: t.caseNumber,
            type: 'decision',
            sequence: 10,
            // The bureau does not hold these applications (the tasks are written directly): say who the result is for.
            result: { itemCode: 'GASF-005', holder: { name: '回调测试', idNumber: t.idNumber } },
          },
        ]),
      ),
    ];
    const deliveries = shuffle([...unique, ...duplicates], 42);
    expect(deliveries).toHaveLength(500);
    const statuses = await Promise.all(
      deliveries.map(async (d) => {
        const response = await fetch(`${hub.url}/callbacks/public_security`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...d.headers },
          body: d.body,
        });
        return response.status;
      }),
    );
    expect(statuses.filter((s) => s !== 200)).toEqual([]);

    const context = () => ({
      em: forkEm(hub.db.orm),
      logger: createLogger('silent'),
      jobId: 't',
      attempt: 1,
      adapters: [],
      now: () => new Date(),
    });
    for (let round = 0; round < 10; round++) {
      const result = (await applyCallbacks.process({}, context())) as { receipts: number };
      if (result.receipts === 0) break;
    }
    const em = forkEm(hub.db.orm);
    const [counts] = await em.execute<
      { receipts: string; decided: string; concluded: string; approved: string }[]
    >(
      `select (select count(*) from callback_receipt where verdict = 'accepted') receipts,
              (select count(*) from case_event where type = 'department_decided') decided,
              (select count(*) from case_event where type = 'concluded') concluded,
              (select count(*) from hall_case where status = 'approved') approved`,
    );
    // Re-deliveries of one message id are stored once; everything else is stored and applied at most once.
    expect(Number(counts!.receipts)).toBe(425);
    expect(Number(counts!.decided)).toBe(CASES);
    expect(Number(counts!.concluded)).toBe(CASES);
    expect(Number(counts!.approved)).toBe(CASES);
    expect(await em.count(CaseDepartmentTask, { status: 'transferred' })).toBe(0);
  }, 120_000);
});
