import type { Logger } from '../adapters/kit/logger.ts';
import { buildAdapters } from '../adapters/registry.ts';
import { createIdentityResolver } from '../db/departments/applicant-identities.ts';
import { createBackOfficeStore } from '../db/departments/back-office.ts';
import { createCallRecorder } from '../db/departments/call-recorder.ts';
import { connectDatabase, describeDatabase } from '../db/orm.ts';
import { installationId, prepareDatabase, queuePrefixFor } from '../db/prepare.ts';
import { loadCertificateSetup } from '../jobs/config.ts';
import { startOutboxRelay } from '../jobs/outbox-relay.ts';
import { HubQueues } from '../jobs/queues.ts';
import { assertRedisUsable, createRedisConnection } from '../jobs/redis.ts';
import { jobDefinitions } from '../jobs/registry.ts';
import { installSchedules } from '../jobs/schedules.ts';
import { type RunningWorkers, startWorkers } from '../jobs/workers.ts';
import { startGateway } from './app.ts';
import { setUpTokens, type TokenSetup } from './auth/token-setup.ts';
import type { HubConfig } from './config.ts';

export interface HubProcess {
  url: string;
  tokens: TokenSetup;
  /** Simulated department systems started because their URL was not configured, by adapter name. */
  simulators: Map<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts the gateway (and, for the all-in-one, the workers in the same process): checks Redis,
 * opens the database, applies migrations and the catalogue seed, then listens.
 */
export async function startHubProcess(
  config: HubConfig,
  logger: Logger,
  options: { workers: boolean; env: Record<string, string | undefined> },
): Promise<HubProcess> {
  await assertRedisUsable(config.REDIS_URL);
  const tokens = await setUpTokens(config);
  const database = { url: config.DATABASE_URL, dataDir: config.DATA_DIR };
  logger.info({ database: describeDatabase(database) }, 'opening the database');
  const orm = await connectDatabase(database);
  const cleanup: (() => Promise<unknown>)[] = [() => orm.close()];
  try {
    const prepared = await prepareDatabase(orm);
    // Queue keys carry this database's id: hubs sharing a Redis never take each other's jobs.
    const prefix = queuePrefixFor(config.QUEUE_PREFIX, await installationId(orm));
    logger.info({ migrations: prepared.migrationsApplied, catalogue: prepared.catalogue }, 'database ready');
    const recorder = createCallRecorder(orm, (error) =>
      logger.error({ err: error }, 'recording department calls failed'),
    );
    cleanup.unshift(() => recorder.flush());
    // Outside production a department without a configured URL gets its simulator.
    const built = await buildAdapters(
      options.env,
      { recorder, identities: createIdentityResolver(orm), backOffice: createBackOfficeStore(orm) },
      { simulate: config.NODE_ENV !== 'production' },
    );
    cleanup.unshift(() => built.close());
    // Production without certificate keys stops here, naming CERT_SIGNING_KEYS.
    const certificates = loadCertificateSetup(config);
    const redis = createRedisConnection(config.REDIS_URL);
    redis.on('error', (error) => logger.warn({ err: error.message }, 'redis connection error'));
    cleanup.unshift(() => redis.quit());
    const gateway = await startGateway(
      {
        config: { ...config, QUEUE_PREFIX: prefix },
        orm,
        redis,
        verifier: tokens.verifier,
        logger,
        adapters: built.adapters,
        certificates,
      },
      { host: config.HOST, port: config.PORT },
    );
    cleanup.unshift(() => gateway.close());
    // Simulated push departments deliver their callbacks to this gateway.
    for (const [name, simulator] of built.simulators)
      simulator.setCallbackUrl?.(`${gateway.url}/callbacks/${name}`);
    let workers: RunningWorkers | null = null;
    if (options.workers) {
      workers = startWorkers(jobDefinitions, {
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
      // Workers stop first: jobs in flight finish before the connections close.
      cleanup.unshift(() => workers!.close());
      const queues = new HubQueues(redis, prefix);
      const relay = startOutboxRelay(orm, queues, jobDefinitions, logger);
      await installSchedules(queues, built.adapters);
      cleanup.unshift(async () => {
        await relay.stop();
        await queues.close();
      });
    }
    const simulators = new Map([...built.simulators].map(([name, s]) => [name, s.url]));
    return { url: gateway.url, tokens, simulators, stop: () => runAll(cleanup) };
  } catch (error) {
    await runAll(cleanup);
    throw error;
  }
}

async function runAll(steps: (() => Promise<unknown>)[]): Promise<void> {
  for (const step of steps) {
    try {
      await step();
    } catch {
      // keep closing the rest
    }
  }
}
