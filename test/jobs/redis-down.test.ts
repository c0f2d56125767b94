import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../adapters/kit/logger.ts';
import { OutboxEvent } from '../../db/entities/outbox-event.ts';
import { forkEm } from '../../db/orm.ts';
import { relayOutboxOnce, startOutboxRelay } from '../../jobs/outbox-relay.ts';
import { HubQueues } from '../../jobs/queues.ts';
import { createRedisConnection } from '../../jobs/redis.ts';
import { jobDefinitions } from '../../jobs/registry.ts';
import { citizenId, DECIDE, REGISTER, requiredMaterials, TOLERANT_ITEM } from '../kit/front-desk.ts';
import { freePort, type OwnRedis, startOwnRedis } from '../kit/redis-server.ts';
import { TEST_REDIS_URL } from '../kit/services.ts';
import { startTestHub, type TestHub } from '../kit/test-hub.ts';

describe('Redis down: the front desk keeps working and nothing is lost', () => {
  let hub: TestHub;
  let deadPort: number;
  beforeAll(async () => {
    deadPort = await freePort();
    hub = await startTestHub({ env: { REDIS_URL: `redis://127.0.0.1:${deadPort}` } });
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('commits cases while Redis is away (the events wait in the outbox), and relays them once Redis is back', async () => {
    const clerk = await hub.token('clerk');
    const { body } = await hub.gql<{ registerCase: { id: string; version: number } }>(
      REGISTER,
      {
        input: {
          itemCode: TOLERANT_ITEM.code,
          channel: 'WINDOW',
          applicant: { type: 'PERSON', name: '断网测试', idNumber: citizenId(990) },
          materials: requiredMaterials(TOLERANT_ITEM),
        },
      },
      { token: clerk },
    );
    expect(body.errors).toBeUndefined();
    const c = body.data!.registerCase;
    const accepted = await hub.gql<{ decideAcceptance: { __typename: string } }>(
      DECIDE,
      { id: c.id, v: c.version, d: { type: 'ACCEPT' } },
      { token: clerk },
    );
    expect(accepted.body.data!.decideAcceptance.__typename).toBe('CaseAccepted');
    expect((await fetch(`${hub.url}/readyz`)).status).toBe(503);

    // A relay pointed at the dead Redis fails and leaves every event unpublished.
    const dead = createRedisConnection(`redis://127.0.0.1:${deadPort}`, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    dead.on('error', () => {});
    const deadQueues = new HubQueues(dead, 'dead');
    await expect(relayOutboxOnce(hub.db.orm, deadQueues, jobDefinitions)).rejects.toThrow();
    dead.disconnect();
    const pending = await forkEm(hub.db.orm).find(OutboxEvent, { caseId: c.id, publishedAt: null });
    expect(pending.map((e) => e.topic)).toEqual(['case.registered', 'case.accepted']);

    // A running relay whose Redis keeps reconnecting claims nothing, holds no row, and stops when asked.
    const reconnecting = createRedisConnection(`redis://127.0.0.1:${deadPort}`);
    reconnecting.on('error', () => {});
    const relay = startOutboxRelay(
      hub.db.orm,
      new HubQueues(reconnecting, 'dead'),
      jobDefinitions,
      createLogger('silent'),
      { idleMs: 50 },
    );
    await new Promise((r) => setTimeout(r, 1500));
    const unlocked = await forkEm(hub.db.orm).transactional((tx) =>
      tx.execute<{ id: string }[]>(
        `select id from outbox_event where published_at is null for update nowait`,
      ),
    );
    expect(unlocked.length).toBe(2);
    await relay.stop();
    reconnecting.disconnect();

    // Redis is back: the same events go out, once.
    const redis = createRedisConnection(TEST_REDIS_URL);
    const prefix = `test-${randomBytes(4).toString('hex')}`;
    const queues = new HubQueues(redis, prefix);
    try {
      expect(await relayOutboxOnce(hub.db.orm, queues, jobDefinitions)).toBe(2);
      expect(await relayOutboxOnce(hub.db.orm, queues, jobDefinitions)).toBe(0);
      const transfers = await queues.queue('transfers').getJobs(['waiting', 'delayed', 'prioritized']);
      expect(transfers.map((j) => j.data.caseId)).toEqual([c.id]);
    } finally {
      await queues.close();
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
  });
});

describe('a worker that dies between commit and enqueue', () => {
  let redis: OwnRedis;
  beforeAll(async () => {
    redis = await startOwnRedis(['--appendonly', 'yes']);
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('loses nothing: a relay run afterwards enqueues what was committed', async () => {
    const hub = await startTestHub({ env: { REDIS_URL: redis.url } });
    try {
      const clerk = await hub.token('clerk');
      const { body } = await hub.gql<{ registerCase: { id: string } }>(
        REGISTER,
        {
          input: {
            itemCode: TOLERANT_ITEM.code,
            channel: 'WINDOW',
            applicant: { type: 'PERSON', name: '崩溃测试', idNumber: citizenId(991) },
            materials: requiredMaterials(TOLERANT_ITEM),
          },
        },
        { token: clerk },
      );
      // No relay ran (the process "died" right after the commit); the event is durable in PostgreSQL.
      const id = body.data!.registerCase.id;
      expect(await forkEm(hub.db.orm).count(OutboxEvent, { caseId: id, publishedAt: null })).toBe(1);
      const queues = new HubQueues(createRedisConnection(redis.url), 'restart');
      try {
        expect(await relayOutboxOnce(hub.db.orm, queues, jobDefinitions)).toBe(1);
        expect(await forkEm(hub.db.orm).count(OutboxEvent, { caseId: id, publishedAt: null })).toBe(0);
      } finally {
        await queues.close();
      }
    } finally {
      await hub.close();
    }
  });
});
