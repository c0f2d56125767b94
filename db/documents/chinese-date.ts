const DIGITS = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;

/** 1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 31 → 三十一: how months and days are spelled out (1–99). */
function smallNumber(n: number): string {
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  const tensText = tens === 0 ? '' : tens === 1 ? '十' : `${DIGITS[tens]}十`;
  const onesText = ones === 0 && tens > 0 ? '' : DIGITS[ones];
  return `${tensText}${onesText}`;
}

/**
 * Writes an ISO date (YYYY-MM-DD) the way official documents date themselves (GB/T 9704 成文日期 in
 * Chinese numerals): '2026-11-25' → '二〇二六年十一月二十五日'. The year is spelled digit by digit with 〇
 * for zero, months and days as numbers (十一, 二十五). Throws a RangeError for anything that is not a real
 * calendar date, so that a wrong date never reaches a signed document.
 */
export function chineseDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(isoDate)}`);
  const [, yearText = '', monthText = '', dayText = ''] = match;
  const year = Number(yearText);
  const month = Number(monthText);
  const day = Number(dayText);
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (
    month < 1 ||
    probe.getUTCFullYear() !== year ||
    probe.getUTCMonth() !== month - 1 ||
    probe.getUTCDate() !== day
  ) {
    throw new RangeError(`not a calendar date: ${isoDate}`);
  }
  const yearWords = [...yearText].map((digit) => DIGITS[Number(digit)]).join('');
  return `${yearWords}年${smallNumber(month)}月${smallNumber(day)}日`;
}
