import { UnrecoverableError } from 'bullmq';
import { DepartmentError } from '../adapters/kit/department-error.ts';
import { pendingSupplements, recordSupplement } from '../db/cases/case-supplements.ts';
import { defineJob, outboxPayload } from './job-definition.ts';

/**
 * The owed materials of a deficiency-tolerant case, supplied in time, go on to every department that
 * already holds the case (容缺补交, R-B4); each department adds them to its application once per key,
 * and the case concludes when all have them and all have decided.
 */
export const supplyMaterials = defineJob({
  name: 'supply-materials',
  queue: 'transfers',
  topics: ['case.materials_supplied'],
  payload: outboxPayload,
  async process({ caseId }, { em, adapters }) {
    const pending = await pendingSupplements(em, caseId);
    for (const supplement of pending) {
      const supplements = adapters.find((a) => a.name === supplement.task.adapter)?.supplements;
      if (!supplements)
        throw new UnrecoverableError(`adapter ${supplement.task.adapter} cannot take supplied materials`);
      try {
        await supplements.supplyMaterials(
          {
            departmentRef: supplement.task.departmentRef,
            caseNumber: supplement.caseNumber,
            idempotencyKey: supplement.task.idempotencyKey,
          },
          supplement.materials,
          supplement.idempotencyKey,
        );
      } catch (error) {
        if (error instanceof DepartmentError && error.kind === 'permanent')
          throw new UnrecoverableError(error.message);
        throw error;
      }
      await recordSupplement(em.fork(), supplement);
    }
    return { supplied: pending.length };
  },
});
