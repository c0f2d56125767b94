import { randomBytes } from 'node:crypto';
import { createLogger } from '../../adapters/kit/logger.ts';
import { type BuiltAdapters, buildAdapters } from '../../adapters/registry.ts';
import { createIdentityResolver } from '../../db/departments/applicant-identities.ts';
import { createBackOfficeStore } from '../../db/departments/back-office.ts';
import { loadCertificateSetup } from '../../jobs/config.ts';
import { type RunningRelay, startOutboxRelay } from '../../jobs/outbox-relay.ts';
import { HubQueues } from '../../jobs/queues.ts';
import { createRedisConnection } from '../../jobs/redis.ts';
import { jobDefinitions } from '../../jobs/registry.ts';
import { installSchedules } from '../../jobs/schedules.ts';
import { type RunningWorkers, startWorkers } from '../../jobs/workers.ts';
import { TEST_REDIS_URL } from './services.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';
import { startTestHub, type TestHub } from './test-hub.ts';

/** The whole hub of one test file: database, simulated departments, gateway, relay, workers, schedules. */
export interface JobPipeline {
  db: TestDatabase;
  built: BuiltAdapters;
  hub: TestHub;
  queues: HubQueues;
  workers: RunningWorkers;
  relay: RunningRelay;
  close(): Promise<void>;
}

/**
 * Starts the pipeline from acceptance to delivery on a fresh database and a queue prefix of its own:
 * every simulated department (push ones call back to this hub), the relay and every job, with
 * decisions pulled and callbacks applied often. Deadline watches run on real time, so tests that move
 * the clock call those jobs themselves.
 */
export async function startJobPipeline(
  options: { schedules?: Parameters<typeof installSchedules>[2] } = {},
): Promise<JobPipeline> {
  const prefix = `test-${randomBytes(5).toString('hex')}`;
  const redis = createRedisConnection(TEST_REDIS_URL);
  const db = await createTestDatabase();
  const built = await buildAdapters(
    {},
    {
      recorder: { record: () => {} },
      identities: createIdentityResolver(db.orm),
      backOffice: createBackOfficeStore(db.orm),
    },
    { simulate: true },
  );
  const hub = await startTestHub({ db, adapters: built.adapters, env: { QUEUE_PREFIX: prefix } });
  for (const [name, simulator] of built.simulators)
    simulator.setCallbackUrl?.(`${hub.url}/callbacks/${name}`);
  const queues = new HubQueues(redis, prefix);
  await installSchedules(queues, built.adapters, {
    pullEveryMs: 300,
    callbacksEveryMs: 300,
    deadlinesEveryMs: 3_600_000,
    ...options.schedules,
  });
  const workers = startWorkers(jobDefinitions, {
    connection: redis,
    prefix,
    orm: db.orm,
    logger: createLogger('silent'),
    adapters: built.adapters,
    // The hub's development key set under the hub's DATA_DIR: the gateway verifies with the same keys.
    certificates: loadCertificateSetup(hub.config),
  });
  const relay = startOutboxRelay(db.orm, queues, jobDefinitions, createLogger('silent'), { idleMs: 50 });
  return {
    db,
    built,
    hub,
    queues,
    workers,
    relay,
    async close() {
      await relay.stop();
      await workers.close();
      await queues.close();
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      await hub.close();
      await built.close();
      await db.drop();
    },
  };
}
