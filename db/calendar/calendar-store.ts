import type { Actor } from '../actor.ts';
import { HolidaySchedule } from '../entities/holiday-schedule.ts';
import { badInput, HubError } from '../errors.ts';
import type { HubEntityManager } from '../orm.ts';
import { HOLIDAY_SCHEDULES, type HolidaySchedule as ScheduleData } from './holiday-schedules.ts';
import { activateCalendar, hallCalendar } from './index.ts';
import { WorkingDayCalendar } from './working-day-calendar.ts';

function toData(row: HolidaySchedule): ScheduleData {
  return {
    year: row.year,
    holidays: row.holidays,
    adjustedWorkdays: row.adjustedWorkdays,
    source: row.source,
  };
}

/** Writes the schedules shipped with the hub for years the database does not have yet. */
export async function seedHolidaySchedules(em: HubEntityManager): Promise<number> {
  let added = 0;
  for (const s of HOLIDAY_SCHEDULES) {
    const rows = await em.execute<{ year: number }[]>(
      `insert into holiday_schedule (year, holidays, adjusted_workdays, source, published_at, published_by)
       values (?, ?, ?, ?, now(), 'hub') on conflict (year) do nothing returning year`,
      [s.year, JSON.stringify(s.holidays), JSON.stringify(s.adjustedWorkdays), s.source],
    );
    added += rows.length;
  }
  return added;
}

/** Builds the calendar from the database and makes it the one the hub counts on. */
export async function loadHolidayCalendar(em: HubEntityManager): Promise<WorkingDayCalendar> {
  const rows = await em.find(HolidaySchedule, {}, { orderBy: { year: 'asc' } });
  const calendar = new WorkingDayCalendar(rows.map(toData));
  activateCalendar(calendar);
  return calendar;
}

export async function listHolidaySchedules(em: HubEntityManager): Promise<HolidaySchedule[]> {
  return em.find(HolidaySchedule, {}, { orderBy: { year: 'asc' } });
}

/**
 * Publishes the schedule of a new year when the State Council's notice appears (supervisors). The
 * year is checked as a whole (dates inside the year, adjusted working days on weekends, no date both)
 * before anything is written; a published year is not changed afterwards.
 */
export async function publishHolidaySchedule(
  em: HubEntityManager,
  actor: Actor | null,
  input: ScheduleData,
): Promise<HolidaySchedule> {
  if (actor?.role !== 'supervisor')
    throw new HubError('FORBIDDEN', 'holiday schedules are published by a supervisor');
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100)
    throw badInput('year', 'a year from 2000 to 2100');
  if (!input.source.trim()) throw badInput('source', 'name the notice the schedule comes from');
  const schedule: ScheduleData = {
    year: input.year,
    holidays: [...new Set(input.holidays)].sort(),
    adjustedWorkdays: [...new Set(input.adjustedWorkdays)].sort(),
    source: input.source.trim(),
  };
  return em.transactional(async (tx) => {
    const rows = await tx.find(HolidaySchedule, {});
    if (rows.some((r) => r.year === schedule.year)) {
      throw new HubError(
        'CONFLICT',
        `the ${schedule.year} schedule is already published; a published year is not changed`,
        'year',
      );
    }
    let calendar: WorkingDayCalendar;
    try {
      calendar = new WorkingDayCalendar([...rows.map(toData), schedule]);
    } catch (error) {
      throw badInput('holidays', (error as Error).message);
    }
    const row = tx.create(HolidaySchedule, { ...schedule, publishedBy: actor.id });
    await tx.flush();
    // Counting switches to the new year once it is stored (other processes pick it up at their next start).
    activateCalendar(calendar);
    return row;
  });
}

export { hallCalendar };
