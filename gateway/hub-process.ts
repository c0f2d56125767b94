import type { Logger } from '../adapters/kit/logger.ts';
import { connectDatabase, describeDatabase } from '../db/orm.ts';
import { prepareDatabase } from '../db/prepare.ts';
import { assertRedisUsable, createRedisConnection } from '../jobs/redis.ts';
import { jobDefinitions } from '../jobs/registry.ts';
import { type RunningWorkers, startWorkers } from '../jobs/workers.ts';
import { startGateway } from './app.ts';
import { setUpTokens, type TokenSetup } from './auth/token-setup.ts';
import type { HubConfig } from './config.ts';

export interface HubProcess {
  url: string;
  tokens: TokenSetup;
  stop(): Promise<void>;
}

/**
 * Starts the gateway (and, for the all-in-one, the workers in the same process): checks Redis,
 * opens the database, applies migrations and the catalogue seed, then listens.
 */
export async function startHubProcess(
  config: HubConfig,
  logger: Logger,
  options: { workers: boolean },
): Promise<HubProcess> {
  await assertRedisUsable(config.REDIS_URL);
  const tokens = await setUpTokens(config);
  const database = { url: config.DATABASE_URL, dataDir: config.DATA_DIR };
  logger.info({ database: describeDatabase(database) }, 'opening the database');
  const orm = await connectDatabase(database);
  const cleanup: (() => Promise<unknown>)[] = [() => orm.close()];
  try {
    const prepared = await prepareDatabase(orm);
    logger.info({ migrations: prepared.migrationsApplied, catalogue: prepared.catalogue }, 'database ready');
    const redis = createRedisConnection(config.REDIS_URL);
    redis.on('error', (error) => logger.warn({ err: error.message }, 'redis connection error'));
    cleanup.unshift(() => redis.quit());
    const gateway = await startGateway(
      { config, orm, redis, verifier: tokens.verifier, logger },
      { host: config.HOST, port: config.PORT },
    );
    cleanup.unshift(() => gateway.close());
    let workers: RunningWorkers | null = null;
    if (options.workers) {
      workers = startWorkers(jobDefinitions, {
        connection: redis,
        prefix: config.QUEUE_PREFIX,
        orm,
        logger,
        concurrency: config.WORKER_CONCURRENCY,
      });
      // Workers stop first: jobs in flight finish before the connections close.
      cleanup.unshift(() => workers!.close());
    }
    return { url: gateway.url, tokens, stop: () => runAll(cleanup) };
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
