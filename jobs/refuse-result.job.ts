import { UnrecoverableError } from 'bullmq';
import { DepartmentError } from '../adapters/kit/department-error.ts';
import { CaseDepartmentTask } from '../db/entities/case-department-task.ts';
import { defineJob, outboxPayload } from './job-definition.ts';

/**
 * Tells a department that the window refused its result, with the reasons (R-D2); the department then
 * decides again. Each refusal is told once (marked on the task); telling twice is harmless anyway.
 */
export const refuseResult = defineJob({
  name: 'refuse-result',
  queue: 'decisions',
  topics: ['task.result_refused'],
  payload: outboxPayload,
  async process({ caseId }, { em, adapters }) {
    const tasks = await em.find(
      CaseDepartmentTask,
      { case: caseId, status: 'result_refused' },
      { populate: ['case'] },
    );
    let told = 0;
    for (const task of tasks) {
      const refusal = task.resultRefusals?.findLast((r) => r.toldAt === null);
      if (!refusal) continue;
      const feedback = adapters.find((a) => a.name === task.adapter)?.results;
      if (!feedback)
        throw new UnrecoverableError(
          `adapter ${task.adapter} cannot take refused results (no result feedback)`,
        );
      try {
        await feedback.refuseResult(
          {
            departmentRef: task.departmentRef,
            caseNumber: task.case.number,
            idempotencyKey: task.idempotencyKey,
          },
          refusal.reasons,
        );
      } catch (error) {
        if (error instanceof DepartmentError && error.kind === 'permanent')
          throw new UnrecoverableError(error.message);
        throw error;
      }
      await em.fork().transactional(async (tx) => {
        const fresh = await tx.findOneOrFail(CaseDepartmentTask, { id: task.id });
        fresh.resultRefusals = (fresh.resultRefusals ?? []).map((r) =>
          r.fingerprint === refusal.fingerprint && r.toldAt === null
            ? { ...r, toldAt: new Date().toISOString() }
            : r,
        );
      });
      told++;
    }
    return { told };
  },
});
