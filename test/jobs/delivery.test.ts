import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideAcceptance } from '../../db/cases/case-decisions.ts';
import { registerCase } from '../../db/cases/case-intake.ts';
import { CaseDelivery } from '../../db/entities/case-delivery.ts';
import { CaseDepartmentTask } from '../../db/entities/case-department-task.ts';
import { DepartmentTask } from '../../db/entities/department-task.ts';
import { forkEm } from '../../db/orm.ts';
import { catalogue } from '../../db/seed/catalogue/index.ts';
import { DEMO_ACTORS } from '../../gateway/auth/demo-actors.ts';
import { eventually } from '../kit/eventually.ts';
import { citizenId } from '../kit/front-desk.ts';
import { type JobPipeline, startJobPipeline } from '../kit/job-pipeline.ts';

/** Items decided in the hub's back office: one delivered by pickup or post, one electronically. */
const PICKUP_OR_POST = 'SBMS-001';
const ELECTRONIC = 'SBMS-002';
const DEPARTMENT = 'human_resources_social_security';

const SIGNATURE_PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('handwritten signature of the recipient'),
]);

const paper = (code: string) =>
  catalogue.items
    .find((i) => i.code === code)!
    .materials.filter((m) => m.required)
    .map((m) => ({ checklistCode: m.code, medium: 'paper' as const }));

const until = <T>(probe: () => Promise<T | null | undefined | false>) => eventually(probe, 40_000);

const CASE = `query($id: ID!) { case(id: $id) { id version status
  delivery { method status address phone waybillNo trackingStatus deliveredAt receivedBy handedOverBy signatureFileId }
  departmentTasks { departmentCode status paperCount paperSignedBy paperSignedAt deliveryReportedAt }
  notifications { kind template status phoneSuffix }
  timeline { type actorId actorRole at changes } } }`;

interface CaseView {
  id: string;
  version: number;
  status: string;
  delivery: Record<string, string | null>;
  departmentTasks: Record<string, unknown>[];
  notifications: { kind: string; template: string; status: string; phoneSuffix: string | null }[];
  timeline: {
    type: string;
    actorId: string;
    actorRole: string;
    at: string;
    changes: Record<string, unknown>;
  }[];
}

