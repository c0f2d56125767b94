import { UnrecoverableError } from 'bullmq';
import { DepartmentError } from '../adapters/kit/department-error.ts';
import { pendingDeliveryReports, recordDeliveryReported } from '../db/cases/case-delivery.ts';
import { defineJob, outboxPayload } from './job-definition.ts';

/**
 * After delivery, each department that decided the case is told how its result reached the applicant
 * (R-D5), through its adapter; departments already told are skipped, so a re-run tells nobody twice.
 */
export const reportDelivery = defineJob({
  name: 'report-delivery',
  queue: 'delivery',
  topics: ['delivery.delivered'],
  payload: outboxPayload,
  async process({ caseId }, { em, adapters }) {
    const { tasks, report, caseNumber } = await pendingDeliveryReports(em, caseId);
    if (!report || !caseNumber) return { reported: 0 };
    for (const task of tasks) {
      const feedback = adapters.find((a) => a.name === task.adapter)?.results;
      if (!feedback)
        throw new UnrecoverableError(
          `adapter ${task.adapter} cannot be told of deliveries (no result feedback)`,
        );
      try {
        await feedback.reportDelivery(
          { departmentRef: task.departmentRef, caseNumber, idempotencyKey: task.idempotencyKey },
          report,
        );
      } catch (error) {
        if (error instanceof DepartmentError && error.kind === 'permanent')
          throw new UnrecoverableError(error.message);
        throw error;
      }
      await recordDeliveryReported(em.fork(), task.id);
    }
    return { reported: tasks.length };
  },
});
