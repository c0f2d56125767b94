import { UnrecoverableError } from 'bullmq';
import { DepartmentError } from '../adapters/kit/department-error.ts';
import { recordShipment } from '../db/cases/case-delivery.ts';
import { Case } from '../db/entities/case.ts';
import { CaseDelivery } from '../db/entities/case-delivery.ts';
import { defineJob, outboxPayload } from './job-definition.ts';

/**
 * Sends a result by post (R-D4): one shipment per case at the post (its key is the case's), the
 * waybill recorded on the delivery; tracking then arrives by callback. The address and phone are read
 * from the database here and go only to the post.
 */
export const shipResult = defineJob({
  name: 'ship-result',
  queue: 'delivery',
  topics: ['delivery.ship'],
  payload: outboxPayload,
  async process({ caseId }, { em, adapters, logger }) {
    const courier = adapters.find((a) => a.courier)?.courier;
    if (!courier) throw new UnrecoverableError('no adapter carries results by post');
    const delivery = await em.findOne(CaseDelivery, { case: caseId });
    if (delivery?.status !== 'shipping') return { shipped: false };
    const hallCase = await em.findOneOrFail(Case, { id: caseId }, { populate: ['applicant', 'item'] });
    try {
      const { waybillNo } = await courier.ship({
        caseNumber: hallCase.number,
        idempotencyKey: `ship-${hallCase.number}`,
        contents: `${hallCase.item.resultName}（${hallCase.item.name}办理结果）`,
        recipient: {
          name: delivery.recipientName ?? hallCase.applicant.name,
          phone: delivery.phone ?? '',
          address: delivery.address ?? '',
          postcode: delivery.postcode ?? null,
        },
      });
      await recordShipment(em.fork(), caseId, waybillNo);
      logger.info({ caseNumber: hallCase.number, waybillNo }, 'result handed to the post');
      return { shipped: true, waybillNo };
    } catch (error) {
      if (error instanceof DepartmentError && error.kind === 'permanent')
        throw new UnrecoverableError(error.message);
      throw error;
    }
  },
});
