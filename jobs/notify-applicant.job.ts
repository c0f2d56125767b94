import { UnrecoverableError } from 'bullmq';
import { DepartmentError } from '../adapters/kit/department-error.ts';
import { Case } from '../db/entities/case.ts';
import { CaseDelivery } from '../db/entities/case-delivery.ts';
import { CaseDocument } from '../db/entities/case-document.ts';
import { Notification } from '../db/entities/notification.ts';
import { defineJob, outboxPayload } from './job-definition.ts';

/** Which steps the applicant is told of, and by which of the gateway's registered templates. */
const TEMPLATES: Record<string, { kind: string; template: string }> = {
  'case.accepted': { kind: 'accepted', template: 'OWH_ACCEPTED' },
  'case.correction_required': { kind: 'correction_required', template: 'OWH_CORRECTION' },
  'case.concluded': { kind: 'decided', template: 'OWH_DECIDED' },
  'case.decided': { kind: 'decided', template: 'OWH_DECIDED' },
  'delivery.ready': { kind: 'ready_for_pickup', template: 'OWH_READY_FOR_PICKUP' },
  'delivery.shipped': { kind: 'shipped', template: 'OWH_SHIPPED' },
  'delivery.post_failed': { kind: 'post_returned', template: 'OWH_RETURNED' },
};

/**
 * Tells the applicant of a step of their case by SMS. The job holds the outbox id only: the mobile
 * number is read from the database here and goes only to the gateway; one message per outbox event
 * (the gateway keeps one per key, and the notification row is unique per event).
 */
export const notifyApplicant = defineJob({
  name: 'notify-applicant',
  queue: 'notifications',
  topics: Object.keys(TEMPLATES),
  payload: outboxPayload,
  async process({ outboxId, caseId, topic }, { em, adapters }) {
    const step = TEMPLATES[topic];
    if (!step) throw new UnrecoverableError(`no message is sent for ${topic}`);
    if (await em.findOne(Notification, { outboxId })) return { sent: false, reason: 'already sent' };
    const hallCase = await em.findOneOrFail(
      Case,
      { id: caseId },
      { populate: ['applicant', 'item', 'hall'] },
    );
    const phone = hallCase.applicant.phone?.replace(/[\s-]/g, '') ?? '';
    let gatewayRef: string | null = null;
    if (phone) {
      const sms = adapters.find((a) => a.sms)?.sms;
      if (!sms) throw new UnrecoverableError('no SMS gateway is configured');
      const params = await paramsFor(em, hallCase, topic);
      try {
        const sent = await sms.send({
          to: phone,
          template: step.template,
          params,
          idempotencyKey: `sms-o${outboxId}`,
        });
        gatewayRef = sent.messageId;
      } catch (error) {
        // A number the gateway refuses will not become valid by retrying: a clerk corrects it.
        if (error instanceof DepartmentError && error.kind === 'permanent')
          throw new UnrecoverableError(error.message);
        throw error;
      }
    }
    await em.execute(
      `insert into notification (case_id, outbox_id, kind, template, status, phone_suffix, gateway_ref, sent_at)
       values (?, ?, ?, ?, ?, ?, ?, now()) on conflict (outbox_id) do nothing`,
      [
        hallCase.id,
        outboxId,
        step.kind,
        step.template,
        phone ? 'sent' : 'skipped',
        phone ? phone.slice(-4) : null,
        gatewayRef,
      ],
    );
    return { sent: Boolean(phone), template: step.template };
  },
});

async function paramsFor(
  em: Parameters<typeof notifyApplicant.process>[1]['em'],
  hallCase: Case,
  topic: string,
): Promise<Record<string, string>> {
  const base = { item: hallCase.item.name, caseNumber: hallCase.number };
  switch (topic) {
    case 'case.correction_required': {
      const notice = await em.findOne(
        CaseDocument,
        { case: hallCase.id, kind: 'correction_notice' },
        { orderBy: { issuedAt: 'desc' } },
      );
      return { ...base, documentNumber: notice?.number ?? '' };
    }
    case 'case.concluded':
    case 'case.decided':
      return { ...base, outcome: hallCase.status === 'approved' ? '准予许可' : '不予许可' };
    case 'delivery.shipped': {
      const delivery = await em.findOne(CaseDelivery, { case: hallCase.id });
      return { ...base, waybillNo: delivery?.waybillNo ?? '' };
    }
    case 'delivery.ready':
    case 'delivery.post_failed':
      return { ...base, place: `${hallCase.hall.name}综合出件窗口` };
    default:
      return base;
  }
}
