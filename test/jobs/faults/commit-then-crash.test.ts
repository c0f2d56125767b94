import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../adapters/kit/adapter-contract.ts';
import { Case } from '../../../db/entities/case.ts';
import { CaseDepartmentTask } from '../../../db/entities/case-department-task.ts';
import { DeadLetter } from '../../../db/entities/dead-letter.ts';
import { OutboxEvent } from '../../../db/entities/outbox-event.ts';
import { forkEm } from '../../../db/orm.ts';
import { installationId, queuePrefixFor } from '../../../db/prepare.ts';
import { createRedisConnection } from '../../../jobs/redis.ts';
import { acceptCase } from '../../kit/accepted-cases.ts';
import { type DepartmentSystems, startDepartmentSystems } from '../../kit/department-systems.ts';
import { eventually } from '../../kit/eventually.ts';
import { type HubProcess, startHubProcess, startWorkerProcess } from '../../kit/hub-processes.ts';
import { type OwnRedis, startOwnRedis } from '../../kit/redis-server.ts';
import { createTestDatabase, type TestDatabase } from '../../kit/test-database.ts';

type AcceptedCase = { id: string; number: string };

/**
 * Processes of the hub over the test's own database and Redis: a process that commits cases and is
 * killed before any relay ran, worker processes (`jobs/main.ts`) whose relays move the outbox, and the
 * department simulators this test runs. "Once" is read at both ends: the queue's event stream (each
 * job added and run once) and the department (each idempotency key held once).
 */
