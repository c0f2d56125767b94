import { Case } from '../entities/case.ts';
import { CaseDepartmentTask } from '../entities/case-department-task.ts';
import type { HubEntityManager } from '../orm.ts';
import { recordEvent, SYSTEM_ACTOR } from './case-events.ts';
import { CASE_VIEW_POPULATE } from './case-queries.ts';
import { materialCheckOf } from './case-view.ts';

/** A department package as adapters receive it (the kit's CasePackage, structurally). */
export interface TransferPackage {
  caseNumber: string;
  departmentCode: string;
  idempotencyKey: string;
  itemCode: string;
  itemName: string;
  acceptedOn: string;
  applicant: { name: string; idType: 'citizen_id' | 'credit_code'; idNumber: string };
  materials: {
    code: string;
    name: string;
    medium: 'paper' | 'electronic';
    copies: number;
    sha256: string | null;
    mediaType: string | null;
  }[];
}

export interface PendingTransfer {
  hallCase: Case;
  departmentCode: string;
  pkg: TransferPackage;
}

/** One task per department the item needs, keyed so a department gets each case once. */
export function taskKey(caseNumber: string, departmentCode: string): string {
  return `task-${caseNumber}-${departmentCode}`;
}

/**
 * The departments of an accepted case whose package has not gone out yet (re-read each time, so a
 * job run twice sends nothing twice). A case not (or no longer) accepted has none.
 */
/** A case with everything its packages need, or null when there is no such case. */
export async function loadCaseForPackages(em: HubEntityManager, caseId: string): Promise<Case | null> {
  return (await em.findOne(Case, { id: caseId }, { populate: CASE_VIEW_POPULATE })) as Case | null;
}

/** The package a department (or the platform) receives for a case: metadata, applicant, materials. */
export function packageOf(hallCase: Case, departmentCode: string, idempotencyKey: string): TransferPackage {
  const check = materialCheckOf(hallCase);
  const materials = check.entries
    .filter((e) => e.latest)
    .map((e) => {
      const presented = hallCase.materials
        .getItems()
        .filter((m) => m.checklistCode === e.entry.code)
        .at(-1)!;
      return {
        code: e.entry.code,
        name: e.entry.name,
        medium: presented.medium,
        copies: presented.copies,
        sha256: presented.blob?.sha256 ?? null,
        mediaType: presented.blob?.mediaType ?? null,
      };
    });
  return {
    caseNumber: hallCase.number,
    departmentCode,
    idempotencyKey,
    itemCode: hallCase.item.code,
    itemName: hallCase.item.name,
    acceptedOn: hallCase.acceptedOn ?? hallCase.receivedOn,
    applicant: {
      name: hallCase.applicant.name,
      idType: hallCase.applicant.idType,
      idNumber: hallCase.applicant.idNumber,
    },
    materials,
  };
}

/**
 * The departments of an accepted case whose package has not gone out yet (re-read each time, so a
 * job run twice sends nothing twice). A case not (or no longer) accepted has none.
 */
export async function pendingTransfers(em: HubEntityManager, caseId: string): Promise<PendingTransfer[]> {
  const hallCase = await loadCaseForPackages(em, caseId);
  if (
    !hallCase ||
    !['accepted', 'accepted_with_deficiency'].includes(hallCase.status) ||
    !hallCase.acceptedOn
  )
    return [];
  const sent = new Set((await em.find(CaseDepartmentTask, { case: hallCase })).map((t) => t.departmentCode));
  return hallCase.item.departments
    .getItems()
    .filter((d) => !sent.has(d.code))
    .map((d) => ({
      hallCase,
      departmentCode: d.code,
      pkg: packageOf(hallCase, d.code, taskKey(hallCase.number, d.code)),
    }));
}

/**
 * Records that a department received its package: the task and the electronic handover on the
 * case's timeline (window → department), in one transaction.
 */
export async function recordTransfer(
  em: HubEntityManager,
  transfer: PendingTransfer,
  result: { adapter: string; departmentRef: string },
): Promise<void> {
  await em.transactional(async (tx) => {
    const hallCase = await tx.findOneOrFail(Case, { id: transfer.hallCase.id });
    const existing = await tx.findOne(CaseDepartmentTask, { idempotencyKey: transfer.pkg.idempotencyKey });
    if (existing) return;
    tx.create(CaseDepartmentTask, {
      case: hallCase,
      departmentCode: transfer.departmentCode,
      adapter: result.adapter,
      idempotencyKey: transfer.pkg.idempotencyKey,
      status: 'transferred',
      departmentRef: result.departmentRef,
      transferredAt: new Date(),
      decidedAt: null,
    });
    const paper = transfer.pkg.materials.filter((m) => m.medium === 'paper').length;
    recordEvent(tx, hallCase, SYSTEM_ACTOR, 'handed_over', {
      department: [null, transfer.departmentCode],
      via: [null, result.adapter],
      departmentRef: [null, result.departmentRef],
      materials: [null, transfer.pkg.materials.length],
      paperAwaitingSignature: [null, paper],
    });
  });
}
