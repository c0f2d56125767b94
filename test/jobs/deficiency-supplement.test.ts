import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hallCalendar } from '../../db/calendar/index.ts';
import { decideAcceptance } from '../../db/cases/case-decisions.ts';
import { presentMaterials, registerCase } from '../../db/cases/case-intake.ts';
import { Case } from '../../db/entities/case.ts';
import { CaseDepartmentTask } from '../../db/entities/case-department-task.ts';
import { DepartmentTask } from '../../db/entities/department-task.ts';
import { forkEm } from '../../db/orm.ts';
import { DEMO_ACTORS } from '../../gateway/auth/demo-actors.ts';
import { eventually } from '../kit/eventually.ts';
import { citizenId, requiredMaterials, TOLERANT_ITEM } from '../kit/front-desk.ts';
import { type JobPipeline, startJobPipeline } from '../kit/job-pipeline.ts';

const owed = TOLERANT_ITEM.materials.find((m) => m.required && m.tolerable)!;
const until = <T>(probe: () => Promise<T | null | undefined | false>) => eventually(probe, 40_000);

describe('deficiency-tolerant cases (容缺受理, R-B4): the owed materials follow to the department, then the decision stands', () => {
  let pipeline: JobPipeline;
  beforeAll(async () => {
    pipeline = await startJobPipeline();
  }, 60_000);
  afterAll(async () => pipeline?.close());

  it('holds the simulated approval until the supplied materials reached the department, once', async () => {
    const { db, hub } = pipeline;
    const registered = await registerCase(forkEm(db.orm), DEMO_ACTORS.clerk, {
      itemCode: TOLERANT_ITEM.code,
      channel: 'window',
      applicant: { type: 'person', name: '补交测试', idNumber: citizenId(611) },
      materials: requiredMaterials(TOLERANT_ITEM, [owed.code]).map((m) => ({
        checklistCode: m.checklistCode,
        medium: 'paper' as const,
      })),
    });
    const supplyBy = hallCalendar().addWorkingDays(registered.receivedOn, 2).date;
    const outcome = await decideAcceptance(
      forkEm(db.orm),
      DEMO_ACTORS.clerk,
      registered.id,
      registered.version,
      {
        type: 'accept_with_deficiency',
        commitment: { materialCodes: [owed.code], supplyBy },
      },
    );
    expect(outcome.kind).toBe('accepted_with_deficiency');

    // The department receives the package without the owed material and approves (simulated approval).
    const task = await until(() => forkEm(db.orm).findOne(DepartmentTask, { caseNumber: registered.number }));
    expect(task.materials.map((m) => m.code)).not.toContain(owed.code);
    const reviewer = await hub.token('department_reviewer', {
      departmentCode: TOLERANT_ITEM.departmentCodes[0]!,
    });
    const decided = await hub.gql(
      `mutation($input: DecideTaskInput!) { decideDepartmentTask(input: $input) { status } }`,
      {
        input: {
          taskId: task.id,
          expectedVersion: task.version,
          approve: true,
          resultNumber: '濮环审〔2026〕611号',
        },
      },
      { token: reviewer },
    );
    expect(decided.body.errors).toBeUndefined();
    await until(async () =>
      (await forkEm(db.orm).findOne(CaseDepartmentTask, { case: registered.id, status: 'approved' }))
        ? true
        : null,
    );
    expect((await forkEm(db.orm).findOneOrFail(Case, { id: registered.id })).status).toBe(
      'accepted_with_deficiency',
    );

    // The applicant brings the owed material in time: it goes on to the department, then the case concludes.
    const current = await forkEm(db.orm).findOneOrFail(Case, { id: registered.id });
    await presentMaterials(forkEm(db.orm), DEMO_ACTORS.clerk, registered.id, current.version, [
      { checklistCode: owed.code, medium: 'paper' },
    ]);
    const concluded = await until(async () => {
      const c = await forkEm(db.orm).findOneOrFail(Case, { id: registered.id }, { populate: ['events'] });
      return c.status === 'approved' ? c : null;
    });
    const types = concluded.events.getItems().map((e) => e.type);
    expect(types.indexOf('supplement_handed_over')).toBeGreaterThan(types.indexOf('materials_presented'));
    expect(types.indexOf('concluded')).toBeGreaterThan(types.indexOf('supplement_handed_over'));

    // The department holds the supplied material once, marked as supplied later.
    const atDepartment = await forkEm(db.orm).findOneOrFail(DepartmentTask, { id: task.id });
    const supplied = atDepartment.materials.filter((m) => m.code === owed.code);
    expect(supplied).toHaveLength(1);
    expect(supplied[0]!.supplement).toBe(`supply-${registered.number}-${TOLERANT_ITEM.departmentCodes[0]}`);
    const caseTask = await forkEm(db.orm).findOneOrFail(CaseDepartmentTask, { case: registered.id });
    expect(caseTask.supplementedAt).not.toBeNull();
    // The paper supplement is to be signed for by the department's receiver.
    expect(caseTask.paperSignedAt).toBeNull();
  });
});
