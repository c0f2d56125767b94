import { dayNumber, isoDate, yearOfDay } from './iso-date.ts';
import type { WorkingDayCalendar } from './working-day-calendar.ts';

/** A period in which the case clock stops, e.g. while the applicant corrects materials (补正). */
export interface Suspension {
  /** First suspended day (YYYY-MM-DD). */
  from: string;
  /** The day the clock runs again, itself not suspended; null = still suspended. */
  to: string | null;
  reason: 'correction' | 'deficiency_commitment' | string;
}

export interface CaseClockInput {
  /** The day the case was accepted (受理); the clock counts from the next working day. */
  acceptedOn: string;
  /** The promised time limit in working days. */
  limitDays: number;
  suspensions: readonly Suspension[];
  today: string;
}

export interface CaseDeadline {
  dueDate: string;
  /**
   * Working days after acceptance inside suspensions, each counted once however many suspensions cover it.
   */
  suspendedWorkingDays: number;
  suspendedNow: boolean;
  /** True when any day the result relies on is in a year whose holiday schedule is not yet published. */
  estimated: boolean;
  /** Working days in (today, dueDate]; negative (working days in (dueDate, today]) once past due. */
  remainingWorkingDays: number;
  overdue: boolean;
}

/**
 * The deadline of a case: `limitDays` working days after acceptance, moved later by every working day the
 * clock was suspended (a suspension covers `from` through the day before `to`; an open one up to and
 * including today).
 *
 * @throws RangeError on an invalid date, a negative or fractional limit, or a suspension ending before its start.
 */
export function computeDeadline(calendar: WorkingDayCalendar, input: CaseClockInput): CaseDeadline {
  const { acceptedOn, limitDays, suspensions, today } = input;
  if (!Number.isSafeInteger(limitDays) || limitDays < 0) {
    throw new RangeError(`limitDays must be a whole number ≥ 0, got ${String(limitDays)}`);
  }
  const accepted = dayNumber(acceptedOn);
  const todayDay = dayNumber(today);

  // A set, so days covered by overlapping suspensions count once.
  const suspendedDays = new Set<number>();
  let suspendedNow = false;
  let lastDayLookedAt = todayDay;
  for (const suspension of suspensions) {
    const from = dayNumber(suspension.from);
    let last: number;
    if (suspension.to === null) {
      last = todayDay;
    } else {
      const to = dayNumber(suspension.to);
      if (to < from) {
        throw new RangeError(`a suspension ends (${suspension.to}) before it starts (${suspension.from})`);
      }
      last = to - 1;
    }
    if (from <= todayDay && todayDay <= last) {
      suspendedNow = true;
    }
    lastDayLookedAt = Math.max(lastDayLookedAt, last);
    // Days up to acceptance are not on the clock, so suspending them cannot extend it.
    for (let day = Math.max(from, accepted + 1); day <= last; day += 1) {
      if (calendar.isWorkingDay(isoDate(day))) {
        suspendedDays.add(day);
      }
    }
  }

  const due = calendar.addWorkingDays(acceptedOn, limitDays + suspendedDays.size);
  const dueDay = dayNumber(due.date);
  const remainingWorkingDays =
    todayDay <= dueDay
      ? calendar.workingDaysBetween(today, due.date)
      : -calendar.workingDaysBetween(due.date, today);
  lastDayLookedAt = Math.max(lastDayLookedAt, dueDay);

  return {
    dueDate: due.date,
    suspendedWorkingDays: suspendedDays.size,
    suspendedNow,
    estimated: due.estimated || !scheduleKnownThroughout(calendar, accepted + 1, lastDayLookedAt),
    // `+ 0` turns -0 (today past due by a weekend only) into 0.
    remainingWorkingDays: remainingWorkingDays + 0,
    overdue: todayDay > dueDay && !suspendedNow,
  };
}

/**
 * The last day to send a correction notice (一次性告知补正) for an application received on `receivedOn`: 5 working
 * days later; after that the application counts as accepted.
 *
 * @throws RangeError when `receivedOn` is not a real YYYY-MM-DD date.
 */
export function correctionNoticeDeadline(calendar: WorkingDayCalendar, receivedOn: string): string {
  return calendar.addWorkingDays(receivedOn, 5).date;
}

function scheduleKnownThroughout(calendar: WorkingDayCalendar, firstDay: number, lastDay: number): boolean {
  for (let year = yearOfDay(firstDay); year <= yearOfDay(lastDay); year += 1) {
    if (!calendar.isKnown(`${String(year).padStart(4, '0')}-01-01`)) {
      return false;
    }
  }
  return true;
}
