import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../adapters/kit/logger.ts';
import { type BuiltAdapters, buildAdapters } from '../../adapters/registry.ts';
import { decideAcceptance } from '../../db/cases/case-decisions.ts';
import { registerCase } from '../../db/cases/case-intake.ts';
import { createIdentityResolver } from '../../db/departments/applicant-identities.ts';
import { createBackOfficeStore } from '../../db/departments/back-office.ts';
import { CaseDepartmentTask } from '../../db/entities/case-department-task.ts';
import { forkEm } from '../../db/orm.ts';
import { catalogue } from '../../db/seed/catalogue/index.ts';
import { DEMO_ACTORS } from '../../gateway/auth/demo-actors.ts';
import { relayOutboxOnce, startOutboxRelay } from '../../jobs/outbox-relay.ts';
import { HubQueues } from '../../jobs/queues.ts';
import { createRedisConnection } from '../../jobs/redis.ts';
import { jobDefinitions } from '../../jobs/registry.ts';
import { installSchedules } from '../../jobs/schedules.ts';
import { type RunningWorkers, startWorkers } from '../../jobs/workers.ts';
import { eventually } from '../kit/eventually.ts';
import { citizenId } from '../kit/front-desk.ts';
import { TEST_REDIS_URL } from '../kit/services.ts';
import { createTestDatabase, type TestDatabase } from '../kit/test-database.ts';
import { startTestHub, type TestHub } from '../kit/test-hub.ts';

const paper = (code: string) =>
  catalogue.items
    .find((i) => i.code === code)!
    .materials.filter((m) => m.required)
    .map((m) => ({ checklistCode: m.code, medium: 'paper' as const }));

/** Pipeline steps run on schedules; under a loaded machine they may take a while. */
const until = <T>(probe: () => Promise<T | null | undefined | false>) => eventually(probe, 40_000);

