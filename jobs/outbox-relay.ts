import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import type pg from 'pg';
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
  batch = 200,
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
    const jobs: { definition: JobDefinition<unknown>; payload: unknown; jobId: string }[] = [];
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
        jobs.push({ definition, payload, jobId });
      }
    }
    // One round trip per queue for the batch. Bounded: Redis going away mid-batch rolls the batch back
    // (rows unlocked, relayed again later; an enqueue that still lands later is the same job id, kept once).
    if (jobs.length > 0)
      await withTimeout(queues.enqueueBulk(jobs), ENQUEUE_TIMEOUT_MS, 'enqueueing outbox events');
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

/** The channel the outbox trigger notifies at the commit of a transaction that wrote an unpublished event. */
const OUTBOX_CHANNEL = 'outbox_event';

/**
 * A wake-up call for the relay loop: `wait` resolves at the first of `notify` or the timeout; a
 * notification that came while the loop was busy makes the next `wait` return at once.
 */
function wakeUp() {
  let pending = false;
  let wake: (() => void) | null = null;
  return {
    notify() {
      pending = true;
      wake?.();
    },
    async wait(ms: number): Promise<void> {
      if (pending) {
        pending = false;
        return;
      }
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, ms);
      });
      clearTimeout(timer);
      wake = null;
      pending = false;
    },
  };
}

interface Listener {
  close(): Promise<void>;
}

/**
 * LISTENs on a connection of the ORM's PostgreSQL pool (held for as long as the relay runs) and
 * calls `onNotify` for each notification; a connection lost is replaced after `retryMs`. On PGlite
 * there is nothing to listen on: the relay polls.
 */
function listenForOutbox(
  orm: HubOrm,
  onNotify: () => void,
  logger: Logger,
  retryMs: number,
): Listener | null {
  if (!(orm.driver instanceof PostgreSqlDriver)) return null;
  const connection = orm.driver.getConnection() as unknown as { getNativeClient(): Promise<pg.Pool> };
  let closed = false;
  /** The connection listening now, and how it is given back as broken. */
  let current: { held: pg.PoolClient; lose: (error?: Error) => void; onEnd: () => void } | null = null;
  let retry: NodeJS.Timeout | undefined;
  const connect = async () => {
    let held: pg.PoolClient | null = null;
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost || !held) return;
      lost = true;
      held.off('notification', onNotify);
      if (current?.held === held) current = null;
      try {
        held.release(error ?? new Error('the listening connection ended'));
      } catch {
        // given back already (the pool ending, or the ORM's watch for connections that lost their server)
      }
      // Whatever came meanwhile is found by the next relay run.
      onNotify();
      if (!closed) retry = setTimeout(connect, retryMs);
    };
    try {
      const pool = await connection.getNativeClient();
      held = await pool.connect();
      if (closed) {
        held.release();
        return;
      }
      const onEnd = () => onLost();
      held.on('notification', onNotify);
      // `on`, not `once`: a second error on a client being discarded must not go unhandled.
      held.on('error', onLost);
      held.on('end', onEnd);
      await held.query(`listen ${OUTBOX_CHANNEL}`);
      if (closed) {
        onLost();
        return;
      }
      current = { held, lose: onLost, onEnd };
      // Events committed before the LISTEN took effect are picked up now.
      onNotify();
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'outbox relay cannot listen for new events; polling');
      if (held) onLost(error as Error);
      else if (!closed) retry = setTimeout(connect, retryMs);
    }
  };
  void connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      const listening = current;
      current = null;
      if (!listening) return;
      const { held, lose, onEnd } = listening;
      held.off('notification', onNotify);
      try {
        await held.query(`unlisten ${OUTBOX_CHANNEL}`);
        held.off('error', lose);
        held.off('end', onEnd);
        held.release();
      } catch (error) {
        lose(error as Error);
      }
    },
  };
}

/**
 * Relays continuously: at once while there is work; otherwise when a transaction that wrote an outbox
 * event commits (PostgreSQL's NOTIFY from the outbox trigger), or every `idleMs` at the latest — the
 * poll alone on PGlite, and the fallback should a notification be missed.
 */
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
  const wake = wakeUp();
  const listener = listenForOutbox(orm, () => wake.notify(), logger, 1000);
  const loop = (async () => {
    while (running) {
      try {
        const moved = await relayOutboxOnce(orm, queues, definitions);
        if (Date.now() - lastClean > 60_000) {
          lastClean = Date.now();
          await cleanOutbox(orm, options.keepMs ?? 24 * 3600_000);
        }
        if (moved > 0) continue;
        await wake.wait(idleMs);
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
      wake.notify();
      await loop;
      await listener?.close();
    },
  };
}
