import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { EntityManager, MikroORM, Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM as PgliteMikroORM } from '@mikro-orm/pglite';
import { MikroORM as PostgreSqlMikroORM } from '@mikro-orm/postgresql';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { entities } from './entities/index.ts';

export interface DatabaseSettings {
  /** postgres://… of a PostgreSQL server; absent → embedded PGlite under `dataDir`. */
  url?: string | undefined;
  /** Where the embedded PGlite cluster is persisted (ignored with `url`). */
  dataDir: string;
  /** Log every SQL statement (development only). */
  debug?: boolean;
  /** Called for every SQL statement executed; tests use it to count statements. */
  onQuery?: ((sql: string) => void) | undefined;
}

export type HubOrm = MikroORM;
export type HubEntityManager = SqlEntityManager;

function countingHook(onQuery: (sql: string) => void) {
  return (sql: string) => {
    onQuery(sql);
    return sql;
  };
}

const migrationsPath = path.join(import.meta.dirname, 'migrations');

/** Options shared by both drivers; the same migrations run on PostgreSQL and PGlite. */
export function baseOptions(settings: Pick<DatabaseSettings, 'debug' | 'onQuery'>): Partial<Options> {
  return {
    entities,
    extensions: [Migrator],
    dataloader: true,
    forceUtcTimezone: true,
    allowGlobalContext: false,
    debug: settings.debug ?? false,
    ...(settings.onQuery ? { onQuery: countingHook(settings.onQuery) } : {}),
    migrations: {
      path: migrationsPath,
      pathTs: migrationsPath,
      glob: '!(*.d|index).{js,ts}',
      emit: 'ts',
      snapshot: false,
      transactional: true,
      allOrNothing: true,
      silent: true,
    },
  };
}

export function describeDatabase(settings: DatabaseSettings): string {
  if (!settings.url) return `embedded PGlite at ${path.resolve(settings.dataDir, 'pglite')}`;
  const url = new URL(settings.url);
  url.password = url.password ? '***' : '';
  return `PostgreSQL ${url.toString()}`;
}

/** Connects to PostgreSQL (DATABASE_URL) or to the embedded PGlite cluster. */
export async function connectDatabase(settings: DatabaseSettings): Promise<HubOrm> {
  const options = baseOptions(settings);
  if (settings.url) {
    return PostgreSqlMikroORM.init({ ...options, clientUrl: settings.url } as Options);
  }
  // PGlite needs the cluster's parent folder to exist; it does not create it.
  mkdirSync(path.resolve(settings.dataDir), { recursive: true });
  return PgliteMikroORM.init({ ...options, dbName: path.resolve(settings.dataDir, 'pglite') } as Options);
}

/** Applies every pending migration; migrations are the only way the schema changes. */
export async function migrateDatabase(orm: HubOrm): Promise<string[]> {
  const applied = await orm.migrator.up();
  return applied.map((m) => m.name);
}

/** A fresh entity manager for one request or one job. */
export function forkEm(orm: HubOrm): HubEntityManager {
  return orm.em.fork() as EntityManager as HubEntityManager;
}

export async function pingDatabase(orm: HubOrm): Promise<void> {
  await (orm.em.fork() as HubEntityManager).execute('select 1');
}
