import { Case } from '../entities/case.ts';
import { CaseDepartmentTask } from '../entities/case-department-task.ts';
import type { HubEntityManager } from '../orm.ts';
import { emitOutbox, recordEvent, SYSTEM_ACTOR } from './case-events.ts';
import { sequenceStage } from './case-transfer.ts';
import { type ReturnedResult, resultFingerprint, resultMismatches } from './result-check.ts';

/** A department's decision as adapters map it (the kit's DepartmentDecision, structurally). */
export interface IncomingDecision {
  departmentRef: string;
  caseNumber: string;
  outcome: 'approved' | 'rejected' | 'in_review';
  reasons: string[];
  decidedAt: string | null;
  result: ReturnedResult | null;
}

/**
 * Concludes a case once its departments have decided (R-B2). Parallel items: when every department
 * decided — approved when all approved, denied when any rejected. Sequential items: a rejection
 * concludes the case denied at once, and the departments after it are never asked (the timeline says
 * which); an approval with departments still to come completes a stage instead, and
 * `case.stage_completed` sends the next department its package. A result the window refused back is
 * no decision (a new one follows). A deficiency-tolerant case waits — its decisions are a simulated
 * approval until the owed materials arrive (R-B4) — though its sequence moves on meanwhile.
 */
export async function concludeIfDecided(tx: HubEntityManager, hallCase: Case): Promise<boolean> {
  if (hallCase.status !== 'accepted' && hallCase.status !== 'accepted_with_deficiency') return false;
  await tx.populate(hallCase, ['item.departments', 'itemVersion']);
  const tasks = await tx.find(CaseDepartmentTask, { case: hallCase });
  const needed = hallCase.item.departments.getItems().map((d) => d.code);
  const isDecided = (t: CaseDepartmentTask) => t.status === 'approved' || t.status === 'rejected';
  let notAsked: string[] = [];
  if (hallCase.itemVersion.routing === 'sequential') {
    const stage = sequenceStage(needed, tasks);
    if (stage && stage.task?.status !== 'rejected') {
      if (!stage.task && stage.position > 0) {
        emitOutbox(tx, 'case.stage_completed', hallCase.id, {
          caseNumber: hallCase.number,
          department: needed[stage.position - 1],
          next: stage.departmentCode,
        });
      }
      return false;
    }
    if (stage) notAsked = needed.slice(stage.position + 1);
  } else if (needed.some((code) => !tasks.some((t) => t.departmentCode === code && isDecided(t)))) {
    return false;
  }
  if (hallCase.status !== 'accepted') return false;
  // A deficiency-tolerant case's decisions were simulated approvals: they stand once every department
  // holds the owed materials too (R-B4).
  if (hallCase.commitment && tasks.some((t) => !t.supplementedAt)) return false;
  const decided = needed.flatMap((code) => tasks.filter((t) => t.departmentCode === code && isDecided(t)));
  const approved = decided.every((t) => t.status === 'approved');
  const to = approved ? 'approved' : 'denied';
  hallCase.status = to;
  recordEvent(tx, hallCase, SYSTEM_ACTOR, 'concluded', {
    status: ['accepted', to],
    departments: [null, decided.map((t) => `${t.departmentCode}:${t.status}`).join(',')],
    ...(notAsked.length > 0 ? { notAsked: [null, notAsked.join(',')] } : {}),
  });
  emitOutbox(tx, 'case.concluded', hallCase.id, { caseNumber: hallCase.number, approved });
  return true;
}

export interface AppliedDecisions {
  applied: number;
  /** Repeats and out-of-date messages for tasks already decided. */
  ignored: number;
  /**
   * Decisions for references the hub has not recorded (yet): a department can answer before the
   * hub has stored its reference, so the caller keeps these to apply again later instead of losing them.
   */
  unknown: IncomingDecision[];
}

/**
 * Applies decisions from one adapter. Each applies once: a decision for a task already decided (a
 * repeat, or an out-of-date message) is ignored; one for a reference not recorded yet is returned.
 */
export async function applyDepartmentDecisions(
  em: HubEntityManager,
  adapter: string,
  decisions: readonly IncomingDecision[],
): Promise<AppliedDecisions> {
  let applied = 0;
  let ignored = 0;
  const unknown: IncomingDecision[] = [];
  for (const decision of decisions) {
    if (decision.outcome === 'in_review') {
      ignored++;
      continue;
    }
    // Nested in a caller's transaction this is a savepoint on the same connection (PGlite has one).
    const done = await em.transactional(async (tx): Promise<boolean | 'unknown'> => {
      const task = await tx.findOne(
        CaseDepartmentTask,
        { adapter, departmentRef: decision.departmentRef },
        { populate: ['case'] },
      );
      if (!task) return 'unknown';
      if (task.status !== 'transferred' && task.status !== 'result_refused') return false;
      const hallCase = await tx.findOneOrFail(
        Case,
        { id: task.case.id },
        { populate: ['applicant', 'item'] },
      );
      if (decision.outcome === 'approved' && decision.result) {
        // A result sent again after the window refused it is the same mistake, not a new decision.
        const fingerprint = resultFingerprint(decision.result);
        if (task.resultRefusals?.some((r) => r.fingerprint === fingerprint)) return false;
        const mismatches = resultMismatches(hallCase, decision.result);
        if (mismatches.length > 0) {
          refuseResult(tx, hallCase, task, mismatches, fingerprint);
          return true;
        }
      }
      task.status = decision.outcome as 'approved' | 'rejected';
      task.decidedAt = decision.decidedAt ? new Date(decision.decidedAt) : new Date();
      task.reasons = decision.reasons;
      task.resultName = decision.result?.name ?? null;
      task.resultNumber = decision.result?.number ?? null;
      task.resultHolderName = decision.result?.holder?.name ?? null;
      recordEvent(tx, hallCase, SYSTEM_ACTOR, 'department_decided', {
        department: [null, task.departmentCode],
        outcome: [null, task.status],
        ...(task.resultNumber ? { result: [null, `${task.resultName} ${task.resultNumber}`] } : {}),
      });
      await tx.flush();
      await concludeIfDecided(tx, hallCase);
      return true;
    });
    if (done === 'unknown') unknown.push(decision);
    else if (done) applied++;
    else ignored++;
  }
  return { applied, ignored, unknown };
}

/**
 * The window refuses a result back to its department (R-D2): the task waits for a new decision, the
 * refusal is on the timeline, and the `refuse-result` job tells the department (outbox, so it is told
 * even if the process stops now).
 */
function refuseResult(
  tx: HubEntityManager,
  hallCase: Case,
  task: CaseDepartmentTask,
  reasons: string[],
  fingerprint: string,
): void {
  task.status = 'result_refused';
  task.resultRefusals = [
    ...(task.resultRefusals ?? []),
    { at: new Date().toISOString(), reasons, fingerprint, toldAt: null },
  ];
  recordEvent(tx, hallCase, SYSTEM_ACTOR, 'result_refused', {
    department: [null, task.departmentCode],
    reasons: [null, reasons.join('；')],
  });
  emitOutbox(tx, 'task.result_refused', hallCase.id, {
    caseNumber: hallCase.number,
    department: task.departmentCode,
  });
}