describe('a crash between commit and enqueue, and relays racing', () => {
  let db: TestDatabase;
  let redisServer: OwnRedis;
  let redis: Redis;
  let departments: DepartmentSystems;
  let registry: RunningSimulator;
  let platform: RunningSimulator;
  let dataDir: string;
  let env: Record<string, string>;
  let prefix: string;
  const processes: HubProcess[] = [];
  const clients: pg.Client[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    redisServer = await startOwnRedis();
    redis = createRedisConnection(redisServer.url);
    redis.on('error', () => {});
    departments = await startDepartmentSystems();
    registry = departments.simulators.get('real_estate')!;
    platform = departments.simulators.get('provincial')!;
    dataDir = mkdtempSync(path.join(tmpdir(), 'owh-crash-'));
    env = {
      DATABASE_URL: db.url,
      REDIS_URL: redisServer.url,
      QUEUE_PREFIX: 'crash',
      DATA_DIR: dataDir,
      ...departments.env,
    };
    prefix = queuePrefixFor('crash', await installationId(db.orm));
  }, 60_000);
  afterAll(async () => {
    for (const p of processes) await p.kill();
    for (const c of clients) await c.end().catch(() => {});
    redis?.disconnect();
    await departments?.close();
    await redisServer?.stop();
    await db?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function worker(): Promise<HubProcess> {
    const started = await startWorkerProcess(env);
    processes.push(started);
    return started;
  }

  const em = () => forkEm(db.orm);

  /** The queue's own record: what happened to each job, from its event stream. */
  async function jobEvents(queue: string): Promise<Map<string, string[]>> {
    const entries = await redis.xrange(`${prefix}:${queue}:events`, '-', '+');
    const byJob = new Map<string, string[]>();
    for (const [, fields] of entries) {
      const values = new Map<string, string>();
      for (let i = 0; i < fields.length; i += 2) values.set(fields[i]!, fields[i + 1]!);
      const jobId = values.get('jobId');
      if (jobId) byJob.set(jobId, [...(byJob.get(jobId) ?? []), values.get('event')!]);
    }
    return byJob;
  }

  /** The transfer job id of each case: the relay derives it from the case's `case.accepted` event. */
  async function transferJobIds(cases: AcceptedCase[]): Promise<string[]> {
    const events = await em().find(
      OutboxEvent,
      { caseId: { $in: cases.map((c) => c.id) }, topic: 'case.accepted' },
      { orderBy: { id: 'asc' } },
    );
    expect(events).toHaveLength(cases.length);
    return events.map((e) => `transfer-materials-o${e.id}`);
  }

  /** Every case transferred once, held once by the department and the platform, and decided. */
  async function transferredOnceAndDecided(cases: AcceptedCase[]): Promise<void> {
    const ids = cases.map((c) => c.id);
    await eventually(
      async () => (await em().count(CaseDepartmentTask, { case: { $in: ids } })) >= cases.length,
      60_000,
      250,
    );
    const tasks = await em().find(CaseDepartmentTask, { case: { $in: ids } });
    expect(tasks).toHaveLength(cases.length);
    for (const c of cases) {
      const key = `task-${c.number}-land_resources`;
      expect(registry.submissions().filter((s) => s.idempotencyKey === key)).toHaveLength(1);
      expect(tasks.filter((t) => t.idempotencyKey === key)).toHaveLength(1);
    }
    await eventually(
      async () =>
        platform.submissions().filter((s) => cases.some((c) => c.number === s.caseNumber)).length ===
        cases.length,
      30_000,
      250,
    );
    for (const c of cases)
      expect(platform.submissions().filter((s) => s.caseNumber === c.number)).toHaveLength(1);
    await eventually(
      async () => (await em().count(Case, { id: { $in: ids }, status: 'approved' })) === cases.length,
      60_000,
      250,
    );
    expect(await em().count(DeadLetter, { caseId: { $in: ids } })).toBe(0);
    // The conclusions' own events go out too.
    await eventually(
      async () => (await em().count(OutboxEvent, { caseId: { $in: ids }, publishedAt: null })) === 0,
      30_000,
      250,
    );
  }

  it('cases committed by a process killed before any relay ran are relayed by the next worker, each once', async () => {
    const gateway = startHubProcess('test/kit/commit-cases-process.ts', {
      DATABASE_URL: db.url,
      CASES: '5',
      SERIAL: '100',
    });
    processes.push(gateway);
    const [, json] = await gateway.waitFor(/committed (\[.*\])\n/, 60_000);
    await gateway.kill();
    expect(gateway.child.signalCode).toBe('SIGKILL');
    const cases = JSON.parse(json!) as AcceptedCase[];
    expect(cases).toHaveLength(5);

    // Everything is in PostgreSQL, nothing in the queues yet.
    const ids = cases.map((c) => c.id);
    expect(await em().count(OutboxEvent, { caseId: { $in: ids }, publishedAt: null })).toBe(10);
    expect(await redis.keys(`${prefix}:*`)).toEqual([]);

    const restarted = await worker();
    await transferredOnceAndDecided(cases);
    const events = await jobEvents('transfers');
    for (const jobId of await transferJobIds(cases)) {
      expect(events.get(jobId)?.filter((e) => e === 'added')).toEqual(['added']);
      expect(events.get(jobId)?.filter((e) => e === 'completed')).toEqual(['completed']);
    }
    expect(await restarted.stop()).toBe(0);
  }, 150_000);

  it('a relay killed after enqueueing, before its commit: the events go out again, and each job is kept and run once', async () => {
    const cases: AcceptedCase[] = [];
    for (let i = 0; i < 3; i++) cases.push(await acceptCase(db.orm, 200 + i));

    // A share lock on the outbox lets the relay claim its rows and enqueue, and holds its
    // `update … set published_at` (its commit) back: the worker is killed right there.
    const jobIds = await transferJobIds(cases);
    const [holder, watcher] = [
      new pg.Client({ connectionString: db.url }),
      new pg.Client({ connectionString: db.url }),
    ];
    for (const client of [holder, watcher]) {
      client.on('error', () => {});
      clients.push(client);
      await client.connect();
    }
    await holder.query('begin');
    await holder.query('lock table outbox_event in share mode');
    try {
      const holderPid = Number((await holder.query('select pg_backend_pid() pid')).rows[0].pid);
      const first = await worker();
      const blocked = await eventually(async () => {
        // Read outside the holder's transaction: a transaction sees one snapshot of pg_stat_activity.
        const { rows } = await watcher.query<{ query: string }>(
          `select query from pg_stat_activity where datname = current_database() and $1 = any(pg_blocking_pids(pid))`,
          [holderPid],
        );
        return rows.find((r) => /^update outbox_event set published_at/.test(r.query));
      }, 30_000);
      expect(blocked).toBeTruthy();
      // The jobs it enqueued run meanwhile (handing a case over writes no outbox row): the transfers,
      // and the platform's records of the same events, which may finish after the transfers. (Killed
      // while one still runs, that job would wait for its lock to lapse before another worker took it.)
      await eventually(async () => {
        const events = await jobEvents('transfers');
        return jobIds.every((id) => events.get(id)?.includes('completed'));
      }, 30_000);
      await eventually(async () => {
        const events = await jobEvents('platform');
        const added = [...events.values()].filter((seen) => seen.includes('added'));
        return added.length > 0 && added.every((seen) => seen.includes('completed'));
      }, 30_000);
      await first.kill();
    } finally {
      await holder.query('rollback');
    }

    // The killed relay's transaction never committed: its events are unpublished, and relayed again.
    const ids = cases.map((c) => c.id);
    expect(await em().count(OutboxEvent, { caseId: { $in: ids }, publishedAt: null })).toBe(6);
    const second = await worker();
    await transferredOnceAndDecided(cases);
    const events = await jobEvents('transfers');
    for (const jobId of jobIds) {
      const seen = events.get(jobId) ?? [];
      expect(seen.filter((e) => e === 'added')).toEqual(['added']);
      expect(seen.filter((e) => e === 'duplicated')).toEqual(['duplicated']); // the second relay's add
      expect(seen.filter((e) => e === 'active')).toEqual(['active']);
      expect(seen.filter((e) => e === 'completed')).toEqual(['completed']);
    }
    expect(await second.stop()).toBe(0);
  }, 150_000);

  it('two relays in two processes at once: each event enqueued once, each job run once', async () => {
    const cases: AcceptedCase[] = [];
    for (let i = 0; i < 10; i++) cases.push(await acceptCase(db.orm, 300 + i));
    const workers = await Promise.all([worker(), worker()]);
    // More while both relays poll.
    for (let i = 10; i < 20; i++) cases.push(await acceptCase(db.orm, 300 + i));

    await transferredOnceAndDecided(cases);
    const events = await jobEvents('transfers');
    for (const jobId of await transferJobIds(cases)) {
      const seen = events.get(jobId) ?? [];
      expect(seen.filter((e) => e === 'added')).toEqual(['added']);
      expect(seen.filter((e) => e === 'duplicated')).toEqual([]);
      expect(seen.filter((e) => e === 'active')).toEqual(['active']);
      expect(seen.filter((e) => e === 'completed')).toEqual(['completed']);
    }
    for (const w of workers) expect(await w.stop()).toBe(0);
  }, 150_000);
});
