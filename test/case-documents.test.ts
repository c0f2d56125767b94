import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideAcceptance, decideImmediate, preAccept } from '../db/cases/case-decisions.ts';
import { registerCase } from '../db/cases/case-intake.ts';
import { CaseDocument } from '../db/entities/case-document.ts';
import { forkEm } from '../db/orm.ts';
import { DEMO_ACTORS } from '../gateway/auth/demo-actors.ts';
import { citizenId, IMMEDIATE_ITEM, requiredMaterials, TOLERANT_ITEM } from './kit/front-desk.ts';
import { startTestHub, type TestHub } from './kit/test-hub.ts';

function hasTool(name: string): boolean {
  try {
    execFileSync('which', [name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const paper = (item: typeof TOLERANT_ITEM, leaveOut: string[] = []) =>
  requiredMaterials(item, leaveOut).map((m) => ({
    checklistCode: m.checklistCode,
    medium: 'paper' as const,
    copies: m.copies,
  }));

const TITLES: Record<string, string> = {
  acceptance_notice: '受理通知书',
  correction_notice: '补齐补正材料通知书',
  refusal_decision: '不予受理决定书',
  deficiency_acceptance_notice: '容缺受理通知书',
  pre_acceptance_result: '网上申请预受理结果告知书',
  immediate_decision: '即办件审批决定书',
};

describe('document PDFs', () => {
  let hub: TestHub;
  let dir: string;
  const documents: { id: string; kind: string; number: string; caseNumber: string }[] = [];

  beforeAll(async () => {
    hub = await startTestHub();
    dir = mkdtempSync(path.join(tmpdir(), 'owh-pdf-'));
    const clerk = DEMO_ACTORS.clerk;
    const em = () => forkEm(hub.db.orm);
    const tolerable = TOLERANT_ITEM.materials.find((m) => m.required && m.tolerable)!;
    let serial = 400;
    const applicant = () => ({ type: 'person' as const, name: '欧阳娜娜', idNumber: citizenId(serial++) });

    const a = await registerCase(em(), clerk, {
      itemCode: TOLERANT_ITEM.code,
      channel: 'window',
      applicant: applicant(),
      materials: paper(TOLERANT_ITEM),
    });
    await decideAcceptance(em(), clerk, a.id, a.version, { type: 'accept' });
    const b = await registerCase(em(), clerk, {
      itemCode: TOLERANT_ITEM.code,
      channel: 'window',
      applicant: applicant(),
      materials: paper(TOLERANT_ITEM, [tolerable.code]),
    });
    await decideAcceptance(em(), clerk, b.id, b.version, { type: 'require_correction' });
    const c = await registerCase(em(), clerk, {
      itemCode: TOLERANT_ITEM.code,
      channel: 'window',
      applicant: applicant(),
      materials: paper(TOLERANT_ITEM),
    });
    await decideAcceptance(em(), clerk, c.id, c.version, {
      type: 'refuse',
      reasons: ['申请事项依法不需要取得行政许可'],
    });
    const d = await registerCase(em(), clerk, {
      itemCode: TOLERANT_ITEM.code,
      channel: 'window',
      applicant: applicant(),
      materials: paper(TOLERANT_ITEM, [tolerable.code]),
    });
    const tomorrowish = (await import('../db/calendar/index.ts'))
      .hallCalendar()
      .addWorkingDays(d.receivedOn, 2).date;
    await decideAcceptance(em(), clerk, d.id, d.version, {
      type: 'accept_with_deficiency',
      commitment: { materialCodes: [tolerable.code], supplyBy: tomorrowish },
    });
    const e = await registerCase(em(), clerk, {
      itemCode: TOLERANT_ITEM.code,
      channel: 'online',
      applicant: applicant(),
      materials: paper(TOLERANT_ITEM),
    });
    await preAccept(em(), clerk, e.id, e.version, { type: 'pass' });
    const f = await registerCase(em(), clerk, {
      itemCode: IMMEDIATE_ITEM.code,
      channel: 'window',
      applicant: applicant(),
      materials: paper(IMMEDIATE_ITEM),
    });
    const accepted = await decideAcceptance(em(), clerk, f.id, f.version, { type: 'accept' });
    await decideImmediate(
      em(),
      { ...DEMO_ACTORS.chief_representative, departmentCode: IMMEDIATE_ITEM.departmentCodes[0]! },
      f.id,
      accepted.hallCase.version,
      { approve: true, reasons: [] },
    );

    for (const doc of await em().find(CaseDocument, {}, { populate: ['case'] })) {
      documents.push({ id: doc.id, kind: doc.kind, number: doc.number, caseNumber: doc.case.number });
    }
  }, 60_000);
  afterAll(async () => {
    await hub?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function fetchPdf(id: string, token: string) {
    return fetch(`${hub.url}/documents/${id}.pdf`, { headers: { authorization: `Bearer ${token}` } });
  }

  it('issues every kind of document, each numbered', () => {
    expect(documents.map((d) => d.kind).sort()).toEqual(
      Object.keys(TITLES).concat('acceptance_notice').sort(),
    );
    expect(new Set(documents.map((d) => d.number)).size).toBe(documents.length);
  });

  it('serves each document as a PDF in Chinese, the same bytes every time', async () => {
    const clerk = await hub.token('clerk');
    for (const doc of documents) {
      const response = await fetchPdf(doc.id, clerk);
      expect(response.status, doc.kind).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
      const again = Buffer.from(await (await fetchPdf(doc.id, clerk)).arrayBuffer());
      expect(again.equals(bytes)).toBe(true);
      writeFileSync(path.join(dir, `${doc.kind}-${doc.id}.pdf`), bytes);
    }
  });

  it.skipIf(!hasTool('pdftotext'))('puts the title, number and case in real text (not boxes)', () => {
    for (const doc of documents) {
      const file = path.join(dir, `${doc.kind}-${doc.id}.pdf`);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      expect(text, doc.kind).toContain(TITLES[doc.kind]);
      expect(text.replace(/\s+/g, '')).toContain(doc.number);
      expect(text).toContain(doc.caseNumber);
      expect(text).not.toMatch(/\d{6}(19|20)\d{6}\d{3}[\dX]/);
    }
  });

  it.skipIf(!hasTool('pdftoppm'))('renders to a page that is not blank', () => {
    const doc = documents.find((d) => d.kind === 'correction_notice')!;
    const file = path.join(dir, `${doc.kind}-${doc.id}.pdf`);
    execFileSync('pdftoppm', ['-gray', '-r', '50', '-f', '1', '-l', '1', file, path.join(dir, 'page')]);
    const pgm = readFileSync(path.join(dir, 'page-1.pgm'));
    // Binary PGM: "P5\n<w> <h>\n<max>\n" then one byte per pixel.
    const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 40).toString('latin1'))!;
    const pixels = pgm.subarray(header[0].length);
    const dark = pixels.filter((p) => p < 128).length;
    expect(Number(header[1]) * Number(header[2])).toBe(pixels.length);
    expect(dark / pixels.length).toBeGreaterThan(0.005);
  });

  it('answers 403 alike for a document of another hall and one that does not exist', async () => {
    const otherHall = await hub.token('clerk', { hallCode: '410922' });
    const foreign = await fetchPdf(documents[0]!.id, otherHall);
    const missing = await fetchPdf('00000000-0000-4000-8000-000000000000', otherHall);
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toEqual(await missing.json());
    expect((await fetch(`${hub.url}/documents/${documents[0]!.id}.pdf`)).status).toBe(401);
  });
});
