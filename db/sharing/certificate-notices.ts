import { z } from 'zod';
import { CERTIFICATE_STATUSES, type CertificateStatus } from '../entities/certificate.ts';
import { CertificateNotice, type NoticeEvent } from '../entities/sharing.ts';
import type { HubEntityManager } from '../orm.ts';

/** The payload of a `certificate.status_changed` outbox event. */
export const statusChangePayload = z.object({
  certificateId: z.uuid(),
  status: z.enum(CERTIFICATE_STATUSES),
  changedAt: z.iso.datetime({ offset: true }),
});
export type StatusChange = z.infer<typeof statusChangePayload>;

/** What a consumer is told: back to `issued` is a reinstatement (only a suspension can be lifted). */
export const NOTICE_EVENT_OF_STATUS: Record<CertificateStatus, NoticeEvent> = {
  revoked: 'revoked',
  suspended: 'suspended',
  issued: 'reinstated',
};

/**
 * The notices of one status change, created once: one per active consumer with a webhook that
 * fetched the certificate (an `allowed` entry of the access log names it). Holding a grant for the
 * type is not enough — a consumer is told only of certificates it has seen, so a notice never
 * discloses a holder it did not look up. Safe to run again: the unique key (consumer, certificate,
 * event, changedAt) keeps one notice each.
 */
export async function noticesForStatusChange(
  em: HubEntityManager,
  change: StatusChange,
): Promise<CertificateNotice[]> {
  const event = NOTICE_EVENT_OF_STATUS[change.status];
  const changedAt = new Date(change.changedAt);
  await em.execute(
    `insert into certificate_notice (consumer_id, certificate_id, event, changed_at, attempts, created_at)
     select distinct c.id, a.certificate_id, ?::text, ?::timestamptz, 0, now()
       from certificate_access a join sharing_consumer c on c.id = a.consumer_id
      where a.certificate_id = ? and a.outcome = 'allowed' and c.active and c.webhook_url is not null
     on conflict (consumer_id, certificate_id, event, changed_at) do nothing`,
    [event, changedAt, change.certificateId],
  );
  return (await em.find(
    CertificateNotice,
    { certificate: change.certificateId, event, changedAt },
    { populate: ['consumer', 'certificate.type'], orderBy: { id: 'asc' } },
  )) as CertificateNotice[];
}

export interface WebhookMessage {
  /** Standard Webhooks `webhook-id`: one per notice, the same on every retry (receivers dedupe on it). */
  id: string;
  body: string;
}

/**
 * The notice as the consumer receives it: references and the status the change set (not the status
 * now, which a later change may have moved on), no holder data.
 */
export function webhookMessageOf(notice: CertificateNotice): WebhookMessage {
  const certificate = notice.certificate;
  return {
    id: `certificate-notice-${notice.id}`,
    body: JSON.stringify({
      type: `certificate.${notice.event}`,
      timestamp: notice.changedAt.toISOString(),
      data: {
        certificateId: certificate.id,
        identifier: certificate.identifier,
        typeCode: certificate.type.code,
        status: notice.event === 'reinstated' ? 'issued' : notice.event,
        changedAt: notice.changedAt.toISOString(),
      },
    }),
  };
}

/** Records one delivery attempt: delivered, or the error the next attempt starts from. */
export async function recordNoticeAttempt(
  em: HubEntityManager,
  notice: CertificateNotice,
  error: string | null,
  at: Date,
): Promise<void> {
  notice.attempts += 1;
  notice.lastError = error?.slice(0, 1000) ?? null;
  if (!error) notice.deliveredAt = at;
  await em.flush();
}
