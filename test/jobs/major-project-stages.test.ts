import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../adapters/kit/logger.ts';
import { chinaDate, hallCalendar } from '../../db/calendar/index.ts';
import { decideAcceptance } from '../../db/cases/case-decisions.ts';
import { registerCase } from '../../db/cases/case-intake.ts';
import { CaseDepartmentTask } from '../../db/entities/case-department-task.ts';
import { forkEm } from '../../db/orm.ts';
import { catalogue } from '../../db/seed/catalogue/index.ts';
import { DEMO_ACTORS } from '../../gateway/auth/demo-actors.ts';
import type { JobContext } from '../../jobs/job-definition.ts';
import { watchDeadlines } from '../../jobs/watch-deadlines.job.ts';
import { eventually } from '../kit/eventually.ts';
import { citizenId } from '../kit/front-desk.ts';
import { type JobPipeline, startJobPipeline } from '../kit/job-pipeline.ts';

/** 建设工程规划许可证核发: planning (10 working days) and civil air defence (5) in parallel, under 督办. */
const PROJECT = catalogue.items.find((i) => i.code === 'TZXM-003')!;
const SHORT_STAGE = 'civil_air_defence';
const LONG_STAGE = 'urban_rural_planning';

/** Noon in China on a calendar date. */
const at = (date: string) => new Date(`${date}T04:00:00Z`);

