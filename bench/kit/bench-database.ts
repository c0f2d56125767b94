import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectDatabase } from '../../db/orm.ts';
import { prepareDatabase } from '../../db/prepare.ts';

/** Where the bench finds PostgreSQL and Redis (the same defaults as the tests). */
export const BENCH_POSTGRES_URL =
  process.env.BENCH_POSTGRES_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';
export const BENCH_REDIS_URL =
  process.env.BENCH_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface BenchDatabase {
  url: string;
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: BENCH_POSTGRES_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A database of the bench's own, migrated and seeded with the real catalogue; dropped at the end. */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  const name = `owh_bench_${randomBytes(5).toString('hex')}`;
  await admin((c) => c.query(`create database "${name}"`));
  const url = new URL(BENCH_POSTGRES_URL);
  url.pathname = `/${name}`;
  const orm = await connectDatabase({ url: url.toString(), dataDir: '.data' });
  try {
    await prepareDatabase(orm);
  } finally {
    await orm.close(true);
  }
  return {
    url: url.toString(),
    drop: () => admin((c) => c.query(`drop database if exists "${name}" with (force)`)).then(() => {}),
  };
}
