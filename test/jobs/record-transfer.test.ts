import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideAcceptance } from '../../db/cases/case-decisions.ts';
import { registerCase } from '../../db/cases/case-intake.ts';
import { pendingTransfers, recordTransfer } from '../../db/cases/case-transfer.ts';
import { CaseDepartmentTask } from '../../db/entities/case-department-task.ts';
import { CaseEvent } from '../../db/entities/case-event.ts';
import { forkEm } from '../../db/orm.ts';
import { DEMO_ACTORS } from '../../gateway/auth/demo-actors.ts';
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
    const c = await registerCase(forkEm(db.orm), DEMO_ACTORS.clerk, {
      itemCode: 'BDC-003',
      channel: 'window',
      applicant: { type: 'person', name: '交接测试', idNumber: citizenId(7, '19700101') },
      materials: ['M01', 'M02', 'M03', 'M04', 'M05'].map((checklistCode) => ({
        checklistCode,
        medium: 'paper' as const,
      })),
    });
    const outcome = await decideAcceptance(forkEm(db.orm), DEMO_ACTORS.clerk, c.id, c.version, {
      type: 'accept',
    });
    expect(outcome.kind).toBe('accepted');
    db.statements.length = 0;
    const [transfer, ...more] = await pendingTransfers(forkEm(db.orm), c.id);
    expect(more).toHaveLength(0);
    // The case with its item's departments and checklist (joined), its materials, its tasks.
    expect(db.statements).toHaveLength(3);
    db.statements.length = 0;
    const result = { adapter: 'real-estate', departmentRef: 'REF-1' };
    await recordTransfer(forkEm(db.orm), transfer!, result);
    // The case (fresh version and audit head), the task, its timeline event, the version-checked update.
    expect(db.statements).toHaveLength(4);
    await recordTransfer(forkEm(db.orm), transfer!, result); // a job run twice
    const em = forkEm(db.orm);
    expect(await em.count(CaseDepartmentTask, { case: c.id })).toBe(1);
    expect(await em.count(CaseEvent, { case: c.id, type: 'handed_over' })).toBe(1);
    expect(await pendingTransfers(forkEm(db.orm), c.id)).toEqual([]);
  });
});
