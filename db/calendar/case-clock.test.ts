import { describe, expect, it } from 'vitest';
import { computeDeadline, correctionNoticeDeadline } from './case-clock.ts';
import { HOLIDAY_SCHEDULES, WorkingDayCalendar } from './index.ts';

const calendar = new WorkingDayCalendar(HOLIDAY_SCHEDULES);

// March 2026 has no holidays: Mon Mar 2 … Fri 6, Mon 9 … Fri 13, Mon 16 … Fri 20, Mon 23.
// Accepted Mon Mar 2 with 10 working days: Tue 3 (1) … Fri 6 (4), Mon 9 (5) … Fri 13 (9), Mon 16 (10).
const MARCH_CASE = { acceptedOn: '2026-03-02', limitDays: 10 };

describe('computeDeadline', () => {
  it('counts the limit in working days from the day after acceptance', () => {
    // Remaining on Tue Mar 10: Wed 11, Thu 12, Fri 13, Mon 16.
    expect(computeDeadline(calendar, { ...MARCH_CASE, suspensions: [], today: '2026-03-10' })).toEqual({
      dueDate: '2026-03-16',
      suspendedWorkingDays: 0,
      suspendedNow: false,
      estimated: false,
      remainingWorkingDays: 4,
      overdue: false,
    });
  });

  it('crosses the Spring Festival', () => {
    // Thu Feb 12 + 3: Fri 13, Sat 14 (adjusted), Tue 24. Remaining on Feb 13: Feb 14 and Feb 24.
    expect(
      computeDeadline(calendar, {
        acceptedOn: '2026-02-12',
        limitDays: 3,
        suspensions: [],
        today: '2026-02-13',
      }),
    ).toMatchObject({ dueDate: '2026-02-24', remainingWorkingDays: 2, overdue: false });
  });

  it('moves the due date by exactly the working days of a suspension across a weekend', () => {
    // Suspended Thu Mar 5 up to (excluding) Tue Mar 10: Thu 5, Fri 6, Sat 7, Sun 8, Mon 9 → 3 working days.
    // Due = Mar 2 + 13: Mon 16 (10), Tue 17 (11), Wed 18 (12), Thu 19 (13).
    // Remaining on Thu Mar 12: Fri 13, Mon 16, Tue 17, Wed 18, Thu 19.
    const deadline = computeDeadline(calendar, {
      ...MARCH_CASE,
      suspensions: [{ from: '2026-03-05', to: '2026-03-10', reason: 'correction' }],
      today: '2026-03-12',
    });
    expect(deadline).toEqual({
      dueDate: '2026-03-19',
      suspendedWorkingDays: 3,
      suspendedNow: false,
      estimated: false,
      remainingWorkingDays: 5,
      overdue: false,
    });
    expect(calendar.workingDaysBetween('2026-03-16', deadline.dueDate)).toBe(3);
  });

  it('stops the clock during an open suspension, counting up to and including today', () => {
    // Open since Thu Mar 5; on Wed Mar 11 it covers Thu 5, Fri 6, Mon 9, Tue 10, Wed 11 → 5 working days.
    // Due = Mar 2 + 15: Mon 16 (10), Tue 17 … Fri 20 (14), Mon 23 (15).
    // Remaining on Mar 11: Thu 12, Fri 13, Mon 16 … Fri 20, Mon 23 = 8, as on Wed Mar 4 before the stop.
    const suspensions = [{ from: '2026-03-05', to: null, reason: 'correction' }];
    const onMarch11 = computeDeadline(calendar, { ...MARCH_CASE, suspensions, today: '2026-03-11' });
    expect(onMarch11).toEqual({
      dueDate: '2026-03-23',
      suspendedWorkingDays: 5,
      suspendedNow: true,
      estimated: false,
      remainingWorkingDays: 8,
      overdue: false,
    });
    expect(computeDeadline(calendar, { ...MARCH_CASE, suspensions: [], today: '2026-03-04' })).toMatchObject({
      remainingWorkingDays: 8,
    });
    // One working day later the due date moves by one (Tue Mar 24), the remaining days stay 8.
    expect(computeDeadline(calendar, { ...MARCH_CASE, suspensions, today: '2026-03-12' })).toMatchObject({
      dueDate: '2026-03-24',
      suspendedWorkingDays: 6,
      remainingWorkingDays: 8,
    });
    // By Sat Mar 14 it covers Thu 5 … Fri 13 = 7 working days: due = Mar 2 + 17 = Wed Mar 25.
    expect(computeDeadline(calendar, { ...MARCH_CASE, suspensions, today: '2026-03-14' })).toMatchObject({
      dueDate: '2026-03-25',
      suspendedWorkingDays: 7,
    });
  });

  it('counts a day covered by two overlapping suspensions once', () => {
    // A: Thu Mar 5 to Tue 10 → Thu 5, Fri 6, Mon 9. B: Mon Mar 9 to Thu 12 → Mon 9, Tue 10, Wed 11.
    // Union: 5, 6, 9, 10, 11 = 5 (not 6). Due = Mar 2 + 15 = Mon Mar 23. Remaining on Fri Mar 20: Mon 23.
    expect(
      computeDeadline(calendar, {
        ...MARCH_CASE,
        suspensions: [
          { from: '2026-03-05', to: '2026-03-10', reason: 'correction' },
          { from: '2026-03-09', to: '2026-03-12', reason: 'deficiency_commitment' },
        ],
        today: '2026-03-20',
      }),
    ).toMatchObject({
      dueDate: '2026-03-23',
      suspendedWorkingDays: 5,
      remainingWorkingDays: 1,
      overdue: false,
    });
  });

  it('extends over the National Day holiday only by suspended working days', () => {
    // Accepted Mon Sep 21, 5 days: Tue 22 (1), Wed 23 (2), Thu 24 (3), Mon 28 (4), Tue 29 (5).
    // Suspended Thu Sep 24 to Fri Oct 9: Thu 24, Mon 28, Tue 29, Wed 30, Thu Oct 8 = 5 working days
    // (Sep 25–27 and Oct 1–7 are off).
    // Due = Sep 21 + 10: Tue 29 (5), Wed 30 (6), Thu Oct 8 (7), Fri 9 (8), Sat 10 adjusted (9), Mon 12 (10).
    expect(
      computeDeadline(calendar, {
        acceptedOn: '2026-09-21',
        limitDays: 5,
        suspensions: [{ from: '2026-09-24', to: '2026-10-09', reason: 'correction' }],
        today: '2026-10-09',
      }),
    ).toMatchObject({
      dueDate: '2026-10-12',
      suspendedWorkingDays: 5,
      suspendedNow: false,
      remainingWorkingDays: 2,
    });
  });

  it('ignores suspended days up to the day of acceptance, which are not on the clock', () => {
    // Suspended Fri Feb 27 up to Tue Mar 3: Fri 27, Sat 28 (adjusted), Mon Mar 2, all up to acceptance.
    expect(
      computeDeadline(calendar, {
        ...MARCH_CASE,
        suspensions: [{ from: '2026-02-27', to: '2026-03-03', reason: 'correction' }],
        today: '2026-03-03',
      }),
    ).toMatchObject({ dueDate: '2026-03-16', suspendedWorkingDays: 0, suspendedNow: false });
  });

  it('counts the working days past due as negative once overdue', () => {
    // Due Mon Mar 16; on Wed Mar 18 it is 2 working days late (Tue 17, Wed 18).
    expect(computeDeadline(calendar, { ...MARCH_CASE, suspensions: [], today: '2026-03-18' })).toMatchObject({
      dueDate: '2026-03-16',
      remainingWorkingDays: -2,
      overdue: true,
    });
    // On the due date itself nothing is left and nothing is late.
    expect(computeDeadline(calendar, { ...MARCH_CASE, suspensions: [], today: '2026-03-16' })).toMatchObject({
      remainingWorkingDays: 0,
      overdue: false,
    });
  });

  it('is overdue on the weekend after a Friday due date with 0 (not -0) working days past due', () => {
    // 9 days from Mon Mar 2: due Fri Mar 13; Sat Mar 14 is past it but no working day has been missed.
    const deadline = computeDeadline(calendar, {
      acceptedOn: '2026-03-02',
      limitDays: 9,
      suspensions: [],
      today: '2026-03-14',
    });
    expect(deadline).toMatchObject({ dueDate: '2026-03-13', overdue: true });
    expect(Object.is(deadline.remainingWorkingDays, 0)).toBe(true);
  });

  it('is not overdue while suspended, even past the original due date', () => {
    // Due Mon Mar 16 without suspensions; open since Tue Mar 17, on Wed Mar 18: 2 suspended working days
    // (Tue 17, Wed 18), so due = Mar 2 + 12 = Wed Mar 18 = today: 0 left.
    expect(
      computeDeadline(calendar, {
        ...MARCH_CASE,
        suspensions: [{ from: '2026-03-17', to: null, reason: 'correction' }],
        today: '2026-03-18',
      }),
    ).toMatchObject({ dueDate: '2026-03-18', suspendedNow: true, overdue: false, remainingWorkingDays: 0 });
  });

  it('is estimated when the due date falls in a year without a published schedule', () => {
    // Accepted Mon 2026-12-21, 10 days: Tue 22 … Fri 25 (4), Mon 28 … Thu 31 (8),
    // Fri 2027-01-01 (9, counted: no 2027 schedule yet), Mon Jan 4 (10).
    expect(
      computeDeadline(calendar, {
        acceptedOn: '2026-12-21',
        limitDays: 10,
        suspensions: [],
        today: '2026-12-22',
      }),
    ).toMatchObject({ dueDate: '2027-01-04', estimated: true, remainingWorkingDays: 9 });
    // Accepted in 2025, due in 2026: both published.
    expect(
      computeDeadline(calendar, {
        acceptedOn: '2025-12-29',
        limitDays: 5,
        suspensions: [],
        today: '2025-12-29',
      }),
    ).toMatchObject({ dueDate: '2026-01-06', estimated: false });
  });

  it('is estimated when the days past due run into a year without a published schedule', () => {
    // Due Mon 2026-03-16, looked at on 2027-01-04: the days late rely on the weekends-only guess for 2027.
    expect(computeDeadline(calendar, { ...MARCH_CASE, suspensions: [], today: '2027-01-04' })).toMatchObject({
      dueDate: '2026-03-16',
      estimated: true,
      overdue: true,
    });
  });

  it('refuses bad input', () => {
    const today = '2026-03-10';
    expect(() => computeDeadline(calendar, { ...MARCH_CASE, limitDays: -1, suspensions: [], today })).toThrow(
      RangeError,
    );
    expect(() => computeDeadline(calendar, { ...MARCH_CASE, suspensions: [], today: '2026-03-32' })).toThrow(
      /2026-03-32/,
    );
    expect(() =>
      computeDeadline(calendar, {
        ...MARCH_CASE,
        suspensions: [{ from: '2026-03-09', to: '2026-03-05', reason: 'correction' }],
        today,
      }),
    ).toThrow('a suspension ends (2026-03-05) before it starts (2026-03-09)');
  });
});

describe('correctionNoticeDeadline', () => {
  it('is 5 working days after receipt', () => {
    // Mon Mar 2 → Tue 3, Wed 4, Thu 5, Fri 6, Mon 9.
    expect(correctionNoticeDeadline(calendar, '2026-03-02')).toBe('2026-03-09');
    // Thu Apr 30 → May 1–5 off, Wed 6 (1), Thu 7 (2), Fri 8 (3), Sat 9 adjusted (4), Sun 10 off, Mon 11 (5).
    expect(correctionNoticeDeadline(calendar, '2026-04-30')).toBe('2026-05-11');
    // Thu Sep 24 → Sep 25–27 off, Mon 28 (1), Tue 29 (2), Wed 30 (3), Oct 1–7 off, Thu Oct 8 (4), Fri 9 (5).
    expect(correctionNoticeDeadline(calendar, '2026-09-24')).toBe('2026-10-09');
  });
});
