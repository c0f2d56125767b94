import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '../../adapters/kit/logger.ts';
import { createCallRecorder } from '../../db/departments/call-recorder.ts';
import { connectDatabase } from '../../db/orm.ts';
import { startGateway } from '../../gateway/app.ts';
import { createVerifier, signActorToken } from '../../gateway/auth/actor-token.ts';
import { DEMO_ACTORS } from '../../gateway/auth/demo-actors.ts';
import { generateSigningKey, jwksOf } from '../../gateway/auth/signing-keys.ts';
import { loadConfig } from '../../gateway/config.ts';
import { loadCertificateSetup } from '../../jobs/config.ts';
import { createRedisConnection } from '../../jobs/redis.ts';
import { serveUntilParentGoes } from '../kit/child-process.ts';
import { benchContributions } from '../subgraphs/bench-subschemas.ts';

/**
 * Our gateway as production runs it — gateway/app.ts's startGateway (Express 5, Apollo Server 5,
 * graphql-armor limits, the error formatter, a forked entity manager per request) on the schema
 * gateway/stitch.ts stitches — with either the bench subgraphs as its subschemas (`--subgraphs
 * <json urls>`) or the hub's own subschema (`--hub`, for the intake bench). Department calls are
 * recorded in the database, as the hub process records them.
 *
 * Environment: BENCH_DATABASE_URL (a prepared database), BENCH_REDIS_URL; BENCH_MEMORY_EVERY_MS makes
 * it print its memory use (`BENCH_MEMORY {json}` lines) for the soak; BENCH_PERSISTED_DOCUMENTS, a
 * manifest of persisted documents (GRAPHQL_PERSISTED_DOCUMENTS).
 */
const args = process.argv.slice(2);
const subgraphUrls = args[0] === '--subgraphs' ? (JSON.parse(args[1]!) as Record<string, string>) : null;

const dataDir = mkdtempSync(path.join(tmpdir(), 'owh-bench-'));
const key = await generateSigningKey();
const config = loadConfig({
  NODE_ENV: 'production',
  AUTH_JWKS: JSON.stringify(jwksOf(key)),
  DATABASE_URL: process.env.BENCH_DATABASE_URL,
  REDIS_URL: process.env.BENCH_REDIS_URL,
  QUEUE_PREFIX: `bench-${process.pid}`,
  DATA_DIR: dataDir,
  LOG_LEVEL: 'warn',
  GRAPHQL_PERSISTED_DOCUMENTS: process.env.BENCH_PERSISTED_DOCUMENTS,
});
const logger = createLogger(config.LOG_LEVEL);
const orm = await connectDatabase({ url: config.DATABASE_URL, dataDir });
const redis = createRedisConnection(config.REDIS_URL);
redis.on('error', () => {});
const recorder = createCallRecorder(orm, (error) => logger.error({ err: error }, 'recording calls failed'));
const gateway = await startGateway(
  {
    config,
    orm,
    redis,
    verifier: createVerifier(jwksOf(key), config.AUTH_ISSUER, config.AUTH_AUDIENCE),
    logger,
    // Production settings throughout, but a throw-away certificate key set (nothing is issued here).
    certificates: loadCertificateSetup({ ...config, NODE_ENV: 'development' }),
    ...(subgraphUrls ? { subschemas: benchContributions(subgraphUrls, recorder) } : {}),
  },
  { host: '127.0.0.1', port: 0 },
);
const clerkToken = await signActorToken(DEMO_ACTORS.clerk, {
  key: key.privateKey,
  kid: key.kid,
  issuer: config.AUTH_ISSUER,
  audience: config.AUTH_AUDIENCE,
  expiresIn: '2h',
});

// The soak reads the heap as well as RSS: the process reports it itself.
const memoryEveryMs = Number(process.env.BENCH_MEMORY_EVERY_MS ?? 0);
if (memoryEveryMs > 0) {
  // With --expose-gc the live heap is read after a full collection: garbage not yet collected is no leak.
  const collect = (globalThis as { gc?: () => void }).gc;
  setInterval(() => {
    collect?.();
    const m = process.memoryUsage();
    process.stdout.write(
      `BENCH_MEMORY ${JSON.stringify({ at: Date.now(), rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal })}\n`,
    );
  }, memoryEveryMs).unref();
}

serveUntilParentGoes({ url: `${gateway.url}/graphql`, clerkToken }, async () => {
  gateway.server.closeAllConnections();
  await gateway.close();
  await recorder.flush();
  redis.disconnect();
  await orm.close(true);
  rmSync(dataDir, { recursive: true, force: true });
});
