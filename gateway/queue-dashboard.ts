import { readFileSync } from 'node:fs';
import type { Queue } from 'bullmq';
import { type Request, type Response, Router } from 'express';
import type { Redis } from 'ioredis';
import { DeadLetter } from '../db/entities/dead-letter.ts';
import { forkEm, type HubOrm } from '../db/orm.ts';
import type { JobDefinition } from '../jobs/job-definition.ts';
import type { HubQueues } from '../jobs/queues.ts';
import { pingRedis } from '../jobs/redis.ts';
import { jobDefinitions } from '../jobs/registry.ts';
import type { TokenVerifier } from './auth/actor-token.ts';
import { requireActor } from './auth/rest-actor.ts';

/**
 * The supervisors' queue dashboard: `GET /dashboard/queues` is a page served wholly from our own
 * origin (halls are often offline), `GET /dashboard/queues.json` what it shows, for supervisors only.
 */
export const QUEUE_DASHBOARD_PATH = '/dashboard/queues';

/** Like GraphiQL's, but stricter: no inline styles, and no DOM sink may take a plain string. */
export const QUEUE_DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
].join('; ');

/** BullMQ 6's job states; "paused" is a flag of the queue there, not a list. */
export const JOB_STATES = [
  'waiting',
  'prioritized',
  'active',
  'delayed',
  'waiting-children',
  'failed',
  'completed',
] as const;
export type JobStateName = (typeof JOB_STATES)[number];

/** Failed jobs shown per queue, newest first. */
const FAILED_SHOWN = 10;
const REDIS_PING_MS = 1000;
/** The gateway's connection queues commands while Redis is away; the page must not wait for them. */
const REDIS_READ_MS = 3000;

export interface QueueSnapshot {
  name: string;
  paused: boolean;
  counts: Record<JobStateName, number>;
  schedulers: {
    name: string;
    jobName: string;
    everyMs: number | null;
    pattern: string | null;
    nextRunAt: string | null;
  }[];
  /** Job name and id only: the data stays in Redis, out of a page that may sit on a shared screen. */
  failed: {
    id: string;
    name: string;
    attemptsMade: number;
    failedReason: string;
    timestamp: string;
    failedAt: string | null;
  }[];
}

export interface QueueDashboard {
  generatedAt: string;
  redis: 'up' | 'down';
  /** Why Redis counts as down (only then). */
  reason?: string;
  /** Empty while Redis is down. */
  queues: QueueSnapshot[];
  /** Dead letters are not kept per hall (a job may serve no case), so the count is the hub's. */
  deadLetters: { scope: 'hub'; open: number | null; error?: string };
}

/**
 * The queues the workers use, from the job definitions. The schedulers' queues are among them: a
 * scheduler adds a job of the registry by name, and only its definition's queue has a worker for it.
 */
export function dashboardQueueNames(definitions: readonly JobDefinition<unknown>[]): string[] {
  return [...new Set(definitions.map((d) => d.queue))].sort();
}

const iso = (ms: number | undefined | null): string | null => (ms ? new Date(ms).toISOString() : null);

async function queueSnapshot(queue: Queue): Promise<QueueSnapshot> {
  const [counts, paused, schedulers, failed] = await Promise.all([
    queue.getJobCounts(...JOB_STATES),
    queue.isPaused(),
    queue.getJobSchedulers(0, -1, true),
    queue.getFailed(0, FAILED_SHOWN - 1),
  ]);
  return {
    name: queue.name,
    paused,
    counts: Object.fromEntries(JOB_STATES.map((s) => [s, counts[s] ?? 0])) as Record<JobStateName, number>,
    schedulers: schedulers.map((s) => ({
      name: s.key,
      jobName: s.name,
      everyMs: s.every ?? null,
      pattern: s.pattern ?? null,
      nextRunAt: iso(s.next),
    })),
    // A job removed between listing and reading comes back empty.
    failed: failed
      .filter((job) => job?.id)
      .map((job) => ({
        id: String(job.id),
        name: job.name,
        attemptsMade: job.attemptsMade,
        failedReason: (job.failedReason ?? '').slice(0, 500),
        timestamp: new Date(job.timestamp).toISOString(),
        failedAt: iso(job.finishedOn),
      })),
  };
}

