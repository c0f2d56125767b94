import { describe, expect, it } from 'vitest';
import { chineseDate } from './chinese-date.ts';

describe('chineseDate', () => {
  it.each([
    ['2026-11-25', '二〇二六年十一月二十五日'],
    ['2026-01-01', '二〇二六年一月一日'],
    ['2020-10-10', '二〇二〇年十月十日'],
    ['2019-12-31', '二〇一九年十二月三十一日'],
    ['2000-02-29', '二〇〇〇年二月二十九日'],
    ['2031-03-20', '二〇三一年三月二十日'],
    ['2026-07-19', '二〇二六年七月十九日'],
  ])('writes %s as %s', (iso, expected) => {
    expect(chineseDate(iso)).toBe(expected);
  });

  it.each([
    '2026-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-04-31',
    '2026-4-1',
    '2026/11/25',
    '20261125',
    '',
    '2026-11-25T00:00',
  ])('rejects %j', (input) => {
    expect(() => chineseDate(input)).toThrow(RangeError);
  });
});
