import { UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { signWebhook } from '../adapters/kit/webhook-signature.ts';
import { OutboxEvent } from '../db/entities/outbox-event.ts';
import {
  noticesForStatusChange,
  recordNoticeAttempt,
  statusChangePayload,
  webhookMessageOf,
} from '../db/sharing/certificate-notices.ts';
import { defineJob } from './job-definition.ts';

/** The relay's payload; a certificate's event may carry no case. */
const payload = z
  .object({
    outboxId: z.number().int(),
    caseId: z.uuid().nullable(),
    topic: z.literal('certificate.status_changed'),
  })
  .strict();

const TIMEOUT_MS = 10_000;

/**
 * Tells subscribed consumers that a certificate they fetched was revoked, suspended or reinstated,
 * by a Standard Webhooks POST signed with the consumer's secret. At least once: a notice row per
 * consumer records each attempt; a run delivers the notices still pending and fails while any is,
 * so the queue retries with backoff (15 runs over 7 to 14 hours, inside the day the outbox event is
 * kept; then a dead letter a supervisor can send again). The webhook-id is the notice's, the same on
 * every retry, for receivers to dedupe. Who is told, and why only they: docs/sharing.md.
 */
export const notifyConsumers = defineJob({
  name: 'notify-consumers',
  queue: 'webhooks',
  topics: ['certificate.status_changed'],
  payload,
  attempts: 15,
  backoffMs: 3000,
  async process({ outboxId }, { em, logger, now }) {
    const event = await em.findOne(OutboxEvent, { id: outboxId });
    if (!event) throw new UnrecoverableError(`outbox event ${outboxId} no longer exists`);
    const change = statusChangePayload.safeParse(event.payload);
    if (!change.success)
      throw new UnrecoverableError(
        `outbox event ${outboxId} is not a status change: ${change.error.message}`,
      );
    const notices = await noticesForStatusChange(em, change.data);
    const pending = notices.filter((n) => !n.deliveredAt);
    const failed: string[] = [];
    let delivered = 0;
    for (const notice of pending) {
      const consumer = notice.consumer;
      if (!consumer.active || !consumer.webhookUrl || !consumer.webhookSecret) {
        // Unsubscribed since: nothing to send, and nothing to retry.
        await recordNoticeAttempt(em, notice, 'consumer no longer subscribed', now());
        continue;
      }
      const message = webhookMessageOf(notice);
      // The wire timestamp is the real time: the receiver checks it against its own clock.
      const timestamp = Math.floor(Date.now() / 1000);
      let error: string | null = null;
      try {
        const response = await fetch(consumer.webhookUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'webhook-id': message.id,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': signWebhook(consumer.webhookSecret, message.id, timestamp, message.body),
          },
          body: message.body,
          redirect: 'manual',
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        await response.body?.cancel();
        if (response.status < 200 || response.status > 299) error = `HTTP ${response.status}`;
      } catch (e) {
        error = (e as Error).message;
      }
      await recordNoticeAttempt(em, notice, error, now());
      if (error) {
        failed.push(`${consumer.id}: ${error}`);
        logger.warn({ noticeId: notice.id, consumer: consumer.id, err: error }, 'webhook not delivered');
      } else {
        delivered++;
      }
    }
    if (failed.length > 0)
      throw new Error(`${failed.length} of ${pending.length} notice(s) not delivered: ${failed.join('; ')}`);
    return { delivered, notices: notices.length };
  },
});