async function withinMs<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function readQueues(
  queues: HubQueues,
  redis: Redis,
  names: readonly string[],
): Promise<Pick<QueueDashboard, 'redis' | 'reason' | 'queues'>> {
  try {
    await pingRedis(redis, REDIS_PING_MS);
    const snapshots = await withinMs(
      Promise.all(names.map((name) => queueSnapshot(queues.queue(name)))),
      REDIS_READ_MS,
      'reading the queues',
    );
    return { redis: 'up', queues: snapshots };
  } catch (error) {
    return {
      redis: 'down',
      reason:
        `Redis does not answer (connection ${redis.status}: ${(error as Error).message}). ` +
        "Jobs go on once it is back; check the Redis server that the hub's REDIS_URL names.",
      queues: [],
    };
  }
}

async function openDeadLetters(orm: HubOrm): Promise<QueueDashboard['deadLetters']> {
  try {
    return { scope: 'hub', open: await forkEm(orm).count(DeadLetter, { retriedAt: null }) };
  } catch (error) {
    return { scope: 'hub', open: null, error: `the database did not answer: ${(error as Error).message}` };
  }
}

/** What the dashboard shows; Redis or the database being away degrades the answer, never fails it. */
export async function readQueueDashboard(deps: {
  queues: HubQueues;
  redis: Redis;
  orm: HubOrm;
  queueNames: readonly string[];
}): Promise<QueueDashboard> {
  const [queues, deadLetters] = await Promise.all([
    readQueues(deps.queues, deps.redis, deps.queueNames),
    openDeadLetters(deps.orm),
  ]);
  return { generatedAt: new Date().toISOString(), ...queues, deadLetters };
}

const ASSETS = `${QUEUE_DASHBOARD_PATH}/assets`;
const CLIENT_JS = readFileSync(new URL('./queue-dashboard.client.js', import.meta.url), 'utf8');

const PAGE = `<!doctype html>
<html lang="zh-CN">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>队列看板 · OneWindow Hub</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${ASSETS}/dashboard.css" />
    <script type="module" src="${ASSETS}/dashboard.js"></script>
  </head>
  <body data-endpoint="${QUEUE_DASHBOARD_PATH}.json">
    <header>
      <h1>队列看板 <small>Queue dashboard</small></h1>
      <p id="status" role="status">正在加载… <small>Loading</small></p>
    </header>
    <noscript>此页面需要 JavaScript。<small>This page needs JavaScript.</small></noscript>
    <form id="login" hidden>
      <label for="token">监督人员令牌 <small>Supervisor bearer token</small></label>
      <input id="token" name="token" type="password" autocomplete="off" spellcheck="false" required />
      <button type="submit">查看 <small>Show</small></button>
      <p id="login-error" role="alert"></p>
      <p class="hint">令牌只保存在本标签页中（sessionStorage），关闭标签页即清除。<small>Kept in this tab only.</small></p>
    </form>
    <main id="board" hidden>
      <section>
        <dl class="summary">
          <div><dt>Redis</dt><dd id="redis">—</dd></div>
          <div><dt>未处理的死信 <small>Open dead letters</small></dt><dd id="dead-letters">—</dd></div>
          <div><dt>更新于 <small>Updated</small></dt><dd id="updated">—</dd></div>
        </dl>
        <p id="redis-reason" class="bad" role="alert" hidden></p>
      </section>
      <section>
        <h2>队列 <small>Queues</small></h2>
        <table id="queues">
          <thead>
            <tr>
              <th>队列 <small>queue</small></th>
              <th>等待 <small>waiting</small></th>
              <th>优先 <small>prioritized</small></th>
              <th>执行中 <small>active</small></th>
              <th>延迟 <small>delayed</small></th>
              <th>等待子任务 <small>waiting-children</small></th>
              <th>失败 <small>failed</small></th>
              <th>已完成 <small>completed</small></th>
              <th>暂停 <small>paused</small></th>
            </tr>
          </thead>
          <tbody></tbody>
        </table>
      </section>
      <section>
        <h2>定时任务 <small>Job schedulers</small></h2>
        <table id="schedulers">
          <thead>
            <tr>
              <th>队列 <small>queue</small></th>
              <th>计划 <small>scheduler</small></th>
              <th>任务 <small>job</small></th>
              <th>周期 <small>every</small></th>
              <th>下次运行 <small>next run</small></th>
            </tr>
          </thead>
          <tbody></tbody>
        </table>
      </section>
      <section>
        <h2>最近失败的任务 <small>Latest failed jobs</small></h2>
        <table id="failed">
          <thead>
            <tr>
              <th>队列 <small>queue</small></th>
              <th>任务 <small>job</small></th>
              <th>编号 <small>id</small></th>
              <th>已尝试 <small>attempts</small></th>
              <th>失败原因 <small>reason</small></th>
              <th>失败时间 <small>failed at</small></th>
            </tr>
          </thead>
          <tbody></tbody>
        </table>
      </section>
      <p><button id="logout" type="button">清除令牌 <small>Forget token</small></button></p>
    </main>
  </body>
</html>
`;

