import { z } from 'zod';
import { applyDepartmentDecisions, type IncomingDecision } from '../db/cases/case-conclusion.ts';
import { defineJob } from './job-definition.ts';

/**
 * Applies the decision events of accepted callbacks, oldest delivery first and in department
 * sequence within it; receipts are claimed with SKIP LOCKED so several workers share them. Events of
 * other kinds (tracking) stay in their receipt for the delivery jobs.
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
          events: { type: string; sequence: number; decision?: IncomingDecision }[];
        }[]
      >(
        `select id, adapter, events from callback_receipt
          where verdict = 'accepted' and processed_at is null
          order by id limit 200 for update skip locked`,
      );
      let applied = 0;
      let ignored = 0;
      for (const receipt of receipts) {
        const decisions = receipt.events
          .filter((e) => e.type === 'decision' && e.decision)
          .sort((a, b) => a.sequence - b.sequence)
          .map((e) => e.decision!);
        const result = await applyDepartmentDecisions(tx, receipt.adapter, decisions);
        applied += result.applied;
        ignored += result.ignored;
      }
      if (receipts.length > 0) {
        await tx.execute(
          `update callback_receipt set processed_at = now() where id in (${receipts.map(() => '?').join(', ')})`,
          receipts.map((r) => r.id),
        );
      }
      return { receipts: receipts.length, applied, ignored };
    });
  },
});
