import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditTrail } from '../db/cases/verify-audit.ts';
import { forkEm } from '../db/orm.ts';
import { citizenId, DECIDE, REGISTER, requiredMaterials, TOLERANT_ITEM } from './kit/front-desk.ts';
import { startTestHub, type TestHub } from './kit/test-hub.ts';

const run = promisify(execFile);

describe('hash-chained audit trail', () => {
  let hub: TestHub;
  const ids: string[] = [];
  beforeAll(async () => {
    hub = await startTestHub();
    const clerk = await hub.token('clerk');
    for (let i = 0; i < 3; i++) {
      const { body } = await hub.gql<{ registerCase: { id: string; version: number } }>(
        REGISTER,
        {
          input: {
            itemCode: TOLERANT_ITEM.code,
            channel: 'WINDOW',
            applicant: { type: 'PERSON', name: '周杰', idNumber: citizenId(700 + i) },
            materials: requiredMaterials(TOLERANT_ITEM),
          },
        },
        { token: clerk },
      );
      const c = body.data!.registerCase;
      await hub.gql(DECIDE, { id: c.id, v: c.version, d: { type: 'ACCEPT' } }, { token: clerk });
      ids.push(c.id);
    }
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('verifies intact chains', async () => {
    const report = await verifyAuditTrail(forkEm(hub.db.orm), { batch: 2 });
    expect(report).toMatchObject({ casesChecked: 3, eventsChecked: 6, broken: [] });
  });

  it('detects a changed event, a removed last event and a reordered one', async () => {
    const em = forkEm(hub.db.orm);
    await em.execute(
      `update case_event set changes = '{"status":["registered","refused"]}' where case_id = ? and seq = 2`,
      [ids[0]],
    );
    await em.execute(`delete from case_event where case_id = ? and seq = 2`, [ids[1]]);
    await em.execute(`update case_event set at = at - interval '1 day' where case_id = ? and seq = 1`, [
      ids[2],
    ]);
    const report = await verifyAuditTrail(forkEm(hub.db.orm));
    expect(report.broken.map((b) => b.caseId).sort()).toEqual([...ids].sort());
    const problems = Object.fromEntries(report.broken.map((b) => [b.caseId, b.breaks.map((x) => x.problem)]));
    expect(problems[ids[0]!]).toContain('content changed after it was written');
    expect(problems[ids[1]!]).toEqual(expect.arrayContaining(['the last event is not the case head']));
    expect(problems[ids[2]!]).toContain('content changed after it was written');
  });

  it('the command exits 1 and names the tampered cases', async () => {
    const root = path.resolve(import.meta.dirname, '..');
    const result = await run(process.execPath, [path.join(root, 'jobs/verify-audit.ts')], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: hub.db.url },
    }).catch((e: { code: number; stdout: string }) => e);
    expect((result as { code?: number }).code).toBe(1);
    expect((result as { stdout: string }).stdout).toMatch(
      /TAMPERED 410900-\d{8}-\d{6} event 2: content changed/,
    );
    expect((result as { stdout: string }).stdout).toMatch(/3 case\(s\) tampered with/);
  });
});
