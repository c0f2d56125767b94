import { z } from 'zod';
import { applyDepartmentDecisions, type IncomingDecision } from '../db/cases/case-conclusion.ts';
import { applyTrackingEvents, type TrackingEvent } from '../db/cases/case-delivery.ts';
import { maskIdNumber } from '../db/identity/mask.ts';
import { defineJob } from './job-definition.ts';

/** How long a callback may wait for its reference to be recorded before it is given up. */
const UNKNOWN_PATIENCE_MS = 60 * 60 * 1000;

/**
 * Applies accepted callbacks, oldest delivery first and in department sequence within it: decision
 * events to the department tasks, tracking events (the post) to the deliveries. Receipts are claimed
 * with SKIP LOCKED so several workers share them; other kinds of events (progress) are only kept.
 */
export const applyCallbacks = defineJob({
  name: 'apply-callbacks',
  queue: 'decisions',
  attempts: 3,
  payload: z.object({}).strict(),
  async process(_payload, { em }) {
    return em.transactional(async (tx) => {
      const receipts = await tx.execute<
        {
          id: string;
          adapter: string;
          received_at: Date;
          events: (TrackingEvent & { type: string; decision?: IncomingDecision })[];
        }[]
      >(
        `select id, adapter, received_at, events from callback_receipt
          where verdict = 'accepted' and processed_at is null
          order by id limit 200 for update skip locked`,
      );
      let applied = 0;
      let ignored = 0;
      const done: string[] = [];
      for (const receipt of receipts) {
        const decisions = receipt.events
          .filter((e) => e.type === 'decision' && e.decision)
          .sort((a, b) => a.sequence - b.sequence)
          .map((e) => e.decision!);
        const result = await applyDepartmentDecisions(tx, receipt.adapter, decisions);
        const tracking = await applyTrackingEvents(
          tx,
          receipt.events.filter((e) => e.type === 'tracking'),
        );
        applied += result.applied + tracking.applied;
        ignored += result.ignored + tracking.ignored;
        // A department may call back before the hub has stored its reference: keep the receipt for
        // the next run, unless it is old enough that the reference will never come.
        const young = Date.now() - new Date(receipt.received_at).getTime() < UNKNOWN_PATIENCE_MS;
        if ((result.unknown.length === 0 && tracking.unknown === 0) || !young) {
          done.push(receipt.id);
          // The holder's identity number was needed for the window's check only: once applied, the
          // receipt keeps it masked.
          if (receipt.events.some((e) => e.decision?.result?.holder)) {
            await tx.execute(`update callback_receipt set events = ? where id = ?`, [
              JSON.stringify(receipt.events.map(withoutHolderNumber)),
              receipt.id,
            ]);
          }
        }
      }
      if (done.length > 0) {
        await tx.execute(
          `update callback_receipt set processed_at = now() where id in (${done.map(() => '?').join(', ')})`,
          done,
        );
      }
      return { receipts: receipts.length, applied, ignored, waiting: receipts.length - done.length };
    });
  },
});

function withoutHolderNumber<E extends { decision?: IncomingDecision }>(event: E): E {
  const holder = event.decision?.result?.holder;
  if (!holder) return event;
  return {
    ...event,
    decision: {
      ...event.decision!,
      result: { ...event.decision!.result!, holder: { ...holder, idNumber: maskIdNumber(holder.idNumber) } },
    },
  };
}
