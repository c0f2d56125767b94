import PDFDocument from 'pdfkit';
import { chineseDate } from './chinese-date.ts';
import { type BrokenLine, breakLines, type MeasureText } from './cjk-line-break.ts';
import { documentFonts } from './document-fonts.ts';
import type { HallDocument, HallDocumentMaterial } from './hall-document.ts';

type Pdf = PDFKit.PDFDocument;

/** Points per millimetre. */
const MM = 72 / 25.4;
const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
/**
 * Page margins: left and right as GB/T 9704 sets them for official documents (订口 28 mm, 26 mm); top and
 * bottom 30 mm, less than its 37/35 mm because a hall notice has no 版头 and its footer sits in the bottom
 * margin, so that a usual notice fits on one or two pages.
 */
const MARGINS = { top: 30 * MM, bottom: 30 * MM, left: 28 * MM, right: 26 * MM };
const LEFT = MARGINS.left;
const RIGHT = PAGE_WIDTH - MARGINS.right;
const WIDTH = RIGHT - LEFT;
const TOP = MARGINS.top;
const BOTTOM = PAGE_HEIGHT - MARGINS.bottom;
/** Top of a Han character's em box above the baseline, as a fraction of the font size (Noto Sans SC). */
const EM_BOX_ASCENT = 0.88;

const FONT_REGULAR = 'noto-sans-sc-regular';
const FONT_BOLD = 'noto-sans-sc-bold';

interface TextStyle {
  font: typeof FONT_REGULAR | typeof FONT_BOLD;
  size: number;
  /** Distance from one line's top to the next's. */
  leading: number;
  color: string;
}

const STYLES = {
  /** 二号 bold. */
  title: { font: FONT_BOLD, size: 22, leading: 36, color: '#000000' },
  /** 四号 for the number and the body: a hall notice is read across the counter, so not smaller. */
  body: { font: FONT_REGULAR, size: 14, leading: 25, color: '#000000' },
  /** 五号 in tables, as in printed forms, so that long material names take few lines. */
  cell: { font: FONT_REGULAR, size: 10.5, leading: 16, color: '#000000' },
  cellHead: { font: FONT_BOLD, size: 10.5, leading: 16, color: '#000000' },
  footer: { font: FONT_REGULAR, size: 9, leading: 13, color: '#444444' },
  pageNumber: { font: FONT_REGULAR, size: 10.5, leading: 14, color: '#000000' },
} satisfies Record<string, TextStyle>;

const CELL_PAD_X = 5;
const CELL_PAD_Y = 4;
const RULE_WIDTH = 0.6;
const HEAD_FILL = '#eeeeee';
const LABEL_FILL = '#f5f5f5';

type Align = 'left' | 'right' | 'center' | 'justify';

/** Where the next block goes: the page being filled and the y of its next free line. */
interface Flow {
  pdf: Pdf;
  y: number;
}

function useStyle(pdf: Pdf, style: TextStyle): void {
  pdf.font(style.font).fontSize(style.size).fillColor(style.color);
}

function measureIn(pdf: Pdf, style: TextStyle): MeasureText {
  return (text) => {
    pdf.font(style.font).fontSize(style.size);
    return pdf.widthOfString(text);
  };
}

function newPage(flow: Flow): void {
  flow.pdf.addPage();
  flow.y = TOP;
}

/** Starts a new page unless `height` still fits on this one (or this page is still empty). */
function ensureRoom(flow: Flow, height: number): void {
  if (flow.y + height > BOTTOM + 0.01 && flow.y > TOP + 0.01) newPage(flow);
}

/** Draws one line of text in the line box whose top is `lineTop`, with the Han em box centred in it. */
function drawLine(pdf: Pdf, style: TextStyle, text: string, x: number, lineTop: number, spacing = 0): void {
  if (text === '') return;
  useStyle(pdf, style);
  const baseline = lineTop + (style.leading - style.size) / 2 + EM_BOX_ASCENT * style.size;
  pdf.text(text, x, baseline, { lineBreak: false, baseline: 'alphabetic', characterSpacing: spacing });
}

/**
 * Where a line starts and how much space to add between its characters. Justified lines (all but a
 * paragraph's last) are spread to the full width, as Chinese text is set, unless that would open gaps wider
 * than half a character (a line cut short before a long identifier stays ragged instead).
 */
