import type { Logger } from '../adapters/kit/logger.ts';
import { insertDeadLetter } from '../db/departments/dead-letters.ts';
import { forkEm, type HubOrm } from '../db/orm.ts';
import type { JobDefinition } from './job-definition.ts';
import type { HubQueues } from './queues.ts';

const ENQUEUE_TIMEOUT_MS = 5000;

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * Moves outbox events to the queues: rows are claimed with `FOR UPDATE SKIP LOCKED` (several relays
 * share the work, none takes a row another holds), each consuming job is added with a job id derived
 * from the outbox id (adding it twice keeps one job), and the rows are marked published in the same
 * transaction — a crash before the commit leaves them to be relayed again, never lost.
 */
export async function relayOutboxOnce(
  orm: HubOrm,
  queues: HubQueues,
  definitions: readonly JobDefinition<unknown>[],
  batch = 100,
): Promise<number> {
  // Without Redis the rows stay where they are, unclaimed: no transaction is left holding them while
  // an enqueue waits for a reconnect.
  if (!(await queues.connected())) throw new Error('Redis does not answer; outbox events stay unpublished');
  const routes = new Map<string, JobDefinition<unknown>[]>();
  for (const d of definitions)
    for (const topic of d.topics ?? []) routes.set(topic, [...(routes.get(topic) ?? []), d]);
  return forkEm(orm).transactional(async (tx) => {
    const rows = await tx.execute<{ id: string | number; topic: string; case_id: string | null }[]>(
      `select id, topic, case_id from outbox_event where published_at is null order by id limit ? for update skip locked`,
      [batch],
    );
    for (const row of rows) {
      const outboxId = Number(row.id);
      for (const definition of routes.get(row.topic) ?? []) {
        // Events about a case carry its id; others (a certificate's) carry null, which only their jobs admit.
        const payload = { outboxId, caseId: row.case_id, topic: row.topic };
        const jobId = `${definition.name}-o${outboxId}`;
        const admitted = definition.payload.safeParse(payload);
        if (!admitted.success) {
          // One event its job cannot take must not hold up the rest: it is kept for the supervisors.
          await insertDeadLetter(tx, {
            queue: definition.queue,
            jobName: definition.name,
            jobId,
            payload,
            reason: `the outbox event does not fit the job's payload: ${admitted.error.message}`,
            attempts: 0,
          });
          continue;
        }
        // Bounded: Redis going away mid-batch rolls the batch back (rows unlocked, relayed again later;
        // an enqueue that still lands later is the same job id, kept once).
        await withTimeout(
          queues.enqueue(definition, payload, { jobId }),
          ENQUEUE_TIMEOUT_MS,
          'enqueueing an outbox event',
        );
      }
    }
    if (rows.length > 0) {
      await tx.execute(
        `update outbox_event set published_at = now() where id in (${rows.map(() => '?').join(', ')})`,
        rows.map((r) => r.id),
      );
    }
    return rows.length;
  });
}

/** Deletes published events older than `keepMs` (they are in the queues' own history by then). */
export async function cleanOutbox(orm: HubOrm, keepMs: number): Promise<number> {
  const rows = await forkEm(orm).execute<{ id: number }[]>(
    `delete from outbox_event where published_at is not null and published_at < ? returning id`,
    [new Date(Date.now() - keepMs)],
  );
  return rows.length;
}

export interface RunningRelay {
  stop(): Promise<void>;
}

/** Relays continuously: at once while there is work, every `idleMs` when there is none. */
export function startOutboxRelay(
  orm: HubOrm,
  queues: HubQueues,
  definitions: readonly JobDefinition<unknown>[],
  logger: Logger,
  options: { idleMs?: number; keepMs?: number } = {},
): RunningRelay {
  let running = true;
  let lastClean = 0;
  const idleMs = options.idleMs ?? 250;
  const loop = (async () => {
    while (running) {
      try {
        const moved = await relayOutboxOnce(orm, queues, definitions);
        if (Date.now() - lastClean > 60_000) {
          lastClean = Date.now();
          await cleanOutbox(orm, options.keepMs ?? 24 * 3600_000);
        }
        if (moved > 0) continue;
        await new Promise((r) => setTimeout(r, idleMs));
      } catch (error) {
        // Redis or the database away: nothing is lost (rows stay unpublished); try again shortly.
        logger.warn({ err: (error as Error).message }, 'outbox relay could not move events; retrying');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}
