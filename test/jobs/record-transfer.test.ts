import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideAcceptance } from '../../db/cases/case-decisions.ts';
import { registerCase } from '../../db/cases/case-intake.ts';
import {
  loadCaseForPackages,
  packageOf,
  pendingTransfers,
  recordTransfer,
} from '../../db/cases/case-transfer.ts';
import { verifyAuditTrail } from '../../db/cases/verify-audit.ts';
import { Case } from '../../db/entities/case.ts';
import { CaseDepartmentTask } from '../../db/entities/case-department-task.ts';
import { CaseEvent } from '../../db/entities/case-event.ts';
import { forkEm } from '../../db/orm.ts';
import { catalogue } from '../../db/seed/catalogue/index.ts';
import { DEMO_ACTORS } from '../../gateway/auth/demo-actors.ts';
import { eventually } from '../kit/eventually.ts';
import { citizenId } from '../kit/front-desk.ts';
import { createTestDatabase, type TestDatabase } from '../kit/test-database.ts';

describe('recording a handover', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('records it once however often it is recorded, with one timeline event', async () => {
    // One material electronic: its file's hash and type go into the package.
    const sha256 = createHash('sha256').update('交接测试的电子材料').digest('hex');
    await forkEm(db.orm).execute(
      `insert into blob (sha256, size, media_type, created_at) values (?, 1024, 'application/pdf', now())`,
      [sha256],
    );
    const c = await registerCase(forkEm(db.orm), DEMO_ACTORS.clerk, {
      itemCode: 'BDC-003',
      channel: 'window',
      applicant: { type: 'person', name: '交接测试', idNumber: citizenId(7, '19700101') },
      materials: ['M01', 'M02', 'M03', 'M04', 'M05'].map((checklistCode) =>
        checklistCode === 'M02'
          ? { checklistCode, medium: 'electronic' as const, blobId: sha256 }
          : { checklistCode, medium: 'paper' as const },
      ),
    });
    const outcome = await decideAcceptance(forkEm(db.orm), DEMO_ACTORS.clerk, c.id, c.version, {
      type: 'accept',
    });
    expect(outcome.kind).toBe('accepted');
    db.statements.length = 0;
    const [transfer, ...more] = await pendingTransfers(forkEm(db.orm), c.id);
    expect(more).toHaveLength(0);
    // The case with its item's departments, checklist, applicant, materials and tasks: one statement.
    expect(db.statements).toHaveLength(1);
    // The same package as the one built from the case's entities (the platform's and supplements' way).
    const loaded = await loadCaseForPackages(forkEm(db.orm), c.id);
    expect(transfer!.pkg).toEqual(packageOf(loaded!, 'land_resources', transfer!.pkg.idempotencyKey));
    expect(transfer!.pkg.materials.map((m) => m.code)).toEqual(['M01', 'M02', 'M03', 'M04', 'M05']);
    expect(transfer!.pkg.materials[1]).toMatchObject({
      medium: 'electronic',
      sha256,
      mediaType: 'application/pdf',
    });
    expect(transfer).toMatchObject({ caseId: c.id, departmentCode: 'land_resources', position: 0 });
    db.statements.length = 0;
    db.statements.length = 0;
    const result = { adapter: 'real-estate', departmentRef: 'REF-1' };
    await recordTransfer(forkEm(db.orm), transfer!, result);
    // The version-checked update of the case (from the version and audit head its transfer was read
    // with), the task and its timeline event: one statement.
    expect(db.statements).toHaveLength(1);
    await recordTransfer(forkEm(db.orm), transfer!, result); // a job run twice
    const em = forkEm(db.orm);
    expect(await em.count(CaseDepartmentTask, { case: c.id })).toBe(1);
    expect(await em.count(CaseEvent, { case: c.id, type: 'handed_over' })).toBe(1);
    expect(await pendingTransfers(forkEm(db.orm), c.id)).toEqual([]);
    const task = await em.findOneOrFail(CaseDepartmentTask, { case: c.id });
    expect(task).toMatchObject({
      departmentCode: 'land_resources',
      adapter: 'real-estate',
      idempotencyKey: transfer!.pkg.idempotencyKey,
      status: 'transferred',
      departmentRef: 'REF-1',
      position: 0,
      dueOn: null,
      paperCount: 4,
      decidedAt: null,
    });
    expect(task.supplementedAt).toEqual(task.transferredAt);
    const event = await em.findOneOrFail(CaseEvent, { case: c.id, type: 'handed_over' });
    expect(event.changes).toEqual({
      department: [null, 'land_resources'],
      via: [null, 'real-estate'],
      departmentRef: [null, 'REF-1'],
      materials: [null, 5],
      paperAwaitingSignature: [null, 4],
    });
    // The event extends the case's audit chain, and the case moved to a new version.
    const audit = await verifyAuditTrail(forkEm(db.orm), { caseId: c.id });
    expect(audit.broken).toEqual([]);
    expect(audit.eventsChecked).toBe(event.seq);
    const after = await em.findOneOrFail(Case, c.id);
    expect(after).toMatchObject({
      eventCount: event.seq,
      auditHead: event.hash,
      version: outcome.hallCase.version + 1,
    });
  });

  it('reads the case again when it changed between the read and the write', async () => {
    const c = await registerCase(forkEm(db.orm), DEMO_ACTORS.clerk, {
      itemCode: 'BDC-003',
      channel: 'window',
      applicant: { type: 'person', name: '交接测试', idNumber: citizenId(8, '19700101') },
      materials: ['M01', 'M02', 'M03', 'M04', 'M05'].map((checklistCode) => ({
        checklistCode,
        medium: 'paper' as const,
      })),
    });
    const accepted = await decideAcceptance(forkEm(db.orm), DEMO_ACTORS.clerk, c.id, c.version, {
      type: 'accept',
    });
    expect(accepted.kind).toBe('accepted');
    const [transfer] = await pendingTransfers(forkEm(db.orm), c.id);
    // Another step of the case (a clerk's, say) holds its row, uncommitted, with a new version.
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query('begin');
      await other.query('update hall_case set version = version + 1 where id = $1', [c.id]);
      db.statements.length = 0;
      const writing = recordTransfer(forkEm(db.orm), transfer!, {
        adapter: 'real-estate',
        departmentRef: 'REF-2',
      });
      // The handover, built from the old version, waits for the row; the other step commits.
      await eventually(async () => {
        const { rows } = await other.query<{ waiting: number }>(
          `select count(*)::int as waiting from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock'`,
        );
        return rows[0]!.waiting > 0;
      }, 10_000);
      await other.query('commit');
      await writing;
    } finally {
      await other.end();
    }
    // Write (found another version), read the case again, write.
    expect(db.statements.filter((sql) => sql.startsWith('select status, event_count'))).toHaveLength(1);
    expect(db.statements).toHaveLength(3);
    const em = forkEm(db.orm);
    expect(await em.count(CaseDepartmentTask, { case: c.id })).toBe(1);
    expect((await em.findOneOrFail(Case, c.id)).version).toBe(accepted.hallCase.version + 2);
    expect((await verifyAuditTrail(forkEm(db.orm), { caseId: c.id })).broken).toEqual([]);
  });

  it('hands a case to several departments one after another, each handover from the last one written', async () => {
    // 存量房买卖: housing, tax and registration at once (并联).
    const item = catalogue.items.find((i) => i.code === 'BDC-002')!;
    const c = await registerCase(forkEm(db.orm), DEMO_ACTORS.clerk, {
      itemCode: item.code,
      channel: 'window',
      applicant: { type: 'person', name: '交接测试', idNumber: citizenId(9, '19700101') },
      materials: item.materials
        .filter((m) => m.required)
        .map((m) => ({ checklistCode: m.code, medium: 'paper' as const })),
    });
    const accepted = await decideAcceptance(forkEm(db.orm), DEMO_ACTORS.clerk, c.id, c.version, {
      type: 'accept',
    });
    expect(accepted.kind).toBe('accepted');
    const transfers = await pendingTransfers(forkEm(db.orm), c.id);
    expect(transfers.length).toBeGreaterThan(1);
    db.statements.length = 0;
    for (const [i, transfer] of transfers.entries())
      await recordTransfer(forkEm(db.orm), transfer, { adapter: 'back-office', departmentRef: `REF-${i}` });
    // No handover found the case changed under it: one statement each.
    expect(db.statements).toHaveLength(transfers.length);
    const em = forkEm(db.orm);
    expect((await em.find(CaseDepartmentTask, { case: c.id })).map((t) => t.departmentCode).sort()).toEqual(
      transfers.map((t) => t.departmentCode).sort(),
    );
    expect((await em.findOneOrFail(Case, c.id)).version).toBe(accepted.hallCase.version + transfers.length);
    expect((await verifyAuditTrail(forkEm(db.orm), { caseId: c.id })).broken).toEqual([]);
  });
});
