import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../adapters/kit/logger.ts';
import {
  createProvincialAdapter,
  type ProvincialAdapter,
} from '../../adapters/provincial/provincial.adapter.ts';
import { provincialConfigSchema } from '../../adapters/provincial/provincial.config.ts';
import {
  type RunningProvincialSimulator,
  startProvincialSimulator,
} from '../../adapters/provincial/provincial.simulator.ts';
import { decideAcceptance } from '../../db/cases/case-decisions.ts';
import { registerCase } from '../../db/cases/case-intake.ts';
import { insertDeadLetter } from '../../db/departments/dead-letters.ts';
import { DeadLetter } from '../../db/entities/dead-letter.ts';
import { DepartmentTask } from '../../db/entities/department-task.ts';
import { OutboxEvent } from '../../db/entities/outbox-event.ts';
import { forkEm } from '../../db/orm.ts';
import { catalogue } from '../../db/seed/catalogue/index.ts';
import { DEMO_ACTORS } from '../../gateway/auth/demo-actors.ts';
import type { JobContext } from '../../jobs/job-definition.ts';
import { recordOnPlatform } from '../../jobs/record-on-platform.job.ts';
import { eventually } from '../kit/eventually.ts';
import { citizenId } from '../kit/front-desk.ts';
import { type JobPipeline, startJobPipeline } from '../kit/job-pipeline.ts';

/**
 * A case's later steps on the provincial platform (办件过程/办结, R-F1, R-F5): after the acceptance, the
 * conclusion and the delivery reach the platform in order, each once, whatever order the jobs run in;
 * a step the platform refuses is a dead letter with its field errors.
 */

/** Decided in the hub's back office; delivered by pickup (or post), or electronically. */
const PICKUP = 'SBMS-001';
const ELECTRONIC = 'SBMS-002';
const DEPARTMENT = 'human_resources_social_security';

const SIGNATURE_PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('signature of the recipient at the window'),
]);

const paper = (code: string) =>
  catalogue.items
    .find((i) => i.code === code)!
    .materials.filter((m) => m.required)
    .map((m) => ({ checklistCode: m.code, medium: 'paper' as const }));

const until = <T>(probe: () => Promise<T | null | undefined | false> | T | null | undefined | false) =>
  eventually(probe, 40_000);

/** How a job run failed (it must fail). */
const failureOf = (run: Promise<unknown>): Promise<Error> =>
  run.then(
    () => {
      throw new Error('the job was expected to fail');
    },
    (error: unknown) => error as Error,
  );

interface Letter {
  id: string;
  jobName: string;
  caseId: string;
  reason: string;
}

