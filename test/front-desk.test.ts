import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxEvent } from '../db/entities/outbox-event.ts';
import { forkEm } from '../db/orm.ts';
import {
  CASE_FIELDS,
  citizenId,
  DECIDE,
  IMMEDIATE_ITEM,
  PRESENT,
  REGISTER,
  requiredMaterials,
  TOLERANT_ITEM,
} from './kit/front-desk.ts';
import { startTestHub, type TestHub } from './kit/test-hub.ts';

type CaseView = {
  id: string;
  number: string;
  status: string;
  version: number;
  acceptedOn: string | null;
  applicant: { name: string; idNumber: string; phone: string | null };
  deadline: {
    dueDate: string;
    suspendedWorkingDays: number;
    suspendedNow: boolean;
    suspensions: { reason: string; from: string; to: string | null }[];
  } | null;
  commitment: { materialCodes: string[]; supplyBy: string } | null;
  materialCheck: {
    complete: boolean;
    allGapsTolerable: boolean;
    gaps: { code: string; state: string; reasons: string[]; tolerable: boolean }[];
  };
  documents: { id: string; kind: string; number: string; title: string; pdfUrl: string }[];
  timeline: {
    seq: number;
    actorId: string;
    actorRole: string;
    type: string;
    changes: string;
    documentId: string | null;
  }[];
};
type Decision = {
  __typename: string;
  case: CaseView;
  notice?: { number: string; title: string };
  decision?: { number: string; title: string };
  errorCode?: string;
  message?: string;
  gaps?: { code: string; name?: string; tolerable?: boolean; reasons?: string[] }[];
};

const tolerable = TOLERANT_ITEM.materials.find((m) => m.required && m.tolerable)!;
const intolerable = TOLERANT_ITEM.materials.find((m) => m.required && !m.tolerable)!;