function placeLine(
  line: BrokenLine,
  align: Align,
  left: number,
  width: number,
  measure: MeasureText,
  style: TextStyle,
): { x: number; spacing: number } {
  const textWidth = measure(line.text);
  if (align === 'right') return { x: left + width - textWidth, spacing: 0 };
  if (align === 'center') return { x: left + (width - textWidth) / 2, spacing: 0 };
  const x = left + line.indent;
  const glyphs = [...line.text].length;
  if (align === 'left' || line.last || glyphs < 2) return { x, spacing: 0 };
  const spacing = (width - line.indent - textWidth) / (glyphs - 1);
  return { x, spacing: spacing > 0 && spacing <= style.size / 2 ? spacing : 0 };
}

/** Sets a paragraph in the full text width, line by line, breaking pages between lines. */
function drawParagraph(flow: Flow, text: string, style: TextStyle, align: Align, firstLineIndent = 0): void {
  const measure = measureIn(flow.pdf, style);
  for (const line of breakLines(text, WIDTH, measure, firstLineIndent)) {
    ensureRoom(flow, style.leading);
    const { x, spacing } = placeLine(line, align, LEFT, WIDTH, measure, style);
    drawLine(flow.pdf, style, line.text, x, flow.y, spacing);
    flow.y += style.leading;
  }
}

interface TableColumn {
  width: number;
  align: Align;
}

interface TableCell {
  text: string;
  style: TextStyle;
  fill?: string;
  /** Overrides the column's alignment (header cells are centred). */
  align?: Align;
}

interface LaidOutRow {
  height: number;
  cells: { lines: BrokenLine[]; style: TextStyle; fill: string | undefined; align: Align | undefined }[];
}

type LaidOutCell = LaidOutRow['cells'][number];

function rowOf(cells: LaidOutCell[]): LaidOutRow {
  const height =
    Math.max(...cells.map((cell) => Math.max(1, cell.lines.length) * cell.style.leading)) + 2 * CELL_PAD_Y;
  return { height, cells };
}

function layOutRow(pdf: Pdf, columns: TableColumn[], cells: TableCell[]): LaidOutRow {
  return rowOf(
    cells.map((cell, index) => {
      const inner = (columns[index]?.width ?? WIDTH) - 2 * CELL_PAD_X;
      return {
        lines: breakLines(cell.text, inner, measureIn(pdf, cell.style)),
        style: cell.style,
        fill: cell.fill,
        align: cell.align,
      };
    }),
  );
}

/**
 * Cuts a row taller than a whole page into the lines that fit in `room` and the rest; undefined when not
 * one line fits.
 */
function splitRow(row: LaidOutRow, room: number): { fits: LaidOutRow; rest: LaidOutRow } | undefined {
  const counts = row.cells.map((cell) => Math.floor((room - 2 * CELL_PAD_Y) / cell.style.leading));
  if (counts.some((count) => count < 1)) return undefined;
  return {
    fits: rowOf(row.cells.map((cell, index) => ({ ...cell, lines: cell.lines.slice(0, counts[index]) }))),
    rest: rowOf(row.cells.map((cell, index) => ({ ...cell, lines: cell.lines.slice(counts[index]) }))),
  };
}

/** Draws a row whose top is `top`: fills, then text centred vertically in each cell, then the rules. */
function drawRow(pdf: Pdf, columns: TableColumn[], row: LaidOutRow, top: number): void {
  let x = LEFT;
  row.cells.forEach((cell, index) => {
    const column = columns[index];
    if (!column) return;
    if (cell.fill) pdf.save().rect(x, top, column.width, row.height).fill(cell.fill).restore();
    const inner = column.width - 2 * CELL_PAD_X;
    const measure = measureIn(pdf, cell.style);
    let lineTop = top + (row.height - cell.lines.length * cell.style.leading) / 2;
    for (const line of cell.lines) {
      const { x: lineX } = placeLine(
        line,
        cell.align ?? column.align,
        x + CELL_PAD_X,
        inner,
        measure,
        cell.style,
      );
      drawLine(pdf, cell.style, line.text, lineX, lineTop);
      lineTop += cell.style.leading;
    }
    x += column.width;
  });
  pdf.save().lineWidth(RULE_WIDTH).strokeColor('#000000');
  x = LEFT;
  for (const column of columns) {
    pdf.rect(x, top, column.width, row.height).stroke();
    x += column.width;
  }
  pdf.restore();
}

/**
 * Draws a table over as many pages as it needs, repeating the header row (if any) at the top of each
 * continuation page so that every page can be read on its own. A row moves to the next page whole when it
 * does not fit; only a row taller than a whole page is cut between lines.
 */
