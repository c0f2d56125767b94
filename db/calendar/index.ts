import { HOLIDAY_SCHEDULES } from './holiday-schedules.ts';
import { WorkingDayCalendar } from './working-day-calendar.ts';

export type { CaseClockInput, CaseDeadline, Suspension } from './case-clock.ts';
export { computeDeadline, correctionNoticeDeadline } from './case-clock.ts';
export type { HolidaySchedule } from './holiday-schedules.ts';
export { HOLIDAY_SCHEDULES } from './holiday-schedules.ts';
export { chinaDate, WorkingDayCalendar } from './working-day-calendar.ts';

let active = new WorkingDayCalendar(HOLIDAY_SCHEDULES);

/**
 * The calendar the hub counts working days on: the schedules in the database (loaded at start and
 * replaced when a year is published), or, before that, the ones shipped with the hub.
 */
export function hallCalendar(): WorkingDayCalendar {
  return active;
}

export function activateCalendar(calendar: WorkingDayCalendar): void {
  active = calendar;
}
