import { createHash } from 'node:crypto';

/** The fields of an audit event that its hash covers. */
export interface AuditFields {
  caseId: string;
  seq: number;
  at: Date;
  actorId: string;
  actorRole: string;
  type: string;
  changes: Record<string, [unknown, unknown]>;
  documentId: string | null;
  note: string | null;
}

/** The chain starts from this value for every case. */
export const GENESIS_HASH = '0'.repeat(64);

/** Canonical JSON: object keys sorted at every level, so the same event always hashes the same. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

export function auditHash(prevHash: string, event: AuditFields): string {
  const { caseId, seq, at, actorId, actorRole, type, changes, documentId, note } = event;
  const covered = { caseId, seq, at: at.toISOString(), actorId, actorRole, type, changes, documentId, note };
  return createHash('sha256').update(prevHash).update('\n').update(canonical(covered)).digest('hex');
}

export interface ChainBreak {
  seq: number;
  problem: string;
}

/**
 * Recomputes a case's chain and compares it with the stored hashes and the case's head. Finds a
 * changed event (its hash no longer matches), a removed or reordered one (sequence gap or a
 * previous-hash mismatch), and events cut off the end (the head does not match the last hash).
 */
export function verifyChain(
  events: readonly (AuditFields & { prevHash: string; hash: string })[],
  head: string | null,
  expectedCount: number,
): ChainBreak[] {
  const breaks: ChainBreak[] = [];
  let prev = GENESIS_HASH;
  events.forEach((event, index) => {
    if (event.seq !== index + 1) breaks.push({ seq: event.seq, problem: `expected event ${index + 1} here` });
    if (event.prevHash !== prev)
      breaks.push({ seq: event.seq, problem: 'does not follow the previous event' });
    const computed = auditHash(event.prevHash, event);
    if (computed !== event.hash)
      breaks.push({ seq: event.seq, problem: 'content changed after it was written' });
    prev = event.hash;
  });
  if (events.length !== expectedCount) {
    breaks.push({
      seq: events.length,
      problem: `the case records ${expectedCount} events, ${events.length} found`,
    });
  }
  if ((head ?? GENESIS_HASH) !== prev)
    breaks.push({ seq: events.length, problem: 'the last event is not the case head' });
  return breaks;
}
