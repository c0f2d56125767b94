import { hallCalendar } from '../../../../db/calendar/index.ts';
import { badInput } from '../../../../db/errors.ts';
import type { QueryResolvers } from '../../../__generated__/resolvers-types.ts';

export const addWorkingDays: NonNullable<QueryResolvers['addWorkingDays']> = (_parent, { date, days }) => {
  if (days < 0 || days > 1000) throw badInput('days', 'days must be 0 to 1000');
  try {
    return hallCalendar().addWorkingDays(date, days);
  } catch (error) {
    throw badInput('date', (error as Error).message);
  }
};
