import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectDatabase, type HubOrm } from '../../db/orm.ts';
import { type PreparedDatabase, prepareDatabase } from '../../db/prepare.ts';
import { TEST_DATABASE_URL } from './services.ts';

export interface TestDatabase {
  url: string;
  name: string;
  orm: HubOrm;
  prepared: PreparedDatabase | null;
  /** SQL statements run through the ORM since the last reset. */
  statements: string[];
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A database of its own for one test file, on the real PostgreSQL: created empty, migrated and
 * seeded with the real catalogue (unless `prepare: false`), dropped at the end.
 */
export async function createTestDatabase(options: { prepare?: boolean } = {}): Promise<TestDatabase> {
  const name = `owh_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`create database "${name}"`));
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const statements: string[] = [];
  const orm = await connectDatabase({
    url: url.toString(),
    dataDir: '.data',
    onQuery: (sql) => statements.push(sql),
  });
  const prepared = options.prepare === false ? null : await prepareDatabase(orm);
  statements.length = 0;
  return {
    url: url.toString(),
    name,
    orm,
    prepared,
    statements,
    async drop() {
      await orm.close(true);
      await admin((c) => c.query(`drop database if exists "${name}" with (force)`));
    },
  };
}
