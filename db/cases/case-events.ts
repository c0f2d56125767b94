import type { Actor } from '../actor.ts';

/** Who a step is recorded for: a signed-in actor, or the hub's own workers (`system`). */
export type Recorder = Pick<Actor, 'id'> & { role: Actor['role'] | 'system' };

/** The hub's workers, when they record a step (a handover, a decision arriving). */
export const SYSTEM_ACTOR: Recorder = { id: 'hub-worker', role: 'system' };

import type { Case } from '../entities/case.ts';
import { CaseEvent } from '../entities/case-event.ts';
import { OutboxEvent } from '../entities/outbox-event.ts';
import type { HubEntityManager } from '../orm.ts';
import { auditHash, GENESIS_HASH } from './case-audit.ts';

/** What a case's audit chain stands on: its last event's number and hash. */
export interface ChainHead {
  id: string;
  eventCount: number;
  auditHead?: string | null;
}

/** The next event of a case's timeline, chained to its head: its columns, previous hash and hash. */
export function chainedEvent(
  head: ChainHead,
  actor: Recorder,
  type: string,
  changes: Record<string, [unknown, unknown]>,
  options: { documentId?: string; note?: string; at?: Date } = {},
) {
  const fields = {
    caseId: head.id,
    seq: head.eventCount + 1,
    at: options.at ?? new Date(),
    actorId: actor.id,
    actorRole: actor.role,
    type,
    changes,
    documentId: options.documentId ?? null,
    note: options.note ?? null,
  };
  const prevHash = head.auditHead ?? GENESIS_HASH;
  return { ...fields, prevHash, hash: auditHash(prevHash, fields) };
}

/**
 * Appends a step to the case's timeline and audit chain. Runs inside the transaction of the change
 * it records, so a step is recorded exactly when the change is.
 */
export function recordEvent(
  em: HubEntityManager,
  hallCase: Case,
  actor: Recorder,
  type: string,
  changes: Record<string, [unknown, unknown]>,
  options: { documentId?: string; note?: string; at?: Date } = {},
): CaseEvent {
  const { caseId: _caseId, ...columns } = chainedEvent(hallCase, actor, type, changes, options);
  const event = em.create(CaseEvent, { ...columns, case: hallCase });
  hallCase.eventCount = columns.seq;
  hallCase.auditHead = columns.hash;
  return event;
}

/** Writes an outbox event in the same transaction as the change (the relay publishes it later). */
export function emitOutbox(
  em: HubEntityManager,
  topic: string,
  caseId: string | null,
  payload: Record<string, unknown>,
): void {
  em.create(OutboxEvent, { topic, caseId, payload, publishedAt: null });
}
