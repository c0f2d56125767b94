import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../adapters/kit/logger.ts';
import { decideAcceptance } from '../../db/cases/case-decisions.ts';
import { registerCase } from '../../db/cases/case-intake.ts';
import { CaseDepartmentTask } from '../../db/entities/case-department-task.ts';
import { forkEm } from '../../db/orm.ts';
import { catalogue } from '../../db/seed/catalogue/index.ts';
import { DEMO_ACTORS } from '../../gateway/auth/demo-actors.ts';
import { applyCallbacks } from '../../jobs/apply-callbacks.job.ts';
import type { JobContext } from '../../jobs/job-definition.ts';
import { citizenId } from '../kit/front-desk.ts';
import { createTestDatabase, type TestDatabase } from '../kit/test-database.ts';

/** A department can answer before the hub has stored the reference it gave: nothing may be lost. */
describe('a decision that arrives before its task is recorded', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });
  const context = (): JobContext => ({
    em: forkEm(db.orm),
    logger: createLogger('silent'),
    jobId: 'test',
    now: () => new Date(),
    attempt: 1,
    adapters: [],
  });

  it('waits in its callback receipt and is applied once the task exists', async () => {
    const item = catalogue.items.find((i) => i.code === 'GASF-005')!;
    const c = await registerCase(forkEm(db.orm), DEMO_ACTORS.clerk, {
      itemCode: item.code,
      channel: 'window',
      applicant: { type: 'person', name: '早到测试', idNumber: citizenId(77) },
      materials: item.materials
        .filter((m) => m.required)
        .map((m) => ({ checklistCode: m.code, medium: 'paper' as const })),
    });
    await decideAcceptance(forkEm(db.orm), DEMO_ACTORS.clerk, c.id, c.version, { type: 'accept' });
    const decision = {
      departmentRef: 'GA-EARLY-1',
      caseNumber: c.number,
      outcome: 'approved',
      reasons: [],
      decidedAt: new Date().toISOString(),
      result: { name: '证件', number: 'N-1' },
    };
    await forkEm(db.orm).execute(
      `insert into callback_receipt (adapter, webhook_id, verdict, events, received_at) values ('public_security', 'msg_early', 'accepted', ?, now())`,
      [
        JSON.stringify([
          {
            type: 'decision',
            departmentRef: 'GA-EARLY-1',
            caseNumber: c.number,
            sequence: 2,
            occurredAt: decision.decidedAt,
            decision,
            data: {},
          },
        ]),
      ],
    );
    const first = await applyCallbacks.process({}, context());
    expect(first).toMatchObject({ receipts: 1, applied: 0, waiting: 1 });

    await forkEm(db.orm).transactional(async (tx) => {
      tx.create(CaseDepartmentTask, {
        case: c.id,
        departmentCode: 'public_security',
        adapter: 'public_security',
        idempotencyKey: `task-${c.number}-public_security`,
        status: 'transferred',
        departmentRef: 'GA-EARLY-1',
        transferredAt: new Date(),
        decidedAt: null,
        reasons: null,
        resultName: null,
        resultNumber: null,
      });
    });
    const second = await applyCallbacks.process({}, context());
    expect(second).toMatchObject({ receipts: 1, applied: 1, waiting: 0 });
    const task = await forkEm(db.orm).findOneOrFail(
      CaseDepartmentTask,
      { departmentRef: 'GA-EARLY-1' },
      { populate: ['case'] },
    );
    expect(task.status).toBe('approved');
    expect(task.case.status).toBe('approved');
    expect(await applyCallbacks.process({}, context())).toMatchObject({ receipts: 0 });
  });
});
