import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DepartmentAdapter } from '../adapters/kit/adapter-contract.ts';
import type { Logger } from '../adapters/kit/logger.ts';
import type { CertificateServices } from '../db/certificates/certificate-services.ts';
import { recordDeadLetter, recordMissingDeadLetters } from '../db/departments/dead-letters.ts';
import { forkEm, type HubOrm } from '../db/orm.ts';
import type { JobDefinition } from './job-definition.ts';

export interface WorkerSettings {
  connection: Redis;
  prefix: string;
  orm: HubOrm;
  logger: Logger;
  adapters?: readonly DepartmentAdapter[];
  /** Where jobs read the time; tests pass a moved clock. */
  now?: () => Date;
  /** Certificate signing keys and archive (the issue-certificate job needs them). */
  certificates?: CertificateServices;
  /** Jobs run at once per queue (default 4; 4 times that on `transfers`); per-queue overrides by queue name. */
  concurrency?: number;
  concurrencyByQueue?: Record<string, number>;
  /** A running job's lock, renewed while it runs; a dead worker's jobs are taken over after it (default 30 s). */
  lockDurationMs?: number;
  /** How long `close()` waits for jobs in flight before closing without waiting (default 30 s). */
  closeTimeoutMs?: number;
  /** How often the failed jobs are checked for dead letters not written (default 60 s). */
  sweepEveryMs?: number;
}

/**
 * Queues whose jobs mostly wait on a department's system (an HTTP call, bounded per department by its
 * adapter's own concurrency limit) run this many times the general concurrency unless a per-queue
 * setting names them: a worker waiting on four slow departments would otherwise sit idle.
 */
const WAITING_QUEUES: Record<string, number> = { transfers: 4 };

/** Jobs run at once on a queue: its own setting, else the general one (scaled for waiting queues). */
export function queueConcurrency(
  queue: string,
  settings: Pick<WorkerSettings, 'concurrency' | 'concurrencyByQueue'>,
): number {
  return settings.concurrencyByQueue?.[queue] ?? (settings.concurrency ?? 4) * (WAITING_QUEUES[queue] ?? 1);
}

export interface RunningWorkers {
  queues: string[];
  /** Stops taking jobs, lets the jobs in flight finish, then disconnects. */
  close(): Promise<void>;
}

/** Starts one BullMQ worker per queue that the definitions use; jobs are dispatched by name. */
export function startWorkers(
  definitions: JobDefinition<unknown>[],
  settings: WorkerSettings,
): RunningWorkers {
  const byQueue = new Map<string, Map<string, JobDefinition<unknown>>>();
  for (const definition of definitions) {
    const jobs = byQueue.get(definition.queue) ?? new Map<string, JobDefinition<unknown>>();
    if (jobs.has(definition.name))
      throw new Error(`job ${definition.name} is defined twice on queue ${definition.queue}`);
    jobs.set(definition.name, definition);
    byQueue.set(definition.queue, jobs);
  }

  // BullMQ treats a client it is handed as the caller's and never closes it; these are ours to close.
  const connections: Redis[] = [];
  const workers = [...byQueue.entries()].map(([queue, jobs]) => {
    const connection = settings.connection.duplicate();
    connections.push(connection);
    const worker = new Worker(
      queue,
      async (job: Job) => {
        const definition = jobs.get(job.name);
        if (!definition) throw new UnrecoverableError(`no job named "${job.name}" on queue ${queue}`);
        const payload = definition.payload.safeParse(job.data);
        if (!payload.success) {
          throw new UnrecoverableError(
            `payload of ${job.name} does not match its schema: ${payload.error.message}`,
          );
        }
        return definition.process(payload.data, {
          em: forkEm(settings.orm),
          logger: settings.logger.child({ queue, job: job.name, jobId: job.id }),
          jobId: job.id ?? '',
          attempt: job.attemptsMade + 1,
          adapters: settings.adapters ?? [],
          now: settings.now ?? (() => new Date()),
          certificates: settings.certificates ?? null,
        });
      },
      {
        connection,
        prefix: settings.prefix,
        concurrency: queueConcurrency(queue, settings),
        // Stalled jobs (their worker died) are looked for as often as a lock lasts.
        lockDuration: settings.lockDurationMs ?? 30_000,
        stalledInterval: settings.lockDurationMs ?? 30_000,
      },
    );
    worker.on('failed', (job, error) => {
      settings.logger.warn(
        { queue, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err: error.message },
        'job failed',
      );
      if (!job) return;
      // Out of retries, or a failure retrying cannot fix: keep it for the supervisors.
      const final = error.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
      if (!final) return;
      recordDeadLetter(settings.orm, {
        queue,
        jobName: job.name,
        jobId: job.id ?? '',
        payload: job.data as Record<string, unknown>,
        reason: error.message,
        attempts: job.attemptsMade,
      }).catch((e: unknown) =>
        settings.logger.error({ err: (e as Error).message, jobId: job.id }, 'could not record a dead letter'),
      );
    });
    worker.on('error', (error) => settings.logger.error({ queue, err: error.message }, 'worker error'));
    return worker;
  });

  // A dead letter not written when its job failed (the process stopped, the database was away) is
  // found again in the queue's failed list: nothing failed stays unseen by the supervisors.
  const sweep = setInterval(() => {
    sweepFailedJobs([...byQueue.keys()], settings).catch((e: unknown) =>
      settings.logger.warn({ err: (e as Error).message }, 'could not check the failed jobs for dead letters'),
    );
  }, settings.sweepEveryMs ?? 60_000);
  sweep.unref();

  return {
    queues: [...byQueue.keys()],
    async close() {
      clearInterval(sweep);
      // Jobs in flight finish first; but with Redis away a worker's close waits for it to come back, so
      // after a while the workers are closed without waiting (their jobs are taken over once their
      // locks lapse, as after a crash).
      const graceful = Promise.all(workers.map((w) => w.close()));
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), settings.closeTimeoutMs ?? 30_000);
      });
      const outcome = await Promise.race([graceful.then(() => 'closed' as const), late]);
      clearTimeout(timer);
      if (outcome === 'late') {
        settings.logger.warn('workers did not close in time (is Redis away?); closing without waiting');
        await Promise.race([
          Promise.all(workers.map((w) => w.close(true))),
          new Promise((resolve) => setTimeout(resolve, 1000).unref()),
        ]);
      }
      // Not `quit`: with Redis away it would wait for a reconnect that may never come.
      for (const connection of connections) connection.disconnect();
    },
  };
}

/** Writes the dead letters missing for the newest failed jobs of each queue (failed there = for good). */
export async function sweepFailedJobs(
  queues: readonly string[],
  settings: Pick<WorkerSettings, 'connection' | 'prefix' | 'orm'>,
): Promise<number> {
  let added = 0;
  for (const name of queues) {
    const queue = new Queue(name, { connection: settings.connection, prefix: settings.prefix });
    try {
      const failed = await queue.getFailed(0, 199);
      added += await recordMissingDeadLetters(
        settings.orm,
        failed.map((job) => ({
          queue: name,
          jobName: job.name,
          jobId: job.id ?? '',
          payload: job.data as Record<string, unknown>,
          reason: job.failedReason || 'failed',
          attempts: job.attemptsMade,
        })),
      );
    } finally {
      await queue.close();
    }
  }
  return added;
}
