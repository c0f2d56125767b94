import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { EntityManager, MikroORM, Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM as PgliteMikroORM } from '@mikro-orm/pglite';
import { MikroORM as PostgreSqlMikroORM } from '@mikro-orm/postgresql';
import type { SqlEntityManager } from '@mikro-orm/sql';
import type pg from 'pg';
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
    const orm = await PostgreSqlMikroORM.init({ ...options, clientUrl: settings.url } as Options);
    const connection = orm.driver.getConnection() as unknown as { getNativeClient(): Promise<pg.Pool> };
    releaseClientsThatLoseTheirServer(await connection.getNativeClient());
    return orm;
  }
  // PGlite needs the cluster's parent folder to exist; it does not create it.
  mkdirSync(path.resolve(settings.dataDir), { recursive: true });
  return PgliteMikroORM.init({ ...options, dbName: path.resolve(settings.dataDir, 'pglite') } as Options);
}

/** pg-pool's own bookkeeping, read to tell a checked-out client from an idle one. */
interface PoolInternals {
  _clients: pg.PoolClient[];
  _idle: { client: pg.PoolClient }[];
}

/**
 * When the server connection of an open transaction dies (a restart, a failover, a terminated
 * backend), its rollback fails, and the driver gives a transaction's client back to the pool only
 * after a rollback that succeeded: each such client would stay checked out for good, and after as
 * many as the pool holds, every database call would wait forever. A client that loses its server
 * while checked out is therefore given back as broken (the pool discards it) once the failing
 * transaction has had its moment to do so itself.
 */
function releaseClientsThatLoseTheirServer(pool: pg.Pool): void {
  const internals = pool as unknown as PoolInternals;
  pool.on('connect', (client) => {
    client.once('end', () => {
      setTimeout(() => {
        const checkedOut =
          internals._clients.includes(client) && !internals._idle.some((i) => i.client === client);
        if (!checkedOut) return;
        try {
          client.release(new Error('the database server ended this connection'));
        } catch {
          // released meanwhile by its holder
        }
      }, 1000).unref();
    });
  });
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
