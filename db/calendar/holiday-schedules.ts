/** The official public-holiday arrangement of one year in mainland China. */
export interface HolidaySchedule {
  year: number;
  /** ISO dates (YYYY-MM-DD) that are days off although weekdays or weekends (the whole holiday span) */
  holidays: string[];
  /** weekend dates that are working days */
  adjustedWorkdays: string[];
  source: string;
}

/**
 * Published schedules, oldest first. Add a year only from the State Council General Office notice, usually
 * published in November of the year before; until then that year counts weekends only and is flagged
 * estimated.
 */
export const HOLIDAY_SCHEDULES: HolidaySchedule[] = [
  {
    year: 2025,
    holidays: [
      // 元旦
      '2025-01-01',
      // 春节
      '2025-01-28',
      '2025-01-29',
      '2025-01-30',
      '2025-01-31',
      '2025-02-01',
      '2025-02-02',
      '2025-02-03',
      '2025-02-04',
      // 清明节
      '2025-04-04',
      '2025-04-05',
      '2025-04-06',
      // 劳动节
      '2025-05-01',
      '2025-05-02',
      '2025-05-03',
      '2025-05-04',
      '2025-05-05',
      // 端午节
      '2025-05-31',
      '2025-06-01',
      '2025-06-02',
      // 国庆节、中秋节
      '2025-10-01',
      '2025-10-02',
      '2025-10-03',
      '2025-10-04',
      '2025-10-05',
      '2025-10-06',
      '2025-10-07',
      '2025-10-08',
    ],
    adjustedWorkdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
    source: '国务院办公厅关于2025年部分节假日安排的通知（2024-11-12）',
  },
  {
    year: 2026,
    holidays: [
      // 元旦
      '2026-01-01',
      '2026-01-02',
      '2026-01-03',
      // 春节
      '2026-02-15',
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-02-21',
      '2026-02-22',
      '2026-02-23',
      // 清明节
      '2026-04-04',
      '2026-04-05',
      '2026-04-06',
      // 劳动节
      '2026-05-01',
      '2026-05-02',
      '2026-05-03',
      '2026-05-04',
      '2026-05-05',
      // 端午节
      '2026-06-19',
      '2026-06-20',
      '2026-06-21',
      // 中秋节
      '2026-09-25',
      '2026-09-26',
      '2026-09-27',
      // 国庆节
      '2026-10-01',
      '2026-10-02',
      '2026-10-03',
      '2026-10-04',
      '2026-10-05',
      '2026-10-06',
      '2026-10-07',
    ],
    adjustedWorkdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
    source: '国务院办公厅关于2026年部分节假日安排的通知（2025-11-04）',
  },
];
