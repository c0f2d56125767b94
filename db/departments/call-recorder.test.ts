import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/kit/test-database.ts';
import { DepartmentCall } from '../entities/department-call.ts';
import { forkEm } from '../orm.ts';
import { createCallRecorder } from './call-recorder.ts';

describe('department call records', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ prepare: false });
    const { migrateDatabase } = await import('../orm.ts');
    await migrateDatabase(db.orm);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('writes queued calls in a batch, with the case number and no bodies', async () => {
    const recorder = createCallRecorder(db.orm);
    for (let attempt = 1; attempt <= 3; attempt++) {
      recorder.record({
        department: 'tax',
        caseNumber: '410900-20261125-000001',
        operation: 'submit',
        method: 'POST',
        path: '/v1/applications',
        requestBytes: 512,
        status: attempt < 3 ? 503 : 202,
        outcome: attempt < 3 ? 'transient' : 'ok',
        error: attempt < 3 ? 'HTTP 503' : null,
        startedAt: new Date(),
        durationMs: 12,
        attempt,
      });
    }
    await recorder.flush();
    const rows = await forkEm(db.orm).find(DepartmentCall, {}, { orderBy: { attempt: 'asc' } });
    expect(rows.map((r) => [r.attempt, r.outcome, r.status])).toEqual([
      [1, 'transient', 503],
      [2, 'transient', 503],
      [3, 'ok', 202],
    ]);
    expect(rows.every((r) => r.caseNumber === '410900-20261125-000001')).toBe(true);
  });
});
