import { z } from 'zod';
import { forkEm, type HubOrm } from '../../db/orm.ts';
import { defineJob, type JobDefinition } from '../../jobs/job-definition.ts';

const ledgerPayload = z.object({ key: z.string().regex(/^[a-z][a-z0-9-]*$/) }).strict();
export type LedgerPayload = z.infer<typeof ledgerPayload>;

/**
 * A test-only job that writes one row per key to PostgreSQL, for proving "nothing lost, nothing
 * twice": a lost job is a missing row, and a job run twice meets its key already there (the insert
 * `on conflict do nothing returning` comes back empty), which is counted as a duplicate.
 */
export interface JobLedger {
  definition: JobDefinition<unknown>;
  /** Runs that found their key already written: jobs processed more than once. */
  readonly duplicates: number;
  /** Runs that started (held or not). */
  readonly started: number;
  /** Keys written, sorted. */
  keys(): Promise<string[]>;
  count(): Promise<number>;
  /** Keeps every run waiting at its start (so jobs stay active) until `release()`. */
  hold(): void;
  release(): void;
}

/** Creates the ledger table in the test's database and the job that writes to it. */
export async function createJobLedger(orm: HubOrm, queue = 'fault-ledger'): Promise<JobLedger> {
  const table = `job_ledger_${queue.replaceAll('-', '_')}`;
  await forkEm(orm).execute(
    `create table if not exists ${table} (job_key text primary key, job_id text not null, attempt int not null, written_at timestamptz not null default now())`,
  );
  let duplicates = 0;
  let started = 0;
  let gate: Promise<void> | null = null;
  let open = () => {};
  const definition = defineJob<LedgerPayload>({
    name: 'write-ledger',
    queue,
    payload: ledgerPayload,
    attempts: 5,
    backoffMs: 200,
    async process({ key }, { em, jobId, attempt }) {
      started++;
      if (gate) await gate;
      const rows = await em.execute<{ job_key: string }[]>(
        `insert into ${table} (job_key, job_id, attempt) values (?, ?, ?) on conflict (job_key) do nothing returning job_key`,
        [key, jobId, attempt],
      );
      if (rows.length === 0) duplicates++;
      return { written: rows.length };
    },
  });
  return {
    definition: definition as JobDefinition<unknown>,
    get duplicates() {
      return duplicates;
    },
    get started() {
      return started;
    },
    async keys() {
      const rows = await forkEm(orm).execute<{ job_key: string }[]>(
        `select job_key from ${table} order by job_key`,
      );
      return rows.map((r) => r.job_key);
    },
    async count() {
      const [row] = await forkEm(orm).execute<{ n: string }[]>(`select count(*) as n from ${table}`);
      return Number(row?.n ?? 0);
    },
    hold() {
      gate ??= new Promise<void>((resolve) => {
        open = resolve;
      });
    },
    release() {
      gate = null;
      open();
    },
  };
}
