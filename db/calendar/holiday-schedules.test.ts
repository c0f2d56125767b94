import { describe, expect, it } from 'vitest';
import { HOLIDAY_SCHEDULES } from './holiday-schedules.ts';
import { dayNumber, weekdayOfDay } from './iso-date.ts';

describe('HOLIDAY_SCHEDULES', () => {
  it('has one schedule per year, oldest first, each with a source', () => {
    const years = HOLIDAY_SCHEDULES.map((s) => s.year);
    expect(years).toEqual([...new Set(years)].sort((a, b) => a - b));
    expect(years).toEqual(expect.arrayContaining([2025, 2026]));
    for (const schedule of HOLIDAY_SCHEDULES) {
      expect(schedule.source, String(schedule.year)).toMatch(/国务院办公厅/);
    }
  });

  for (const schedule of HOLIDAY_SCHEDULES) {
    describe(String(schedule.year), () => {
      it('lists real dates inside the year, sorted, without repeats', () => {
        for (const dates of [schedule.holidays, schedule.adjustedWorkdays]) {
          for (const date of dates) {
            expect(() => dayNumber(date), date).not.toThrow();
            expect(date.slice(0, 4), date).toBe(String(schedule.year));
          }
          expect(dates).toEqual([...new Set(dates)].sort());
        }
      });

      it('has adjusted working days only on Saturdays and Sundays', () => {
        for (const date of schedule.adjustedWorkdays) {
          expect([0, 6], date).toContain(weekdayOfDay(dayNumber(date)));
        }
      });

      it('has no date that is both a holiday and an adjusted working day', () => {
        const holidays = new Set(schedule.holidays);
        expect(schedule.adjustedWorkdays.filter((d) => holidays.has(d))).toEqual([]);
      });
    });
  }

  it('matches the 2026 notice: 3 + 9 + 3 + 5 + 3 + 3 + 7 days off, 6 adjusted working days', () => {
    const schedule = HOLIDAY_SCHEDULES.find((s) => s.year === 2026)!;
    expect(schedule.holidays).toHaveLength(33);
    expect(schedule.adjustedWorkdays).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
  });

  it('matches the 2025 notice: 1 + 8 + 3 + 5 + 3 + 8 days off, 5 adjusted working days', () => {
    const schedule = HOLIDAY_SCHEDULES.find((s) => s.year === 2025)!;
    expect(schedule.holidays).toHaveLength(28);
    expect(schedule.adjustedWorkdays).toEqual([
      '2025-01-26',
      '2025-02-08',
      '2025-04-27',
      '2025-09-28',
      '2025-10-11',
    ]);
  });
});
