import { chinaDate, computeDeadline, hallCalendar } from '../calendar/index.ts';
import type { Case } from '../entities/case.ts';
import type { ChecklistMaterial } from '../entities/checklist-material.ts';
import type { CaseScope } from './case-access.ts';
import { checkMaterials, type MaterialCheck, type MaterialCheckEntry } from './material-check.ts';

export type CaseMaterialCheck = MaterialCheck<ChecklistMaterial>;
export type CaseMaterialCheckEntry = MaterialCheckEntry<ChecklistMaterial>;

/** What the access rules need of a case (its relations must be loaded). */
export function scopeOf(hallCase: Case): CaseScope {
  return {
    hallCode: hallCase.hall.code,
    applicantAccountId: hallCase.applicant.accountId ?? null,
    itemKind: hallCase.item.kind,
    itemDepartmentCodes: hallCase.item.departments.getItems().map((d) => d.code),
  };
}

/** The check of a case's materials against the checklist version it was submitted under. */
export function materialCheckOf(hallCase: Case): MaterialCheck<ChecklistMaterial> {
  const checklist = hallCase.itemVersion.materials.getItems();
  const presented = hallCase.materials.getItems().map((m) => ({
    checklistCode: m.checklistCode,
    failedReviewPoints: m.failedReviewPoints,
    presentedAt: m.presentedAt,
    certificateId: m.certificate?.id ?? null,
  }));
  return checkMaterials(checklist, presented);
}

/** The live deadline: promised limit from acceptance, pushed back by suspended working days. */
export function deadlineOf(hallCase: Case, today = chinaDate(new Date())) {
  if (!hallCase.acceptedOn) return null;
  return computeDeadline(hallCalendar(), {
    acceptedOn: hallCase.acceptedOn,
    limitDays: hallCase.promisedLimitDays,
    suspensions: hallCase.suspensions
      .getItems()
      .map((s) => ({ from: s.from, to: s.to ?? null, reason: s.reason })),
    today,
  });
}

/** Ends the open suspension of that reason: the clock runs again from `today`. */
export function closeSuspension(hallCase: Case, reason: string, today: string): void {
  for (const s of hallCase.suspensions.getItems()) if (s.reason === reason && s.to === null) s.to = today;
}
