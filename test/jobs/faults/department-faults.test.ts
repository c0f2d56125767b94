import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AdapterDefinition,
  DepartmentCallRecord,
  SimulatorFaults,
} from '../../../adapters/kit/adapter-contract.ts';
import { createLogger } from '../../../adapters/kit/logger.ts';
import { realEstateAdapter } from '../../../adapters/real-estate/index.ts';
import type { RunningRealEstateSimulator } from '../../../adapters/real-estate/real-estate.simulator.ts';
import { buildAdapters } from '../../../adapters/registry.ts';
import { createIdentityResolver } from '../../../db/departments/applicant-identities.ts';
import { createBackOfficeStore } from '../../../db/departments/back-office.ts';
import { CaseDepartmentTask } from '../../../db/entities/case-department-task.ts';
import { DeadLetter } from '../../../db/entities/dead-letter.ts';
import { OutboxEvent } from '../../../db/entities/outbox-event.ts';
import { forkEm } from '../../../db/orm.ts';
import type { JobDefinition } from '../../../jobs/job-definition.ts';
import { relayOutboxOnce } from '../../../jobs/outbox-relay.ts';
import { HubQueues } from '../../../jobs/queues.ts';
import { createRedisConnection } from '../../../jobs/redis.ts';
import { transferMaterials } from '../../../jobs/transfer-materials.job.ts';
import { type RunningWorkers, startWorkers } from '../../../jobs/workers.ts';
import { acceptCase } from '../../kit/accepted-cases.ts';
import { eventually } from '../../kit/eventually.ts';
import { TEST_REDIS_URL } from '../../kit/services.ts';
import { createTestDatabase, type TestDatabase } from '../../kit/test-database.ts';

/**
 * The transfer job as registered, with a short retry policy: 4 runs, 200 ms doubling. The hub takes
 * retry policy from the job definition, so a test passes this one to the relay and the workers.
 * Four failures stay under the circuit breaker's threshold (5), so each run reaches the department.
 */
const TRANSFER: JobDefinition<unknown> = {
  ...(transferMaterials as JobDefinition<unknown>),
  attempts: 4,
  backoffMs: 200,
};
const SUBMIT = 'mutation submitRegistration';

type Fault = Partial<SimulatorFaults>;
const CLEAR: Fault = { down: false, hang: false, malformed: false, rejectSubmissions: false };