describe('case steps on the provincial platform: acceptance → conclusion → delivery', () => {
  let pipeline: JobPipeline;
  let platform: RunningProvincialSimulator;
  let clerk: string;
  let reviewer: string;
  let supervisor: string;
  let signature: string;
  let serial = 0;

  async function acceptedCase(itemCode: string) {
    const idNumber = citizenId(400 + serial++);
    const c = await registerCase(forkEm(pipeline.db.orm), DEMO_ACTORS.clerk, {
      itemCode,
      channel: 'window',
      applicant: { type: 'person', name: '过程测试', idNumber, phone: '13912345678' },
      materials: paper(itemCode),
    });
    const outcome = await decideAcceptance(forkEm(pipeline.db.orm), DEMO_ACTORS.clerk, c.id, c.version, {
      type: 'accept',
    });
    expect(outcome.kind).toBe('accepted');
    return { id: c.id, number: c.number, idNumber };
  }

  async function approveInBackOffice(caseNumber: string, resultNumber: string) {
    const task = await until(() =>
      forkEm(pipeline.db.orm).findOne(DepartmentTask, { caseNumber, status: 'pending' }),
    );
    const { body } = await pipeline.hub.gql(
      `mutation($input: DecideTaskInput!) { decideDepartmentTask(input: $input) { status } }`,
      {
        input: {
          taskId: task.id,
          expectedVersion: task.version,
          approve: true,
          resultNumber,
          resultName: '社会保障卡',
        },
      },
      { token: reviewer },
    );
    expect(body.errors).toBeUndefined();
  }

  async function deliveryStatus(id: string): Promise<{ version: number; status: string }> {
    const { body } = await pipeline.hub.gql<{ case: { version: number; delivery: { status: string } } }>(
      'query($id: ID!) { case(id: $id) { version delivery { status } } }',
      { id },
      { token: clerk },
    );
    return { version: body.data!.case.version, status: body.data!.case.delivery.status };
  }

  async function lettersOf(caseId: string): Promise<Letter[]> {
    const { body } = await pipeline.hub.gql<{ deadLetters: Letter[] }>(
      '{ deadLetters { id jobName caseId reason } }',
      {},
      { token: supervisor },
    );
    return body.data!.deadLetters.filter((l) => l.caseId === caseId);
  }

  async function sendAgain(letter: Letter): Promise<void> {
    const { body } = await pipeline.hub.gql(
      'mutation($id: ID!) { retryDeadLetter(id: $id) { retriedAt } }',
      { id: letter.id },
      { token: supervisor },
    );
    expect(body.errors).toBeUndefined();
  }

  /** No platform job left to run (each re-sends the steps before its own, as repeats). */
  async function platformJobsDone(): Promise<boolean> {
    const counts = await pipeline.queues.queue('platform').getJobCounts('active', 'waiting', 'delayed');
    return Object.values(counts).every((n) => n === 0);
  }

  /** The case as the platform's process view shows it: each record's kind and step, in arrival order. */
  const processView = (caseNumber: string) =>
    platform.caseRecords(caseNumber).map((r) => (r.kind === 'status' ? String(r.body.status) : r.kind));

  beforeAll(async () => {
    pipeline = await startJobPipeline();
    platform = pipeline.built.simulators.get('provincial') as RunningProvincialSimulator;
    clerk = await pipeline.hub.token('clerk');
    reviewer = await pipeline.hub.token('department_reviewer', { departmentCode: DEPARTMENT });
    supervisor = await pipeline.hub.token('supervisor');
    const form = new FormData();
    form.append('file', new File([SIGNATURE_PNG], 'signature.png'));
    const uploaded = await fetch(`${pipeline.hub.url}/uploads`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${clerk}` },
    });
    signature = ((await uploaded.json()) as { sha256: string }).sha256;
  }, 60_000);

  afterAll(async () => pipeline?.close());

  it('a case approved and handed over at the window, and one delivered electronically, show at the platform as acceptance, conclusion and delivery, in order, each once', async () => {
    const pickup = await acceptedCase(PICKUP);
    const electronic = await acceptedCase(ELECTRONIC);
    await approveInBackOffice(pickup.number, '人社证字〔2026〕0101号');
    await approveInBackOffice(electronic.number, '人社证字〔2026〕0102号');

    // Pickup: the result waits at the window and is handed to the applicant against their identity
    // (tried again on a version conflict: the case's other jobs may still be adding to its timeline).
    await until(async () => {
      const ready = await deliveryStatus(pickup.id);
      if (ready.status !== 'READY') return null;
      const handed = await pipeline.hub.gql(
        `mutation($id: ID!, $v: Int!, $h: HandoverInput!) { handOverResult(caseId: $id, expectedVersion: $v, handover: $h) { id } }`,
        {
          id: pickup.id,
          v: ready.version,
          h: { recipient: 'APPLICANT', idNumber: pickup.idNumber, signatureFileId: signature },
        },
        { token: clerk },
      );
      if (handed.body.errors?.[0]?.extensions?.code === 'CONFLICT') return null;
      expect(handed.body.errors).toBeUndefined();
      return true;
    });

    await until(() => processView(pickup.number).length === 3 && processView(electronic.number).length === 3);
    // Each job re-sends the steps before its own (as repeats); let them finish, then count again.
    await until(platformJobsDone);
    for (const c of [pickup, electronic]) {
      expect(processView(c.number)).toEqual(['acceptance', 'CONCLUDED', 'DELIVERED']);
      const [, concluded, delivered] = platform.caseRecords(c.number);
      expect(concluded!.body).toMatchObject({
        caseNumber: c.number,
        statusName: '办结',
        departments: [{ code: DEPARTMENT, name: expect.any(String) }],
        conclusion: { result: 'APPROVED', reasons: [], results: [{ name: '社会保障卡' }] },
      });
      expect(Date.parse(String(concluded!.body.occurredAt))).toBeLessThanOrEqual(
        Date.parse(String(delivered!.body.occurredAt)),
      );
      // Steps carry references and facts, never the applicant's identity.
      expect(JSON.stringify([concluded, delivered])).not.toContain(c.idNumber);
      expect(concluded!.key).toMatch(new RegExp(`^platform-status-${c.number}-e\\d+$`));
    }
    const [, pickupConcluded, pickupDelivered] = platform.caseRecords(pickup.number);
    expect(pickupConcluded!.body.conclusion).toMatchObject({
      results: [{ name: '社会保障卡', number: '人社证字〔2026〕0101号' }],
    });
    expect(pickupDelivered!.body).toMatchObject({
      statusName: '送达',
      delivery: { method: 'WINDOW_PICKUP', recipient: 'APPLICANT', waybillNo: null },
    });
    expect(platform.caseRecords(electronic.number)[2]!.body).toMatchObject({
      delivery: { method: 'ONLINE', recipient: 'APPLICANT', waybillNo: null },
    });
    expect(await lettersOf(pickup.id)).toEqual([]);
    expect(await lettersOf(electronic.id)).toEqual([]);
  }, 120_000);

  it('a step the platform refuses becomes a dead letter with its field errors; sent again, the steps land in order', async () => {
    platform.setFaults({ rejectStatusChanges: true });
    try {
      const c = await acceptedCase(ELECTRONIC);
      await until(() => processView(c.number).length === 1);
      await approveInBackOffice(c.number, '人社证字〔2026〕0201号');

      // The conclusion is refused, and the delivery after it (it is sent after the conclusion).
      const letters = await until(async () => {
        const found = await lettersOf(c.id);
        return found.length === 2 ? found : null;
      });
      for (const letter of letters) {
        expect(letter.jobName).toBe('record-on-platform');
        expect(letter.reason).toMatch(/provincial platform refused the record/);
        expect(letter.reason).toContain('departments[0].code: 与事项实施清单登记的实施部门不一致');
        expect(letter.reason).toContain('the concluded step');
      }
      expect(processView(c.number)).toEqual(['acceptance']);

      // Fixed at the platform's side; the delivery's letter is sent again first: it brings the conclusion.
      platform.setFaults({ rejectStatusChanges: false });
      const topics = new Map(
        (await forkEm(pipeline.db.orm).find(DeadLetter, { caseId: c.id })).map((l) => [
          String(l.id),
          String(l.payload.topic),
        ]),
      );
      const delivery = letters.find((l) => topics.get(l.id) === 'delivery.delivered')!;
      const conclusion = letters.find((l) => topics.get(l.id) === 'case.concluded')!;
      await sendAgain(delivery);
      await until(() => processView(c.number).length === 3);
      await sendAgain(conclusion);
      await until(async () => (await lettersOf(c.id)).length === 0);
      await until(platformJobsDone);
      expect(processView(c.number)).toEqual(['acceptance', 'CONCLUDED', 'DELIVERED']);
    } finally {
      platform.setFaults({ rejectStatusChanges: false });
    }
  }, 120_000);

  it('a conclusion whose acceptance is itself a dead letter is dead-lettered at once, naming it; sent again after it, it lands after it', async () => {
    platform.setFaults({ rejectSubmissions: true });
    const c = await acceptedCase(PICKUP);
    try {
      await until(async () => (await lettersOf(c.id)).length === 1);
    } finally {
      platform.setFaults({ rejectSubmissions: false });
    }
    await approveInBackOffice(c.number, '人社证字〔2026〕0301号');
    const letters = await until(async () => {
      const found = await lettersOf(c.id);
      return found.length === 2 ? found : null;
    });
    const acceptance = letters.find((l) => /applicant\.identityNumber/.test(l.reason))!;
    const step = letters.find((l) => l !== acceptance)!;
    expect(step.reason).toContain('caseNumber: 平台未收到该办件的受理信息');
    expect(step.reason).toContain(`acceptance record is dead letter ${acceptance.id}`);
    expect(platform.caseRecords(c.number)).toEqual([]);

    await sendAgain(acceptance);
    await until(() => processView(c.number).length === 1);
    await sendAgain(step);
    await until(() => processView(c.number).length === 2);
    expect(processView(c.number)).toEqual(['acceptance', 'CONCLUDED']);
  }, 120_000);

  describe('a step that arrives before the platform holds the acceptance', () => {
    let early: RunningProvincialSimulator;
    let adapter: ProvincialAdapter;

    beforeAll(async () => {
      early = await startProvincialSimulator();
      adapter = createProvincialAdapter(
        { ...provincialConfigSchema.parse({ PROVINCIAL_MAX_ATTEMPTS: '1' }), PROVINCIAL_BASE_URL: early.url },
        { recorder: { record: () => {} }, identities: { resolve: async () => new Map() } },
      );
    });
    afterAll(async () => {
      await adapter?.client.http.close();
      await early?.close();
    });

    const context = (): JobContext => ({
      em: forkEm(pipeline.db.orm),
      logger: createLogger('silent'),
      jobId: 'platform-status-test',
      attempt: 1,
      adapters: [adapter],
      now: () => new Date(),
    });

    it('is retried (a plain failure) while our acceptance is on its way, dead-lettered while it is a dead letter, and recorded after it', async () => {
      // A case concluded and delivered in this hub; this platform has not seen it yet.
      const c = await acceptedCase(ELECTRONIC);
      await approveInBackOffice(c.number, '人社证字〔2026〕0401号');
      await until(() => processView(c.number).length === 3);
      const outbox = (topic: string) =>
        forkEm(pipeline.db.orm).findOneOrFail(OutboxEvent, { caseId: c.id, topic });
      const accepted = await outbox('case.accepted');
      const concluded = await outbox('case.concluded');
      const step = { outboxId: concluded.id, caseId: c.id, topic: 'case.concluded' };

      const onItsWay = await failureOf(recordOnPlatform.process(step, context()));
      expect(onItsWay.name).not.toBe('UnrecoverableError');
      expect(onItsWay.message).toMatch(/holds no acceptance .* still on its way, so this step is retried/);
      expect(early.caseRecords(c.number)).toEqual([]);

      // Our acceptance record failed for good: waiting cannot help.
      const jobId = `record-on-platform-o${accepted.id}-stuck`;
      await insertDeadLetter(forkEm(pipeline.db.orm), {
        queue: 'platform',
        jobName: 'record-on-platform',
        jobId,
        payload: { outboxId: accepted.id, caseId: c.id, topic: 'case.accepted' },
        reason: 'the provincial platform refused the record: (a test)',
        attempts: 1,
      });
      const stuck = await failureOf(recordOnPlatform.process(step, context()));
      expect(stuck.name).toBe('UnrecoverableError');
      expect(stuck.message).toContain('caseNumber: 平台未收到该办件的受理信息，须先报送受理信息');
      expect(stuck.message).toMatch(/acceptance record is dead letter \d+; send it again first/);
      await forkEm(pipeline.db.orm).nativeUpdate(DeadLetter, { jobId }, { retriedAt: new Date() });

      // The acceptance lands; the step then goes, with the one after it, in order.
      await recordOnPlatform.process(
        { outboxId: accepted.id, caseId: c.id, topic: 'case.accepted' },
        context(),
      );
      expect(await recordOnPlatform.process(step, context())).toEqual({ recorded: 2, repeated: 0 });
      expect(await recordOnPlatform.process(step, context())).toEqual({ recorded: 0, repeated: 2 });
      expect(early.caseRecords(c.number).map((r) => String(r.body.status ?? r.kind))).toEqual([
        'acceptance',
        'CONCLUDED',
        'DELIVERED',
      ]);
    }, 120_000);
  });
});
