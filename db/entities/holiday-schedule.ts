import { defineEntity, p } from '@mikro-orm/core';

/**
 * The State Council's holiday schedule of one year as data: days off and adjusted working weekends.
 * A year is published when the notice appears (around November of the year before).
 */
export const HolidayScheduleSchema = defineEntity({
  name: 'HolidaySchedule',
  tableName: 'holiday_schedule',
  properties: {
    year: p.integer().primary().autoincrement(false),
    holidays: p.json<string[]>(),
    adjustedWorkdays: p.json<string[]>(),
    /** The notice it comes from, e.g. 国务院办公厅关于2026年部分节假日安排的通知（2025-11-04）. */
    source: p.text(),
    publishedAt: p.datetime().onCreate(() => new Date()),
    publishedBy: p.string(),
  },
});

export class HolidaySchedule extends HolidayScheduleSchema.class {}
HolidayScheduleSchema.setClass(HolidaySchedule);
