import { publishHolidaySchedule as publish } from '../../../../db/calendar/calendar-store.ts';
import type { MutationResolvers } from '../../../__generated__/resolvers-types.ts';

export const publishHolidaySchedule: NonNullable<MutationResolvers['publishHolidaySchedule']> = (
  _parent,
  { input },
  { em, actor },
) => publish(em, actor, input);
