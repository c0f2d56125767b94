import type { Actor } from '../actor.ts';
import { chinaDate } from '../calendar/index.ts';
import { Case } from '../entities/case.ts';
import { CaseWarning, type WarningLevel } from '../entities/case-warning.ts';
import { HubError } from '../errors.ts';
import type { HubEntityManager } from '../orm.ts';
import { emitOutbox, recordEvent, SYSTEM_ACTOR } from './case-events.ts';
import { deadlineOf } from './case-view.ts';

/**
 * Looks at every open accepted case and raises a yellow warning when it is within `yellowDays`
 * working days of its due date, a red one when it is overdue. Each level is raised once per case
 * (a unique row), goes on the case's timeline and out to the supervisors as an outbox event.
 */
export async function raiseDeadlineWarnings(
  em: HubEntityManager,
  options: { now: Date; yellowDays: number },
): Promise<{ checked: number; raised: { caseNumber: string; level: WarningLevel }[] }> {
  const today = chinaDate(options.now);
  const cases = (await em.find(
    Case,
    { status: { $in: ['accepted', 'accepted_with_deficiency'] } },
    { populate: ['suspensions', 'hall'], limit: 10_000 },
  )) as Case[];
  const existing = await em.find(CaseWarning, { case: { $in: cases.map((c) => c.id) } });
  const raisedBefore = new Set(
    existing.filter((w) => w.scope === 'case').map((w) => `${w.case.id}:${w.level}`),
  );
  const raised: { caseNumber: string; level: WarningLevel }[] = [];
  for (const hallCase of cases) {
    const deadline = deadlineOf(hallCase, today);
    if (!deadline || deadline.suspendedNow) continue;
    const level: WarningLevel | null = deadline.overdue
      ? 'red'
      : deadline.remainingWorkingDays <= options.yellowDays
        ? 'yellow'
        : null;
    if (!level || raisedBefore.has(`${hallCase.id}:${level}`)) continue;
    const created = await em.transactional(async (tx) => {
      const rows = await tx.execute<{ id: number }[]>(
        `insert into case_warning (case_id, hall_code, level, due_date, remaining_working_days, raised_at)
         values (?, ?, ?, ?, ?, ?) on conflict (case_id, scope, level) do nothing returning id`,
        [
          hallCase.id,
          hallCase.hall.code,
          level,
          deadline.dueDate,
          deadline.remainingWorkingDays,
          options.now,
        ],
      );
      if (rows.length === 0) return false;
      const fresh = await tx.findOneOrFail(Case, { id: hallCase.id });
      recordEvent(tx, fresh, SYSTEM_ACTOR, level === 'red' ? 'overdue_warning' : 'deadline_warning', {
        warning: [null, level],
        dueDate: [null, deadline.dueDate],
      });
      emitOutbox(tx, 'case.warning', hallCase.id, {
        caseNumber: hallCase.number,
        level,
        hallCode: hallCase.hall.code,
        dueDate: deadline.dueDate,
      });
      return true;
    });
    if (created) raised.push({ caseNumber: hallCase.number, level });
  }
  return { checked: cases.length, raised };
}

/** Warnings of the supervisor's hall, newest first. */
export async function listWarnings(em: HubEntityManager, actor: Actor | null, level?: WarningLevel | null) {
  if (actor?.role !== 'supervisor' || !actor.hallCode)
    throw new HubError('FORBIDDEN', 'warnings are for the supervisors of the hall');
  return em.find(
    CaseWarning,
    { hallCode: actor.hallCode, ...(level ? { level } : {}) },
    { orderBy: { raisedAt: 'desc' }, limit: 500, populate: ['case'] },
  );
}