const CSS = `:root { color-scheme: light; font-family: system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; }
/* The rules below set display; an element marked hidden must stay hidden all the same. */
[hidden] { display: none !important; }
body { margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem 3rem; color: #1f2328; background: #fafafa; }
h1 { font-size: 1.5rem; margin: 0.5rem 0; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 0.5rem; }
small { color: #59636e; font-weight: normal; font-size: 0.75em; }
#status { margin: 0 0 1rem; }
form { display: grid; gap: 0.5rem; max-width: 36rem; }
input { font: inherit; padding: 0.4rem; }
button { font: inherit; padding: 0.35rem 0.9rem; cursor: pointer; justify-self: start; }
.hint { color: #59636e; font-size: 0.875rem; }
#login-error { color: #b42318; margin: 0; }
#login-error:empty { display: none; }
.summary { display: flex; flex-wrap: wrap; gap: 2rem; margin: 0; }
.summary dt { font-size: 0.875rem; color: #59636e; }
.summary dd { margin: 0; font-size: 1.4rem; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border: 1px solid #d1d9e0; padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f0f3f6; font-weight: 600; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
td.reason { white-space: pre-wrap; word-break: break-word; }
td.empty { color: #59636e; text-align: center; }
.bad { color: #b42318; font-weight: 600; }
.good { color: #1a7f37; font-weight: 600; }
.warn { color: #9a6700; font-weight: 600; }
`;

/** Page and assets for anyone (they hold no data); the numbers for supervisors only. */
export function queueDashboardRouter(deps: {
  queues: HubQueues;
  redis: Redis;
  orm: HubOrm;
  verifier: TokenVerifier;
  /** Defaults to the registry's; tests pass their own. */
  definitions?: readonly JobDefinition<unknown>[];
}): Router {
  const queueNames = dashboardQueueNames(deps.definitions ?? jobDefinitions);
  const router = Router();
  const send = (type: string, body: string) => (_req: Request, res: Response) => {
    res
      .set('Content-Security-Policy', QUEUE_DASHBOARD_CSP)
      .set('X-Content-Type-Options', 'nosniff')
      .set('Referrer-Policy', 'no-referrer')
      .set('Cache-Control', 'no-cache')
      .type(type)
      .send(body);
  };
  router.get(QUEUE_DASHBOARD_PATH, send('html', PAGE));
  router.get(`${ASSETS}/dashboard.js`, send('js', CLIENT_JS));
  router.get(`${ASSETS}/dashboard.css`, send('css', CSS));
  router.get(
    `${QUEUE_DASHBOARD_PATH}.json`,
    requireActor(deps.verifier, ['supervisor']),
    async (_req, res) => {
      const dashboard = await readQueueDashboard({ ...deps, queueNames });
      res.set('Cache-Control', 'no-store').json(dashboard);
    },
  );
  return router;
}
