import type { HubOrm } from '../orm.ts';
import { forkEm } from '../orm.ts';

/** A call to a department as the kit reports it (see adapters/kit/adapter-contract.ts). */
interface CallRecord {
  department: string;
  caseNumber: string | null;
  operation: string;
  method: string;
  path: string;
  requestBytes: number;
  status: number | null;
  outcome: string;
  error: string | null;
  startedAt: Date;
  durationMs: number;
  attempt: number;
}

/**
 * Records department calls in `department_call`. Calls are queued and written in batches, off the
 * request's path; `flush()` writes what is queued (at shutdown and in tests).
 */
export function createCallRecorder(orm: HubOrm, onError: (error: unknown) => void = () => {}) {
  let queue: CallRecord[] = [];
  let writing: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  const write = () => {
    timer = null;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return writing;
    writing = writing.then(async () => {
      const values = batch.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
      await forkEm(orm)
        .execute(
          `insert into department_call (department, case_number, operation, method, path, request_bytes, status, outcome, error, started_at, duration_ms, attempt) values ${values}`,
          batch.flatMap((c) => [
            c.department,
            c.caseNumber,
            c.operation,
            c.method,
            c.path,
            c.requestBytes,
            c.status,
            c.outcome,
            c.error,
            c.startedAt,
            c.durationMs,
            c.attempt,
          ]),
        )
        .catch(onError);
    });
    return writing;
  };
  return {
    record(call: CallRecord) {
      queue.push(call);
      timer ??= setTimeout(write, 200);
    },
    async flush() {
      if (timer) clearTimeout(timer);
      await write();
    },
  };
}
