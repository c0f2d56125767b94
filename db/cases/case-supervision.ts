import type { Actor } from '../actor.ts';
import { chinaDate, hallCalendar } from '../calendar/index.ts';
import { Case } from '../entities/case.ts';
import { CaseDepartmentTask } from '../entities/case-department-task.ts';
import { CaseWarning, type WarningLevel } from '../entities/case-warning.ts';
import { HubError } from '../errors.ts';
import type { HubEntityManager } from '../orm.ts';
import { emitOutbox, recordEvent, SYSTEM_ACTOR } from './case-events.ts';
import { deadlineOf } from './case-view.ts';

/** Cases whose clock runs: accepted and not concluded. */
const OPEN_CASE_STATUSES = ['accepted', 'accepted_with_deficiency'] as const;

/** A task is still with its department while it is transferred, or its result was sent back (R-D2). */
const WITH_DEPARTMENT = ['transferred', 'result_refused'] as const;

/** The `scope` of a warning on the case's own deadline; a stage warning's scope is the department code. */
export const CASE_SCOPE = 'case';

export interface RaisedWarning {
  caseNumber: string;
  level: WarningLevel;
  /** The department whose stage is late; null for the case's own deadline. */
  department: string | null;
}

/** Where a department's stage (督办) stands on `today`: its due date, working days left, overdue. */
export interface StageDeadline {
  dueOn: string;
  /** Working days in (today, dueOn]; negative (working days in (dueOn, today]) once past due. */
  remainingWorkingDays: number;
  /** Past its due date while the department still holds the task. */
  overdue: boolean;
}

/**
 * The stage deadline of a task with a due date (major projects), counted on the hall calendar; null
 * for a task without one. A stage runs from the department's own handover, so the applicant's
 * suspensions of the case clock do not move it.
 */
export function stageDeadlineOf(
  task: CaseDepartmentTask,
  today = chinaDate(new Date()),
): StageDeadline | null {
  if (!task.dueOn) return null;
  const calendar = hallCalendar();
  const remaining =
    today <= task.dueOn
      ? calendar.workingDaysBetween(today, task.dueOn)
      : -calendar.workingDaysBetween(task.dueOn, today);
  const withDepartment = (WITH_DEPARTMENT as readonly string[]).includes(task.status);
  // `+ 0` turns -0 (past due by a weekend only) into 0.
  return {
    dueOn: task.dueOn,
    remainingWorkingDays: remaining + 0,
    overdue: withDepartment && today > task.dueOn,
  };
}

function levelOf(overdue: boolean, remainingWorkingDays: number, yellowDays: number): WarningLevel | null {
  if (overdue) return 'red';
  return remainingWorkingDays <= yellowDays ? 'yellow' : null;
}

/**
 * Electronic supervision (电子监察) over every open accepted case: a yellow warning when the case is
 * within `yellowDays` working days of its due date, a red one when it is overdue; and the same for
 * each department stage of a major project (全程督办) while the department still holds its task.
 * Each level is raised once per case and scope (a unique row), goes on the case's timeline and out to
 * the supervisors as a `case.warning` outbox event.
 */
export async function raiseDeadlineWarnings(
  em: HubEntityManager,
  options: { now: Date; yellowDays: number },
): Promise<{ checked: number; stagesChecked: number; raised: RaisedWarning[] }> {
  const today = chinaDate(options.now);
  const cases = (await em.find(
    Case,
    { status: { $in: [...OPEN_CASE_STATUSES] } },
    { populate: ['suspensions', 'hall'], limit: 10_000 },
  )) as Case[];
  const stages = (await em.find(
    CaseDepartmentTask,
    {
      case: { status: { $in: [...OPEN_CASE_STATUSES] } },
      dueOn: { $ne: null },
      status: { $in: [...WITH_DEPARTMENT] },
    },
    { populate: ['case.hall'], orderBy: { case: { number: 'asc' }, position: 'asc' }, limit: 10_000 },
  )) as CaseDepartmentTask[];
  const existing = await em.find(CaseWarning, {
    case: { $in: [...new Set([...cases.map((c) => c.id), ...stages.map((t) => t.case.id)])] },
  });
  const raisedBefore = new Set(existing.map((w) => `${w.case.id}:${w.scope}:${w.level}`));
  const raised: RaisedWarning[] = [];

  const raise = async (
    hallCase: Case,
    scope: string,
    level: WarningLevel,
    dueDate: string,
    remaining: number,
  ) => {
    if (raisedBefore.has(`${hallCase.id}:${scope}:${level}`)) return;
    const department = scope === CASE_SCOPE ? null : scope;
    const created = await em.transactional(async (tx) => {
      const rows = await tx.execute<{ id: number }[]>(
        `insert into case_warning (case_id, hall_code, scope, level, due_date, remaining_working_days, raised_at)
         values (?, ?, ?, ?, ?, ?, ?) on conflict (case_id, scope, level) do nothing returning id`,
        [hallCase.id, hallCase.hall.code, scope, level, dueDate, remaining, options.now],
      );
      if (rows.length === 0) return false;
      const fresh = await tx.findOneOrFail(Case, { id: hallCase.id });
      const type = department
        ? level === 'red'
          ? 'stage_overdue_warning'
          : 'stage_deadline_warning'
        : level === 'red'
          ? 'overdue_warning'
          : 'deadline_warning';
      recordEvent(tx, fresh, SYSTEM_ACTOR, type, {
        warning: [null, level],
        dueDate: [null, dueDate],
        ...(department ? { department: [null, department] } : {}),
      });
      emitOutbox(tx, 'case.warning', hallCase.id, {
        caseNumber: hallCase.number,
        level,
        hallCode: hallCase.hall.code,
        dueDate,
        department,
      });
      return true;
    });
    if (created) raised.push({ caseNumber: hallCase.number, level, department });
  };

  for (const hallCase of cases) {
    const deadline = deadlineOf(hallCase, today);
    if (!deadline || deadline.suspendedNow) continue;
    const level = levelOf(deadline.overdue, deadline.remainingWorkingDays, options.yellowDays);
    if (level) await raise(hallCase, CASE_SCOPE, level, deadline.dueDate, deadline.remainingWorkingDays);
  }
  for (const task of stages) {
    const stage = stageDeadlineOf(task, today)!;
    const level = levelOf(stage.overdue, stage.remainingWorkingDays, options.yellowDays);
    if (level) await raise(task.case, task.departmentCode, level, stage.dueOn, stage.remainingWorkingDays);
  }
  return { checked: cases.length, stagesChecked: stages.length, raised };
}

/** Warnings of the supervisor's hall, newest first: the cases' own and their departments' stages. */
export async function listWarnings(em: HubEntityManager, actor: Actor | null, level?: WarningLevel | null) {
  if (actor?.role !== 'supervisor' || !actor.hallCode)
    throw new HubError('FORBIDDEN', 'warnings are for the supervisors of the hall');
  return em.find(
    CaseWarning,
    { hallCode: actor.hallCode, ...(level ? { level } : {}) },
    { orderBy: { raisedAt: 'desc', id: 'desc' }, limit: 500, populate: ['case'] },
  );
}
