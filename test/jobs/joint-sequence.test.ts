import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../adapters/kit/logger.ts';
import { decideAcceptance } from '../../db/cases/case-decisions.ts';
import { registerCase } from '../../db/cases/case-intake.ts';
import { pendingTransfers } from '../../db/cases/case-transfer.ts';
import { CaseDepartmentTask } from '../../db/entities/case-department-task.ts';
import { forkEm, type HubOrm } from '../../db/orm.ts';
import { catalogue } from '../../db/seed/catalogue/index.ts';
import { DEMO_ACTORS } from '../../gateway/auth/demo-actors.ts';
import type { JobContext } from '../../jobs/job-definition.ts';
import { transferMaterials } from '../../jobs/transfer-materials.job.ts';
import { eventually } from '../kit/eventually.ts';
import { citizenId } from '../kit/front-desk.ts';
import { type JobPipeline, startJobPipeline } from '../kit/job-pipeline.ts';

/** 灵活就业人员参保登记及缴费: the tax bureau collects on the registration of human resources (串联). */
const SEQUENTIAL = 'SBMS-007';
const FIRST = 'human_resources_social_security';
const SECOND = 'tax';
/** 存量房买卖: housing, tax and registration work at once (并联). */
const PARALLEL = 'BDC-002';

/** Registers and accepts a case at the window with every required material on paper. */
async function acceptCase(orm: HubOrm, serial: number, itemCode: string) {
  const item = catalogue.items.find((i) => i.code === itemCode)!;
  const registered = await registerCase(forkEm(orm), DEMO_ACTORS.clerk, {
    itemCode,
    channel: 'window',
    applicant: { type: 'person', name: '联办测试', idNumber: citizenId(serial) },
    materials: item.materials
      .filter((m) => m.required)
      .map((m) => ({ checklistCode: m.code, medium: 'paper' as const })),
  });
  const outcome = await decideAcceptance(forkEm(orm), DEMO_ACTORS.clerk, registered.id, registered.version, {
    type: 'accept',
  });
  expect(outcome.kind).toBe('accepted');
  return { id: registered.id, number: registered.number };
}

/** Pipeline steps run on schedules; under a loaded machine they may take a while. */
const until = <T>(probe: () => Promise<T | null | undefined | false>) => eventually(probe, 40_000);

interface TaskView {
  departmentCode: string;
  status: string;
  position: number;
  dueOn: string | null;
  overdue: boolean;
}
interface CaseView {
  status: string;
  departmentTasks: TaskView[];
  timeline: { type: string; changes: string }[];
}

