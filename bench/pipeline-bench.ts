import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { type Job, Queue, Worker } from 'bullmq';
import { createLogger } from '../adapters/kit/logger.ts';
import { realEstateAdapter } from '../adapters/real-estate/index.ts';
import { decideAcceptance } from '../db/cases/case-decisions.ts';
import { registerCase } from '../db/cases/case-intake.ts';
import { createIdentityResolver } from '../db/departments/applicant-identities.ts';
import { createCallRecorder } from '../db/departments/call-recorder.ts';
import { citizenIdCheckChar } from '../db/identity/citizen-id.ts';
import { connectDatabase, forkEm, type HubOrm } from '../db/orm.ts';
import { DEMO_ACTORS } from '../gateway/auth/demo-actors.ts';
import type { JobDefinition } from '../jobs/job-definition.ts';
import { startOutboxRelay } from '../jobs/outbox-relay.ts';
import { HubQueues } from '../jobs/queues.ts';
import { createRedisConnection } from '../jobs/redis.ts';
import { transferMaterials } from '../jobs/transfer-materials.job.ts';
import { queueConcurrency, startWorkers } from '../jobs/workers.ts';
import { type BenchChild, startChild } from './kit/child-process.ts';
import { type ProfileSummary, summariseCpuProfile } from './kit/cpu-profile.ts';
import { commandCpuMs, median, percentile, sampleProcess } from './kit/load.ts';

/**
 * The material-transfer pipeline end to end — outbox event → relay (FOR UPDATE SKIP LOCKED) → BullMQ
 * queue → worker → transfer-materials job → real-estate adapter → the registry's simulator over HTTP →
 * the handover row (case_department_task) and its timeline event — against BullMQ's own no-op job on
 * the same Redis with the same worker concurrency and job options.
 *
 * The accepted cases are made first (not timed) with their outbox events held back; a run releases
 * them: all at once for throughput (jobs/s until the last handover row), or at a steady rate for the
 * end-to-end latency of each (outbox event released → handover row written). The registry's simulator
 * runs in a process of its own; each throughput run reports the CPU each process spent per job.
 */

export interface PipelineSettings {
  rounds: number;
  /** Jobs per throughput run. */
  jobs: number;
  /** Jobs per second and seconds of the paced (latency) run. */
  pacedRate: number;
  pacedSeconds: number;
  databaseUrl: string;
  redisUrl: string;
  /** When set, one more throughput run (not counted) is CPU-profiled and its profile written here. */
  profileDir?: string | null;
}

interface Run {
  jobsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
}

/**
 * CPU per job of a throughput run, in ms, by the process it was spent in: the hub's (this process:
 * relay, worker, adapter; for the no-op, the queue and its worker), PostgreSQL's (all its processes),
 * Redis and the department's simulator. Their sum against the machine's cores bounds the throughput.
 */
export interface CpuPerJob {
  hub: number;
  postgres: number;
  redis: number;
  department: number;
}

/**
 * Runs `work` under V8's CPU profiler in this process (the hub's relay, worker and adapter run here),
 * writes the profile to `dir` and answers its summary with what `work` answered (jobs/s).
 */
async function profiledRun(
  dir: string,
  work: () => Promise<number>,
): Promise<ProfileSummary & { file: string; jobsPerSecond: number }> {
  mkdirSync(dir, { recursive: true });
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    const jobsPerSecond = await work();
    const { profile } = await session.post('Profiler.stop');
    const file = path.join(dir, 'pipeline.cpuprofile');
    writeFileSync(file, JSON.stringify(profile));
    return { ...summariseCpuProfile(file), file, jobsPerSecond };
  } finally {
    session.disconnect();
  }
}

/** Starts a CPU reading of every process the flow runs in; the answer divides it by the jobs run. */
function cpuReading(department: BenchChild<unknown>): (jobs: number) => CpuPerJob {
  const read = (): CpuPerJob => ({
    hub: sampleProcess(process.pid).cpuMs,
    postgres: commandCpuMs('postgres'),
    redis: commandCpuMs('redis-server'),
    department: sampleProcess(department.pid).cpuMs,
  });
  const before = read();
  return (jobs) => {
    const after = read();
    return {
      hub: (after.hub - before.hub) / jobs,
      postgres: (after.postgres - before.postgres) / jobs,
      redis: (after.redis - before.redis) / jobs,
      department: (after.department - before.department) / jobs,
    };
  };
}