describe('major projects: a due date per department stage, supervised (并联审批, 全程督办)', () => {
  let pipeline: JobPipeline;
  let db: JobPipeline['db'];
  let hub: JobPipeline['hub'];
  let project: { id: string; number: string };
  let tasks: CaseDepartmentTask[];

  beforeAll(async () => {
    expect(PROJECT).toMatchObject({
      kind: 'major_project',
      departmentCodes: [LONG_STAGE, SHORT_STAGE],
      stageLimits: { [LONG_STAGE]: 10, [SHORT_STAGE]: 5 },
    });
    pipeline = await startJobPipeline();
    ({ db, hub } = pipeline);
  }, 60_000);
  afterAll(async () => pipeline?.close());

  const watch = (now: Date) => {
    const context: JobContext = {
      em: forkEm(db.orm),
      logger: createLogger('silent'),
      jobId: 't',
      attempt: 1,
      adapters: [],
      now: () => now,
    };
    return watchDeadlines.process({ yellowDays: 2 }, context);
  };
  const dueOf = (department: string) => tasks.find((t) => t.departmentCode === department)!.dueOn!;

  it('hands the project to every department at once, each with its stage due date in hall working days', async () => {
    const registered = await registerCase(forkEm(db.orm), DEMO_ACTORS.clerk, {
      itemCode: PROJECT.code,
      channel: 'window',
      applicant: { type: 'person', name: '督办项目', idNumber: citizenId(808) },
      materials: PROJECT.materials
        .filter((m) => m.required)
        .map((m) => ({ checklistCode: m.code, medium: 'paper' as const })),
    });
    const outcome = await decideAcceptance(
      forkEm(db.orm),
      DEMO_ACTORS.clerk,
      registered.id,
      registered.version,
      {
        type: 'accept',
      },
    );
    expect(outcome.kind).toBe('accepted');
    project = { id: registered.id, number: registered.number };
    tasks = await eventually(async () => {
      const rows = await forkEm(db.orm).find(CaseDepartmentTask, { case: project.id });
      return rows.length === 2 ? rows : null;
    }, 40_000);
    for (const task of tasks) {
      const handedOverOn = chinaDate(task.transferredAt);
      expect(task.position).toBe(0);
      expect(task.dueOn, task.departmentCode).toBe(
        hallCalendar().addWorkingDays(handedOverOn, PROJECT.stageLimits![task.departmentCode]!).date,
      );
    }

    const { body } = await hub.gql<{
      case: { departmentTasks: { departmentCode: string; dueOn: string; overdue: boolean }[] };
    }>(
      'query($id: ID!) { case(id: $id) { departmentTasks { departmentCode dueOn overdue } } }',
      { id: project.id },
      { token: await hub.token('clerk') },
    );
    expect(body.data!.case.departmentTasks.map((t) => [t.departmentCode, t.dueOn, t.overdue]).sort()).toEqual(
      [
        [SHORT_STAGE, dueOf(SHORT_STAGE), false],
        [LONG_STAGE, dueOf(LONG_STAGE), false],
      ],
    );
  }, 60_000);

  it('raises one red warning for the department past its stage, once across runs, listed for supervisors', async () => {
    const late = at(hallCalendar().addWorkingDays(dueOf(SHORT_STAGE), 1).date);
    const later = at(hallCalendar().addWorkingDays(dueOf(SHORT_STAGE), 2).date);
    // The case itself (10 working days) and the planning stage still have more than 2 working days.
    expect(await watch(late)).toMatchObject({ raised: 1, stagesChecked: 2 });
    expect(await watch(late)).toMatchObject({ raised: 0 });
    expect(await watch(later)).toMatchObject({ raised: 0 });

    const supervisor = await hub.token('supervisor');
    const { body } = await hub.gql<{
      warnings: { level: string; caseNumber: string; dueDate: string; department: { code: string } | null }[];
    }>('{ warnings { level caseNumber dueDate department { code } } }', {}, { token: supervisor });
    expect(body.data!.warnings).toEqual([
      {
        level: 'RED',
        caseNumber: project.number,
        dueDate: dueOf(SHORT_STAGE),
        department: { code: SHORT_STAGE },
      },
    ]);

    const view = await hub.gql<{ case: { timeline: { type: string; changes: string }[] } }>(
      'query($id: ID!) { case(id: $id) { timeline { type changes } } }',
      { id: project.id },
      { token: supervisor },
    );
    const stageWarnings = view.body.data!.case.timeline.filter((e) => e.type.includes('warning'));
    expect(stageWarnings.map((e) => [e.type, JSON.parse(e.changes)])).toEqual([
      [
        'stage_overdue_warning',
        { warning: [null, 'red'], dueDate: [null, dueOf(SHORT_STAGE)], department: [null, SHORT_STAGE] },
      ],
    ]);
    const [event] = await forkEm(db.orm).execute<{ payload: Record<string, unknown> }[]>(
      `select payload from outbox_event where topic = 'case.warning' and case_id = ?`,
      [project.id],
    );
    expect(event!.payload).toMatchObject({
      caseNumber: project.number,
      level: 'red',
      department: SHORT_STAGE,
    });
  });

  it('a stage the department has decided is no longer supervised', async () => {
    const reviewer = await hub.token('department_reviewer', { departmentCode: LONG_STAGE });
    const pending = await eventually(async () => {
      const { body } = await hub.gql<{
        departmentTasks: { id: string; caseNumber: string; version: number }[];
      }>('{ departmentTasks(status: PENDING) { id caseNumber version } }', {}, { token: reviewer });
      return body.data!.departmentTasks.find((t) => t.caseNumber === project.number);
    });
    const decided = await hub.gql(
      'mutation($input: DecideTaskInput!) { decideDepartmentTask(input: $input) { status } }',
      {
        input: {
          taskId: pending.id,
          expectedVersion: pending.version,
          approve: true,
          resultNumber: '建字第2026001号',
        },
      },
      { token: reviewer },
    );
    expect(decided.body.errors).toBeUndefined();
    await eventually(async () => {
      const task = await forkEm(db.orm).findOne(CaseDepartmentTask, {
        case: project.id,
        departmentCode: LONG_STAGE,
      });
      return task?.status === 'approved';
    }, 40_000);
    // Past the planning stage too: the case's own deadline is overdue now, the decided stage is not watched.
    const pastPlanning = at(hallCalendar().addWorkingDays(dueOf(LONG_STAGE), 1).date);
    expect(await watch(pastPlanning)).toMatchObject({ raised: 1, stagesChecked: 1 });
    const { body } = await hub.gql<{ warnings: { level: string; department: { code: string } | null }[] }>(
      '{ warnings { level department { code } } }',
      {},
      { token: await hub.token('supervisor') },
    );
    expect(body.data!.warnings).toEqual([
      { level: 'RED', department: null },
      { level: 'RED', department: { code: SHORT_STAGE } },
    ]);
  });
});