describe('joint items in sequence (串联) and in parallel (并联), R-B2', () => {
  let pipeline: JobPipeline;
  let db: JobPipeline['db'];
  let hub: JobPipeline['hub'];
  let built: JobPipeline['built'];
  let serial = 700;

  beforeAll(async () => {
    expect(catalogue.items.find((i) => i.code === SEQUENTIAL)).toMatchObject({
      routing: 'sequential',
      departmentCodes: [FIRST, SECOND],
    });
    pipeline = await startJobPipeline();
    ({ db, hub, built } = pipeline);
  }, 60_000);
  afterAll(async () => pipeline?.close());

  const viewOf = async (id: string): Promise<CaseView> => {
    const { body } = await hub.gql<{ case: CaseView }>(
      `query($id: ID!) { case(id: $id) {
         status departmentTasks { departmentCode status position dueOn overdue } timeline { type changes }
       } }`,
      { id },
      { token: await hub.token('clerk') },
    );
    return body.data!.case;
  };
  const tasksOf = (id: string) =>
    forkEm(db.orm).find(CaseDepartmentTask, { case: id }, { orderBy: { position: 'asc' } });
  const taxHas = (caseNumber: string) =>
    built.simulators
      .get('tax')!
      .submissions()
      .filter((s) => s.caseNumber === caseNumber);
  /** The transfer job run once more by hand, as a duplicate delivery of its event would run it. */
  const transferAgain = (caseId: string) => {
    const context: JobContext = {
      em: forkEm(db.orm),
      logger: createLogger('silent'),
      jobId: 'again',
      attempt: 1,
      adapters: built.adapters,
      now: () => new Date(),
    };
    return transferMaterials.process({ outboxId: 0, caseId, topic: 'case.stage_completed' }, context);
  };
  /** The first department's reviewer decides the case in the hub's back office. */
  const firstDecides = async (caseNumber: string, approve: boolean) => {
    const reviewer = await hub.token('department_reviewer', { departmentCode: FIRST });
    const task = await until(async () => {
      const { body } = await hub.gql<{
        departmentTasks: { id: string; caseNumber: string; version: number }[];
      }>('{ departmentTasks(status: PENDING) { id caseNumber version } }', {}, { token: reviewer });
      return body.data!.departmentTasks.find((t) => t.caseNumber === caseNumber);
    });
    const { body } = await hub.gql(
      'mutation($input: DecideTaskInput!) { decideDepartmentTask(input: $input) { status } }',
      {
        input: {
          taskId: task.id,
          expectedVersion: task.version,
          approve,
          ...(approve
            ? { resultNumber: '濮人社参〔2026〕0001号' }
            : { reasons: ['申请人已在其他统筹地区参保'] }),
        },
      },
      { token: reviewer },
    );
    expect(body.errors).toBeUndefined();
  };

  it('sends the second department nothing until the first approved, then its package exactly once', async () => {
    const c = await acceptCase(db.orm, serial++, SEQUENTIAL);
    await until(async () => (await tasksOf(c.id)).length === 1);
    // The first stage is out and undecided: neither the pipeline nor a repeated job sends the next one.
    expect(await pendingTransfers(forkEm(db.orm), c.id)).toEqual([]);
    expect(await transferAgain(c.id)).toEqual({ transferred: 0 });
    const waiting = await viewOf(c.id);
    expect(waiting.status).toBe('ACCEPTED');
    expect(waiting.departmentTasks).toEqual([
      { departmentCode: FIRST, status: 'transferred', position: 0, dueOn: null, overdue: false },
    ]);
    expect(taxHas(c.number)).toEqual([]);

    await firstDecides(c.number, true);
    const concluded = await until(async () => {
      const view = await viewOf(c.id);
      return view.status === 'APPROVED' ? view : null;
    });
    expect(
      concluded.departmentTasks
        .map((t) => [t.departmentCode, t.status, t.position])
        .sort((a, b) => Number(a[2]) - Number(b[2])),
    ).toEqual([
      [FIRST, 'approved', 0],
      [SECOND, 'approved', 1],
    ]);
    expect(
      concluded.timeline
        .map((e) => e.type)
        .filter((t) => ['handed_over', 'department_decided', 'concluded'].includes(t)),
    ).toEqual(['handed_over', 'department_decided', 'handed_over', 'department_decided', 'concluded']);
    const secondHandover = concluded.timeline.filter((e) => e.type === 'handed_over')[1]!;
    expect(JSON.parse(secondHandover.changes)).toMatchObject({
      department: [null, SECOND],
      position: [null, 1],
    });

    // Exactly once, however often the transfer runs again.
    expect(await transferAgain(c.id)).toEqual({ transferred: 0 });
    expect(taxHas(c.number)).toHaveLength(1);
    expect(await tasksOf(c.id)).toHaveLength(2);
  }, 90_000);

  it('a denial by the first department concludes the case denied; the second never receives it', async () => {
    const c = await acceptCase(db.orm, serial++, SEQUENTIAL);
    await until(async () => (await tasksOf(c.id)).length === 1);
    await firstDecides(c.number, false);
    const denied = await until(async () => {
      const view = await viewOf(c.id);
      return view.status === 'DENIED' ? view : null;
    });
    const conclusion = denied.timeline.find((e) => e.type === 'concluded')!;
    expect(JSON.parse(conclusion.changes)).toEqual({
      status: ['accepted', 'denied'],
      departments: [null, `${FIRST}:rejected`],
      notAsked: [null, SECOND],
    });
    expect(denied.departmentTasks.map((t) => t.departmentCode)).toEqual([FIRST]);
    expect(await pendingTransfers(forkEm(db.orm), c.id)).toEqual([]);
    expect(await transferAgain(c.id)).toEqual({ transferred: 0 });
    expect(taxHas(c.number)).toEqual([]);
    expect(await tasksOf(c.id)).toHaveLength(1);
  }, 90_000);

  it('a parallel joint item still goes to every department at once', async () => {
    const c = await acceptCase(db.orm, serial++, PARALLEL);
    const tasks = await until(async () => {
      const rows = await tasksOf(c.id);
      return rows.length === 3 ? rows : null;
    });
    expect(tasks.map((t) => [t.departmentCode, t.position, t.dueOn]).sort()).toEqual([
      ['land_resources', 0, null],
      ['real_estate_management_centre', 0, null],
      ['tax', 0, null],
    ]);
    // The housing centre decides in the back office, and nobody has: the others did not wait for it.
    expect(tasks.find((t) => t.departmentCode === 'real_estate_management_centre')!.status).toBe(
      'transferred',
    );
    expect(tasks.every((t) => t.paperCount === tasks[0]!.paperCount && t.paperCount > 0)).toBe(true);
    expect((await viewOf(c.id)).status).toBe('ACCEPTED');
  }, 90_000);
});
