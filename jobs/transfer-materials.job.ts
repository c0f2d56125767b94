import { UnrecoverableError } from 'bullmq';
import { DepartmentError } from '../adapters/kit/department-error.ts';
import { pendingTransfers, recordTransfer } from '../db/cases/case-transfer.ts';
import { defineJob, outboxPayload } from './job-definition.ts';

/**
 * On acceptance, sends the case's package to the departments the item needs, each through its
 * adapter under the task's idempotency key, and records each electronic handover (R-F6, R-F7):
 * all at once for a parallel item; for a sequential one the first department, then the next each
 * time a stage completes (R-B2). Runs again safely: departments already served are skipped, and a
 * department that sees the same key twice keeps one application.
 */
export const transferMaterials = defineJob({
  name: 'transfer-materials',
  queue: 'transfers',
  topics: ['case.accepted', 'case.stage_completed'],
  payload: outboxPayload,
  async process({ caseId }, { em, adapters, logger, now }) {
    const transfers = await pendingTransfers(em, caseId);
    for (const transfer of transfers) {
      const adapter =
        adapters.find((a) => a.departmentCodes.includes(transfer.departmentCode)) ??
        adapters.find((a) => a.fallback);
      if (!adapter)
        throw new UnrecoverableError(`no adapter carries tasks of department ${transfer.departmentCode}`);
      try {
        const result = await adapter.submit(transfer.pkg);
        await recordTransfer(
          em.fork(),
          transfer,
          { adapter: adapter.name, departmentRef: result.departmentRef },
          now(),
        );
        logger.info(
          { caseNumber: transfer.pkg.caseNumber, department: transfer.departmentCode, adapter: adapter.name },
          'handed over',
        );
      } catch (error) {
        // A department's refusal will not change on retry; a failure of its system or an unreadable
        // answer may (sending again is safe: one application per key).
        if (error instanceof DepartmentError && error.kind === 'permanent')
          throw new UnrecoverableError(error.message);
        throw error;
      }
    }
    return { transferred: transfers.length };
  },
});
