import { randomUUID } from 'node:crypto';
import { UnrecoverableError, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DepartmentAdapter } from '../adapters/kit/adapter-contract.ts';
import { recordDeadLetter } from '../db/departments/dead-letters.ts';
import { DeadLetter } from '../db/entities/dead-letter.ts';
import { forkEm } from '../db/orm.ts';
import { signActorToken } from '../gateway/auth/actor-token.ts';
import { DEMO_ACTORS } from '../gateway/auth/demo-actors.ts';
import { generateSigningKey } from '../gateway/auth/signing-keys.ts';
import {
  dashboardQueueNames,
  JOB_STATES,
  QUEUE_DASHBOARD_CSP,
  type QueueDashboard,
  type QueueSnapshot,
} from '../gateway/queue-dashboard.ts';
import { HubQueues } from '../jobs/queues.ts';
import { recordOnPlatform } from '../jobs/record-on-platform.job.ts';
import { jobDefinitions } from '../jobs/registry.ts';
import { installSchedules } from '../jobs/schedules.ts';
import { transferMaterials } from '../jobs/transfer-materials.job.ts';
import { ROLES } from '../schema/context.ts';
import { eventually } from './kit/eventually.ts';
import { type OwnRedis, startOwnRedis } from './kit/redis-server.ts';
import { startTestHub, type TestHub } from './kit/test-hub.ts';

async function getJson<T>(url: string, token?: string) {
  const response = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text) as T };
}

const queueOf = (dashboard: QueueDashboard, name: string): QueueSnapshot => {
  const queue = dashboard.queues.find((q) => q.name === name);
  if (!queue) throw new Error(`queue ${name} is not on the dashboard`);
  return queue;
};

