import { type JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobDefinition } from './job-definition.ts';

/** BullMQ job ids may not contain ':' and may not be digits only. */
export function assertJobId(jobId: string): void {
  if (jobId.includes(':') || /^\d+$/.test(jobId) || jobId.length === 0 || jobId.length > 200) {
    throw new Error(`job id "${jobId}" is not usable: no ':', not digits only, 1 to 200 characters`);
  }
}

/** A job's data and options: its payload checked against its schema, the usual retry policy. */
function jobOf<P>(
  definition: JobDefinition<P>,
  payload: P,
  options: { jobId: string; delayMs?: number },
): { data: P; opts: JobsOptions } {
  assertJobId(options.jobId);
  const data = definition.payload.parse(payload);
  const opts: JobsOptions = {
    jobId: options.jobId,
    attempts: definition.attempts ?? 8,
    backoff: { type: 'exponential', delay: definition.backoffMs ?? 2000, jitter: 0.5 },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: false,
    ...(options.delayMs ? { delay: options.delayMs } : {}),
  };
  return { data, opts };
}

/**
 * The queues of one hub. Every key lives under the hub's prefix, so several hubs or test runs share
 * a Redis without seeing each other's jobs.
 */
export class HubQueues {
  readonly #connection: Redis;
  readonly #prefix: string;
  readonly #queues = new Map<string, Queue>();

  constructor(connection: Redis, prefix: string) {
    this.#connection = connection;
    this.#prefix = prefix;
  }

  get prefix(): string {
    return this.#prefix;
  }

  /**
   * Whether Redis answers, waiting up to `ms` for a connection being (re)established. A command sent
   * without one would wait in the client until Redis is back.
   */
  async connected(ms = 1000): Promise<boolean> {
    const connection = this.#connection;
    if (connection.status === 'ready') return true;
    if (connection.status === 'end' || connection.status === 'close') return false;
    return new Promise((resolve) => {
      const done = (ready: boolean) => {
        clearTimeout(timer);
        connection.off('ready', onReady);
        resolve(ready);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(connection.status === 'ready'), ms);
      connection.once('ready', onReady);
    });
  }

  queue(name: string): Queue {
    let queue = this.#queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.#connection, prefix: this.#prefix });
      // Connection trouble also rejects the call that met it (enqueue, requeue), where it is handled;
      // the event would otherwise be an unhandled error.
      queue.on('error', () => {});
      this.#queues.set(name, queue);
    }
    return queue;
  }

  /**
   * Adds a job after checking its payload against the job's schema (which admits ids only). A job id
   * makes the enqueue idempotent: adding the same id twice keeps one job.
   */
  async enqueue<P>(
    definition: JobDefinition<P>,
    payload: P,
    options: { jobId: string; delayMs?: number },
  ): Promise<void> {
    const { data, opts } = jobOf(definition, payload, options);
    await this.queue(definition.queue).add(definition.name, data, opts);
  }

  /**
   * Adds many jobs, checked as {@link enqueue} checks one, with one Redis round trip per queue
   * (`addBulk`); ids already present keep their one job, as with `add`.
   */
  async enqueueBulk<P>(
    jobs: readonly { definition: JobDefinition<P>; payload: P; jobId: string }[],
  ): Promise<void> {
    const byQueue = new Map<string, { name: string; data: unknown; opts: JobsOptions }[]>();
    for (const { definition, payload, jobId } of jobs) {
      const { data, opts } = jobOf(definition, payload, { jobId });
      const list = byQueue.get(definition.queue) ?? [];
      list.push({ name: definition.name, data, opts });
      byQueue.set(definition.queue, list);
    }
    await Promise.all([...byQueue].map(([queue, list]) => this.queue(queue).addBulk(list)));
  }

  /** Adds a job again by name (a dead letter sent again), with the usual retry policy. */
  async requeue(queue: string, name: string, data: Record<string, unknown>, jobId: string): Promise<void> {
    assertJobId(jobId);
    await this.queue(queue).add(name, data, {
      jobId,
      attempts: 8,
      backoff: { type: 'exponential', delay: 2000, jitter: 0.5 },
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      removeOnFail: false,
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.#queues.values()].map((q) => q.close()));
    this.#queues.clear();
  }
}
