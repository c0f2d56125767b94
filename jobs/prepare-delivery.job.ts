import { prepareDelivery as prepare } from '../db/cases/case-delivery.ts';
import { defineJob, outboxPayload } from './job-definition.ts';

/**
 * A decided case's result goes out by the delivery chosen: ready at the window, handed to the post,
 * or available electronically at once (R-D1). Runs again safely: a delivery under way is left alone.
 */
export const prepareDelivery = defineJob({
  name: 'prepare-delivery',
  queue: 'delivery',
  topics: ['case.concluded', 'case.decided'],
  payload: outboxPayload,
  async process({ caseId }, { em }) {
    return { delivery: await prepare(em, caseId) };
  },
});
