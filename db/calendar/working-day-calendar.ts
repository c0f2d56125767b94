import type { HolidaySchedule } from './holiday-schedules.ts';
import { dayNumber, isoDate, weekdayOfDay, yearOfDay } from './iso-date.ts';

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/**
 * Working days in mainland China: Monday–Friday, minus public holidays, plus adjusted working weekends
 * (调休上班), as published per year. A year without a published schedule counts weekends only, and results that
 * relied on such a year say so rather than inventing holidays.
 */
export class WorkingDayCalendar {
  readonly #holidays = new Set<number>();
  readonly #adjustedWorkdays = new Set<number>();
  readonly #years = new Set<number>();

  /**
   * @throws RangeError when a schedule repeats a year, holds a date outside its year, or contradicts itself.
   */
  constructor(schedules: readonly HolidaySchedule[]) {
    for (const schedule of schedules) {
      if (!Number.isInteger(schedule.year)) {
        throw new RangeError(`schedule year ${String(schedule.year)} is not a whole number`);
      }
      if (this.#years.has(schedule.year)) {
        throw new RangeError(`two holiday schedules for ${schedule.year}`);
      }
      this.#years.add(schedule.year);
      for (const date of schedule.holidays) {
        this.#holidays.add(dayInYear(date, schedule.year));
      }
      for (const date of schedule.adjustedWorkdays) {
        const day = dayInYear(date, schedule.year);
        if (this.#holidays.has(day)) {
          throw new RangeError(`${date} is both a holiday and an adjusted working day`);
        }
        const weekday = weekdayOfDay(day);
        if (weekday !== 0 && weekday !== 6) {
          throw new RangeError(`adjusted working day ${date} is not a Saturday or Sunday`);
        }
        this.#adjustedWorkdays.add(day);
      }
    }
  }

  /** The earliest year with a published schedule, undefined when there is none. */
  get firstKnownYear(): number | undefined {
    return this.#years.size === 0 ? undefined : Math.min(...this.#years);
  }

  /** The latest year with a published schedule, undefined when there is none. */
  get lastKnownYear(): number | undefined {
    return this.#years.size === 0 ? undefined : Math.max(...this.#years);
  }

  /**
   * Whether the date is a working day; in a year without a schedule, Monday–Friday are.
   *
   * @throws RangeError when the date is not a real YYYY-MM-DD date.
   */
  isWorkingDay(date: string): boolean {
    return this.#isWorkingDay(dayNumber(date));
  }

  /**
   * Whether the holiday schedule of the date's year is published (so its working days are certain).
   *
   * @throws RangeError when the date is not a real YYYY-MM-DD date.
   */
  isKnown(date: string): boolean {
    return this.#isKnown(dayNumber(date));
  }

  /**
   * The `days`-th working day after `start` (start itself not counted; 0 days gives `start`). `estimated` is
   * true when a day stepped over lies in a year without a published schedule.
   *
   * @throws RangeError when `start` is not a real date or `days` is not a whole number ≥ 0.
   */
  addWorkingDays(start: string, days: number): { date: string; estimated: boolean } {
    if (!Number.isSafeInteger(days) || days < 0) {
      throw new RangeError(`working days to add must be a whole number ≥ 0, got ${String(days)}`);
    }
    let day = dayNumber(start);
    let estimated = false;
    let counted = 0;
    while (counted < days) {
      day += 1;
      if (!this.#isKnown(day)) {
        estimated = true;
      }
      if (this.#isWorkingDay(day)) {
        counted += 1;
      }
    }
    return { date: isoDate(day), estimated };
  }

  /**
   * Working days in (from, to]: after `from`, up to and including `to`; 0 when `to` is not after `from`.
   *
   * @throws RangeError when either date is not a real YYYY-MM-DD date.
   */
  workingDaysBetween(from: string, to: string): number {
    const last = dayNumber(to);
    let count = 0;
    for (let day = dayNumber(from) + 1; day <= last; day += 1) {
      if (this.#isWorkingDay(day)) {
        count += 1;
      }
    }
    return count;
  }

  #isKnown(day: number): boolean {
    return this.#years.has(yearOfDay(day));
  }

  #isWorkingDay(day: number): boolean {
    if (this.#holidays.has(day)) {
      return false;
    }
    if (this.#adjustedWorkdays.has(day)) {
      return true;
    }
    const weekday = weekdayOfDay(day);
    return weekday !== 0 && weekday !== 6;
  }
}

/**
 * The calendar date (YYYY-MM-DD) in Asia/Shanghai of an instant. China has kept UTC+8 without daylight saving
 * since 1991, so a fixed offset is exact for every date the hub handles.
 *
 * @throws RangeError when the Date is invalid.
 */
export function chinaDate(instant: Date): string {
  const time = instant.getTime();
  if (!Number.isFinite(time)) {
    throw new RangeError('chinaDate needs a valid Date, got an invalid one');
  }
  return new Date(time + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

function dayInYear(date: string, year: number): number {
  const day = dayNumber(date);
  if (yearOfDay(day) !== year) {
    throw new RangeError(`${date} is listed in the ${year} holiday schedule but is not in ${year}`);
  }
  return day;
}