function medianCpu(runs: CpuPerJob[]): CpuPerJob {
  return {
    hub: median(runs.map((r) => r.hub)),
    postgres: median(runs.map((r) => r.postgres)),
    redis: median(runs.map((r) => r.redis)),
    department: median(runs.map((r) => r.department)),
  };
}

export interface PipelineReport {
  /** Where the hub's process spends its CPU in a throughput run (with `profileDir`). */
  profile?: (ProfileSummary & { file: string; jobsPerSecond: number }) | null;
  workerConcurrency: number;
  jobsPerRun: number;
  pacedRate: number;
  ours: {
    throughput: number[];
    latency: Run[];
    medianJobsPerSecond: number;
    medianP50Ms: number;
    medianP95Ms: number;
    /** Medians over the throughput runs. */
    cpuPerJob: CpuPerJob;
  };
  bullmqNoop: {
    throughput: number[];
    latency: Run[];
    medianJobsPerSecond: number;
    medianP50Ms: number;
    medianP95Ms: number;
    cpuPerJob: CpuPerJob;
  };
}

/** As the workers run by default (WORKER_CONCURRENCY); the transfers queue runs queueConcurrency's multiple. */
const WORKER_CONCURRENCY = 4;
/** What the transfer jobs run at, and so the no-op reference too. */
const TRANSFER_CONCURRENCY = queueConcurrency(transferMaterials.queue, { concurrency: WORKER_CONCURRENCY });
const WARM_UP_JOBS = 100;
const ITEM = 'BDC-003'; // one department: 国土资源局, through the real-estate registry's adapter

let serial = 0;
function nextCitizenId(): string {
  const n = serial++;
  const birth = new Date(Date.UTC(1960, 0, 1) + Math.floor(n / 900) * 86_400_000);
  const first17 = `410902${birth.toISOString().slice(0, 10).replaceAll('-', '')}${String(100 + (n % 900)).padStart(3, '0')}`;
  return first17 + citizenIdCheckChar(first17);
}

/** Accepted cases whose `case.accepted` outbox events are held back (marked published) until released. */
async function heldBackCases(
  orm: HubOrm,
  count: number,
): Promise<{ caseIds: string[]; outboxIds: number[] }> {
  const caseIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const c = await registerCase(forkEm(orm), DEMO_ACTORS.clerk, {
      itemCode: ITEM,
      channel: 'window',
      applicant: { type: 'person', name: '流转测试', idNumber: nextCitizenId() },
      materials: ['M01', 'M02', 'M03', 'M04', 'M05'].map((checklistCode) => ({
        checklistCode,
        medium: 'paper' as const,
      })),
    });
    const outcome = await decideAcceptance(forkEm(orm), DEMO_ACTORS.clerk, c.id, c.version, {
      type: 'accept',
    });
    if (outcome.kind !== 'accepted') throw new Error(`bench case not accepted: ${outcome.kind}`);
    caseIds.push(c.id);
  }
  const em = forkEm(orm);
  await em.execute('update outbox_event set published_at = now() where published_at is null');
  const rows = await em.execute<{ id: string }[]>(
    `select id from outbox_event where topic = 'case.accepted' and case_id in (${caseIds.map(() => '?').join(', ')}) order by id`,
    caseIds,
  );
  return { caseIds, outboxIds: rows.map((r) => Number(r.id)) };
}

async function release(orm: HubOrm, outboxIds: number[]): Promise<void> {
  if (outboxIds.length === 0) return;
  await forkEm(orm).execute(
    `update outbox_event set published_at = null, created_at = now() where id in (${outboxIds.map(() => '?').join(', ')})`,
    outboxIds,
  );
}

/**
 * Waits until every case has its handover row (a cheap count, every 100 ms: the database's CPU is
 * measured too); answers each case's release → handover latency in ms and when the last handover was
 * made (the worker's clock, which is this process's: a run's end does not depend on the polling).
 */
