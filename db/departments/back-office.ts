import type { Actor } from '../actor.ts';
import { nextSerial } from '../cases/case-numbers.ts';
import { DepartmentTask, type TaskStatus } from '../entities/department-task.ts';
import { badInput, HubError } from '../errors.ts';
import { forkEm, type HubEntityManager, type HubOrm } from '../orm.ts';

/** What the back office receives for a task (the kit's CasePackage, structurally). */
interface TaskPackage {
  caseNumber: string;
  departmentCode: string;
  idempotencyKey: string;
  itemCode: string;
  itemName: string;
  acceptedOn: string;
  applicant: { name: string };
  materials: { code: string; name: string; medium: string; copies: number; sha256: string | null }[];
}

/** The store behind the back-office adapter: tasks kept in the hub's database. */
export function createBackOfficeStore(orm: HubOrm) {
  return {
    async createTask(pkg: TaskPackage): Promise<{ taskId: string; created: boolean }> {
      const em = forkEm(orm);
      const rows = await em.execute<{ id: string }[]>(
        `insert into department_task (id, idempotency_key, department_code, case_number, item_code, item_name, accepted_on,
           applicant_name, materials, status, reasons, created_at, version)
         values (gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?, ?, 'pending', '[]', now(), 1)
         on conflict (idempotency_key) do nothing returning id`,
        [
          pkg.idempotencyKey,
          pkg.departmentCode,
          pkg.caseNumber,
          pkg.itemCode,
          pkg.itemName,
          pkg.acceptedOn,
          pkg.applicant.name,
          JSON.stringify(
            pkg.materials.map((m) => ({
              code: m.code,
              name: m.name,
              medium: m.medium,
              copies: m.copies,
              sha256: m.sha256,
            })),
          ),
        ],
      );
      if (rows[0]) return { taskId: rows[0].id, created: true };
      const existing = await em.findOneOrFail(DepartmentTask, { idempotencyKey: pkg.idempotencyKey });
      return { taskId: existing.id, created: false };
    },

    async decisionsSince(cursor: string | null) {
      const after = Number(cursor ?? 0);
      const tasks = await forkEm(orm).find(
        DepartmentTask,
        { decisionSeq: { $gt: Number.isFinite(after) ? after : 0 } },
        { orderBy: { decisionSeq: 'asc' }, limit: 200 },
      );
      return {
        decisions: tasks.map((t) => ({
          departmentRef: t.id,
          caseNumber: t.caseNumber,
          outcome: t.status === 'approved' ? ('approved' as const) : ('rejected' as const),
          reasons: t.reasons,
          decidedAt: t.decidedAt?.toISOString() ?? null,
          result: t.resultName && t.resultNumber ? { name: t.resultName, number: t.resultNumber } : null,
        })),
        cursor: tasks.length > 0 ? String(tasks.at(-1)!.decisionSeq) : (cursor ?? null),
      };
    },

    /**
     * The window refused the task's result (R-D2): the task is pending again, with the refusal for
     * the reviewer to read, and its next decision is pulled like the first. The same refusal twice is kept once.
     */
    async refuseResult(taskId: string, reasons: string[]): Promise<void> {
      await forkEm(orm).transactional(async (tx) => {
        const task = await tx.findOneOrFail(DepartmentTask, { id: taskId });
        if (task.status !== 'approved') return;
        task.refusals = [...(task.refusals ?? []), { at: new Date().toISOString(), reasons }];
        task.status = 'pending';
        task.decisionSeq = null;
        task.decidedAt = null;
        task.decidedBy = null;
      });
    },

    /** Owed materials supplied after acceptance (容缺补交), added to the task once per key. */
    async supplyMaterials(
      taskId: string,
      materials: { code: string; name: string; medium: string; copies: number; sha256: string | null }[],
      idempotencyKey: string,
    ): Promise<void> {
      await forkEm(orm).transactional(async (tx) => {
        const task = await tx.findOneOrFail(DepartmentTask, { id: taskId });
        if (task.materials.some((m) => m.supplement === idempotencyKey)) return;
        task.materials = [
          ...task.materials,
          ...materials.map((m) => ({
            code: m.code,
            name: m.name,
            medium: m.medium,
            copies: m.copies,
            sha256: m.sha256,
            supplement: idempotencyKey,
          })),
        ];
      });
    },

    /** How the task's result reached the applicant (R-D5); told once. */
    async recordDelivery(
      taskId: string,
      report: { method: string; deliveredAt: string; recipient: string; waybillNo: string | null },
    ): Promise<void> {
      await forkEm(orm).transactional(async (tx) => {
        const task = await tx.findOneOrFail(DepartmentTask, { id: taskId });
        task.deliveryReport ??= report;
      });
    },
  };
}

function reviewerOf(actor: Actor | null): Actor & { departmentCode: string } {
  if (actor?.role !== 'department_reviewer' || !actor.departmentCode) {
    throw new HubError('FORBIDDEN', 'department tasks are seen and decided by reviewers of their department');
  }
  return actor as Actor & { departmentCode: string };
}

/** The tasks of the reviewer's department, oldest first. */
export async function listDepartmentTasks(
  em: HubEntityManager,
  actor: Actor | null,
  status?: TaskStatus | null,
) {
  const reviewer = reviewerOf(actor);
  return em.find(
    DepartmentTask,
    { departmentCode: reviewer.departmentCode, ...(status ? { status } : {}) },
    { orderBy: { createdAt: 'asc' }, limit: 500 },
  );
}

/** A reviewer decides a pending task of their department (R-B1). */
export async function decideDepartmentTask(
  em: HubEntityManager,
  actor: Actor | null,
  input: {
    taskId: string;
    expectedVersion: number;
    approve: boolean;
    reasons: string[];
    resultNumber?: string | null;
    resultName?: string | null;
  },
): Promise<DepartmentTask> {
  const reviewer = reviewerOf(actor);
  const reasons = input.reasons.map((r) => r.trim()).filter(Boolean);
  if (!input.approve && reasons.length === 0) throw badInput('reasons', 'a rejection states its reasons');
  if (input.approve && !input.resultNumber?.trim())
    throw badInput('resultNumber', 'an approval gives the number of its result document');
  return em.transactional(async (tx) => {
    const task = /^[0-9a-f-]{36}$/i.test(input.taskId)
      ? await tx.findOne(DepartmentTask, { id: input.taskId })
      : null;
    if (!task || task.departmentCode !== reviewer.departmentCode) {
      throw new HubError('FORBIDDEN', 'no such task, or it is not your department’s');
    }
    if (task.version !== input.expectedVersion) {
      throw new HubError(
        'CONFLICT',
        `the task changed since you loaded it (version ${task.version}); reload it`,
        'expectedVersion',
      );
    }
    if (task.status !== 'pending') throw new HubError('CONFLICT', `the task is already ${task.status}`);
    task.status = input.approve ? 'approved' : 'rejected';
    task.reasons = reasons;
    task.resultNumber = input.approve ? input.resultNumber!.trim() : null;
    task.resultName = input.approve ? input.resultName?.trim() || task.itemName : null;
    task.decidedBy = reviewer.id;
    task.decidedAt = new Date();
    task.decisionSeq = await nextSerial(tx, 'back-office:decisions');
    await tx.flush();
    return task;
  });
}
