// Production entry point of a worker process; start as many as the load needs.
import { createLogger } from '../adapters/kit/logger.ts';
import { buildAdapters } from '../adapters/registry.ts';
import { loadHolidayCalendar } from '../db/calendar/calendar-store.ts';
import { createIdentityResolver } from '../db/departments/applicant-identities.ts';
import { createBackOfficeStore } from '../db/departments/back-office.ts';
import { createCallRecorder } from '../db/departments/call-recorder.ts';
import { connectDatabase, forkEm } from '../db/orm.ts';
import { installationId, pendingMigrations, queuePrefixFor } from '../db/prepare.ts';
import { ConfigError, loadCertificateSetup, loadWorkerConfig } from './config.ts';
import { startOutboxRelay } from './outbox-relay.ts';
import { runEntryPoint } from './process-entry.ts';
import { HubQueues } from './queues.ts';
import { assertRedisUsable, createRedisConnection } from './redis.ts';
import { jobDefinitions } from './registry.ts';
import { installSchedules } from './schedules.ts';
import { startWorkers } from './workers.ts';

async function start() {
  const config = loadWorkerConfig(process.env);
  const logger = createLogger(config.LOG_LEVEL, 'worker');
  await assertRedisUsable(config.REDIS_URL);
  // Production without certificate keys stops here, naming CERT_SIGNING_KEYS.
  const certificates = loadCertificateSetup(config);
  const orm = await connectDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
  const pending = await pendingMigrations(orm);
  if (pending.length > 0) {
    await orm.close();
    throw new ConfigError([
      `DATABASE_URL: the schema is behind by ${pending.length} migration(s) (${pending.join(', ')}); start the gateway, which applies them, first`,
    ]);
  }
  await loadHolidayCalendar(forkEm(orm));
  const recorder = createCallRecorder(orm, (error) =>
    logger.error({ err: error }, 'recording department calls failed'),
  );
  // A worker process talks to the configured department systems only (no simulators of its own).
  const built = await buildAdapters(
    process.env,
    { recorder, identities: createIdentityResolver(orm), backOffice: createBackOfficeStore(orm) },
    { simulate: false },
  );
  const redis = createRedisConnection(config.REDIS_URL);
  const prefix = queuePrefixFor(config.QUEUE_PREFIX, await installationId(orm));
  const queues = new HubQueues(redis, prefix);
  const relay = startOutboxRelay(orm, queues, jobDefinitions, logger);
  await installSchedules(queues, built.adapters);
  const workers = startWorkers(jobDefinitions, {
    connection: redis,
    prefix,
    orm,
    logger,
    concurrency: config.WORKER_CONCURRENCY,
    lockDurationMs: config.WORKER_LOCK_MS,
    ...(config.WORKER_QUEUE_CONCURRENCY ? { concurrencyByQueue: config.WORKER_QUEUE_CONCURRENCY } : {}),
    adapters: built.adapters,
    certificates,
  });
  logger.info({ queues: workers.queues }, 'workers running');
  return {
    async stop() {
      await relay.stop();
      await workers.close();
      await queues.close();
      await recorder.flush();
      await redis.quit();
      await orm.close();
    },
  };
}

await runEntryPoint('worker', start);