async function handovers(
  orm: HubOrm,
  caseIds: string[],
  timeoutMs = 120_000,
): Promise<{ latenciesMs: number[]; lastAt: number }> {
  const until = Date.now() + timeoutMs;
  const list = caseIds.map(() => '?').join(', ');
  for (;;) {
    const [counted] = await forkEm(orm).execute<{ n: number }[]>(
      `select count(*)::int as n from case_department_task where case_id in (${list})`,
      caseIds,
    );
    if (counted!.n >= caseIds.length) break;
    if (Date.now() > until)
      throw new Error(`only ${counted!.n} of ${caseIds.length} handovers within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const rows = await forkEm(orm).execute<{ ms: string; at: Date }[]>(
    `select extract(epoch from (t.transferred_at - o.created_at)) * 1000 as ms, t.transferred_at as at
       from case_department_task t
       join outbox_event o on o.case_id = t.case_id and o.topic = 'case.accepted'
      where t.case_id in (${list})`,
    caseIds,
  );
  return {
    latenciesMs: rows.map((r) => Number(r.ms)),
    lastAt: Math.max(...rows.map((r) => new Date(r.at).getTime())),
  };
}

async function paced<T>(items: T[], perSecond: number, each: (batch: T[]) => Promise<void>): Promise<void> {
  const tickMs = 50;
  const perTick = Math.max(1, Math.round((perSecond * tickMs) / 1000));
  const start = performance.now();
  for (let i = 0, tick = 0; i < items.length; i += perTick, tick++) {
    const due = start + tick * tickMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    await each(items.slice(i, i + perTick));
  }
}

function summarise(latencies: number[], jobsPerSecond: number): Run {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { jobsPerSecond, p50Ms: percentile(sorted, 0.5), p95Ms: percentile(sorted, 0.95) };
}

export async function runPipelineBench(
  settings: PipelineSettings,
  log: (line: string) => void,
): Promise<PipelineReport> {
  const orm = await connectDatabase({ url: settings.databaseUrl, dataDir: '.data' });
  const redis = createRedisConnection(settings.redisUrl);
  redis.on('error', () => {});
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  // The cases first, before any relay runs: their events wait until a run releases them.
  const pacedJobs = Math.round(settings.pacedRate * settings.pacedSeconds);
  const needed =
    settings.rounds * (settings.jobs + pacedJobs) + WARM_UP_JOBS + (settings.profileDir ? settings.jobs : 0);
  log(`pipeline: making ${needed} accepted cases (not timed)…`);
  const made = await heldBackCases(orm, needed);
  const logger = createLogger('silent');
  // The registry's system runs in a process of its own, as a department's system does.
  const simulator = await startChild<{ url: string }>(
    'real-estate simulator',
    'targets/department-simulator.ts',
    { args: ['real_estate'] },
  );
  const recorder = createCallRecorder(orm);
  const adapter = realEstateAdapter.create(realEstateAdapter.config.parse({}), simulator.info.url, {
    recorder,
    identities: createIdentityResolver(orm),
  });
  const definitions = [transferMaterials as JobDefinition<unknown>];
  const queues = new HubQueues(redis, prefix);
  const workers = startWorkers(definitions, {
    connection: redis,
    prefix,
    orm,
    logger,
    adapters: [adapter],
    concurrency: WORKER_CONCURRENCY,
  });
  const relay = startOutboxRelay(orm, queues, definitions, logger);

  // BullMQ's own floor: a no-op processor, the same connection settings, concurrency and job options.
  const noopQueue = new Queue('noop', { connection: redis, prefix });
  const noopLatencies: number[] = [];
  let noopDone = 0;
  const noopConnection = redis.duplicate();
  const noopWorker = new Worker('noop', async () => {}, {
    connection: noopConnection,
    prefix,
    concurrency: TRANSFER_CONCURRENCY,
  });
  noopWorker.on('completed', (job: Job) => {
    noopDone++;
    noopLatencies.push((job.finishedOn ?? Date.now()) - job.timestamp);
  });
  let noopSerial = 0;
  const addNoop = (n: number) =>
    noopQueue.addBulk(
      Array.from({ length: n }, () => ({
        name: 'noop',
        data: {
          outboxId: noopSerial,
          caseId: '00000000-0000-4000-8000-000000000000',
          topic: 'case.accepted',
        },
        opts: {
          jobId: `noop-o${noopSerial++}`,
          attempts: 8,
          backoff: { type: 'exponential', delay: 2000, jitter: 0.5 },
          removeOnComplete: { age: 24 * 3600, count: 10_000 },
          removeOnFail: false,
        },
      })),
    );
  const noopRun = async (n: number, rate: number | null): Promise<Run> => {
    noopDone = 0;
    noopLatencies.length = 0;
    const start = performance.now();
    if (rate === null) await addNoop(n);
    else await paced(Array.from({ length: n }), rate, async (batch) => void (await addNoop(batch.length)));
    while (noopDone < n) await new Promise((r) => setTimeout(r, 5));
    return summarise(noopLatencies, n / ((performance.now() - start) / 1000));
  };

  try {
    const take = (n: number) => ({
      caseIds: made.caseIds.splice(0, n),
      outboxIds: made.outboxIds.splice(0, n),
    });

    // Warm-up: WARM_UP_JOBS through each (the first round ran slower with fewer: code not yet optimised).
    const warm = take(WARM_UP_JOBS);
    await release(orm, warm.outboxIds);
    await handovers(orm, warm.caseIds);
    await noopRun(WARM_UP_JOBS, null);

    const oursThroughput: number[] = [];
    const noopThroughput: number[] = [];
    const oursCpu: CpuPerJob[] = [];
    const noopCpu: CpuPerJob[] = [];
    const oursLatency: Run[] = [];
    const noopLatency: Run[] = [];
    for (let round = 0; round < settings.rounds; round++) {
      const backlog = take(settings.jobs);
      let cpu = cpuReading(simulator);
      const start = Date.now();
      await release(orm, backlog.outboxIds);
      const { lastAt } = await handovers(orm, backlog.caseIds);
      oursCpu.push(cpu(settings.jobs));
      oursThroughput.push(settings.jobs / ((lastAt - start) / 1000));
      cpu = cpuReading(simulator);
      noopThroughput.push((await noopRun(settings.jobs, null)).jobsPerSecond);
      noopCpu.push(cpu(settings.jobs));

      const steady = take(pacedJobs);
      const pacedStart = Date.now();
      await paced(steady.outboxIds, settings.pacedRate, (batch) => release(orm, batch));
      const steadyRun = await handovers(orm, steady.caseIds);
      oursLatency.push(
        summarise(steadyRun.latenciesMs, pacedJobs / ((steadyRun.lastAt - pacedStart) / 1000)),
      );
      noopLatency.push(await noopRun(pacedJobs, settings.pacedRate));
      const c = oursCpu.at(-1)!;
      log(
        `round ${round + 1} pipeline: ours ${oursThroughput.at(-1)!.toFixed(1)} jobs/s (p95 ${oursLatency.at(-1)!.p95Ms.toFixed(0)} ms at ${settings.pacedRate}/s; ` +
          `CPU ms/job hub ${c.hub.toFixed(2)}, PostgreSQL ${c.postgres.toFixed(2)}, Redis ${c.redis.toFixed(2)}, department ${c.department.toFixed(2)}), ` +
          `BullMQ no-op ${noopThroughput.at(-1)!.toFixed(0)} jobs/s (p95 ${noopLatency.at(-1)!.p95Ms.toFixed(0)} ms)`,
      );
    }
    const profile = settings.profileDir
      ? await profiledRun(settings.profileDir, async () => {
          const backlog = take(settings.jobs);
          const start = Date.now();
          await release(orm, backlog.outboxIds);
          const { lastAt } = await handovers(orm, backlog.caseIds);
          return settings.jobs / ((lastAt - start) / 1000);
        })
      : null;
    if (profile) log(`profile: pipeline at ${profile.jobsPerSecond.toFixed(1)} jobs/s while profiled`);
    return {
      profile,
      workerConcurrency: TRANSFER_CONCURRENCY,
      jobsPerRun: settings.jobs,
      pacedRate: settings.pacedRate,
      ours: {
        throughput: oursThroughput,
        latency: oursLatency,
        medianJobsPerSecond: median(oursThroughput),
        medianP50Ms: median(oursLatency.map((r) => r.p50Ms)),
        medianP95Ms: median(oursLatency.map((r) => r.p95Ms)),
        cpuPerJob: medianCpu(oursCpu),
      },
      bullmqNoop: {
        throughput: noopThroughput,
        latency: noopLatency,
        medianJobsPerSecond: median(noopThroughput),
        medianP50Ms: median(noopLatency.map((r) => r.p50Ms)),
        medianP95Ms: median(noopLatency.map((r) => r.p95Ms)),
        cpuPerJob: medianCpu(noopCpu),
      },
    };
  } finally {
    await relay.stop();
    await workers.close();
    await noopWorker.close();
    noopConnection.disconnect();
    await noopQueue.obliterate({ force: true }).catch(() => {});
    await noopQueue.close();
    await queues
      .queue('transfers')
      .obliterate({ force: true })
      .catch(() => {});
    await queues.close();
    await recorder.flush();
    await simulator.stop();
    redis.disconnect();
    await orm.close(true);
  }
}
