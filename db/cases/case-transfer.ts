import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { chinaDate, hallCalendar } from '../calendar/index.ts';
import { Case } from '../entities/case.ts';
import { CaseDepartmentTask } from '../entities/case-department-task.ts';
import type { Routing } from '../entities/service-item-version.ts';
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
  /** How the item's departments work, as the case's checklist version declares it. */
  routing: Routing;
  /** Index in the item's department order for a sequence; 0 when the departments work at once. */
  position: number;
  /** The department's own limit in working days from its handover (major projects), or null. */
  stageLimitDays: number | null;
  pkg: TransferPackage;
}

/** Where a sequence stands: the first department (in the item's order) whose task is not approved. */
export interface SequenceStage {
  position: number;
  departmentCode: string;
  /** Its task; null when its package has not gone out yet. */
  task: CaseDepartmentTask | null;
}

/**
 * The open stage of a sequential item: each department acts on the approval of the one before it,
 * so the first department not yet approved is where the case is. null once every department approved.
 */
export function sequenceStage(
  departmentOrder: readonly string[],
  tasks: readonly CaseDepartmentTask[],
): SequenceStage | null {
  for (const [position, departmentCode] of departmentOrder.entries()) {
    const task = tasks.find((t) => t.departmentCode === departmentCode) ?? null;
    if (task?.status !== 'approved') return { position, departmentCode, task };
  }
  return null;
}

/** One task per department the item needs, keyed so a department gets each case once. */
export function taskKey(caseNumber: string, departmentCode: string): string {
  return `task-${caseNumber}-${departmentCode}`;
}

/** A case with everything its packages need, or null when there is no such case. */
export async function loadCaseForPackages(em: HubEntityManager, caseId: string): Promise<Case | null> {
  return (await em.findOne(Case, { id: caseId }, { populate: CASE_VIEW_POPULATE })) as Case | null;
}

/**
 * What deciding and building a case's transfers reads: its item's departments, checklist, applicant,
 * materials and tasks (not its timeline, documents or suspensions), one statement per relation.
 */
const TRANSFER_POPULATE = [
  'item.departments',
  'itemVersion.materials',
  'applicant',
  'materials.blob',
  'tasks',
] as const;

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
 * The departments of an accepted case whose package may go out now and has not yet (re-read each
 * time, so a job run twice sends nothing twice). Parallel items: every department at once. Sequential
 * items: the next department in the item's order, once the one before approved. A case not (or no
 * longer) accepted has none.
 */
export async function pendingTransfers(em: HubEntityManager, caseId: string): Promise<PendingTransfer[]> {
  const hallCase = (await em.findOne(
    Case,
    { id: caseId },
    {
      populate: TRANSFER_POPULATE,
      // A few departments and checklist entries: joined into the case's own statement.
      populateHints: {
        'item.departments': { strategy: 'joined' },
        'itemVersion.materials': { strategy: 'joined' },
      },
    },
  )) as Case | null;
  if (
    !hallCase ||
    !['accepted', 'accepted_with_deficiency'].includes(hallCase.status) ||
    !hallCase.acceptedOn
  )
    return [];
  // An immediate item is decided at the window by the department's chief representative (R-C1):
  // its department receives no package to decide again.
  if (hallCase.item.kind === 'immediate') return [];
  const tasks = hallCase.tasks.getItems();
  const order = hallCase.item.departments.getItems().map((d) => d.code);
  const { routing, stageLimits } = hallCase.itemVersion;
  const transfer = (departmentCode: string, position: number): PendingTransfer => ({
    hallCase,
    departmentCode,
    routing,
    position,
    stageLimitDays: stageLimits?.[departmentCode] ?? null,
    pkg: packageOf(hallCase, departmentCode, taskKey(hallCase.number, departmentCode)),
  });
  if (routing === 'sequential') {
    const stage = sequenceStage(order, tasks);
    return stage && !stage.task ? [transfer(stage.departmentCode, stage.position)] : [];
  }
  const sent = new Set(tasks.map((t) => t.departmentCode));
  return order.filter((code) => !sent.has(code)).map((code) => transfer(code, 0));
}

/**
 * Records that a department received its package: the task (its place in the sequence, its paper
 * count, and for a major project its stage due date, counted in hall working days from the handover)
 * and the electronic handover on the case's timeline (window → department), in one transaction.
 */
export async function recordTransfer(
  em: HubEntityManager,
  transfer: PendingTransfer,
  result: { adapter: string; departmentRef: string },
  handedOverAt: Date = new Date(),
): Promise<void> {
  try {
    await writeTransfer(em, transfer, result, handedOverAt);
  } catch (error) {
    // Recorded already (a job run twice): the task's unique key refuses the second, and its transaction
    // writes nothing. Checked by the key rather than by reading for the task first: one statement less.
    if (
      error instanceof UniqueConstraintViolationException &&
      error.message.includes('case_department_task_idempotency_key_unique')
    )
      return;
    throw error;
  }
}

async function writeTransfer(
  em: HubEntityManager,
  transfer: PendingTransfer,
  result: { adapter: string; departmentRef: string },
  handedOverAt: Date,
): Promise<void> {
  await em.transactional(async (tx) => {
    const hallCase = await tx.findOneOrFail(Case, { id: transfer.hallCase.id });
    const paper = transfer.pkg.materials.filter((m) => m.medium === 'paper').length;
    const dueOn =
      transfer.stageLimitDays === null
        ? null
        : hallCalendar().addWorkingDays(chinaDate(handedOverAt), transfer.stageLimitDays).date;
    tx.create(CaseDepartmentTask, {
      case: hallCase,
      departmentCode: transfer.departmentCode,
      adapter: result.adapter,
      idempotencyKey: transfer.pkg.idempotencyKey,
      status: 'transferred',
      departmentRef: result.departmentRef,
      transferredAt: handedOverAt,
      decidedAt: null,
      position: transfer.position,
      dueOn,
      paperCount: paper,
      // Owed materials (容缺) follow when they arrive; a package sent with nothing owed is complete.
      supplementedAt: hallCase.status === 'accepted_with_deficiency' ? null : handedOverAt,
    });
    recordEvent(tx, hallCase, SYSTEM_ACTOR, 'handed_over', {
      department: [null, transfer.departmentCode],
      via: [null, result.adapter],
      departmentRef: [null, result.departmentRef],
      materials: [null, transfer.pkg.materials.length],
      paperAwaitingSignature: [null, paper],
      ...(transfer.routing === 'sequential' ? { position: [null, transfer.position] } : {}),
      ...(dueOn ? { dueOn: [null, dueOn] } : {}),
    });
  });
}