describe('front desk', () => {
  let hub: TestHub;
  let clerk: string;
  let serial = 100;
  beforeAll(async () => {
    hub = await startTestHub();
    clerk = await hub.token('clerk');
  });
  afterAll(async () => {
    await hub?.close();
  });

  async function register(
    leaveOut: string[] = [],
    overrides: Record<string, unknown> = {},
    token = clerk,
  ): Promise<CaseView> {
    const { body } = await hub.gql<{ registerCase: CaseView }>(
      REGISTER,
      {
        input: {
          itemCode: TOLERANT_ITEM.code,
          channel: 'WINDOW',
          applicant: { type: 'PERSON', name: '张伟', idNumber: citizenId(serial++), phone: '13800138000' },
          materials: requiredMaterials(TOLERANT_ITEM, leaveOut),
          ...overrides,
        },
      },
      { token },
    );
    expect(body.errors).toBeUndefined();
    return body.data!.registerCase;
  }

  async function decide(c: { id: string; version: number }, d: Record<string, unknown>, token = clerk) {
    const { body } = await hub.gql<{ decideAcceptance: Decision }>(
      DECIDE,
      { id: c.id, v: c.version, d },
      { token },
    );
    expect(body.errors).toBeUndefined();
    return body.data!.decideAcceptance;
  }

  it('registers a complete application and accepts it with a numbered notice and a due date', async () => {
    const registered = await register();
    expect(registered.number).toMatch(/^410900-\d{8}-\d{6}$/);
    expect(registered.status).toBe('REGISTERED');
    expect(registered.materialCheck.complete).toBe(true);
    expect(registered.applicant.idNumber).toMatch(/^410\*{11}\w{4}$/);
    expect(registered.applicant.phone).toBe('138****8000');

    const accepted = await decide(registered, { type: 'ACCEPT' });
    expect(accepted.__typename).toBe('CaseAccepted');
    expect(accepted.notice!.title).toBe('受理通知书');
    expect(accepted.notice!.number).toMatch(/^濮政服受字〔\d{4}〕第\d{6}号$/);
    expect(accepted.case.status).toBe('ACCEPTED');
    expect(accepted.case.deadline!.dueDate > accepted.case.acceptedOn!).toBe(true);
    expect(accepted.case.timeline.map((e) => e.type)).toEqual(['registered', 'accepted']);
    expect(accepted.case.timeline[1]).toMatchObject({
      actorRole: 'clerk',
      documentId: accepted.case.documents[0]!.id,
    });
    expect(JSON.parse(accepted.case.timeline[1]!.changes)).toMatchObject({
      status: ['registered', 'accepted'],
    });

    const outbox = await forkEm(hub.db.orm).find(
      OutboxEvent,
      { caseId: registered.id },
      { orderBy: { id: 'asc' } },
    );
    expect(outbox.map((e) => e.topic)).toEqual(['case.registered', 'case.accepted']);
    expect(outbox[1]!.payload).toMatchObject({
      caseNumber: registered.number,
      itemCode: TOLERANT_ITEM.code,
      hallCode: '410900',
    });
    expect(JSON.stringify(outbox.map((e) => e.payload))).not.toContain(citizenId(serial - 1));
  });

  it('issues one correction notice listing every gap, refuses to repeat it, and accepts once supplied', async () => {
    const defectivePoint = intolerable.reviewPoints[0]!;
    const c = await register([tolerable.code, intolerable.code]);
    const withDefect = await hub.gql<{ presentMaterials: CaseView }>(
      PRESENT,
      {
        id: c.id,
        v: c.version,
        m: [{ checklistCode: intolerable.code, medium: 'PAPER', failedReviewPoints: [defectivePoint] }],
      },
      { token: clerk },
    );
    const registered = withDefect.body.data!.presentMaterials;
    expect(registered.materialCheck.gaps.map((g) => [g.code, g.state])).toEqual(
      expect.arrayContaining([
        [tolerable.code, 'MISSING'],
        [intolerable.code, 'DEFECTIVE'],
      ]),
    );
    const notice = await decide(registered, { type: 'REQUIRE_CORRECTION' });
    expect(notice.__typename).toBe('CorrectionRequired');
    expect(notice.notice!.title).toBe('补齐补正材料通知书');
    expect(notice.gaps!.map((g) => g.code).sort()).toEqual([tolerable.code, intolerable.code].sort());
    expect(notice.gaps!.find((g) => g.code === intolerable.code)!.reasons).toEqual([defectivePoint]);
    expect(notice.case.status).toBe('CORRECTION_REQUIRED');

    // Supplying only one of them puts the case back at the desk; the other gap was already told.
    const partly = await hub.gql<{ presentMaterials: CaseView }>(
      PRESENT,
      { id: c.id, v: notice.case.version, m: [{ checklistCode: tolerable.code, medium: 'PAPER' }] },
      { token: clerk },
    );
    const back = partly.body.data!.presentMaterials;
    expect(back.status).toBe('REGISTERED');
    const again = await decide(back, { type: 'REQUIRE_CORRECTION' });
    expect(again).toMatchObject({ __typename: 'DecisionNotAllowed', errorCode: 'ALREADY_NOTIFIED' });
    expect(again.case.version).toBe(back.version);

    const accept = await decide(back, { type: 'ACCEPT' });
    expect(accept).toMatchObject({ __typename: 'DecisionNotAllowed', errorCode: 'MATERIALS_INCOMPLETE' });
    const fixed = await hub.gql<{ presentMaterials: CaseView }>(
      PRESENT,
      { id: c.id, v: back.version, m: [{ checklistCode: intolerable.code, medium: 'PAPER' }] },
      { token: clerk },
    );
    const accepted = await decide(fixed.body.data!.presentMaterials, { type: 'ACCEPT' });
    expect(accepted.__typename).toBe('CaseAccepted');
    expect(accepted.case.timeline.map((e) => e.type)).toEqual([
      'registered',
      'materials_presented',
      'correction_required',
      'materials_presented',
      'materials_presented',
      'accepted',
    ]);
  });

  it('refuses only with specific reasons', async () => {
    const c = await register();
    const empty = await hub.gql(
      DECIDE,
      { id: c.id, v: c.version, d: { type: 'REFUSE', reasons: ['  '] } },
      { token: clerk },
    );
    expect(empty.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reasons' });
    const refused = await decide(c, {
      type: 'REFUSE',
      reasons: ['申请事项不属于本中心受理范围，请向省级部门申请'],
    });
    expect(refused.__typename).toBe('CaseRefused');
    expect(refused.decision!.title).toBe('不予受理决定书');
    expect(refused.case.status).toBe('REFUSED');
  });

  it('accepts with deficiency only when every gap is tolerable, records the commitment and stops the clock', async () => {
    const both = await register([tolerable.code, intolerable.code]);
    const notTolerable = await decide(both, {
      type: 'ACCEPT_WITH_DEFICIENCY',
      commitment: { materialCodes: [tolerable.code, intolerable.code], supplyBy: '2099-01-01' },
    });
    expect(notTolerable).toMatchObject({ __typename: 'DecisionNotAllowed', errorCode: 'GAPS_NOT_TOLERABLE' });
    expect(notTolerable.message).toContain(intolerable.name);
    expect(notTolerable.gaps!.map((g) => g.code)).toEqual([intolerable.code]);

    const c = await register([tolerable.code]);
    const tooLate = await decide(c, {
      type: 'ACCEPT_WITH_DEFICIENCY',
      commitment: { materialCodes: [tolerable.code], supplyBy: '2099-01-01' },
    });
    expect(tooLate).toMatchObject({ __typename: 'DecisionNotAllowed', errorCode: 'COMMITMENT_INVALID' });
    expect(tooLate.message).toMatch(/no later than the promised completion date \d{4}-\d{2}-\d{2}/);
    const latest = /(\d{4}-\d{2}-\d{2})/.exec(tooLate.message!)![1]!;

    const accepted = await decide(c, {
      type: 'ACCEPT_WITH_DEFICIENCY',
      commitment: { materialCodes: [tolerable.code], supplyBy: latest },
    });
    expect(accepted.__typename).toBe('AcceptedWithDeficiency');
    expect(accepted.notice!.title).toBe('容缺受理通知书');
    expect(accepted.case.commitment).toEqual({ materialCodes: [tolerable.code], supplyBy: latest });
    expect(accepted.case.deadline!.suspendedNow).toBe(true);
    expect(accepted.case.deadline!.suspensions).toEqual([
      { reason: 'deficiency_commitment', from: accepted.case.acceptedOn, to: null },
    ]);

    const supplied = await hub.gql<{ presentMaterials: CaseView }>(
      PRESENT,
      { id: c.id, v: accepted.case.version, m: [{ checklistCode: tolerable.code, medium: 'PAPER' }] },
      { token: clerk },
    );
    const done = supplied.body.data!.presentMaterials;
    expect(done.status).toBe('ACCEPTED');
    expect(done.deadline!.suspendedNow).toBe(false);
    expect(done.deadline!.suspensions[0]!.to).not.toBeNull();
  });

  it('rejects identity numbers with a wrong check digit, naming the field and the reason', async () => {
    const good = citizenId(7);
    const bad = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
    const { body } = await hub.gql(
      REGISTER,
      {
        input: {
          itemCode: TOLERANT_ITEM.code,
          channel: 'WINDOW',
          applicant: { type: 'PERSON', name: '李娜', idNumber: bad },
          materials: requiredMaterials(TOLERANT_ITEM),
        },
      },
      { token: clerk },
    );
    expect(body.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'applicant.idNumber',
    });
    expect(body.errors![0]!.message).toMatch(/check character/);
    expect(body.errors![0]!.message).not.toContain(bad);
    const org = await hub.gql(
      REGISTER,
      {
        input: {
          itemCode: TOLERANT_ITEM.code,
          channel: 'WINDOW',
          applicant: {
            type: 'ORGANISATION',
            name: '濮阳市某某商贸有限公司',
            idNumber: '91350100M000100Y44',
            legalRepresentative: '王强',
          },
          materials: requiredMaterials(TOLERANT_ITEM),
        },
      },
      { token: clerk },
    );
    expect(org.body.errors![0]!.extensions).toMatchObject({ field: 'applicant.idNumber' });
  });

  it('lets one of two clerks acting on the same case at once win; the other gets a conflict and nothing is half-written', async () => {
    const c = await register();
    const second = await hub.token('clerk', { id: 'clerk-lina', name: '李娜' });
    const [a, b] = await Promise.all([
      hub.gql<{ decideAcceptance: Decision }>(
        DECIDE,
        { id: c.id, v: c.version, d: { type: 'ACCEPT' } },
        { token: clerk },
      ),
      hub.gql<{ decideAcceptance: Decision }>(
        DECIDE,
        { id: c.id, v: c.version, d: { type: 'REFUSE', reasons: ['申请人不具备申请资格'] } },
        { token: second },
      ),
    ]);
    const outcomes = [a, b].map(
      (r) => r.body.data?.decideAcceptance?.__typename ?? r.body.errors?.[0]?.extensions?.code,
    );
    expect(
      outcomes.filter((o) => o === 'CONFLICT'),
      JSON.stringify(b.body).slice(0, 1500),
    ).toHaveLength(1);
    const { body } = await hub.gql<{ case: CaseView }>(
      `query($id: ID!) { case(id: $id) { ${CASE_FIELDS} } }`,
      { id: c.id },
      { token: clerk },
    );
    expect(body.data!.case.documents).toHaveLength(1);
    expect(body.data!.case.timeline).toHaveLength(2);
    const stale = await hub.gql(DECIDE, { id: c.id, v: c.version, d: { type: 'ACCEPT' } }, { token: clerk });
    expect(stale.body.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', field: 'expectedVersion' });
  });

  it('keeps cases to those who may see them, with one answer for "not yours" and "does not exist"', async () => {
    const c = await register();
    const otherHall = await hub.token('clerk', { hallCode: '410922' });
    const query = `query($id: ID!) { case(id: $id) { id number } }`;
    const foreign = await hub.gql(query, { id: c.id }, { token: otherHall });
    const missing = await hub.gql(
      query,
      { id: '00000000-0000-4000-8000-000000000000' },
      { token: otherHall },
    );
    expect(foreign.body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect(foreign.body.errors![0]!.message).toBe(missing.body.errors![0]!.message);
    expect(foreign.body.data).toEqual({ case: null });
    const anonymous = await hub.gql(query, { id: c.id });
    expect(anonymous.body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const consumer = await hub.gql(query, { id: c.id }, { token: await hub.token('consumer') });
    expect(consumer.body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const list = await hub.gql<{ cases: { edges: unknown[] } }>(
      '{ cases(first: 100) { edges { node { id } } } }',
      {},
      { token: otherHall },
    );
    expect(list.body.data!.cases.edges).toEqual([]);
    const applicantRegisters = await hub.gql(
      REGISTER,
      {
        input: {
          itemCode: TOLERANT_ITEM.code,
          channel: 'WINDOW',
          applicant: { type: 'PERSON', name: '张伟', idNumber: citizenId(900) },
          materials: [],
        },
      },
      { token: await hub.token('applicant') },
    );
    expect(applicantRegisters.body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });

  it('records an agent acting for the applicant (帮办代办), masked, and checks the agent identity', async () => {
    const agentId = citizenId(808, '19700101');
    const badAgent = await hub.gql(
      REGISTER,
      {
        input: {
          itemCode: TOLERANT_ITEM.code,
          channel: 'WINDOW',
          applicant: { type: 'PERSON', name: '郑老伯', idNumber: citizenId(809, '19400101') },
          agent: {
            name: '郑小明',
            idNumber: `${agentId.slice(0, 17)}${agentId[17] === '0' ? '1' : '0'}`,
            authorisation: '授权委托书原件',
          },
          materials: requiredMaterials(TOLERANT_ITEM),
        },
      },
      { token: clerk },
    );
    expect(badAgent.body.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'agent.idNumber',
    });
    const { body } = await hub.gql<{
      registerCase: { agent: { name: string; idNumber: string; authorisation: string } };
    }>(
      REGISTER.replace(
        'registerCase(input: $input) {',
        'registerCase(input: $input) { agent { name idNumber authorisation }',
      ),
      {
        input: {
          itemCode: TOLERANT_ITEM.code,
          channel: 'WINDOW',
          applicant: { type: 'PERSON', name: '郑老伯', idNumber: citizenId(809, '19400101') },
          agent: { name: '郑小明', idNumber: agentId, phone: '13700001111', authorisation: '授权委托书原件' },
          materials: requiredMaterials(TOLERANT_ITEM),
        },
      },
      { token: clerk },
    );
    expect(body.data!.registerCase.agent).toEqual({
      name: '郑小明',
      idNumber: `410***********${agentId.slice(-4)}`,
      authorisation: '授权委托书原件',
    });
  });

  it('lets the supervisor of the hall see its cases, and not another hall', async () => {
    const c = await register();
    const query = 'query($id: ID!) { case(id: $id) { number } }';
    const own = await hub.gql<{ case: { number: string } }>(
      query,
      { id: c.id },
      { token: await hub.token('supervisor') },
    );
    expect(own.body.data!.case.number).toBe(c.number);
    const other = await hub.gql(
      query,
      { id: c.id },
      { token: await hub.token('supervisor', { hallCode: '410928' }) },
    );
    expect(other.body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const decide = await hub.gql(
      DECIDE,
      { id: c.id, v: c.version, d: { type: 'ACCEPT' } },
      { token: await hub.token('supervisor') },
    );
    expect(decide.body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });

  it('lets an applicant apply online and follow only their own case, with their own numbers in full', async () => {
    const me = await hub.token('applicant', { id: 'account-zhao' });
    const idNumber = citizenId(555);
    const online = await register(
      [],
      {
        channel: 'ONLINE',
        hallCode: '410900',
        applicant: { type: 'PERSON', name: '赵敏', idNumber, phone: '13912345678' },
      },
      me,
    );
    expect(online.status).toBe('ONLINE_SUBMITTED');
    expect(online.applicant.idNumber).toBe(idNumber);
    expect(online.applicant.phone).toBe('13912345678');
    const mine = await hub.gql<{ cases: { edges: { node: { id: string } }[] } }>(
      '{ cases { edges { node { id } } } }',
      {},
      { token: me },
    );
    expect(mine.body.data!.cases.edges.map((e) => e.node.id)).toEqual([online.id]);
    const someoneElse = await hub.token('applicant', { id: 'account-other' });
    const peek = await hub.gql(
      'query($id: ID!) { case(id: $id) { id } }',
      { id: online.id },
      { token: someoneElse },
    );
    expect(peek.body.errors![0]!.extensions!.code).toBe('FORBIDDEN');

    const pre = await hub.gql<{ preAccept: Decision }>(
      `mutation($id: ID!, $v: Int!) { preAccept(caseId: $id, expectedVersion: $v, decision: { outcome: PASS }) { __typename ... on PreAccepted { notice { title } case { status version id } } } }`,
      { id: online.id, v: online.version },
      { token: clerk },
    );
    expect(pre.body.data!.preAccept).toMatchObject({
      __typename: 'PreAccepted',
      case: { status: 'PRE_ACCEPTED' },
    });
    const outbox = await forkEm(hub.db.orm).find(OutboxEvent, {
      caseId: online.id,
      topic: 'case.pre_acceptance_result',
    });
    expect(outbox).toHaveLength(1);
    expect(outbox[0]!.payload).toMatchObject({ result: 'pre_accepted', itemCode: TOLERANT_ITEM.code });
  });

  it('has the chief representative decide an immediate item on the spot', async () => {
    const lead = IMMEDIATE_ITEM.departmentCodes[0]!;
    const c = await register([], {
      itemCode: IMMEDIATE_ITEM.code,
      materials: requiredMaterials(IMMEDIATE_ITEM),
    });
    const accepted = await decide(c, { type: 'ACCEPT' });
    expect(accepted.__typename).toBe('CaseAccepted');
    const chief = await hub.token('chief_representative', { departmentCode: lead });
    const otherChief = await hub.token('chief_representative', {
      departmentCode: lead === 'tax' ? 'civil_affairs' : 'tax',
    });
    const mutation = `mutation($id: ID!, $v: Int!, $a: Boolean!, $r: [String!]) { decideImmediate(caseId: $id, expectedVersion: $v, approve: $a, reasons: $r) { ${'__typename ... on ImmediateDecided { approved decision { title } case { status } } ... on DecisionNotAllowed { errorCode }'} } }`;
    const wrong = await hub.gql(
      mutation,
      { id: c.id, v: accepted.case.version, a: true },
      { token: otherChief },
    );
    expect(wrong.body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const byClerk = await hub.gql(
      mutation,
      { id: c.id, v: accepted.case.version, a: true },
      { token: clerk },
    );
    expect(byClerk.body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const { body } = await hub.gql<{ decideImmediate: { approved: boolean; case: { status: string } } }>(
      mutation,
      { id: c.id, v: accepted.case.version, a: true },
      { token: chief },
    );
    expect(body.data!.decideImmediate).toMatchObject({
      __typename: 'ImmediateDecided',
      approved: true,
      case: { status: 'APPROVED' },
    });
  });
});