describe('unified delivery (统一窗口出件): window check → pickup, post or electronic → department told', () => {
  let pipeline: JobPipeline;
  let db: JobPipeline['db'];
  let built: JobPipeline['built'];
  let hub: JobPipeline['hub'];
  let clerk: string;
  let reviewer: string;
  let signature: string;
  let serial = 0;

  async function view(id: string): Promise<CaseView> {
    const { body } = await hub.gql<{ case: CaseView }>(CASE, { id }, { token: clerk });
    if (!body.data?.case) throw new Error(JSON.stringify(body.errors));
    return body.data.case;
  }

  /**
   * The case once its package is with the department; nothing else changes it until the department
   * decides. (Read again after the task shows: one view reads the case and its tasks in separate
   * statements, so the first sight of the task may come with the case row of just before.)
   */
  async function transferred(id: string): Promise<CaseView> {
    await until(async () => (await view(id)).departmentTasks.length === 1);
    return view(id);
  }

  async function acceptedCase(itemCode: string, phone: string | null = '13912345678') {
    const c = await registerCase(forkEm(db.orm), DEMO_ACTORS.clerk, {
      itemCode,
      channel: 'window',
      applicant: { type: 'person', name: '出件测试', idNumber: citizenId(700 + serial++), phone },
      materials: paper(itemCode),
    });
    const outcome = await decideAcceptance(forkEm(db.orm), DEMO_ACTORS.clerk, c.id, c.version, {
      type: 'accept',
    });
    expect(outcome.kind).toBe('accepted');
    return { id: c.id, number: c.number, idNumber: citizenId(700 + serial - 1) };
  }

  /** The department's reviewer approves the case's back-office task. */
  async function approveInBackOffice(caseNumber: string) {
    const task = await until(() => forkEm(db.orm).findOne(DepartmentTask, { caseNumber, status: 'pending' }));
    const { body } = await hub.gql(
      `mutation($input: DecideTaskInput!) { decideDepartmentTask(input: $input) { status } }`,
      {
        input: {
          taskId: task.id,
          expectedVersion: task.version,
          approve: true,
          resultNumber: `人社证字〔2026〕${String(serial).padStart(4, '0')}号`,
        },
      },
      { token: reviewer },
    );
    expect(body.errors).toBeUndefined();
  }

  beforeAll(async () => {
    pipeline = await startJobPipeline();
    ({ db, built, hub } = pipeline);
    clerk = await hub.token('clerk');
    reviewer = await hub.token('department_reviewer', { departmentCode: DEPARTMENT });
    const form = new FormData();
    form.append('file', new File([SIGNATURE_PNG], 'signature.png'));
    const uploaded = await fetch(`${hub.url}/uploads`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${clerk}` },
    });
    signature = ((await uploaded.json()) as { sha256: string }).sha256;
  }, 60_000);

  afterAll(async () => pipeline?.close());

  it('pickup: the department signs for the paper, the result waits at the window, is handed over against the applicant’s identity and a signature, and the department is told', async () => {
    const c = await acceptedCase(PICKUP_OR_POST);
    await until(async () => (await view(c.id)).departmentTasks.length === 1);

    // The department's receiver signs for the paper originals (R-F6).
    const signed = await hub.gql<{ signPaperHandover: { paperSignedBy: string; paperCount: number } }>(
      `mutation($n: String!, $s: ID!) { signPaperHandover(caseNumber: $n, receiverName: "刘洋", signatureFileId: $s) { paperSignedBy paperCount } }`,
      { n: c.number, s: signature },
      { token: reviewer },
    );
    expect(signed.body.data?.signPaperHandover.paperSignedBy).toBe('刘洋');
    const twice = await hub.gql(
      `mutation($n: String!, $s: ID!) { signPaperHandover(caseNumber: $n, receiverName: "刘洋", signatureFileId: $s) { paperSignedBy } }`,
      { n: c.number, s: signature },
      { token: reviewer },
    );
    expect(twice.body.errors?.[0]?.message).toMatch(/already signed for by 刘洋/);
    const otherDepartment = await hub.gql(
      `mutation($n: String!, $s: ID!) { signPaperHandover(caseNumber: $n, receiverName: "刘洋", signatureFileId: $s) { paperSignedBy } }`,
      { n: c.number, s: signature },
      { token: await hub.token('department_reviewer', { departmentCode: 'civil_affairs' }) },
    );
    expect(otherDepartment.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // Nothing to hand over before the result is back.
    const early = await hub.gql(
      `mutation($id: ID!, $v: Int!, $h: HandoverInput!) { handOverResult(caseId: $id, expectedVersion: $v, handover: $h) { id } }`,
      {
        id: c.id,
        v: (await view(c.id)).version,
        h: { recipient: 'APPLICANT', idNumber: c.idNumber, signatureFileId: signature },
      },
      { token: clerk },
    );
    expect(early.body.errors?.[0]?.message).toMatch(/not back from the departments yet/);

    await approveInBackOffice(c.number);
    const ready = await until(async () => {
      const v = await view(c.id);
      return v.delivery.status === 'READY' ? v : null;
    });
    expect(ready.status).toBe('APPROVED');

    // A wrong identity number is refused and recorded without the number.
    const wrongId = citizenId(999);
    const refused = await hub.gql(
      `mutation($id: ID!, $v: Int!, $h: HandoverInput!) { handOverResult(caseId: $id, expectedVersion: $v, handover: $h) { id } }`,
      {
        id: c.id,
        v: ready.version,
        h: { recipient: 'APPLICANT', idNumber: wrongId, signatureFileId: signature },
      },
      { token: clerk },
    );
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.body.errors?.[0]?.message).toMatch(/does not match the applicant/);
    const afterRefusal = await view(c.id);
    expect(afterRefusal.delivery.status).toBe('READY');
    expect(afterRefusal.timeline.at(-1)?.type).toBe('handover_refused');
    expect(JSON.stringify(afterRefusal.timeline)).not.toContain(wrongId);

    // No agent on this case: an agent cannot collect it.
    const agent = await hub.gql(
      `mutation($id: ID!, $v: Int!, $h: HandoverInput!) { handOverResult(caseId: $id, expectedVersion: $v, handover: $h) { id } }`,
      {
        id: c.id,
        v: afterRefusal.version,
        h: { recipient: 'AGENT', idNumber: c.idNumber, signatureFileId: signature },
      },
      { token: clerk },
    );
    expect(agent.body.errors?.[0]?.message).toMatch(/no agent is recorded/);

    const handed = await hub.gql<{ handOverResult: CaseView }>(
      `mutation($id: ID!, $v: Int!, $h: HandoverInput!) { handOverResult(caseId: $id, expectedVersion: $v, handover: $h) { delivery { status receivedBy handedOverBy signatureFileId } } }`,
      {
        id: c.id,
        v: afterRefusal.version,
        h: { recipient: 'APPLICANT', idNumber: c.idNumber, signatureFileId: signature },
      },
      { token: clerk },
    );
    expect(handed.body.data?.handOverResult.delivery).toEqual({
      status: 'DELIVERED',
      receivedBy: 'APPLICANT',
      handedOverBy: DEMO_ACTORS.clerk.id,
      signatureFileId: signature,
    });

    // The department learns how its result was delivered (R-D5), once.
    await until(async () => (await view(c.id)).departmentTasks[0]?.deliveryReportedAt);
    // Read again: one view reads the case's events and its tasks in separate statements.
    const told = await view(c.id);
    const task = await forkEm(db.orm).findOneOrFail(DepartmentTask, { caseNumber: c.number });
    expect(task.deliveryReport).toMatchObject({ method: 'pickup', recipient: 'applicant', waybillNo: null });

    // The timeline shows every handover with who signed and when.
    const steps = told.timeline.map((e) => `${e.type}:${e.actorRole}`);
    expect(steps).toEqual(
      expect.arrayContaining([
        'handed_over:system',
        'paper_handover_signed:department_reviewer',
        'department_decided:system',
        'ready_for_pickup:system',
        'handover_refused:clerk',
        'result_handed_over:clerk',
        'delivery_reported:system',
      ]),
    );
    const paperSigned = told.timeline.find((e) => e.type === 'paper_handover_signed')!;
    expect(JSON.parse(paperSigned.changes as unknown as string)).toMatchObject({ receiver: [null, '刘洋'] });
    expect(paperSigned.at).toBeTruthy();
  });

  it('post: validated choice, shipped through the post, tracked to delivered; the applicant is told at each step', async () => {
    const c = await acceptedCase(PICKUP_OR_POST, '13800138000');
    const choose = (delivery: Record<string, unknown>, v: number) =>
      hub.gql<{ chooseDelivery: CaseView }>(
        `mutation($id: ID!, $v: Int!, $d: DeliveryChoiceInput!) { chooseDelivery(caseId: $id, expectedVersion: $v, delivery: $d) { version delivery { method status address phone } } }`,
        { id: c.id, v, d: delivery },
        { token: clerk },
      );
    // Once the package is with the department, nothing else changes the case until it decides.
    let version = (await transferred(c.id)).version;
    const notOffered = await choose({ method: 'ELECTRONIC' }, version);
    expect(notOffered.body.errors?.[0]?.message).toMatch(
      /delivers its result by pickup, post; electronic is not offered/,
    );
    const noPhone = await choose({ method: 'POST', address: '河南省濮阳市华龙区人民路100号' }, version);
    expect(noPhone.body.errors?.[0]?.extensions?.field ?? noPhone.body.errors?.[0]?.message).toMatch(/phone/);
    const chosen = await choose(
      { method: 'POST', address: '河南省濮阳市华龙区人民路100号', phone: '13800138000', postcode: '457000' },
      version,
    );
    expect(chosen.body.errors).toBeUndefined();
    // The clerk sees the address, the phone only masked.
    expect(chosen.body.data?.chooseDelivery.delivery).toMatchObject({
      method: 'POST',
      status: 'AWAITING_RESULT',
      address: '河南省濮阳市华龙区人民路100号',
    });
    expect(chosen.body.data?.chooseDelivery.delivery.phone).not.toContain('13800138000');
    version = chosen.body.data!.chooseDelivery.version;

    await approveInBackOffice(c.number);
    const delivered = await until(async () => {
      const v = await view(c.id);
      return v.delivery.status === 'DELIVERED' ? v : null;
    });
    expect(delivered.delivery.waybillNo).toMatch(/^[A-Z]{2}\d{9}CN$/);
    expect(delivered.delivery.trackingStatus).toBe('delivered');
    expect(delivered.delivery.receivedBy).toBe('APPLICANT');
    // One shipment at the post for the case, however the jobs ran.
    const shipments = built.simulators
      .get('post')!
      .submissions()
      .filter((s) => s.caseNumber === c.number);
    expect(shipments).toHaveLength(1);
    await until(async () => (await view(c.id)).departmentTasks[0]?.deliveryReportedAt);
    const task = await forkEm(db.orm).findOneOrFail(DepartmentTask, { caseNumber: c.number });
    expect(task.deliveryReport).toMatchObject({ method: 'post', waybillNo: delivered.delivery.waybillNo });

    // Accepted, decided, shipped: one message each, to the applicant's phone (last four digits kept).
    const messages = await until(async () => {
      const v = await view(c.id);
      return v.notifications.length >= 3 ? v.notifications : null;
    });
    expect(messages.map((m) => m.kind)).toEqual(['accepted', 'decided', 'shipped']);
    expect(messages.every((m) => m.status === 'sent' && m.phoneSuffix === '8000')).toBe(true);
    const stored = await forkEm(db.orm).findOneOrFail(CaseDelivery, { case: c.id });
    expect(stored.trackingSequence).toBeGreaterThanOrEqual(4);
  });

  it('electronic: available at once, delivered and reported; an applicant without a phone is not messaged', async () => {
    const c = await acceptedCase(ELECTRONIC, null);
    const chosen = await hub.gql(
      `mutation($id: ID!, $v: Int!, $d: DeliveryChoiceInput!) { chooseDelivery(caseId: $id, expectedVersion: $v, delivery: $d) { delivery { method } } }`,
      { id: c.id, v: (await transferred(c.id)).version, d: { method: 'ELECTRONIC' } },
      { token: clerk },
    );
    expect(chosen.body.errors).toBeUndefined();
    await approveInBackOffice(c.number);
    await until(async () => {
      const v = await view(c.id);
      return v.delivery.status === 'DELIVERED' && v.departmentTasks[0]?.deliveryReportedAt;
    });
    const done = await view(c.id);
    expect(done.timeline.map((e) => e.type)).toContain('delivered_electronically');
    const notes = await until(async () => {
      const v = await view(c.id);
      return v.notifications.length >= 2 ? v.notifications : null;
    });
    expect(notes.every((n) => n.status === 'skipped' && n.phoneSuffix === null)).toBe(true);
    // Changing the method after delivery is refused.
    const late = await hub.gql(
      `mutation($id: ID!, $v: Int!, $d: DeliveryChoiceInput!) { chooseDelivery(caseId: $id, expectedVersion: $v, delivery: $d) { id } }`,
      { id: c.id, v: (await view(c.id)).version, d: { method: 'ELECTRONIC' } },
      { token: clerk },
    );
    expect(late.body.errors?.[0]?.message).toMatch(/already left the window/);
  });

  it('window check (R-D2): a result made out to someone else is refused back with the reason; the department decides again and the case concludes on the corrected result', async () => {
    const bureau = built.simulators.get('public_security')!;
    bureau.setFaults({ misattributeResults: true });
    try {
      const c = await acceptedCase('GASF-005');
      const settled = await until(async () => {
        const v = await view(c.id);
        return v.status === 'APPROVED' ? v : null;
      });
      const types = settled.timeline.map((e) => e.type);
      expect(types.filter((t) => t === 'result_refused')).toHaveLength(1);
      expect(types.indexOf('result_refused')).toBeLessThan(types.indexOf('department_decided'));
      const refused = settled.timeline.find((e) => e.type === 'result_refused')!;
      expect(String(refused.changes)).toContain('持证人');
      // The refusal reached the bureau once, with the reasons; the approval is on the corrected result.
      const ref = bureau.submissions().find((s) => s.caseNumber === c.number)!.departmentRef;
      const told = bureau.feedback!().refusals.filter((r) => r.departmentRef === ref);
      expect(told).toHaveLength(1);
      expect(told[0]!.reasons.join()).toMatch(/姓名|证件号码/);
      const task = await forkEm(db.orm).findOneOrFail(CaseDepartmentTask, { case: c.id });
      expect(task.status).toBe('approved');
      expect(task.resultHolderName).toBe('出件测试');
      expect(task.resultRefusals).toHaveLength(1);
      expect(task.resultRefusals![0]!.toldAt).not.toBeNull();
      // Once applied, the stored callbacks keep the holder's identity number masked.
      const stored = await forkEm(db.orm).execute<{ events: string }[]>(
        `select events::text as events from callback_receipt where adapter = 'public_security' and processed_at is not null`,
      );
      expect(stored.length).toBeGreaterThan(0);
      expect(stored.some((r) => r.events.includes(c.idNumber))).toBe(false);
    } finally {
      bureau.setFaults({ misattributeResults: false });
    }
  });
});
