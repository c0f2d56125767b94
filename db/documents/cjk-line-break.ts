/**
 * Line breaking for Chinese text with the basic 避头尾 rules, done here rather than by the PDF library so
 * that the renderer knows every line before it draws: table rows are measured exactly, page breaks fall
 * between lines, and body lines can be justified (Chinese text is set flush on both sides).
 */

/** Width in points of a text in the font and size the caller will draw it with. */
export type MeasureText = (text: string) => number;

/** One line as it will be drawn. */
export interface BrokenLine {
  text: string;
  /** Points to move the line right from the left edge: the first-line indent, else 0. */
  indent: number;
  /** True for the last line of a paragraph (or before a hard line break): such a line is never justified. */
  last: boolean;
}

/** Characters that may not start a line (行首禁则): they stay with the character before them. */
const NO_LINE_START = new Set([...'，。、；：？！）］｝》」』】〕〗〉”’…—～·‰％,.;:?!)]}%℃々']);
/** Characters that may not end a line (行尾禁则): they stay with the character after them. */
const NO_LINE_END = new Set([...'（［｛《「『【〔〖〈“‘([{']);
/**
 * Characters of Latin-script words, numbers and identifiers (办件编号 PY-2026-000123, masked 证件号码
 * 4109**********1234, e-mail addresses), which are kept whole unless longer than a line. Han characters
 * and the CJK symbols are excluded: a break may fall before or after each of them.
 */
const WORD_CHAR = /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Nd}\-_./:@#&+*'~=]$/u;

function isWordChar(ch: string): boolean {
  return WORD_CHAR.test(ch) && !NO_LINE_END.has(ch);
}

/** Splits one hard line into the pieces that must not be broken inside; spaces are pieces of their own. */
function unbreakablePieces(text: string): string[] {
  const pieces: string[] = [];
  let current = '';
  let previous = '';
  for (const ch of text) {
    if (/^\s$/u.test(ch)) {
      if (current) pieces.push(current);
      pieces.push(' ');
      current = '';
    } else if (
      current &&
      (NO_LINE_START.has(ch) || NO_LINE_END.has(previous) || (isWordChar(ch) && isWordChar(previous)))
    ) {
      current += ch;
    } else {
      if (current) pieces.push(current);
      current = ch;
    }
    previous = ch;
  }
  if (current) pieces.push(current);
  return pieces;
}

/**
 * Breaks `text` into lines at most `width` points wide. The first line is narrowed by `firstLineIndent`
 * (two characters for a body paragraph); `\n` forces a break. A piece wider than a whole line (a very long
 * identifier) is broken between characters, so no line overflows. Returns no lines for an empty text.
 */
export function breakLines(
  text: string,
  width: number,
  measure: MeasureText,
  firstLineIndent = 0,
): BrokenLine[] {
  const lines: BrokenLine[] = [];
  let indent = firstLineIndent;
  let line = '';
  const room = (): number => width - indent;
  const fits = (candidate: string): boolean => measure(candidate.trimEnd()) <= room() + 0.01;
  const finish = (last: boolean): void => {
    lines.push({ text: line.trimEnd(), indent, last });
    line = '';
    indent = 0;
  };
  const hardLines = text.replace(/\r\n?/g, '\n').split('\n');
  hardLines.forEach((hardLine, index) => {
    if (index === hardLines.length - 1 && hardLine === '' && index > 0) return;
    for (const piece of unbreakablePieces(hardLine)) {
      if (piece === ' ' && line === '') continue;
      if (fits(line + piece)) {
        line += piece;
        continue;
      }
      if (line.trim() !== '') finish(false);
      line = '';
      if (piece === ' ') continue;
      if (fits(piece)) {
        line = piece;
        continue;
      }
      for (const ch of piece) {
        if (line !== '' && !fits(line + ch)) finish(false);
        line += ch;
      }
    }
    if (line !== '' || index < hardLines.length - 1 || lines.length === 0) finish(true);
  });
  return text === '' ? [] : lines;
}
