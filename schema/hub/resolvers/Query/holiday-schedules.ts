import { listHolidaySchedules } from '../../../../db/calendar/calendar-store.ts';
import type { QueryResolvers } from '../../../__generated__/resolvers-types.ts';

export const holidaySchedules: NonNullable<QueryResolvers['holidaySchedules']> = (_parent, _args, { em }) =>
  listHolidaySchedules(em);
