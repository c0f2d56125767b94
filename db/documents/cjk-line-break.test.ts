import { describe, expect, it } from 'vitest';
import { breakLines } from './cjk-line-break.ts';

/** Han characters and full-width punctuation 10 points, ASCII 5, space 3: easy to count by hand. */
function measure(text: string): number {
  let width = 0;
  for (const ch of text) width += ch === ' ' ? 3 : ch.charCodeAt(0) < 0x80 ? 5 : 10;
  return width;
}

const texts = (text: string, width: number, indent = 0) =>
  breakLines(text, width, measure, indent).map((line) => line.text);

describe('breakLines', () => {
  it('fills each line with as many characters as fit and marks only the last line as last', () => {
    const lines = breakLines('一二三四五六七八九十十一', 50, measure);
    expect(lines.map((l) => l.text)).toEqual(['一二三四五', '六七八九十', '十一']);
    expect(lines.map((l) => l.last)).toEqual([false, false, true]);
  });

  it('narrows only the first line by the indent and reports it', () => {
    const lines = breakLines('一二三四五六七八', 50, measure, 20);
    expect(lines).toEqual([
      { text: '一二三', indent: 20, last: false },
      { text: '四五六七八', indent: 0, last: true },
    ]);
  });

  it('never starts a line with closing punctuation: the character before it moves down too', () => {
    expect(texts('一二三四五，六七', 50)).toEqual(['一二三四', '五，六七']);
    expect(texts('一二三四五。”六', 50)).toEqual(['一二三四', '五。”六']);
  });

  it('never ends a line with opening punctuation', () => {
    expect(texts('一二三四《五》六', 50)).toEqual(['一二三四', '《五》六']);
    expect(texts('一二三四（五）', 50)).toEqual(['一二三四', '（五）']);
  });

  it('keeps numbers and identifiers whole and breaks at spaces between Latin words', () => {
    expect(texts('编号PY-2026-0001号', 75)).toEqual(['编号', 'PY-2026-0001号']);
    expect(texts('abc def ghi', 40)).toEqual(['abc def', 'ghi']);
  });

  it('breaks an identifier longer than a line between characters instead of overflowing', () => {
    const lines = texts('ABCDEFGHIJKLMNO', 30);
    expect(lines).toEqual(['ABCDEF', 'GHIJKL', 'MNO']);
    for (const line of lines) expect(measure(line)).toBeLessThanOrEqual(30);
  });

  it('breaks at newlines and marks the line before each as last', () => {
    const lines = breakLines('一二\n三四\n\n五', 100, measure);
    expect(lines.map((l) => [l.text, l.last])).toEqual([
      ['一二', true],
      ['三四', true],
      ['', true],
      ['五', true],
    ]);
  });

  it('returns no lines for an empty text', () => {
    expect(breakLines('', 100, measure)).toEqual([]);
  });
});
