import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activateCalendar, HOLIDAY_SCHEDULES, WorkingDayCalendar } from '../db/calendar/index.ts';
import { startTestHub, type TestHub } from './kit/test-hub.ts';

const PUBLISH = `mutation($input: HolidayScheduleInput!) { publishHolidaySchedule(input: $input) { year source holidays adjustedWorkdays } }`;
const ADD = `query($d: String!, $n: Int!) { addWorkingDays(date: $d, days: $n) { date estimated } }`;

// A 2027 schedule as a supervisor would enter it (New Year only, for the test).
const YEAR_2027 = {
  year: 2027,
  holidays: ['2027-01-01', '2027-01-02', '2027-01-03'],
  adjustedWorkdays: [],
  source: '国务院办公厅关于2027年部分节假日安排的通知（测试）',
};

describe('holiday schedules as data', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => {
    activateCalendar(new WorkingDayCalendar(HOLIDAY_SCHEDULES));
    await hub?.close();
  });

  it('lists the shipped schedules, seeded into the database', async () => {
    const { body } = await hub.gql<{ holidaySchedules: { year: number; source: string }[] }>(
      '{ holidaySchedules { year source } }',
    );
    expect(body.data!.holidaySchedules.map((s) => s.year)).toEqual([2025, 2026]);
  });

  it('says a deadline in an unpublished year is an estimate, and stops saying so once the year is published', async () => {
    const before = await hub.gql<{ addWorkingDays: { date: string; estimated: boolean } }>(ADD, {
      d: '2026-12-30',
      n: 3,
    });
    // Dec 31 (Thu), Jan 1 (Fri), Jan 4 (Mon) counting weekends only.
    expect(before.body.data!.addWorkingDays).toEqual({ date: '2027-01-04', estimated: true });

    const clerk = await hub.gql(PUBLISH, { input: YEAR_2027 }, { token: await hub.token('clerk') });
    expect(clerk.body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const supervisor = await hub.token('supervisor');
    const wrong = await hub.gql(
      PUBLISH,
      { input: { ...YEAR_2027, adjustedWorkdays: ['2027-01-06'] } },
      { token: supervisor },
    );
    expect(wrong.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(wrong.body.errors![0]!.message).toMatch(/2027-01-06 is not a Saturday or Sunday/);

    const published = await hub.gql(PUBLISH, { input: YEAR_2027 }, { token: supervisor });
    expect(published.body.errors).toBeUndefined();
    const after = await hub.gql<{ addWorkingDays: { date: string; estimated: boolean } }>(ADD, {
      d: '2026-12-30',
      n: 3,
    });
    // Dec 31 (Thu), then Jan 1–3 off, Jan 4 (Mon), Jan 5 (Tue).
    expect(after.body.data!.addWorkingDays).toEqual({ date: '2027-01-05', estimated: false });

    const again = await hub.gql(PUBLISH, { input: YEAR_2027 }, { token: supervisor });
    expect(again.body.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT' });
  });

  it('explains a date it cannot read', async () => {
    const { body } = await hub.gql(ADD, { d: '2026-02-30', n: 1 });
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'date' });
  });
});
