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
  const seq = hallCase.eventCount + 1;
  const fields = {
    caseId: hallCase.id,
    seq,
    at: options.at ?? new Date(),
    actorId: actor.id,
    actorRole: actor.role,
    type,
    changes,
    documentId: options.documentId ?? null,
    note: options.note ?? null,
  };
  const prevHash = hallCase.auditHead ?? GENESIS_HASH;
  const hash = auditHash(prevHash, fields);
  const { caseId: _caseId, ...columns } = fields;
  const event = em.create(CaseEvent, { ...columns, case: hallCase, prevHash, hash });
  hallCase.eventCount = seq;
  hallCase.auditHead = hash;
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
