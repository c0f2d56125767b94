import { Case } from '../entities/case.ts';
import { CaseDepartmentTask } from '../entities/case-department-task.ts';
import type { HubEntityManager } from '../orm.ts';
import { concludeIfDecided } from './case-conclusion.ts';
import { recordEvent, SYSTEM_ACTOR } from './case-events.ts';
import { loadCaseForPackages, packageOf, type TransferPackage } from './case-transfer.ts';

/** One department still waiting for the owed materials of a deficiency-tolerant case (容缺补交). */
export interface PendingSupplement {
  task: CaseDepartmentTask;
  caseNumber: string;
  idempotencyKey: string;
  materials: TransferPackage['materials'];
}

/**
 * The departments that received a deficiency-tolerant case before its owed materials arrived, with
 * those materials (as a package would carry them). None until nothing is owed any more.
 */
export async function pendingSupplements(em: HubEntityManager, caseId: string): Promise<PendingSupplement[]> {
  const hallCase = await loadCaseForPackages(em, caseId);
  if (!hallCase?.commitment || hallCase.status === 'accepted_with_deficiency') return [];
  const owed = new Set(hallCase.commitment.materialCodes);
  const tasks = await em.find(CaseDepartmentTask, { case: caseId, supplementedAt: null });
  return tasks.map((task) => ({
    task,
    caseNumber: hallCase.number,
    idempotencyKey: `supply-${hallCase.number}-${task.departmentCode}`,
    materials: packageOf(hallCase, task.departmentCode, task.idempotencyKey).materials.filter((m) =>
      owed.has(m.code),
    ),
  }));
}

/**
 * The department holds the owed materials: the handover is on the timeline (paper ones to be signed
 * for again by the department's receiver), and the case concludes if every department has decided.
 */
export async function recordSupplement(em: HubEntityManager, supplement: PendingSupplement): Promise<void> {
  await em.transactional(async (tx) => {
    const task = await tx.findOneOrFail(CaseDepartmentTask, { id: supplement.task.id });
    if (task.supplementedAt) return;
    const paper = supplement.materials.filter((m) => m.medium === 'paper').length;
    task.supplementedAt = new Date();
    if (paper > 0) {
      // The earlier signature covered the earlier paper; the receiver signs for these too.
      task.paperCount += paper;
      task.paperSignedAt = null;
      task.paperSignedBy = null;
      task.paperSignature = null;
    }
    const hallCase = await tx.findOneOrFail(Case, { id: task.case.id });
    recordEvent(tx, hallCase, SYSTEM_ACTOR, 'supplement_handed_over', {
      department: [null, task.departmentCode],
      materials: [null, supplement.materials.map((m) => m.code).join(',')],
      paperAwaitingSignature: [null, paper],
    });
    await tx.flush();
    await concludeIfDecided(tx, hallCase);
  });
}
