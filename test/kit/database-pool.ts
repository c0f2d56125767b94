import type pg from 'pg';
import type { HubOrm } from '../../db/orm.ts';

/** The `pg` pool under the ORM (PostgreSQL only). */
export async function poolOf(orm: HubOrm): Promise<pg.Pool> {
  const connection = orm.driver.getConnection() as unknown as { getNativeClient(): Promise<pg.Pool> };
  return connection.getNativeClient();
}

/** Connections checked out of the ORM's pool right now (0 when nothing runs). */
export async function checkedOutConnections(orm: HubOrm): Promise<number> {
  const pool = await poolOf(orm);
  return pool.totalCount - pool.idleCount;
}

/** `pg` internals this helper reads: a client whose socket died is no longer queryable. */
interface PooledClient extends pg.PoolClient {
  _queryable?: boolean;
  _ended?: boolean;
}

/**
 * Gives back, as broken, every checked-out client whose server connection is gone, so that the pool
 * can end (pool.end() waits for every checked-out client). For teardown after tests that terminate
 * backends: a transaction whose rollback fails on the dead connection never releases its client.
 */
export async function discardDeadConnections(orm: HubOrm): Promise<number> {
  const pool = (await poolOf(orm)) as pg.Pool & {
    _clients: PooledClient[];
    _idle: { client: PooledClient }[];
  };
  const idle = new Set(pool._idle.map((i) => i.client));
  const dead = pool._clients.filter((c) => !idle.has(c) && (c._queryable === false || c._ended === true));
  for (const client of dead) client.release(new Error('the server ended this connection'));
  return dead.length;
}