describe('queue dashboard', () => {
  let hub: TestHub;
  let queues: HubQueues;
  let supervisor: string;
  const read = async () => {
    const response = await getJson<QueueDashboard>(`${hub.url}/dashboard/queues.json`, supervisor);
    expect(response.status).toBe(200);
    return response;
  };

  beforeAll(async () => {
    hub = await startTestHub();
    // The gateway's own naming: HubQueues under the hub's prefix.
    queues = new HubQueues(hub.redis, hub.queuePrefix);
    supervisor = await hub.token('supervisor');
  });
  afterAll(async () => {
    await queues?.close();
    await hub?.close();
  });

  it('serves a self-contained page under a policy that names no other host', async () => {
    const response = await fetch(`${hub.url}/dashboard/queues`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toBe(QUEUE_DASHBOARD_CSP);
    for (const directive of csp.split(';').map((d) => d.trim())) {
      const [name, ...sources] = directive.split(/\s+/);
      if (name === 'require-trusted-types-for') continue;
      expect(
        sources.every((s) => ["'self'", "'none'", 'data:'].includes(s)),
        directive,
      ).toBe(true);
    }
    const html = await response.text();
    expect(html).toContain('队列看板');
    expect(html).not.toMatch(/https?:\/\//);
    const urls = [...html.matchAll(/\b(?:src|href)\s*=\s*"([^"]+)"/g)].map((m) => m[1]!);
    expect(urls.filter((u) => !u.startsWith('data:'))).toHaveLength(2);
    for (const url of urls) {
      expect(url.startsWith('/') || url.startsWith('data:'), url).toBe(true);
      if (url.startsWith('data:')) continue;
      const asset = await fetch(new URL(url, hub.url));
      expect(asset.status, url).toBe(200);
      expect(asset.headers.get('content-security-policy')).toBe(QUEUE_DASHBOARD_CSP);
      expect(await asset.text()).not.toMatch(/https?:\/\/|@import|url\(/);
    }
  });

  it('answers 401 without a token or with one it cannot accept, saying why', async () => {
    const none = await getJson<{ error: string; message: string }>(`${hub.url}/dashboard/queues.json`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(none.body).toEqual({ error: 'UNAUTHENTICATED', message: 'this needs a bearer token' });

    const malformed = await getJson<{ error: string; message: string }>(
      `${hub.url}/dashboard/queues.json`,
      'not-a-jwt',
    );
    expect(malformed.status).toBe(401);
    expect(malformed.body.error).toBe('UNAUTHENTICATED');
    expect(malformed.body.message).toMatch(/Bearer <token>/);

    const otherKey = await generateSigningKey();
    const foreign = await signActorToken(DEMO_ACTORS.supervisor, {
      key: otherKey.privateKey,
      kid: otherKey.kid,
      issuer: hub.config.AUTH_ISSUER,
      audience: hub.config.AUTH_AUDIENCE,
      expiresIn: '1h',
    });
    const unknown = await getJson<{ error: string; message: string }>(
      `${hub.url}/dashboard/queues.json`,
      foreign,
    );
    expect(unknown.status).toBe(401);
    expect(unknown.body.message).toMatch(/key this hub does not know|not signed by this hub/);
  });

  it('answers 403 to every role but supervisor', async () => {
    for (const role of ROLES.filter((r) => r !== 'supervisor')) {
      const response = await getJson<{ error: string; message: string }>(
        `${hub.url}/dashboard/queues.json`,
        await hub.token(role),
      );
      expect(response.status, role).toBe(403);
      expect(response.body).toEqual({ error: 'FORBIDDEN', message: `this is for supervisor, not ${role}` });
    }
  });

  it('lists every queue of the job registry with a count per state, and the counts follow new jobs', async () => {
    const before = await read();
    expect(before.headers.get('cache-control')).toBe('no-store');
    expect(before.body.redis).toBe('up');
    expect(before.body.reason).toBeUndefined();
    const names = before.body.queues.map((q) => q.name);
    expect(names).toEqual(dashboardQueueNames(jobDefinitions));
    expect(names).toEqual(expect.arrayContaining(['decisions', 'platform', 'supervision', 'transfers']));
    for (const queue of before.body.queues) {
      expect(Object.keys(queue.counts)).toEqual([...JOB_STATES]);
      expect(queue.paused).toBe(false);
    }
    const transfersBefore = queueOf(before.body, 'transfers').counts;

    const caseId = randomUUID();
    const payload = { outboxId: 1, caseId, topic: 'case.accepted' };
    await queues.enqueue(transferMaterials, payload, { jobId: 'dashboard-transfer-now' });
    await queues.enqueue(transferMaterials, payload, {
      jobId: 'dashboard-transfer-later',
      delayMs: 3_600_000,
    });
    await queues.queue('transfers').pause();

    const after = await read();
    const transfers = queueOf(after.body, 'transfers');
    expect(transfers.counts.waiting).toBe(transfersBefore.waiting + 1);
    expect(transfers.counts.delayed).toBe(transfersBefore.delayed + 1);
    expect(transfers.paused).toBe(true);
    // Job data (ids only, still) is never shown.
    expect(after.text).not.toContain(caseId);
    await queues.queue('transfers').resume();
  });

  it('shows the job schedulers of their queues with the next run', async () => {
    const taxAdapter = { name: 'tax', pullDecisions: async () => [] } as unknown as DepartmentAdapter;
    await installSchedules(queues, [taxAdapter], {
      pullEveryMs: 3_600_000,
      callbacksEveryMs: 3_600_000,
      deadlinesEveryMs: 3_600_000,
    });
    const { body } = await read();
    const schedulers = body.queues.flatMap((q) => q.schedulers.map((s) => ({ queue: q.name, ...s })));
    const expected = [
      'decisions/apply-callbacks/apply-callbacks',
      'decisions/pull-tax/sync-decisions',
      'supervision/watch-commitments/watch-commitments',
      'supervision/watch-deadlines/watch-deadlines',
    ];
    const ours = schedulers.filter((s) => expected.includes(`${s.queue}/${s.name}/${s.jobName}`));
    expect(ours).toHaveLength(expected.length);
    for (const scheduler of ours) {
      expect(scheduler.everyMs).toBe(3_600_000);
      expect(Date.parse(scheduler.nextRunAt!)).toBeGreaterThan(Date.now() - 60_000);
    }
  });

  it('shows the latest failed jobs by name, id, attempts and reason, never their data', async () => {
    const caseId = randomUUID();
    const connection = hub.redis.duplicate();
    const worker = new Worker(
      recordOnPlatform.queue,
      async () => {
        throw new UnrecoverableError('省平台拒绝：办件编号格式不符');
      },
      { connection, prefix: hub.queuePrefix },
    );
    try {
      await queues.enqueue(
        recordOnPlatform,
        { outboxId: 7, caseId, topic: 'case.accepted' },
        { jobId: 'dashboard-platform-refused' },
      );
      const { body, text } = await eventually(async () => {
        const response = await read();
        return queueOf(response.body, 'platform').failed.length ? response : null;
      });
      const platform = queueOf(body, 'platform');
      expect(platform.counts.failed).toBe(1);
      expect(platform.failed).toHaveLength(1);
      const [failed] = platform.failed;
      expect(Object.keys(failed!).sort()).toEqual(
        ['attemptsMade', 'failedAt', 'failedReason', 'id', 'name', 'timestamp'].sort(),
      );
      expect(failed).toMatchObject({
        id: 'dashboard-platform-refused',
        name: 'record-on-platform',
        attemptsMade: 1,
        failedReason: '省平台拒绝：办件编号格式不符',
      });
      expect(Date.parse(failed!.failedAt!)).toBeGreaterThanOrEqual(Date.parse(failed!.timestamp));
      expect(text).not.toContain(caseId);
    } finally {
      await worker.close();
      connection.disconnect();
    }
  });

  it('counts the dead letters not yet sent again', async () => {
    const before = (await read()).body.deadLetters;
    expect(before).toEqual({ scope: 'hub', open: expect.any(Number) });
    for (const jobId of ['dashboard-dead-1', 'dashboard-dead-2', 'dashboard-dead-3']) {
      await recordDeadLetter(hub.db.orm, {
        queue: 'platform',
        jobName: 'record-on-platform',
        jobId,
        payload: { outboxId: 1, caseId: randomUUID(), topic: 'case.accepted' },
        reason: 'refused',
        attempts: 8,
      });
    }
    await forkEm(hub.db.orm).nativeUpdate(
      DeadLetter,
      { jobId: 'dashboard-dead-3' },
      { retriedAt: new Date() },
    );
    expect((await read()).body.deadLetters.open).toBe(before.open! + 2);
  });
});

describe('queue dashboard while Redis is away', () => {
  let redis: OwnRedis;
  let hub: TestHub;
  beforeAll(async () => {
    redis = await startOwnRedis();
    hub = await startTestHub({ env: { REDIS_URL: redis.url } });
  });
  afterAll(async () => {
    await hub?.close();
    await redis?.stop();
  });

  it('still answers 200, with redis down and the reason, so the page can say so', async () => {
    const supervisor = await hub.token('supervisor');
    const url = `${hub.url}/dashboard/queues.json`;
    const up = await getJson<QueueDashboard>(url, supervisor);
    expect(up.body.redis).toBe('up');
    expect(up.body.queues.length).toBeGreaterThan(0);

    await redis.stop();
    const started = Date.now();
    const down = await getJson<QueueDashboard>(url, supervisor);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(down.status).toBe(200);
    expect(down.body.redis).toBe('down');
    expect(down.body.reason).toMatch(/^Redis does not answer \(connection \w+: .+\)\. .*REDIS_URL/);
    expect(down.body.queues).toEqual([]);
    // The database still answers, so the dead letters are still counted.
    expect(down.body.deadLetters.open).toEqual(expect.any(Number));
    expect((await fetch(`${hub.url}/dashboard/queues`)).status).toBe(200);
  });
});
