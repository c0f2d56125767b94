import { UnrecoverableError } from 'bullmq';
import { DepartmentError } from '../adapters/kit/department-error.ts';
import { loadCaseForPackages, packageOf } from '../db/cases/case-transfer.ts';
import { OutboxEvent } from '../db/entities/outbox-event.ts';
import { defineJob, outboxPayload } from './job-definition.ts';

const OUTCOMES: Record<string, 'accepted' | 'correction_required' | 'refused'> = {
  pre_accepted: 'accepted',
  correction_required: 'correction_required',
  refused: 'refused',
};

/**
 * Records each acceptance (R-F1) and online pre-acceptance result (R-F5) on the provincial platform.
 * A record the platform refuses is not retried: it becomes a dead letter carrying the platform's
 * field errors, for a clerk to fix and a supervisor to send again.
 */
export const recordOnPlatform = defineJob({
  name: 'record-on-platform',
  queue: 'platform',
  topics: ['case.accepted', 'case.pre_acceptance_result'],
  payload: outboxPayload,
  async process({ outboxId, caseId, topic }, { em, adapters }) {
    const platform = adapters.find((a) => a.platform)?.platform;
    if (!platform) throw new UnrecoverableError('no adapter records on the provincial platform');
    const event = await em.findOne(OutboxEvent, { id: outboxId });
    const hallCase = await loadCaseForPackages(em, caseId);
    if (!hallCase) throw new UnrecoverableError(`case ${caseId} does not exist`);
    try {
      if (topic === 'case.accepted') {
        return await platform.acceptance(
          packageOf(hallCase, 'provincial', `platform-accept-${hallCase.number}`),
        );
      }
      const result = String(event?.payload.result ?? 'pre_accepted');
      const pkg = packageOf(hallCase, 'provincial', `platform-pre-${hallCase.number}-o${outboxId}`);
      const lastDocument = hallCase.documents.getItems().at(-1);
      return await platform.preAcceptance({
        caseNumber: pkg.caseNumber,
        idempotencyKey: pkg.idempotencyKey,
        itemCode: pkg.itemCode,
        itemName: pkg.itemName,
        applicant: pkg.applicant,
        materials: pkg.materials,
        outcome: OUTCOMES[result] ?? 'accepted',
        reasons:
          hallCase.refusalReasons ??
          (result === 'correction_required' ? ['材料不齐全或不符合法定形式，已一次性告知补正'] : []),
        decidedAt: (lastDocument?.issuedAt ?? new Date()).toISOString(),
      });
    } catch (error) {
      if (error instanceof DepartmentError && error.kind === 'permanent') {
        throw new UnrecoverableError(`the provincial platform refused the record: ${error.reason}`);
      }
      throw error;
    }
  },
});