function drawTable(flow: Flow, columns: TableColumn[], rows: TableCell[][], header?: TableCell[]): void {
  const laidRows = rows.map((cells) => layOutRow(flow.pdf, columns, cells));
  const head = header ? layOutRow(flow.pdf, columns, header) : undefined;
  const first = laidRows[0];
  if (!first) return;
  const pageRoom = BOTTOM - TOP - (head?.height ?? 0);
  const drawHead = (): void => {
    if (!head) return;
    drawRow(flow.pdf, columns, head, flow.y);
    flow.y += head.height;
  };
  const continueOnNewPage = (): void => {
    newPage(flow);
    drawHead();
  };
  // The header never stands alone at the foot of a page: with it go the first row, or three lines of it.
  ensureRoom(flow, (head?.height ?? 0) + Math.min(first.height, 2 * CELL_PAD_Y + 3 * STYLES.cell.leading));
  drawHead();
  for (const laid of laidRows) {
    let row = laid;
    if (flow.y + row.height > BOTTOM + 0.01 && row.height <= pageRoom) continueOnNewPage();
    while (flow.y + row.height > BOTTOM + 0.01) {
      const split = splitRow(row, BOTTOM - flow.y);
      if (split) {
        drawRow(flow.pdf, columns, split.fits, flow.y);
        row = split.rest;
      }
      continueOnNewPage();
    }
    drawRow(flow.pdf, columns, row, flow.y);
    flow.y += row.height;
  }
}

function drawFacts(flow: Flow, facts: HallDocument['facts']): void {
  const labelWidth = 8 * STYLES.cell.size + 2 * CELL_PAD_X;
  const columns: TableColumn[] = [
    { width: labelWidth, align: 'center' },
    { width: WIDTH - labelWidth, align: 'left' },
  ];
  drawTable(
    flow,
    columns,
    facts.map((fact) => [
      { text: fact.label, style: STYLES.cell, fill: LABEL_FILL },
      { text: fact.value, style: STYLES.cell },
    ]),
  );
}

function drawMaterials(flow: Flow, materials: HallDocumentMaterial[]): void {
  const withNotes = materials.some((material) => (material.note ?? '') !== '');
  const numberWidth = 2 * STYLES.cell.size + 2 * CELL_PAD_X;
  const statusWidth = 5 * STYLES.cell.size + 2 * CELL_PAD_X;
  const rest = WIDTH - numberWidth - statusWidth;
  const nameWidth = withNotes ? Math.round(rest * 0.58) : rest;
  const columns: TableColumn[] = [
    { width: numberWidth, align: 'center' },
    { width: nameWidth, align: 'left' },
    { width: statusWidth, align: 'center' },
  ];
  const header: TableCell[] = ['序号', '材料名称', '状态'].map((text) => ({
    text,
    style: STYLES.cellHead,
    fill: HEAD_FILL,
    align: 'center',
  }));
  if (withNotes) {
    columns.push({ width: rest - nameWidth, align: 'left' });
    header.push({ text: '说明', style: STYLES.cellHead, fill: HEAD_FILL, align: 'center' });
  }
  const rows = materials.map((material, index) => {
    const cells: TableCell[] = [
      { text: String(index + 1), style: STYLES.cell },
      { text: material.name, style: STYLES.cell },
      { text: material.status, style: STYLES.cell },
    ];
    if (withNotes) cells.push({ text: material.note ?? '', style: STYLES.cell });
    return cells;
  });
  drawTable(flow, columns, rows, header);
}

/**
 * The closing lines and the signature (hall name, then the date), kept together on one page and set
 * flush right two characters in from the right margin, where the seal will be placed over them.
 */
function drawClosing(flow: Flow, doc: HallDocument, dateText: string): void {
  const style = STYLES.body;
  const measure = measureIn(flow.pdf, style);
  const signatureRight = RIGHT - 2 * style.size;
  const closing = doc.closing.flatMap((text) => breakLines(text, signatureRight - LEFT, measure));
  const hallName = breakLines(doc.hallName, signatureRight - LEFT, measure);
  ensureRoom(flow, (1 + closing.length + hallName.length + 1) * style.leading);
  flow.y += style.leading;
  for (const line of [...closing, ...hallName, { text: dateText }]) {
    drawLine(flow.pdf, style, line.text, Math.max(LEFT, signatureRight - measure(line.text)), flow.y);
    flow.y += style.leading;
  }
}

