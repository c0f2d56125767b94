const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Days since 1970-01-01 of an ISO calendar date (YYYY-MM-DD). Arithmetic runs in UTC on the date itself, so
 * the machine's time zone never shifts a day.
 *
 * @throws RangeError naming the value when it is not a real calendar date in that exact form.
 */
export function dayNumber(date: string): number {
  const day = parse(date);
  if (day === 'malformed') {
    throw new RangeError(`${JSON.stringify(date)} is not a date in the form YYYY-MM-DD`);
  }
  if (day === 'unreal') {
    throw new RangeError(`${JSON.stringify(date)} is not a real calendar date`);
  }
  return day;
}

/** Whether the value is a real calendar date written YYYY-MM-DD (so 2026-02-30 is not). */
export function isRealIsoDate(value: string): boolean {
  return typeof parse(value) === 'number';
}

/** The ISO date (YYYY-MM-DD) of a day number from {@link dayNumber}. */
export function isoDate(day: number): string {
  const utc = new Date(day * DAY_MS);
  const year = String(utc.getUTCFullYear()).padStart(4, '0');
  const month = String(utc.getUTCMonth() + 1).padStart(2, '0');
  const date = String(utc.getUTCDate()).padStart(2, '0');
  return `${year}-${month}-${date}`;
}

/** The calendar year of a day number from {@link dayNumber}. */
export function yearOfDay(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

/** Day of the week of a day number from {@link dayNumber}: 0 = Sunday … 6 = Saturday. */
export function weekdayOfDay(day: number): number {
  // 1970-01-01 was a Thursday (4); the double modulo keeps days before 1970 non-negative.
  return (((day + 4) % 7) + 7) % 7;
}

function parse(date: string): number | 'malformed' | 'unreal' {
  const match = typeof date === 'string' ? ISO_DATE.exec(date) : null;
  if (match === null) {
    return 'malformed';
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const utc = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  utc.setUTCFullYear(year, month - 1, day);
  if (utc.getUTCFullYear() !== year || utc.getUTCMonth() !== month - 1 || utc.getUTCDate() !== day) {
    return 'unreal';
  }
  return Math.round(utc.getTime() / DAY_MS);
}
