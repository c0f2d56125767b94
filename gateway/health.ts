import { Router } from 'express';
import type { Redis } from 'ioredis';
import { type HubOrm, pingDatabase } from '../db/orm.ts';
import { pingRedis } from '../jobs/redis.ts';

async function check(probe: () => Promise<void>): Promise<{ ok: boolean; error?: string; ms: number }> {
  const started = performance.now();
  try {
    await probe();
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, error: (error as Error).message, ms: Math.round(performance.now() - started) };
  }
}

/** `/healthz`: the process is up. `/readyz`: it can serve, i.e. the database and Redis answer. */
export function healthRouter(deps: { orm: HubOrm; redis: Redis }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [database, redis] = await Promise.all([
      check(() => pingDatabase(deps.orm)),
      check(() => pingRedis(deps.redis)),
    ]);
    const ready = database.ok && redis.ok;
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not ready', checks: { database, redis } });
  });
  return router;
}