describe('a department system that fails during transfer-materials', () => {
  const prefix = `test-faults-${randomBytes(4).toString('hex')}`;
  const redis = createRedisConnection(TEST_REDIS_URL);
  let db: TestDatabase;
  let queues: HubQueues;
  let serial = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    queues = new HubQueues(redis, prefix);
  }, 60_000);
  afterAll(async () => {
    await queues?.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await db?.drop();
  });

  /**
   * A worker over a real-estate simulator of its own. The adapter makes one HTTP attempt per job run
   * (REAL_ESTATE_MAX_ATTEMPTS=1) and waits 500 ms for an answer, so every retry seen is the queue's.
   */
  async function pipeline() {
    const calls: DepartmentCallRecord[] = [];
    const built = await buildAdapters(
      { REAL_ESTATE_MAX_ATTEMPTS: '1', REAL_ESTATE_TIMEOUT_MS: '500' },
      {
        recorder: { record: (call) => calls.push(call) },
        identities: createIdentityResolver(db.orm),
        backOffice: createBackOfficeStore(db.orm),
      },
      { simulate: true, definitions: [realEstateAdapter as AdapterDefinition<unknown>] },
    );
    const simulator = built.simulators.get('real_estate') as RunningRealEstateSimulator;
    let workers: RunningWorkers | null = null;
    try {
      workers = startWorkers([TRANSFER], {
        connection: redis,
        prefix,
        orm: db.orm,
        logger: createLogger('silent'),
        adapters: built.adapters,
      });
    } catch (error) {
      await built.close();
      throw error;
    }
    const running = workers;
    return {
      simulator,
      /** Accepts a case and relays its outbox events; answers the case and its transfer job's id. */
      async accept() {
        const c = await acceptCase(db.orm, 500 + serial++);
        await relayOutboxOnce(db.orm, queues, [TRANSFER]);
        const event = await forkEm(db.orm).findOneOrFail(OutboxEvent, {
          caseId: c.id,
          topic: 'case.accepted',
        });
        return { ...c, jobId: `transfer-materials-o${event.id}` };
      },
      submitCalls: () => simulator.calls()[SUBMIT] ?? 0,
      /** The department calls made for a case, in order. */
      outcomes: (caseNumber: string) =>
        calls.filter((c) => c.caseNumber === caseNumber && c.operation === 'submit').map((c) => c.outcome),
      async close() {
        await running.close();
        await built.close();
      },
    };
  }

  const tasksOf = (caseId: string) => forkEm(db.orm).find(CaseDepartmentTask, { case: caseId });
  const deadLettersOf = (caseId: string) => forkEm(db.orm).find(DeadLetter, { caseId });
  const heldOnce = (simulator: RunningRealEstateSimulator, caseNumber: string) => {
    const held = simulator.submissions().filter((s) => s.caseNumber === caseNumber);
    expect(held).toHaveLength(1);
    return held[0]!;
  };

  /** Waits until the case's department task is recorded, and checks it and the department's copy are one. */
  async function transferredOnce(
    p: Awaited<ReturnType<typeof pipeline>>,
    c: { id: string; number: string },
  ): Promise<void> {
    const [task] = await eventually(async () => {
      const rows = await tasksOf(c.id);
      return rows.length > 0 ? rows : null;
    }, 20_000);
    expect(await tasksOf(c.id)).toHaveLength(1);
    expect(task!.departmentRef).toBe(heldOnce(p.simulator, c.number).departmentRef);
    expect(await deadLettersOf(c.id)).toEqual([]);
  }

  const faults: { name: string; fault: Fault; failure: RegExp }[] = [
    { name: 'answers 503', fault: { down: true }, failure: /HTTP 503/ },
    { name: 'hangs', fault: { hang: true }, failure: /no answer \(headers\) in time/ },
    // An unreadable answer is retried too: sending again is safe under the task's idempotency key.
    { name: 'answers garbage', fault: { malformed: true }, failure: /not JSON/ },
  ];

  for (const { name, fault, failure } of faults) {
    it(`${name}: retried with backoff, then (fault cleared) applied once`, async () => {
      const p = await pipeline();
      try {
        p.simulator.setFaults(fault);
        const c = await p.accept();
        // Two runs failed at the department; the third run (or the fourth) meets a working system.
        await eventually(async () => p.submitCalls() >= 2 || (await deadLettersOf(c.id)).length > 0, 20_000);
        expect(await deadLettersOf(c.id)).toEqual([]);
        p.simulator.setFaults(CLEAR);
        await transferredOnce(p, c);
        // One department call per run: two or three failed runs, then the one that went through.
        expect(p.submitCalls()).toBeGreaterThanOrEqual(3);
        const job = await queues.queue('transfers').getJob(c.jobId);
        expect(await job!.getState()).toBe('completed');
        expect(job!.stacktrace ?? []).toHaveLength(p.submitCalls() - 1);
        expect(job!.failedReason).toMatch(failure);
        expect(job!.opts.backoff).toMatchObject({ type: 'exponential', delay: 200 });
      } finally {
        await p.close();
      }
    }, 60_000);

    it(`${name}: (fault kept) ends in the dead letters with the reason; the worker takes the next job`, async () => {
      const p = await pipeline();
      try {
        p.simulator.setFaults(fault);
        const c = await p.accept();
        const [letter] = await eventually(async () => {
          const rows = await deadLettersOf(c.id);
          return rows.length > 0 ? rows : null;
        }, 30_000);
        expect(letter).toMatchObject({ jobName: 'transfer-materials', jobId: c.jobId, attempts: 4 });
        expect(letter!.reason).toMatch(failure);
        expect(p.submitCalls()).toBe(4);
        expect(await tasksOf(c.id)).toEqual([]);
        expect(p.simulator.submissions().filter((s) => s.caseNumber === c.number)).toEqual([]);

        p.simulator.setFaults(CLEAR);
        const next = await p.accept();
        await transferredOnce(p, next);
      } finally {
        await p.close();
      }
    }, 60_000);
  }

  it('rejects with a 4xx: no retry, a dead letter with the department reason, no task; the worker takes the next job', async () => {
    const p = await pipeline();
    try {
      p.simulator.setFaults({ rejectSubmissions: true });
      const c = await p.accept();
      const [letter] = await eventually(async () => {
        const rows = await deadLettersOf(c.id);
        return rows.length > 0 ? rows : null;
      }, 20_000);
      expect(letter).toMatchObject({ jobName: 'transfer-materials', jobId: c.jobId, attempts: 1 });
      expect(letter!.reason).toMatch(/申请材料不符合要求：申请人身份证明与不动产登记簿记载的权利人不一致/);
      expect(p.outcomes(c.number)).toEqual(['permanent']);
      expect(p.submitCalls()).toBe(1);
      expect(await tasksOf(c.id)).toEqual([]);
      expect(p.simulator.submissions()).toEqual([]);

      p.simulator.setFaults(CLEAR);
      const next = await p.accept();
      await transferredOnce(p, next);
      // The refused job stays refused: nothing ran it again meanwhile.
      expect(p.outcomes(c.number)).toEqual(['permanent']);
    } finally {
      await p.close();
    }
  }, 60_000);
});
