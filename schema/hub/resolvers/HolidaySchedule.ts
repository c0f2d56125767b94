import type { HolidayScheduleResolvers } from '../../__generated__/resolvers-types.ts';

export const HolidaySchedule: HolidayScheduleResolvers = {
  publishedAt: (s) => s.publishedAt.toISOString(),
};
