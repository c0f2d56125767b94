import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../adapters/kit/logger.ts';
import { hallCalendar } from '../../db/calendar/index.ts';
import { decideAcceptance } from '../../db/cases/case-decisions.ts';
import { registerCase } from '../../db/cases/case-intake.ts';
import { forkEm } from '../../db/orm.ts';
import { DEMO_ACTORS } from '../../gateway/auth/demo-actors.ts';
import type { JobContext } from '../../jobs/job-definition.ts';
import { watchDeadlines } from '../../jobs/watch-deadlines.job.ts';
import { citizenId, requiredMaterials, TOLERANT_ITEM } from '../kit/front-desk.ts';
import { startTestHub, type TestHub } from '../kit/test-hub.ts';

/** Noon in China on a calendar date. */
const at = (date: string) => new Date(`${date}T04:00:00Z`);

describe('deadline supervision (电子监察)', () => {
  let hub: TestHub;
  let caseNumber: string;
  let dueDate: string;
  beforeAll(async () => {
    hub = await startTestHub();
    const c = await registerCase(forkEm(hub.db.orm), DEMO_ACTORS.clerk, {
      itemCode: TOLERANT_ITEM.code,
      channel: 'window',
      applicant: { type: 'person', name: '督办测试', idNumber: citizenId(515) },
      materials: requiredMaterials(TOLERANT_ITEM).map((m) => ({
        checklistCode: m.checklistCode,
        medium: 'paper' as const,
      })),
    });
    const outcome = await decideAcceptance(forkEm(hub.db.orm), DEMO_ACTORS.clerk, c.id, c.version, {
      type: 'accept',
    });
    caseNumber = c.number;
    dueDate = hallCalendar().addWorkingDays(
      outcome.hallCase.acceptedOn!,
      TOLERANT_ITEM.promisedLimitDays,
    ).date;
  });
  afterAll(async () => {
    await hub?.close();
  });

  const run = (now: Date) => {
    const context: JobContext = {
      em: forkEm(hub.db.orm),
      logger: createLogger('silent'),
      jobId: 't',
      attempt: 1,
      adapters: [],
      now: () => now,
    };
    return watchDeadlines.process({ yellowDays: 2 }, context);
  };

  it('raises nothing while the case has time', async () => {
    expect(await run(new Date())).toMatchObject({ raised: 0 });
  });

  it('raises a yellow warning near the due date and a red one past it, each once, escalated to the supervisors', async () => {
    const nearly = hallCalendar().addWorkingDays(dueDate, 0).date;
    expect(await run(at(nearly))).toMatchObject({ raised: 1 });
    expect(await run(at(nearly))).toMatchObject({ raised: 0 });
    const after = hallCalendar().addWorkingDays(dueDate, 1).date;
    expect(await run(at(after))).toMatchObject({ raised: 1 });
    expect(await run(at(after))).toMatchObject({ raised: 0 });

    const supervisor = await hub.token('supervisor');
    const { body } = await hub.gql<{
      warnings: { level: string; caseNumber: string; dueDate: string; remainingWorkingDays: number }[];
    }>('{ warnings { level caseNumber dueDate remainingWorkingDays } }', {}, { token: supervisor });
    expect(body.data!.warnings.map((w) => [w.level, w.caseNumber, w.dueDate])).toEqual([
      ['RED', caseNumber, dueDate],
      ['YELLOW', caseNumber, dueDate],
    ]);
    expect(body.data!.warnings[0]!.remainingWorkingDays).toBeLessThan(0);
    const otherHall = await hub.gql(
      '{ warnings { level } }',
      {},
      { token: await hub.token('supervisor', { hallCode: '410922' }) },
    );
    expect(otherHall.body.data).toEqual({ warnings: [] });
    const clerk = await hub.gql('{ warnings { level } }', {}, { token: await hub.token('clerk') });
    expect(clerk.body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const timeline = await hub.gql<{ caseByNumber: { timeline: { type: string }[] } }>(
      'query($n: String!) { caseByNumber(number: $n) { timeline { type } } }',
      { n: caseNumber },
      { token: supervisor },
    );
    expect(timeline.body.data!.caseByNumber.timeline.map((e) => e.type)).toEqual([
      'registered',
      'accepted',
      'deadline_warning',
      'overdue_warning',
    ]);
  });
});