/** Footer text (at most two lines) under a thin rule, and 第 N 页 共 M 页, on every page. */
function drawPageFooters(pdf: Pdf, footer: string | undefined): void {
  const range = pdf.bufferedPageRange();
  const footerMeasure = measureIn(pdf, STYLES.footer);
  const footerLines = footer ? breakLines(footer, WIDTH, footerMeasure) : [];
  if (footerLines.length > 2) {
    let second = footerLines[1]?.text ?? '';
    while (second !== '' && footerMeasure(`${second}…`) > WIDTH) second = [...second].slice(0, -1).join('');
    footerLines.splice(1, footerLines.length - 1, { text: `${second}…`, indent: 0, last: true });
  }
  const pageMeasure = measureIn(pdf, STYLES.pageNumber);
  for (let index = 0; index < range.count; index++) {
    pdf.switchToPage(range.start + index);
    let y = BOTTOM + 10;
    if (footerLines.length > 0) {
      pdf.save().lineWidth(0.5).strokeColor('#888888').moveTo(LEFT, y).lineTo(RIGHT, y).stroke().restore();
      y += 4;
      for (const line of footerLines) {
        drawLine(pdf, STYLES.footer, line.text, LEFT, y);
        y += STYLES.footer.leading;
      }
    }
    const pageText = `第 ${index + 1} 页 共 ${range.count} 页`;
    const x = LEFT + (WIDTH - pageMeasure(pageText)) / 2;
    drawLine(pdf, STYLES.pageNumber, pageText, x, BOTTOM + 44);
  }
}

function concatChunks(chunks: Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * Renders a hall document as an A4 PDF laid out like a Chinese official notice: the title centred, the
 * document number under it on the right, `addressee：`, body paragraphs indented two characters and
 * justified, the facts table, the materials table (over several pages when long, header repeated), the
 * closing lines and the signature (hall name over the date in Chinese numerals), and on every page the
 * footer and 第 N 页 共 M 页.
 *
 * The text is real text in an embedded subset of Noto Sans SC (search and copy work, and only the glyphs
 * used are embedded, so a one-page notice stays small). The metadata (title, author = hall, creator, creation
 * date = the issue date at 00:00 China time) is fixed by the document, so rendering the same document twice
 * gives the same bytes: a stored PDF can be re-rendered and compared, and its hash is stable.
 *
 * Throws a RangeError when `issuedOn` is not a real YYYY-MM-DD date.
 */
export async function renderDocumentPdf(doc: HallDocument): Promise<Uint8Array> {
  const dateText = chineseDate(doc.issuedOn);
  const issuedAt = new Date(`${doc.issuedOn}T00:00:00+08:00`);
  const fonts = documentFonts();
  const pdf = new PDFDocument({
    size: 'A4',
    margins: MARGINS,
    bufferPages: true,
    pdfVersion: '1.7',
    lang: 'zh-CN',
    displayTitle: true,
    info: {
      Title: doc.title,
      Author: doc.hallName,
      Subject: doc.number,
      Keywords: doc.kind,
      Creator: 'OneWindow Hub',
      CreationDate: issuedAt,
      ModDate: issuedAt,
    },
  });
  const chunks: Uint8Array[] = [];
  const finished = new Promise<void>((resolve, reject) => {
    pdf.on('data', (chunk: Uint8Array) => chunks.push(chunk));
    pdf.on('end', resolve);
    pdf.on('error', reject);
  });
  pdf.registerFont(FONT_REGULAR, fonts.regular);
  pdf.registerFont(FONT_BOLD, fonts.bold);

  const flow: Flow = { pdf, y: TOP };
  drawParagraph(flow, doc.title, STYLES.title, 'center');
  flow.y += 4;
  drawParagraph(flow, doc.number, STYLES.body, 'right');
  flow.y += 14;
  if (doc.addressee !== '') {
    const addressee = /[：:]$/.test(doc.addressee) ? doc.addressee : `${doc.addressee}：`;
    drawParagraph(flow, addressee, STYLES.body, 'left');
  }
  for (const paragraph of doc.paragraphs) {
    drawParagraph(flow, paragraph, STYLES.body, 'justify', 2 * STYLES.body.size);
  }
  if (doc.facts.length > 0) {
    flow.y += 10;
    drawFacts(flow, doc.facts);
  }
  if (doc.materials && doc.materials.length > 0) {
    flow.y += 12;
    drawMaterials(flow, doc.materials);
  }
  drawClosing(flow, doc, dateText);
  drawPageFooters(pdf, doc.footer);

  pdf.end();
  await finished;
  return concatChunks(chunks);
}
