import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRealEstateSimulator } from '../../../adapters/real-estate/real-estate.simulator.ts';
import { Case } from '../../../db/entities/case.ts';
import { CaseDepartmentTask } from '../../../db/entities/case-department-task.ts';
import { CaseEvent } from '../../../db/entities/case-event.ts';
import { DeadLetter } from '../../../db/entities/dead-letter.ts';
import { OutboxEvent } from '../../../db/entities/outbox-event.ts';
import { forkEm } from '../../../db/orm.ts';
import { installationId, queuePrefixFor } from '../../../db/prepare.ts';
import { createRedisConnection } from '../../../jobs/redis.ts';
import { acceptCase } from '../../kit/accepted-cases.ts';
import { type DepartmentSystems, startDepartmentSystems } from '../../kit/department-systems.ts';
import { eventually } from '../../kit/eventually.ts';
import { type HubProcess, startWorkerProcess } from '../../kit/hub-processes.ts';
import { type OwnRedis, startOwnRedis } from '../../kit/redis-server.ts';
import { createTestDatabase, type TestDatabase } from '../../kit/test-database.ts';

const SUBMIT = 'mutation submitRegistration';

/**
 * Worker processes (`jobs/main.ts`, as `npm run start:worker` starts them) over the test's own
 * database and Redis, with every department URL pointing at simulators this test runs.
 */
describe('a worker process killed (SIGKILL) while a department call is in flight', () => {
  let db: TestDatabase;
  let redis: OwnRedis;
  let departments: DepartmentSystems;
  let dataDir: string;
  let env: Record<string, string>;
  let prefix: string;
  const processes: HubProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = await startOwnRedis();
    departments = await startDepartmentSystems();
    dataDir = mkdtempSync(path.join(tmpdir(), 'owh-killed-'));
    env = {
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: 'killed',
      DATA_DIR: dataDir,
      // A dead worker's jobs are taken over once its lock lapses; short here, 30 s by default.
      WORKER_LOCK_MS: '4000',
      ...departments.env,
    };
    // The workers name their queues after the database's installation id; made here, before they race to it.
    prefix = queuePrefixFor('killed', await installationId(db.orm));
  }, 60_000);
  afterAll(async () => {
    for (const p of processes) await p.kill();
    await departments?.close();
    await redis?.stop();
    await db?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('the job runs again in another worker and the department applies it once', async () => {
    const registry = departments.simulators.get('real_estate') as RunningRealEstateSimulator;
    const platform = departments.simulators.get('provincial')!;
    // Slow enough that the worker is surely inside the department call when it is killed.
    registry.setFaults({ latencyMs: 4000 });

    const first = await startWorkerProcess(env);
    processes.push(first);
    const c = await acceptCase(db.orm, 600);
    await eventually(() => (registry.calls()[SUBMIT] ?? 0) >= 1, 30_000);
    expect(registry.submissions()).toEqual([]); // in flight: asked, not yet answered
    await first.kill();
    expect(first.child.signalCode).toBe('SIGKILL');
    registry.setFaults({ latencyMs: 0 });

    // The stalled-job check hands the job to the second worker once the killed worker's lock has
    // lapsed (WORKER_LOCK_MS).
    const second = await startWorkerProcess(env);
    processes.push(second);
    const em = () => forkEm(db.orm);
    await eventually(async () => (await em().count(CaseDepartmentTask, { case: c.id })) > 0, 120_000, 250);

    // The department holds the task's key once, though it was sent twice (the killed run's call
    // completed at the department after its caller died); the hub recorded the handover once.
    const key = `task-${c.number}-land_resources`;
    expect(registry.calls()[SUBMIT]).toBeGreaterThanOrEqual(2);
    expect(registry.submissions().filter((s) => s.idempotencyKey === key)).toHaveLength(1);
    const tasks = await em().find(CaseDepartmentTask, { case: c.id });
    expect(tasks.map((t) => [t.idempotencyKey, t.departmentRef])).toEqual([
      [key, registry.submissions().find((s) => s.idempotencyKey === key)!.departmentRef],
    ]);
    expect(await em().count(CaseEvent, { case: c.id, type: 'handed_over' })).toBe(1);

    // It was the same job, brought back after it stalled, not a second one.
    const accepted = await em().findOneOrFail(OutboxEvent, { caseId: c.id, topic: 'case.accepted' });
    const connection = createRedisConnection(redis.url);
    const transfers = new Queue('transfers', { connection, prefix });
    try {
      const job = await transfers.getJob(`transfer-materials-o${accepted.id}`);
      expect(await job!.getState()).toBe('completed');
      expect(job!.stalledCounter).toBe(1);
      expect(await transfers.getJobCounts('completed', 'failed', 'waiting', 'active', 'delayed')).toEqual({
        completed: 1,
        failed: 0,
        waiting: 0,
        active: 0,
        delayed: 0,
      });
    } finally {
      await transfers.close();
      connection.disconnect();
    }

    // Nothing lost: the case ends decided (the registry's decision is pulled), the platform holds its
    // record once, and no dead letter was needed.
    const decided = await eventually(
      async () => {
        const hallCase = await em().findOneOrFail(Case, { id: c.id });
        return hallCase.status === 'approved' ? hallCase : null;
      },
      30_000,
      250,
    );
    expect(decided.status).toBe('approved');
    expect(platform.submissions().filter((s) => s.caseNumber === c.number)).toHaveLength(1);
    expect(await em().count(DeadLetter, { caseId: c.id })).toBe(0);

    expect(await second.stop()).toBe(0);
  }, 180_000);
});
