import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../adapters/kit/logger.ts';
import { type BuiltAdapters, buildAdapters } from '../../../adapters/registry.ts';
import { createIdentityResolver } from '../../../db/departments/applicant-identities.ts';
import { createBackOfficeStore } from '../../../db/departments/back-office.ts';
import { CaseDepartmentTask } from '../../../db/entities/case-department-task.ts';
import { OutboxEvent } from '../../../db/entities/outbox-event.ts';
import { forkEm } from '../../../db/orm.ts';
import { catalogue } from '../../../db/seed/catalogue/index.ts';
import { type RunningRelay, startOutboxRelay } from '../../../jobs/outbox-relay.ts';
import { HubQueues } from '../../../jobs/queues.ts';
import { createRedisConnection } from '../../../jobs/redis.ts';
import { jobDefinitions } from '../../../jobs/registry.ts';
import { type RunningWorkers, startWorkers } from '../../../jobs/workers.ts';
import { eventually } from '../../kit/eventually.ts';
import { citizenId, DECIDE, REGISTER, requiredMaterials } from '../../kit/front-desk.ts';
import { freePort, type OwnRedis, startOwnRedis } from '../../kit/redis-server.ts';
import { createTestDatabase, type TestDatabase } from '../../kit/test-database.ts';
import { startTestHub, type TestHub } from '../../kit/test-hub.ts';

/** A joint item: one acceptance hands the case to three departments. */
const JOINT = catalogue.items.find((i) => i.code === 'BDC-002')!;
const REDIS_ARGS = ['--appendonly', 'yes'];

interface Readiness {
  status: string;
  checks: { database: { ok: boolean }; redis: { ok: boolean; error?: string } };
}

describe('the hub started while its Redis is not there yet', () => {
  let port: number;
  let db: TestDatabase;
  let built: BuiltAdapters;
  let hub: TestHub;
  let redis: OwnRedis | undefined;
  let connection: Redis;
  let queues: HubQueues;
  let relay: RunningRelay | undefined;
  let workers: RunningWorkers | undefined;

  beforeAll(async () => {
    // The port the hub is configured with; nothing listens there until the test starts a Redis on it.
    port = await freePort();
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
    hub = await startTestHub({
      db,
      adapters: built.adapters,
      env: { REDIS_URL: `redis://127.0.0.1:${port}` },
    });
    // A worker process that came up with the hub: its relay and workers wait for Redis too.
    connection = createRedisConnection(hub.config.REDIS_URL);
    connection.on('error', () => {});
    queues = new HubQueues(connection, hub.queuePrefix);
    const logger = createLogger('silent');
    relay = startOutboxRelay(db.orm, queues, jobDefinitions, logger, { idleMs: 50 });
    workers = startWorkers(jobDefinitions, {
      connection,
      prefix: hub.queuePrefix,
      orm: db.orm,
      logger,
      adapters: built.adapters,
    });
  }, 60_000);
  afterAll(async () => {
    // A Redis on the port first, whatever happened: an enqueue waiting for it holds the relay's stop.
    redis ??= await startOwnRedis(REDIS_ARGS, { port }).catch(() => undefined);
    await relay?.stop();
    await workers?.close();
    await queues?.close();
    connection?.disconnect();
    await hub?.close();
    await built?.close();
    await redis?.stop();
    await db?.drop();
  });

  it('commits at the front desk, says Redis is what is missing, and hands the case over once when Redis comes', async () => {
    const clerk = await hub.token('clerk');
    const registered = await hub.gql<{ registerCase: { id: string; number: string; version: number } }>(
      REGISTER,
      {
        input: {
          itemCode: JOINT.code,
          channel: 'WINDOW',
          applicant: { type: 'PERSON', name: '缺席测试', idNumber: citizenId(992) },
          materials: requiredMaterials(JOINT),
        },
      },
      { token: clerk },
    );
    expect(registered.body.errors).toBeUndefined();
    const c = registered.body.data!.registerCase;
    const accepted = await hub.gql<{ decideAcceptance: { __typename: string } }>(
      DECIDE,
      { id: c.id, v: c.version, d: { type: 'ACCEPT' } },
      { token: clerk },
    );
    expect(accepted.body.errors).toBeUndefined();
    expect(accepted.body.data!.decideAcceptance.__typename).toBe('CaseAccepted');

    // Degraded, and it says why: the database answers, Redis does not.
    const degraded = await fetch(`${hub.url}/readyz`);
    expect(degraded.status).toBe(503);
    const readiness = (await degraded.json()) as Readiness;
    expect(readiness.status).toBe('not ready');
    expect(readiness.checks.database.ok).toBe(true);
    expect(readiness.checks.redis.ok).toBe(false);
    expect(readiness.checks.redis.error).toBeTruthy();

    // The acceptance waits in the outbox (its jobs need Redis); nothing reached a department.
    const pending = await forkEm(db.orm).find(OutboxEvent, { caseId: c.id, publishedAt: null });
    expect(pending.map((e) => e.topic)).toContain('case.accepted');
    expect(await forkEm(db.orm).count(CaseDepartmentTask, { case: c.id })).toBe(0);

    redis = await startOwnRedis(REDIS_ARGS, { port });

    // Nothing restarted: the gateway, the relay and the workers find Redis by themselves.
    await eventually(async () => (await fetch(`${hub.url}/readyz`)).status === 200, 30_000, 200);
    const tasks = await eventually(
      async () => {
        const rows = await forkEm(db.orm).find(CaseDepartmentTask, { case: c.id });
        return rows.length === 3 ? rows : null;
      },
      60_000,
      200,
    );
    expect(tasks.map((t) => t.departmentCode).sort()).toEqual([
      'land_resources',
      'real_estate_management_centre',
      'tax',
    ]);
    expect(await forkEm(db.orm).count(OutboxEvent, { caseId: c.id, publishedAt: null })).toBe(0);
    const transfers = await queues.queue('transfers').getJobs(['completed', 'active', 'waiting', 'delayed']);
    expect(transfers.filter((j) => j.data.caseId === c.id).map((j) => j.name)).toEqual([
      'transfer-materials',
    ]);
    // Each system holds the case once; the acceptance is also recorded on the provincial platform, once.
    const held = (system: string) =>
      built.simulators
        .get(system)!
        .submissions()
        .filter((s) => s.caseNumber === c.number);
    expect(held('real_estate')).toHaveLength(1);
    expect(held('tax')).toHaveLength(1);
    await eventually(() => held('provincial').length > 0, 30_000, 200);
    expect(held('provincial')).toHaveLength(1);
  }, 90_000);
});
