import { createHash } from 'node:crypto';
import { GENESIS_HASH } from '../cases/case-audit.ts';
import { type AccessOutcome, CertificateAccess } from '../entities/sharing.ts';
import type { HubEntityManager } from '../orm.ts';

/** What one entry of the certificate access log says; its hash covers every field. */
export interface AccessFields {
  seq: number;
  at: Date;
  consumerId: string;
  typeCode: string | null;
  certificateId: string | null;
  /** The holder looked up, masked (`111:410***********1234`). */
  holder: string | null;
  reason: string;
  outcome: AccessOutcome;
  detail: string | null;
}

export type AccessRecord = Omit<AccessFields, 'seq' | 'at'>;

/** One lock for the whole log: entries are appended one transaction at a time, so `seq` has no gaps. */
const APPEND_LOCK = `select pg_advisory_xact_lock(hashtext('onewindow:certificate-access'))`;

/** The fields in a fixed order; every value is a string, null or a number, so JSON is canonical. */
export function accessHash(prevHash: string, entry: AccessFields): string {
  const covered = [
    entry.seq,
    entry.at.toISOString(),
    entry.consumerId,
    entry.typeCode,
    entry.certificateId,
    entry.holder,
    entry.reason,
    entry.outcome,
    entry.detail,
  ];
  return createHash('sha256').update(prevHash).update('\n').update(JSON.stringify(covered)).digest('hex');
}

/**
 * Appends entries to the log inside the caller's transaction (the one that reads the certificates),
 * and flushes them at once: when they cannot be written the caller's transaction fails with them,
 * and the read it belongs to is never answered.
 */
export async function appendAccess(
  tx: HubEntityManager,
  records: readonly AccessRecord[],
  at = new Date(),
): Promise<CertificateAccess[]> {
  await tx.execute(APPEND_LOCK);
  const [head] = await tx.execute<{ seq: string | number; hash: string }[]>(
    'select seq, hash from certificate_access order by seq desc limit 1',
  );
  let seq = head ? Number(head.seq) : 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  const written = records.map((record) => {
    const fields: AccessFields = { ...record, seq: ++seq, at };
    const hash = accessHash(prevHash, fields);
    const entry = tx.create(CertificateAccess, { ...fields, prevHash, hash });
    prevHash = hash;
    return entry;
  });
  await tx.flush();
  return written;
}

export interface AccessLogVerification {
  intact: boolean;
  entriesChecked: number;
  /** The first entry that is changed, missing before it, or out of place; null when intact. */
  firstBadSeq: number | null;
  problem: string | null;
  /** The last entry's seq and hash: recorded elsewhere, they also reveal entries cut off the end. */
  headSeq: number | null;
  headHash: string | null;
}

/**
 * Recomputes the chain from the first entry, in batches so memory stays flat, and stops at the first
 * break: a changed entry (its hash no longer matches), a removed or reordered one (a seq gap, or a
 * previous hash that is not the hash before it). Entries cut off the end leave an intact chain; the
 * head answered here is what an outside record compares against.
 */
export async function verifyAccessLog(
  em: HubEntityManager,
  options: { batch?: number } = {},
): Promise<AccessLogVerification> {
  const batch = options.batch ?? 1000;
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  const broken = (seq: number, problem: string): AccessLogVerification => ({
    intact: false,
    entriesChecked: checked,
    firstBadSeq: seq,
    problem,
    headSeq: null,
    headHash: null,
  });
  for (;;) {
    const entries = await em
      .fork({ clear: true })
      .find(CertificateAccess, { seq: { $gte: expectedSeq } }, { orderBy: { seq: 'asc' }, limit: batch });
    for (const entry of entries) {
      if (entry.seq !== expectedSeq)
        return broken(expectedSeq, `entry ${expectedSeq} is missing (the next one is ${entry.seq})`);
      if (entry.prevHash !== prevHash) return broken(entry.seq, 'does not follow the entry before it');
      const fields: AccessFields = {
        seq: entry.seq,
        at: entry.at,
        consumerId: entry.consumerId,
        typeCode: entry.typeCode ?? null,
        certificateId: entry.certificateId ?? null,
        holder: entry.holder ?? null,
        reason: entry.reason,
        outcome: entry.outcome,
        detail: entry.detail ?? null,
      };
      if (accessHash(entry.prevHash, fields) !== entry.hash)
        return broken(entry.seq, 'content changed after it was written');
      prevHash = entry.hash;
      expectedSeq++;
      checked++;
    }
    if (entries.length < batch) break;
  }
  return {
    intact: true,
    entriesChecked: checked,
    firstBadSeq: null,
    problem: null,
    headSeq: checked > 0 ? expectedSeq - 1 : null,
    headHash: checked > 0 ? prevHash : null,
  };
}