describe('from acceptance to the departments (outbox → relay → queue → adapter → department)', () => {
  const prefix = `test-${randomBytes(5).toString('hex')}`;
  const redis = createRedisConnection(TEST_REDIS_URL);
  let db: TestDatabase;
  let built: BuiltAdapters;
  let hub: TestHub;
  let workers: RunningWorkers;
  let queues: HubQueues;
  let serial = 0;

  async function acceptedCase(itemCode: string) {
    const c = await registerCase(forkEm(db.orm), DEMO_ACTORS.clerk, {
      itemCode,
      channel: 'window',
      applicant: { type: 'person', name: '转移测试', idNumber: citizenId(300 + serial++) },
      materials: paper(itemCode),
    });
    const outcome = await decideAcceptance(forkEm(db.orm), DEMO_ACTORS.clerk, c.id, c.version, {
      type: 'accept',
    });
    expect(outcome.kind).toBe('accepted');
    return c;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    built = await buildAdapters(
      {},
      {
        recorder: { record: () => {} },
        identities: createIdentityResolver(db.orm),
        backOffice: createBackOfficeStore(db.orm),
      },
      { simulate: true },
    );
    // The gateway sends dead letters again on the same queues the workers here take jobs from.
    hub = await startTestHub({ db, adapters: built.adapters, env: { QUEUE_PREFIX: prefix } });
    queues = new HubQueues(redis, prefix);
  }, 60_000);
  afterAll(async () => {
    await workers?.close();
    await queues?.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await hub?.close();
    await built?.close();
    await db?.drop();
  });

  it('two relays at once enqueue each outbox event once', async () => {
    const cases = [];
    for (let i = 0; i < 5; i++) cases.push(await acceptedCase('BDC-001'));
    const [a, b] = await Promise.all([
      relayOutboxOnce(db.orm, queues, jobDefinitions, 3),
      relayOutboxOnce(db.orm, queues, jobDefinitions, 3),
    ]);
    const c = await relayOutboxOnce(db.orm, queues, jobDefinitions, 100);
    // 5 registrations + 5 acceptances, each claimed by exactly one relay.
    expect(a + b + c).toBe(10);
    expect(await relayOutboxOnce(db.orm, queues, jobDefinitions, 100)).toBe(0);
    const waiting = await queues.queue('transfers').getJobs(['waiting', 'delayed', 'prioritized']);
    expect(waiting.map((j) => j.name)).toEqual(Array(5).fill('transfer-materials'));
    expect(new Set(waiting.map((j) => j.data.caseId))).toEqual(new Set(cases.map((x) => x.id)));
    // Only ids in job data.
    expect(Object.keys(waiting[0]!.data).sort()).toEqual(['caseId', 'outboxId', 'topic']);
  });

  it('hands each case to every department it needs, once, and the department data shows in the one schema', async () => {
    workers = startWorkers(jobDefinitions, {
      connection: redis,
      prefix,
      orm: db.orm,
      logger: createLogger('silent'),
      adapters: built.adapters,
    });
    const relay = startOutboxRelay(db.orm, queues, jobDefinitions, createLogger('silent'), { idleMs: 50 });
    try {
      const joint = await acceptedCase('BDC-002');
      const tasks = await until(async () => {
        const rows = await forkEm(db.orm).find(CaseDepartmentTask, { case: joint.id });
        return rows.length === 3 ? rows : null;
      });
      expect(tasks.map((t) => [t.departmentCode, t.adapter]).sort()).toEqual([
        ['land_resources', 'real_estate'],
        ['real_estate_management_centre', 'back_office'],
        ['tax', 'tax'],
      ]);
      // The earlier five were transferred too; every department holds each key once.
      await until(async () => (await forkEm(db.orm).count(CaseDepartmentTask)) === 8);
      const realEstate = built.simulators.get('real_estate')!.submissions();
      expect(realEstate).toHaveLength(6);
      expect(new Set(realEstate.map((s) => s.idempotencyKey)).size).toBe(6);

      const clerk = await hub.token('clerk');
      const view = await until(async () => {
        const { body } = await hub.gql<{
          case: {
            timeline: { type: string; actorRole: string }[];
            realEstateRegistration: { status: string } | null;
          };
        }>(
          'query($id: ID!) { case(id: $id) { timeline { type actorRole } realEstateRegistration { status } } }',
          { id: joint.id },
          { token: clerk },
        );
        return body.data?.case.realEstateRegistration ? body.data.case : null;
      });
      expect(view.timeline.filter((e) => e.type === 'handed_over')).toHaveLength(3);
      expect(view.timeline.find((e) => e.type === 'handed_over')!.actorRole).toBe('system');
    } finally {
      await relay.stop();
    }
  }, 60_000);

  it('brings every department decision back and concludes the case: pulled, decided in the back office, and pushed by callback', async () => {
    workers ??= startWorkers(jobDefinitions, {
      connection: redis,
      prefix,
      orm: db.orm,
      logger: createLogger('silent'),
      adapters: built.adapters,
    });
    const relay = startOutboxRelay(db.orm, queues, jobDefinitions, createLogger('silent'), { idleMs: 50 });
    await installSchedules(queues, built.adapters, { pullEveryMs: 300, callbacksEveryMs: 300 });
    built.simulators.get('public_security')!.setCallbackUrl!(`${hub.url}/callbacks/public_security`);
    const clerk = await hub.token('clerk');
    const statusOf = async (id: string) => {
      const { body } = await hub.gql<{
        case: { status: string; timeline: { type: string; changes: string }[] };
      }>('query($id: ID!) { case(id: $id) { status timeline { type changes } } }', { id }, { token: clerk });
      return body.data!.case;
    };
    try {
      // Joint item: real estate and tax are pulled; the housing centre decides through the hub's back office.
      const joint = await acceptedCase('BDC-002');
      const reviewer = await hub.token('department_reviewer', {
        departmentCode: 'real_estate_management_centre',
      });
      const task = await until(async () => {
        const { body } = await hub.gql<{
          departmentTasks: { id: string; caseNumber: string; version: number }[];
        }>('{ departmentTasks(status: PENDING) { id caseNumber version } }', {}, { token: reviewer });
        return body.data!.departmentTasks.find((t) => t.caseNumber === joint.number);
      });
      await until(
        async () =>
          (await statusOf(joint.id)).timeline.filter((e) => e.type === 'department_decided').length === 2,
      );
      expect((await statusOf(joint.id)).status).toBe('ACCEPTED');
      await hub.gql(
        'mutation($input: DecideTaskInput!) { decideDepartmentTask(input: $input) { status } }',
        {
          input: {
            taskId: task.id,
            expectedVersion: task.version,
            approve: true,
            resultNumber: '濮房备〔2026〕0001号',
          },
        },
        { token: reviewer },
      );
      const concluded = await until(async () => {
        const view = await statusOf(joint.id);
        return view.status === 'APPROVED' ? view : null;
      });
      expect(
        concluded.timeline.map((e) => e.type).filter((t) => t === 'department_decided' || t === 'concluded'),
      ).toEqual(['department_decided', 'department_decided', 'department_decided', 'concluded']);

      // Public security decides by callback; duplicates are delivered and change nothing.
      built.simulators.get('public_security')!.setFaults({ duplicateCallbacks: true } as never);
      const pushed = await acceptedCase('GASF-005');
      const done = await until(async () => {
        const view = await statusOf(pushed.id);
        return view.status === 'APPROVED' || view.status === 'DENIED' ? view : null;
      });
      expect(done.timeline.filter((e) => e.type === 'department_decided')).toHaveLength(1);
      expect(done.timeline.filter((e) => e.type === 'concluded')).toHaveLength(1);
    } finally {
      await relay.stop();
    }
  }, 120_000);

  it('records acceptances on the provincial platform; a refused record becomes a dead letter a supervisor sends again', async () => {
    workers ??= startWorkers(jobDefinitions, {
      connection: redis,
      prefix,
      orm: db.orm,
      logger: createLogger('silent'),
      adapters: built.adapters,
    });
    const relay = startOutboxRelay(db.orm, queues, jobDefinitions, createLogger('silent'), { idleMs: 50 });
    const platform = built.simulators.get('provincial')!;
    try {
      const recorded = await acceptedCase('BDC-001');
      await until(async () => platform.submissions().some((s) => s.caseNumber === recorded.number));

      platform.setFaults({ rejectSubmissions: true });
      const refused = await acceptedCase('BDC-001');
      const supervisor = await hub.token('supervisor');
      const letter = await until(async () => {
        const { body } = await hub.gql<{
          deadLetters: { id: string; jobName: string; caseId: string; reason: string }[];
        }>('{ deadLetters { id jobName caseId reason } }', {}, { token: supervisor });
        return body.data!.deadLetters.find((d) => d.caseId === refused.id);
      });
      expect(letter.jobName).toBe('record-on-platform');
      expect(letter.reason).toMatch(/provincial platform refused the record/);
      expect(platform.submissions().some((s) => s.caseNumber === refused.number)).toBe(false);
      const clerkTry = await hub.gql(
        'mutation($id: ID!) { retryDeadLetter(id: $id) { id } }',
        { id: letter.id },
        { token: await hub.token('clerk') },
      );
      expect(clerkTry.body.errors![0]!.extensions!.code).toBe('FORBIDDEN');

      platform.setFaults({ rejectSubmissions: false });
      const retried = await hub.gql<{ retryDeadLetter: { retriedAt: string | null } }>(
        'mutation($id: ID!) { retryDeadLetter(id: $id) { retriedAt } }',
        { id: letter.id },
        { token: supervisor },
      );
      expect(retried.body.data!.retryDeadLetter.retriedAt).not.toBeNull();
      await until(async () => platform.submissions().some((s) => s.caseNumber === refused.number));
      const again = await hub.gql(
        'mutation($id: ID!) { retryDeadLetter(id: $id) { id } }',
        { id: letter.id },
        { token: supervisor },
      );
      expect(again.body.errors![0]!.extensions!.code).toBe('CONFLICT');
    } finally {
      platform.setFaults({ rejectSubmissions: false });
      await relay.stop();
    }
  }, 120_000);
});
