import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../adapters/kit/logger.ts';
import { hallCalendar } from '../../db/calendar/index.ts';
import { decideAcceptance } from '../../db/cases/case-decisions.ts';
import { presentMaterials, registerCase } from '../../db/cases/case-intake.ts';
import { forkEm } from '../../db/orm.ts';
import { DEMO_ACTORS } from '../../gateway/auth/demo-actors.ts';
import type { JobContext } from '../../jobs/job-definition.ts';
import { watchCommitments } from '../../jobs/watch-commitments.job.ts';
import { citizenId, requiredMaterials, TOLERANT_ITEM } from '../kit/front-desk.ts';
import { startTestHub, type TestHub } from '../kit/test-hub.ts';

const owed = TOLERANT_ITEM.materials.find((m) => m.required && m.tolerable)!;

describe('deficiency-tolerant cases whose owed materials never arrive', () => {
  let hub: TestHub;
  let serial = 0;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => {
    await hub?.close();
  });

  async function tolerantCase() {
    const c = await registerCase(forkEm(hub.db.orm), DEMO_ACTORS.clerk, {
      itemCode: TOLERANT_ITEM.code,
      channel: 'window',
      applicant: { type: 'person', name: '容缺测试', idNumber: citizenId(560 + serial++) },
      materials: requiredMaterials(TOLERANT_ITEM, [owed.code]).map((m) => ({
        checklistCode: m.checklistCode,
        medium: 'paper' as const,
      })),
    });
    const supplyBy = hallCalendar().addWorkingDays(c.receivedOn, 2).date;
    const outcome = await decideAcceptance(forkEm(hub.db.orm), DEMO_ACTORS.clerk, c.id, c.version, {
      type: 'accept_with_deficiency',
      commitment: { materialCodes: [owed.code], supplyBy },
    });
    expect(outcome.kind).toBe('accepted_with_deficiency');
    return { hallCase: outcome.hallCase, supplyBy };
  }

  const run = (now: Date) => {
    const context: JobContext = {
      em: forkEm(hub.db.orm),
      logger: createLogger('silent'),
      jobId: 't',
      attempt: 1,
      adapters: [],
      now: () => now,
    };
    return watchCommitments.process({}, context);
  };

  it('returns the case unprocessed (退办) with a notice once the committed date has passed, and only then', async () => {
    const lapsing = await tolerantCase();
    const kept = await tolerantCase();
    await presentMaterials(forkEm(hub.db.orm), DEMO_ACTORS.clerk, kept.hallCase.id, kept.hallCase.version, [
      { checklistCode: owed.code, medium: 'paper' },
    ]);
    expect(await run(new Date(`${lapsing.supplyBy}T10:00:00+08:00`))).toEqual({ returned: 0 });
    const dayAfter = hallCalendar().addWorkingDays(lapsing.supplyBy, 1).date;
    expect(await run(new Date(`${dayAfter}T10:00:00+08:00`))).toEqual({ returned: 1 });
    expect(await run(new Date(`${dayAfter}T10:00:00+08:00`))).toEqual({ returned: 0 });

    const clerk = await hub.token('clerk');
    const view = async (id: string) =>
      (
        await hub.gql<{
          case: {
            status: string;
            documents: { kind: string; title: string; pdfUrl: string }[];
            timeline: { type: string; actorRole: string }[];
          };
        }>(
          'query($id: ID!) { case(id: $id) { status documents { kind title pdfUrl } timeline { type actorRole } } }',
          { id },
          { token: clerk },
        )
      ).body.data!.case;
    const returned = await view(lapsing.hallCase.id);
    expect(returned.status).toBe('RETURNED');
    expect(returned.documents.at(-1)).toMatchObject({ kind: 'RETURN_NOTICE', title: '退办通知书' });
    expect(returned.timeline.at(-1)).toEqual({ type: 'returned', actorRole: 'system' });
    const pdf = await fetch(`${hub.url}${returned.documents.at(-1)!.pdfUrl}`, {
      headers: { authorization: `Bearer ${clerk}` },
    });
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    expect((await view(kept.hallCase.id)).status).toBe('ACCEPTED');
  });
});
