import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { chinaDate, hallCalendar } from '../calendar/index.ts';
import { Case, type CaseStatus } from '../entities/case.ts';
import type { CaseDepartmentTask } from '../entities/case-department-task.ts';
import type { ItemKind } from '../entities/service-item.ts';
import type { Routing } from '../entities/service-item-version.ts';
import type { HubEntityManager } from '../orm.ts';
import { chainedEvent, SYSTEM_ACTOR } from './case-events.ts';
import { CASE_VIEW_POPULATE } from './case-queries.ts';
import { type ChecklistEntry, checkMaterials, type PresentedMaterial } from './material-check.ts';

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

/**
 * A case's state as a handover writes against it: its status, audit chain head and version. A
 * handover starts from the one its transfer's read saw and moves it on when it writes, so the next
 * department's handover of the same case starts from there; one found stale is read again.
 */
export interface CaseHead {
  status: CaseStatus;
  eventCount: number;
  auditHead: string | null;
  version: number;
}

export interface PendingTransfer {
  caseId: string;
  /** The case as last known, shared by the transfers of one read (see {@link CaseHead}). */
  head: CaseHead;
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
export interface SequenceStage<T extends { departmentCode: string; status: string } = CaseDepartmentTask> {
  position: number;
  departmentCode: string;
  /** Its task; null when its package has not gone out yet. */
  task: T | null;
}

/**
 * The open stage of a sequential item: each department acts on the approval of the one before it,
 * so the first department not yet approved is where the case is. null once every department approved.
 */
export function sequenceStage<T extends { departmentCode: string; status: string }>(
  departmentOrder: readonly string[],
  tasks: readonly T[],
): SequenceStage<T> | null {
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

/** A material as presented, with what its package entry says of it. */
interface PackageMaterial extends PresentedMaterial {
  medium: 'paper' | 'electronic';
  copies: number;
  sha256: string | null;
  mediaType: string | null;
}

/** What a case's packages are made of, whether read as entities or as one row. */
interface PackageFacts {
  caseNumber: string;
  itemCode: string;
  itemName: string;
  acceptedOn: string | null;
  receivedOn: string;
  applicant: TransferPackage['applicant'];
  /** The checklist of the case's item version, in its order. */
  checklist: readonly ChecklistEntry[];
  /** The materials presented, in the case's order. */
  materials: readonly PackageMaterial[];
}

function packageFrom(facts: PackageFacts, departmentCode: string, idempotencyKey: string): TransferPackage {
  const check = checkMaterials(facts.checklist, facts.materials);
  const materials = check.entries
    .filter((e) => e.latest)
    .map((e) => {
      const presented = facts.materials.filter((m) => m.checklistCode === e.entry.code).at(-1)!;
      return {
        code: e.entry.code,
        name: e.entry.name,
        medium: presented.medium,
        copies: presented.copies,
        sha256: presented.sha256,
        mediaType: presented.mediaType,
      };
    });
  return {
    caseNumber: facts.caseNumber,
    departmentCode,
    idempotencyKey,
    itemCode: facts.itemCode,
    itemName: facts.itemName,
    acceptedOn: facts.acceptedOn ?? facts.receivedOn,
    applicant: facts.applicant,
    materials,
  };
}

/** The package a department (or the platform) receives for a case: metadata, applicant, materials. */
export function packageOf(hallCase: Case, departmentCode: string, idempotencyKey: string): TransferPackage {
  return packageFrom(
    {
      caseNumber: hallCase.number,
      itemCode: hallCase.item.code,
      itemName: hallCase.item.name,
      acceptedOn: hallCase.acceptedOn ?? null,
      receivedOn: hallCase.receivedOn,
      applicant: {
        name: hallCase.applicant.name,
        idType: hallCase.applicant.idType,
        idNumber: hallCase.applicant.idNumber,
      },
      checklist: hallCase.itemVersion.materials.getItems(),
      materials: hallCase.materials.getItems().map((m) => ({
        checklistCode: m.checklistCode,
        failedReviewPoints: m.failedReviewPoints,
        presentedAt: m.presentedAt,
        certificateId: m.certificate?.id ?? null,
        medium: m.medium,
        copies: m.copies,
        sha256: m.blob?.sha256 ?? null,
        mediaType: m.blob?.mediaType ?? null,
      })),
    },
    departmentCode,
    idempotencyKey,
  );
}

/** The columns of a case's head, as read. */
interface HeadRow {
  status: CaseStatus;
  event_count: number;
  audit_head: string | null;
  version: number;
}

function headOf(row: HeadRow): CaseHead {
  return { status: row.status, eventCount: row.event_count, auditHead: row.audit_head, version: row.version };
}

/** One row: what deciding and building a case's transfers reads. */
interface TransferRow extends HeadRow {
  id: string;
  number: string;
  accepted_on: string | null;
  received_on: string;
  item_code: string;
  item_name: string;
  item_kind: ItemKind;
  routing: Routing;
  stage_limits: Record<string, number> | null;
  applicant_name: string;
  applicant_id_type: 'citizen_id' | 'credit_code';
  applicant_id_number: string;
  /** The item's departments in the catalogue's order. */
  departments: string[];
  checklist: ChecklistEntry[];
  materials: (Omit<PackageMaterial, 'presentedAt'> & { presentedAt: string })[];
  tasks: { departmentCode: string; status: string }[];
}

/**
 * The departments of an accepted case whose package may go out now and has not yet (re-read each
 * time, so a job run twice sends nothing twice). Parallel items: every department at once. Sequential
 * items: the next department in the item's order, once the one before approved. A case not (or no
 * longer) accepted has none.
 */
export async function pendingTransfers(em: HubEntityManager, caseId: string): Promise<PendingTransfer[]> {
  // The case, its item's departments and routing, its checklist, applicant, materials and tasks in one
  // statement (`hub_transfer_facts`, db/migrations/Migration20261126063000.ts), as plain values: a
  // transfer job builds packages from them and changes nothing, so no entity is made (each job would
  // otherwise hydrate some twenty-five, most of the job's own CPU).
  const [{ facts: row } = { facts: null }] = await em.execute<{ facts: TransferRow | null }[]>(
    'select hub_transfer_facts(?) as facts',
    [caseId],
  );
  if (!row || !['accepted', 'accepted_with_deficiency'].includes(row.status) || !row.accepted_on) return [];
  // An immediate item is decided at the window by the department's chief representative (R-C1):
  // its department receives no package to decide again.
  if (row.item_kind === 'immediate') return [];
  const facts: PackageFacts = {
    caseNumber: row.number,
    itemCode: row.item_code,
    itemName: row.item_name,
    acceptedOn: row.accepted_on,
    receivedOn: row.received_on,
    applicant: { name: row.applicant_name, idType: row.applicant_id_type, idNumber: row.applicant_id_number },
    checklist: row.checklist,
    materials: row.materials.map((m) => ({ ...m, presentedAt: new Date(m.presentedAt) })),
  };
  const head = headOf(row);
  const transfer = (departmentCode: string, position: number): PendingTransfer => ({
    caseId: row.id,
    head,
    departmentCode,
    routing: row.routing,
    position,
    stageLimitDays: row.stage_limits?.[departmentCode] ?? null,
    pkg: packageFrom(facts, departmentCode, taskKey(row.number, departmentCode)),
  });
  if (row.routing === 'sequential') {
    const stage = sequenceStage(row.departments, row.tasks);
    return stage && !stage.task ? [transfer(stage.departmentCode, stage.position)] : [];
  }
  const sent = new Set(row.tasks.map((t) => t.departmentCode));
  return row.departments.filter((code) => !sent.has(code)).map((code) => transfer(code, 0));
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

/** How often a handover is written again after the case changed between its read and its write. */
const WRITE_ATTEMPTS = 5;

/**
 * The handover in one statement (atomic on its own; `hub_write_handover`,
 * db/migrations/Migration20261126063000.ts): the case's version-checked update to its new audit head,
 * the task and the timeline event, the last two only when the update found the version the transfer
 * was built from. One round trip while the case is unchanged, against six through the unit of work,
 * and no entity made: the transfer job's most frequent write. The task's unique key refuses a second
 * handover as a whole.
 */
async function writeTransfer(
  em: HubEntityManager,
  transfer: PendingTransfer,
  result: { adapter: string; departmentRef: string },
  handedOverAt: Date,
): Promise<void> {
  const paper = transfer.pkg.materials.filter((m) => m.medium === 'paper').length;
  const dueOn =
    transfer.stageLimitDays === null
      ? null
      : hallCalendar().addWorkingDays(chinaDate(handedOverAt), transfer.stageLimitDays).date;
  const changes: Record<string, [unknown, unknown]> = {
    department: [null, transfer.departmentCode],
    via: [null, result.adapter],
    departmentRef: [null, result.departmentRef],
    materials: [null, transfer.pkg.materials.length],
    paperAwaitingSignature: [null, paper],
    ...(transfer.routing === 'sequential' ? { position: [null, transfer.position] } : {}),
    ...(dueOn ? { dueOn: [null, dueOn] } : {}),
  };
  const head = transfer.head;
  for (let attempt = 1; ; attempt++) {
    if (attempt > 1) {
      const [row] = await em.execute<HeadRow[]>(
        'select status, event_count, audit_head, version from hall_case where id = ?',
        [transfer.caseId],
      );
      if (!row) throw new Error(`case ${transfer.caseId} does not exist; its handover cannot be recorded`);
      Object.assign(head, headOf(row));
    }
    const event = chainedEvent(
      { id: transfer.caseId, eventCount: head.eventCount, auditHead: head.auditHead },
      SYSTEM_ACTOR,
      'handed_over',
      changes,
      { at: handedOverAt },
    );
    const [written] = await em.execute<{ moved: number }[]>(
      `select hub_write_handover(${Array(22).fill('?').join(', ')}) as moved`,
      [
        transfer.caseId,
        head.version,
        event.seq,
        event.hash,
        new Date(),
        randomUUID(),
        transfer.departmentCode,
        result.adapter,
        transfer.pkg.idempotencyKey,
        result.departmentRef,
        handedOverAt,
        transfer.position,
        dueOn,
        paper,
        // Owed materials (容缺) follow when they arrive; a package sent with nothing owed is complete.
        head.status === 'accepted_with_deficiency' ? null : handedOverAt,
        event.at,
        event.actorId,
        event.actorRole,
        event.type,
        JSON.stringify(event.changes),
        event.prevHash,
        event.hash,
      ],
    );
    if (written?.moved === 1) {
      Object.assign(head, { eventCount: event.seq, auditHead: event.hash, version: head.version + 1 });
      return;
    }
    // The case changed since it was read (a clerk's step, a decision arriving, the department call
    // took a while): read its head again.
    if (attempt === WRITE_ATTEMPTS)
      throw new Error(
        `case ${transfer.caseId} kept changing; its handover to ${transfer.departmentCode} is retried later`,
      );
  }
}
