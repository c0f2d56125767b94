import { Router } from 'express';
import type { Redis } from 'ioredis';
import type { AdapterHealth, DepartmentAdapter } from '../adapters/kit/adapter-contract.ts';
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

async function departmentHealth(adapter: DepartmentAdapter, timeoutMs: number): Promise<AdapterHealth> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<AdapterHealth>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          department: adapter.name,
          state: 'down',
          detail: `no answer within ${timeoutMs} ms`,
          checkedAt: new Date().toISOString(),
        }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([adapter.health(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/healthz`: the process is up. `/readyz`: it can serve, i.e. the database and Redis answer; it also
 * shows each department's state, which does not make the hub unready (its fields degrade instead).
 */
export function healthRouter(deps: {
  orm: HubOrm;
  redis: Redis;
  adapters: readonly DepartmentAdapter[];
}): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [database, redis, departments] = await Promise.all([
      check(() => pingDatabase(deps.orm)),
      check(() => pingRedis(deps.redis)),
      Promise.all(deps.adapters.map((a) => departmentHealth(a, 2000))),
    ]);
    const ready = database.ok && redis.ok;
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not ready', checks: { database, redis }, departments });
  });
  return router;
}
