import type { Actor } from '../actor.ts';
import { DeadLetter } from '../entities/dead-letter.ts';
import { HubError } from '../errors.ts';
import type { HubEntityManager, HubOrm } from '../orm.ts';
import { forkEm } from '../orm.ts';

export interface FailedJob {
  queue: string;
  jobName: string;
  jobId: string;
  payload: Record<string, unknown>;
  reason: string;
  attempts: number;
}

/** Keeps a job that failed for good (idempotent per job id: a repeated report adds nothing). */
export async function recordDeadLetter(orm: HubOrm, job: FailedJob): Promise<void> {
  await insertDeadLetter(forkEm(orm), job);
}

/**
 * Keeps a failed job whose dead letter was never written (the process stopped, or the database was
 * away, just as the job failed): found again in the queue's failed list. A job id that has a letter —
 * open or already sent again — is left alone. Returns how many were added.
 */
export async function recordMissingDeadLetters(orm: HubOrm, jobs: readonly FailedJob[]): Promise<number> {
  const em = forkEm(orm);
  let added = 0;
  for (const job of jobs) if (await insertDeadLetter(em, job, 'any')) added++;
  return added;
}

/**
 * The same, inside a transaction of the caller's (e.g. the relay's). Nothing is written while the job
 * id has an open letter (`unless: 'open'`), or any letter at all (`'any'`). Says whether it wrote one.
 */
export async function insertDeadLetter(
  em: HubEntityManager,
  job: FailedJob,
  unless: 'open' | 'any' = 'open',
): Promise<boolean> {
  const caseId =
    typeof job.payload.caseId === 'string' && job.payload.caseId !== '' ? job.payload.caseId : null;
  const rows = await em.execute<{ id: string }[]>(
    `insert into dead_letter (queue, job_name, job_id, case_id, payload, reason, attempts, failed_at)
     select ?, ?, ?, ?, ?, ?, ?, now()
      where not exists (select 1 from dead_letter where job_id = ?${unless === 'open' ? ' and retried_at is null' : ''})
     returning id`,
    [
      job.queue,
      job.jobName,
      job.jobId,
      caseId,
      JSON.stringify(job.payload),
      job.reason.slice(0, 4000),
      job.attempts,
      job.jobId,
    ],
  );
  return rows.length > 0;
}

function supervisor(actor: Actor | null): Actor {
  if (actor?.role !== 'supervisor') throw new HubError('FORBIDDEN', 'dead letters are for supervisors');
  return actor;
}

export async function listDeadLetters(
  em: HubEntityManager,
  actor: Actor | null,
  open: boolean,
): Promise<DeadLetter[]> {
  supervisor(actor);
  return em.find(DeadLetter, open ? { retriedAt: null } : {}, { orderBy: { failedAt: 'desc' }, limit: 500 });
}

/**
 * Sends a dead letter's job again (after the cause was fixed, e.g. a clerk corrected the record the
 * platform refused); the letter is marked retried, and a new failure makes a new letter.
 */
export async function retryDeadLetter(
  em: HubEntityManager,
  actor: Actor | null,
  id: string,
  enqueue: (letter: DeadLetter, jobId: string) => Promise<void>,
): Promise<DeadLetter> {
  const who = supervisor(actor);
  return em.transactional(async (tx) => {
    const letter = /^\d+$/.test(id) ? await tx.findOne(DeadLetter, { id: Number(id) }) : null;
    if (!letter) throw new HubError('NOT_FOUND', `no dead letter ${id}`);
    if (letter.retriedAt) throw new HubError('CONFLICT', `dead letter ${id} was already sent again`);
    await enqueue(letter, `${letter.jobId}-retry${letter.id}`);
    letter.retriedAt = new Date();
    letter.retriedBy = who.id;
    return letter;
  });
}
