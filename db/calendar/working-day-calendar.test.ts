import { afterEach, describe, expect, it } from 'vitest';
import type { HolidaySchedule } from './holiday-schedules.ts';
import { HOLIDAY_SCHEDULES } from './holiday-schedules.ts';
import { chinaDate, WorkingDayCalendar } from './working-day-calendar.ts';

const calendar = new WorkingDayCalendar(HOLIDAY_SCHEDULES);

describe('WorkingDayCalendar', () => {
  it('knows the published years', () => {
    expect(calendar.firstKnownYear).toBe(2025);
    expect(calendar.lastKnownYear).toBe(2026);
    expect(calendar.isKnown('2025-01-01')).toBe(true);
    expect(calendar.isKnown('2026-12-31')).toBe(true);
    expect(calendar.isKnown('2027-01-01')).toBe(false);
    expect(new WorkingDayCalendar([]).firstKnownYear).toBeUndefined();
  });

  it('tells working days from holidays, adjusted working weekends and ordinary weekends', () => {
    expect(calendar.isWorkingDay('2026-02-13')).toBe(true); // Fri
    expect(calendar.isWorkingDay('2026-02-14')).toBe(true); // Sat, adjusted working day
    expect(calendar.isWorkingDay('2026-02-16')).toBe(false); // Mon, 春节
    expect(calendar.isWorkingDay('2026-02-21')).toBe(false); // Sat inside 春节
    expect(calendar.isWorkingDay('2026-03-07')).toBe(false); // ordinary Sat
    expect(calendar.isWorkingDay('2026-10-10')).toBe(true); // Sat, adjusted working day
    expect(calendar.isWorkingDay('2026-10-11')).toBe(false); // ordinary Sun
  });

  it('counts weekends only in a year without a schedule', () => {
    // 2024-10-01 really was a holiday, but 2024 is not loaded: Tuesday counts as a working day.
    expect(calendar.isKnown('2024-10-01')).toBe(false);
    expect(calendar.isWorkingDay('2024-10-01')).toBe(true);
    expect(calendar.isWorkingDay('2027-01-02')).toBe(false); // Sat
  });

  describe('addWorkingDays', () => {
    it('crosses the 2026 Spring Festival', () => {
      // Thu Feb 12 → Fri 13 (1), Sat 14 adjusted (2), Feb 15–23 off, Tue 24 (3).
      expect(calendar.addWorkingDays('2026-02-12', 3)).toEqual({ date: '2026-02-24', estimated: false });
      // Sat 28 is an adjusted working day: Tue 24 (1), 25 (2), 26 (3), Fri 27 (4), Sat 28 (5).
      expect(calendar.addWorkingDays('2026-02-23', 5)).toEqual({ date: '2026-02-28', estimated: false });
    });

    it('crosses the 2026 Mid-Autumn Festival and National Day with Sun Sep 20 and Sat Oct 10 worked', () => {
      // Fri Sep 18 → Sat 19 off, Sun 20 adjusted (1), Mon 21–Thu 24 (2–5), Sep 25–27 中秋 off,
      // Mon 28–Wed 30 (6–8), Oct 1–7 国庆 off, Thu Oct 8 (9), Fri 9 (10), Sat 10 adjusted (11), Sun 11 off,
      // Mon 12 (12).
      expect(calendar.addWorkingDays('2026-09-18', 1).date).toBe('2026-09-20');
      expect(calendar.addWorkingDays('2026-09-18', 8).date).toBe('2026-09-30');
      expect(calendar.addWorkingDays('2026-09-18', 9).date).toBe('2026-10-08');
      expect(calendar.addWorkingDays('2026-09-18', 11).date).toBe('2026-10-10');
      expect(calendar.addWorkingDays('2026-09-18', 12).date).toBe('2026-10-12');
    });

    it('crosses the 2025 National Day and into the 2026 New Year', () => {
      // Fri 2025-09-26 → Sat 27 off, Sun 28 adjusted (1).
      expect(calendar.addWorkingDays('2025-09-26', 1).date).toBe('2025-09-28');
      // Tue 2025-09-30 → Oct 1–8 off, Thu Oct 9 (1).
      expect(calendar.addWorkingDays('2025-09-30', 1).date).toBe('2025-10-09');
      // Mon 2025-12-29 → Tue 30 (1), Wed 31 (2), 2026-01-01–03 off, Sun Jan 4 adjusted (3), Mon 5 (4),
      // Tue 6 (5).
      expect(calendar.addWorkingDays('2025-12-29', 5)).toEqual({ date: '2026-01-06', estimated: false });
    });

    it('returns the start itself for 0 days, even on a holiday', () => {
      expect(calendar.addWorkingDays('2026-02-16', 0)).toEqual({ date: '2026-02-16', estimated: false });
    });

    it('marks a result estimated once it counts a day of a year without a schedule', () => {
      // Wed 2026-12-30 → Thu 31 (1): still 2026.
      expect(calendar.addWorkingDays('2026-12-30', 1)).toEqual({ date: '2026-12-31', estimated: false });
      // → Thu 31 (1), Fri 2027-01-01 (2, weekends only: no 2027 schedule), Sat–Sun off, Mon Jan 4 (3).
      expect(calendar.addWorkingDays('2026-12-30', 3)).toEqual({ date: '2027-01-04', estimated: true });
    });

    it('refuses a negative or fractional number of days', () => {
      expect(() => calendar.addWorkingDays('2026-03-02', -1)).toThrow(RangeError);
      expect(() => calendar.addWorkingDays('2026-03-02', 1.5)).toThrow(/got 1.5/);
      expect(() => calendar.addWorkingDays('2026-03-02', Number.NaN)).toThrow(RangeError);
    });
  });

  describe('workingDaysBetween', () => {
    it('counts working days after from, up to and including to', () => {
      // The 12 working days from Sep 18 listed above.
      expect(calendar.workingDaysBetween('2026-09-18', '2026-10-12')).toBe(12);
      // Mon Mar 2 → Tue 3, Wed 4, Thu 5, Fri 6.
      expect(calendar.workingDaysBetween('2026-03-02', '2026-03-06')).toBe(4);
      // Feb 14 (adjusted) and Feb 24; Feb 15–23 are off.
      expect(calendar.workingDaysBetween('2026-02-13', '2026-02-24')).toBe(2);
    });

    it('is 0 when to is not after from', () => {
      expect(calendar.workingDaysBetween('2026-03-06', '2026-03-06')).toBe(0);
      expect(calendar.workingDaysBetween('2026-03-06', '2026-03-02')).toBe(0);
    });

    it('agrees with addWorkingDays', () => {
      for (const start of ['2025-12-15', '2026-02-10', '2026-04-30', '2026-09-15', '2026-12-20']) {
        for (const days of [0, 1, 5, 20, 60]) {
          const { date } = calendar.addWorkingDays(start, days);
          expect(calendar.workingDaysBetween(start, date), `${start} + ${days}`).toBe(days);
        }
      }
    });
  });

  describe('date strings', () => {
    it('throws a RangeError naming an invalid date', () => {
      for (const bad of [
        '2026-02-30',
        '2026-13-01',
        '2026-2-3',
        '20260203',
        '2026-02-03T00:00',
        '',
        ' 2026-02-03',
      ]) {
        expect(() => calendar.isWorkingDay(bad), bad).toThrow(RangeError);
        expect(() => calendar.isWorkingDay(bad), bad).toThrow(JSON.stringify(bad));
      }
      expect(() => calendar.isKnown('2026-04-31')).toThrow(RangeError);
      expect(() => calendar.addWorkingDays('2026-02-29', 1)).toThrow(
        '"2026-02-29" is not a real calendar date',
      );
      expect(() => calendar.workingDaysBetween('2026-01-01', 'tomorrow')).toThrow(/"tomorrow"/);
    });

    describe('in another machine time zone', () => {
      const original = process.env.TZ;
      afterEach(() => {
        process.env.TZ = original;
      });

      it('gives the same days', () => {
        for (const zone of ['America/Los_Angeles', 'Pacific/Kiritimati']) {
          process.env.TZ = zone;
          expect(calendar.addWorkingDays('2026-02-12', 3).date, zone).toBe('2026-02-24');
          expect(calendar.isWorkingDay('2026-02-14'), zone).toBe(true);
          expect(chinaDate(new Date('2026-01-01T16:30:00Z')), zone).toBe('2026-01-02');
        }
      });
    });
  });

  describe('its schedules', () => {
    const base: HolidaySchedule = { year: 2030, holidays: [], adjustedWorkdays: [], source: 'test' };

    it('must not repeat a year', () => {
      expect(() => new WorkingDayCalendar([base, base])).toThrow('two holiday schedules for 2030');
    });

    it('must hold dates of their own year', () => {
      expect(() => new WorkingDayCalendar([{ ...base, holidays: ['2031-01-01'] }])).toThrow(RangeError);
    });

    it('must put adjusted working days on weekends that are not holidays', () => {
      // 2030-01-07 is a Monday; 2030-01-05 a Saturday.
      expect(() => new WorkingDayCalendar([{ ...base, adjustedWorkdays: ['2030-01-07'] }])).toThrow(
        'not a Saturday or Sunday',
      );
      expect(
        () =>
          new WorkingDayCalendar([{ ...base, holidays: ['2030-01-05'], adjustedWorkdays: ['2030-01-05'] }]),
      ).toThrow('both');
    });
  });
});

describe('chinaDate', () => {
  it('gives the calendar date in Beijing (UTC+8)', () => {
    expect(chinaDate(new Date('2026-01-01T16:30:00Z'))).toBe('2026-01-02');
    expect(chinaDate(new Date('2026-01-01T15:59:59.999Z'))).toBe('2026-01-01');
    expect(chinaDate(new Date('2026-01-01T16:00:00Z'))).toBe('2026-01-02');
    expect(chinaDate(new Date('2025-12-31T23:00:00+08:00'))).toBe('2025-12-31');
  });

  it('refuses an invalid Date', () => {
    expect(() => chinaDate(new Date('not a date'))).toThrow(RangeError);
  });
});
