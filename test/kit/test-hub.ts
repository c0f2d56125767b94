import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import type { DepartmentAdapter } from '../../adapters/kit/adapter-contract.ts';
import { createLogger } from '../../adapters/kit/logger.ts';
import { type RunningGateway, startGateway } from '../../gateway/app.ts';
import { createVerifier, signActorToken } from '../../gateway/auth/actor-token.ts';
import { DEMO_ACTORS } from '../../gateway/auth/demo-actors.ts';
import { generateSigningKey, jwksOf, type SigningKey } from '../../gateway/auth/signing-keys.ts';
import { type HubConfig, loadConfig } from '../../gateway/config.ts';
import { createRedisConnection } from '../../jobs/redis.ts';
import type { Actor, Role } from '../../schema/context.ts';
import type { SubschemaContribution } from '../../schema/subschemas.ts';
import { TEST_REDIS_URL } from './services.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: {
    data?: T | null;
    errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[];
  };
}

export interface TestHub {
  url: string;
  db: TestDatabase;
  config: HubConfig;
  key: SigningKey;
  redis: Redis;
  queuePrefix: string;
  dataDir: string;
  token(role: Role, overrides?: Partial<Actor>): Promise<string>;
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { token?: string; headers?: Record<string, string> },
  ): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export interface TestHubOptions {
  env?: Record<string, string>;
  subschemas?: SubschemaContribution[];
  adapters?: DepartmentAdapter[];
  /** Share a database between hubs of one file. */
  db?: TestDatabase;
}

/** The real gateway on a free loopback port, over a fresh database and its own queue prefix. */
export async function startTestHub(options: TestHubOptions = {}): Promise<TestHub> {
  const db = options.db ?? (await createTestDatabase());
  const queuePrefix = `test-${randomBytes(5).toString('hex')}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'owh-hub-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const key = await generateSigningKey();
  const redis = createRedisConnection(config.REDIS_URL);
  redis.on('error', () => {});
  let gateway: RunningGateway;
  try {
    gateway = await startGateway(
      {
        config,
        orm: db.orm,
        redis,
        verifier: createVerifier(jwksOf(key), config.AUTH_ISSUER, config.AUTH_AUDIENCE),
        logger: createLogger(config.LOG_LEVEL),
        ...(options.subschemas ? { subschemas: options.subschemas } : {}),
        ...(options.adapters ? { adapters: options.adapters } : {}),
      },
      { host: '127.0.0.1', port: 0 },
    );
  } catch (error) {
    redis.disconnect();
    if (!options.db) await db.drop();
    throw error;
  }
  const hub: TestHub = {
    url: gateway.url,
    db,
    config,
    key,
    redis,
    queuePrefix,
    dataDir,
    token: (role, overrides = {}) =>
      signActorToken(
        { ...DEMO_ACTORS[role], ...overrides },
        {
          key: key.privateKey,
          kid: key.kid,
          issuer: config.AUTH_ISSUER,
          audience: config.AUTH_AUDIENCE,
          expiresIn: '1h',
        },
      ),
    async gql(query, variables, requestOptions = {}) {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        ...requestOptions.headers,
      };
      if (requestOptions.token) headers.authorization = `Bearer ${requestOptions.token}`;
      const response = await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, headers: response.headers, body: (await response.json()) as never };
    },
    async close() {
      await gateway.close();
      redis.disconnect();
      if (!options.db) await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return hub;
}
