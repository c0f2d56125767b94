import { HOLIDAY_SCHEDULES } from './holiday-schedules.ts';
import { WorkingDayCalendar } from './working-day-calendar.ts';

export type { CaseClockInput, CaseDeadline, Suspension } from './case-clock.ts';
export { computeDeadline, correctionNoticeDeadline } from './case-clock.ts';
export type { HolidaySchedule } from './holiday-schedules.ts';
export { HOLIDAY_SCHEDULES } from './holiday-schedules.ts';
export { chinaDate, WorkingDayCalendar } from './working-day-calendar.ts';

/** The calendar of every published schedule; build another only to test or to preview an unpublished year. */
export const defaultCalendar = new WorkingDayCalendar(HOLIDAY_SCHEDULES);
