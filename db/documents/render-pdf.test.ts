import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderDocumentPdf } from './render-pdf.ts';
import {
  sampleAcceptanceNotice,
  sampleCorrectionNotice,
  sampleLongCorrectionNotice,
} from './sample-documents.ts';

/** Poppler's tools are optional here (CI installs poppler-utils): the checks that need one skip without it. */
function hasTool(name: string): boolean {
  return spawnSync(name, ['-v'], { stdio: 'ignore' }).error === undefined;
}

const dir = mkdtempSync(join(tmpdir(), 'render-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
function writePdf(bytes: Uint8Array): string {
  const path = join(dir, `document-${++fileCount}.pdf`);
  writeFileSync(path, bytes);
  return path;
}

function run(tool: string, args: string[]): string {
  const result = spawnSync(tool, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/** The text of each page in drawing order, with all white space removed (pdftotext drops or adds some). */
function pageTexts(path: string): string[] {
  const pages = run('pdftotext', ['-raw', '-enc', 'UTF-8', path, '-']).split('\f');
  if (pages.at(-1)?.trim() === '') pages.pop();
  return pages.map((page) => page.replace(/\s+/g, ''));
}

/** Page objects in the file: pdfkit writes no object streams, so each page is a plain `/Type /Page`. */
function pageObjectCount(bytes: Uint8Array): number {
  return (
    Buffer.from(bytes)
      .toString('latin1')
      .match(/\/Type \/Page\b/g)?.length ?? 0
  );
}

/** Share of pixels darker than mid-grey on page 1 rendered at 50 dpi: near 0 for a blank page. */
function darkShareOfPageOne(path: string): number {
  const out = join(dir, `page-${++fileCount}`);
  run('pdftoppm', ['-gray', '-r', '50', '-f', '1', '-l', '1', '-singlefile', path, out]);
  const pgm = readFileSync(`${out}.pgm`);
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.toString('latin1', 0, 64));
  if (!header) throw new Error('pdftoppm did not write a binary PGM');
  const [, width = '0', height = '0'] = header;
  const pixels = pgm.subarray(header[0].length);
  expect(pixels.length).toBe(Number(width) * Number(height));
  let dark = 0;
  for (const value of pixels) if (value < 128) dark++;
  return dark / pixels.length;
}

function expectWellFormed(bytes: Uint8Array): void {
  const text = Buffer.from(bytes).toString('latin1');
  expect(text.startsWith('%PDF-')).toBe(true);
  expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
  expect(bytes.byteLength).toBeLessThan(1024 * 1024);
}

describe('renderDocumentPdf: 补齐补正通知书 with eight materials', async () => {
  const doc = sampleCorrectionNotice();
  const bytes = await renderDocumentPdf(doc);
  const path = writePdf(bytes);

  it('is a PDF well under 1 MB (fonts are subset) on two pages', () => {
    expectWellFormed(bytes);
    expect(bytes.byteLength).toBeLessThan(200 * 1024);
    expect(pageObjectCount(bytes)).toBe(2);
  });

  it.skipIf(!hasTool('pdftotext'))('holds the Chinese text as real text, not boxes', () => {
    const pages = pageTexts(path);
    const all = pages.join('');
    expect(all).toContain('补齐补正通知书');
    expect(all).toContain(doc.number);
    expect(all).toContain(`${doc.addressee}：`);
    for (const material of doc.materials ?? []) expect(all).toContain(material.name);
    expect(all).toContain('平面图未标注粗加工、切配、烹饪、餐用具清洗消毒等功能区位置及面积');
    expect(all).toContain('统一社会信用代码91410902MA4******7');
    expect(all).toContain('特此通知。');
    expect(all).toContain('濮阳市政务服务中心二〇二六年十一月二十五日');
    expect(pages).toHaveLength(2);
    pages.forEach((page, index) => {
      expect(page).toContain(`第${index + 1}页共2页`);
      expect(page).toContain('咨询电话：0393-8990000');
    });
  });

  it.skipIf(!hasTool('pdftoppm'))('renders page 1 with visible ink', () => {
    expect(darkShareOfPageOne(path)).toBeGreaterThan(0.005);
  });

  it.skipIf(!hasTool('pdfinfo'))('carries the metadata: title, hall as author, creator, issue date', () => {
    const info = run('pdfinfo', ['-isodates', path]);
    expect(info).toMatch(/^Title:\s+补齐补正通知书$/m);
    expect(info).toMatch(/^Author:\s+濮阳市政务服务中心$/m);
    expect(info).toMatch(/^Creator:\s+OneWindow Hub$/m);
    expect(info).toMatch(/^Subject:\s+濮政服补字〔2026〕第000123号$/m);
    expect(info).toMatch(/^CreationDate:\s+2026-11-24T16:00:00Z$/m);
    expect(info).toMatch(/^Page size:\s+595\.28 x 841\.89 pts \(A4\)$/m);
  });

  it('gives the same bytes when the same document is rendered again', async () => {
    const again = await renderDocumentPdf(sampleCorrectionNotice());
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
    const later = await renderDocumentPdf({ ...doc, issuedOn: '2026-11-26' });
    expect(Buffer.from(later).equals(Buffer.from(bytes))).toBe(false);
  });
});

describe('renderDocumentPdf: 受理通知书', async () => {
  const doc = sampleAcceptanceNotice();
  const bytes = await renderDocumentPdf(doc);
  const path = writePdf(bytes);

  it('is a one-page PDF well under 1 MB', () => {
    expectWellFormed(bytes);
    expect(pageObjectCount(bytes)).toBe(1);
  });

  it.skipIf(!hasTool('pdftotext'))('holds the title, number, facts and signature as text', () => {
    const [page = ''] = pageTexts(path);
    expect(page).toContain('受理通知书');
    expect(page).toContain(doc.number);
    expect(page).toContain('承诺办结日期2026年12月11日（承诺时限7个工作日）');
    expect(page).toContain('本中心决定予以受理');
    expect(page).toContain('二〇二六年十二月一日');
    expect(page).toContain('第1页共1页');
    expect(page).not.toContain('材料名称');
  });

  it.skipIf(!hasTool('pdftoppm'))('renders page 1 with visible ink', () => {
    expect(darkShareOfPageOne(path)).toBeGreaterThan(0.005);
  });
});

describe('renderDocumentPdf: a materials table of forty rows', async () => {
  const doc = sampleLongCorrectionNotice(40);
  const bytes = await renderDocumentPdf(doc);
  const path = writePdf(bytes);

  it('continues over several pages and stays small', () => {
    expectWellFormed(bytes);
    expect(pageObjectCount(bytes)).toBeGreaterThanOrEqual(3);
  });

  it.skipIf(!hasTool('pdftotext'))(
    'repeats the table header and numbers every page, and loses no row',
    () => {
      const pages = pageTexts(path);
      expect(pages.length).toBe(pageObjectCount(bytes));
      pages.forEach((page, index) => {
        expect(page).toContain(`第${index + 1}页共${pages.length}页`);
        expect(page).toContain('序号材料名称状态说明');
      });
      const all = pages.join('');
      for (const material of doc.materials ?? []) expect(all).toContain(material.name);
      expect(pages.at(-1)).toContain('二〇二六年十一月二十五日');
    },
  );
});

describe('renderDocumentPdf: input it refuses', () => {
  it('rejects an issue date that is not a calendar date', async () => {
    await expect(renderDocumentPdf({ ...sampleAcceptanceNotice(), issuedOn: '2026-02-30' })).rejects.toThrow(
      RangeError,
    );
  });
});

describe('renderDocumentPdf: a table cell longer than a page', async () => {
  const note = '申请人称该材料已于前次申请时提交，经核查档案未见原件，请重新提交经公证的复印件。'.repeat(60);
  const doc = {
    ...sampleAcceptanceNotice(),
    facts: [{ label: '审查意见', value: note }, ...sampleAcceptanceNotice().facts],
  };
  const bytes = await renderDocumentPdf(doc);
  const path = writePdf(bytes);

  it('cuts the row between lines instead of running off the page', () => {
    expectWellFormed(bytes);
    expect(pageObjectCount(bytes)).toBeGreaterThanOrEqual(2);
  });

  it.skipIf(!hasTool('pdftotext'))('keeps every line of the cut cell', () => {
    const body = (page: string) => page.slice(0, page.indexOf('咨询电话'));
    const all = pageTexts(path).map(body).join('');
    expect(all).toContain(note);
    expect(all).toContain('办件编号PY-2026-1125-000123');
  });
});
