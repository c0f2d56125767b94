// The steps the hall's people take, as GraphQL calls: the window registers, accepts, hands results
// over; a department's receiver signs for paper and its reviewer decides in the back office. Each
// story strings these together; each step prints one line of what happened.
import { citizenIdCheckChar } from '../../db/identity/citizen-id.ts';
import { CASE_FIELDS, type CaseView, hallTime, type TaskView } from './case-report.ts';
import { CLERK, type DemoActor, DemoFailure, type HubClient } from './hub-client.ts';
import { signaturePng } from './signature-png.ts';

export interface Hall {
  hub: HubClient;
  /** `人力资源社会保障局` for `human_resources_social_security`. */
  departmentName(code: string): string;
  /** Where the documents' PDFs are saved. */
  outDir: string;
}

export interface ItemView {
  code: string;
  name: string;
  kind: string;
  resultName: string;
  deliveryOptions: string[];
  deficiencyTolerant: boolean;
  departments: { code: string; name: string }[];
  checklist: { code: string; name: string; required: boolean; tolerable: boolean; copies: number }[];
}

export interface Applicant {
  name: string;
  idNumber: string;
  phone: string;
}

/** A person with a valid citizen ID number of 濮阳市华龙区 (the check character is computed). */
export function applicant(name: string, birthDate: string, serial: number, phone: string): Applicant {
  const first17 = `410902${birthDate.replaceAll('-', '')}${String(serial).padStart(3, '0')}`;
  return { name, idNumber: first17 + citizenIdCheckChar(first17), phone };
}

/** Prints one step of a story: `    window     accepted …`. */
export const step = (who: string, what: string) => console.log(`    ${who.padEnd(11)}${what}`);

export async function loadItem(hall: Hall, code: string): Promise<ItemView> {
  const { serviceItem } = await hall.hub.gql<{ serviceItem: ItemView | null }>(
    `query($code: ID!) { serviceItem(code: $code) { code name kind resultName deliveryOptions deficiencyTolerant
       departments { code name } checklist { code name required tolerable copies } } }`,
    { code },
    CLERK,
  );
  if (!serviceItem)
    throw new DemoFailure(`the catalogue has no item ${code}; is the hub's catalogue seeded?`);
  return serviceItem;
}

export async function readCase(hall: Hall, id: string): Promise<CaseView> {
  const { case: found } = await hall.hub.gql<{ case: CaseView | null }>(
    `query($id: ID!) { case(id: $id) { ${CASE_FIELDS} } }`,
    { id },
    CLERK,
  );
  if (!found) throw new DemoFailure(`case ${id} is gone`);
  return found;
}

/**
 * Changes a case at its current version. The hub's workers change cases too (handovers, decisions
 * coming back), so a change can meet a newer version: it is read again and retried, as a clerk would.
 */
export async function changeCase<T>(
  hall: Hall,
  caseId: string,
  mutation: string,
  variables: Record<string, unknown>,
  as: DemoActor = CLERK,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const { version, number } = await readCase(hall, caseId);
    const { data, errors } = await hall.hub.attempt<T>(
      mutation,
      { ...variables, id: caseId, v: version },
      as,
    );
    if (errors.length === 0 && data) return data;
    // Only a lost race is retried: a CONFLICT of the business rules (e.g. nothing to hand over) is not.
    if (errors.some((e) => e.extensions?.code === 'CONFLICT' && /reload it/.test(e.message)) && attempt < 5)
      continue;
    throw new DemoFailure(
      `${/\{\s*(\w+)/.exec(mutation)?.[1]} on case ${number} failed: ${errors.map((e) => `${e.message} [${e.extensions?.code}]`).join('; ')}`,
    );
  }
}

/** The window registers an application with the item's required materials on paper, except `owed`. */
export async function register(
  hall: Hall,
  item: ItemView,
  person: Applicant,
  owed: string[] = [],
): Promise<CaseView> {
  const materials = item.checklist
    .filter((m) => m.required && !owed.includes(m.code))
    .map((m) => ({ checklistCode: m.code, medium: 'PAPER', copies: m.copies }));
  const { registerCase } = await hall.hub.gql<{ registerCase: CaseView }>(
    `mutation($input: RegisterCaseInput!) { registerCase(input: $input) { ${CASE_FIELDS} } }`,
    {
      input: {
        itemCode: item.code,
        channel: 'WINDOW',
        applicant: { type: 'PERSON', name: person.name, idNumber: person.idNumber, phone: person.phone },
        materials,
      },
    },
    CLERK,
  );
  step(
    'window',
    `${CLERK.name} registers ${person.name}'s application ${registerCase.number}: ${materials.length} materials on paper${owed.length > 0 ? `, ${owed.join(', ')} not brought` : ''}`,
  );
  return registerCase;
}

type Decision = {
  __typename: string;
  case?: CaseView;
  notice?: { title: string; number: string };
  decision?: { title: string; number: string };
  message?: string;
};

const DECISION_FIELDS = `__typename
  ... on CaseAccepted { case { ${CASE_FIELDS} } notice { title number } }
  ... on AcceptedWithDeficiency { case { ${CASE_FIELDS} } notice { title number } }
  ... on ImmediateDecided { case { ${CASE_FIELDS} } decision { title number } }
  ... on DecisionNotAllowed { errorCode message }`;

/** The window's acceptance decision; anything but the expected outcome fails the demo. */
export async function accept(
  hall: Hall,
  c: CaseView,
  decision:
    | { type: 'ACCEPT' }
    | { type: 'ACCEPT_WITH_DEFICIENCY'; commitment: { materialCodes: string[]; supplyBy: string } },
): Promise<CaseView> {
  const { decideAcceptance: result } = await changeCase<{ decideAcceptance: Decision }>(
    hall,
    c.id,
    `mutation($id: ID!, $v: Int!, $d: AcceptanceDecisionInput!) { decideAcceptance(caseId: $id, expectedVersion: $v, decision: $d) { ${DECISION_FIELDS} } }`,
    { d: decision },
  );
  if (!result.case || !result.notice)
    throw new DemoFailure(`${c.number} was not accepted: ${result.__typename} ${result.message ?? ''}`);
  const accepted = result.case;
  step(
    'window',
    `accepted (${accepted.status}), promised by ${accepted.deadline?.dueDate}: ${result.notice.title} ${result.notice.number}`,
  );
  return accepted;
}

/** The chief representative of the owning department decides an immediate item on the spot. */
export async function decideOnTheSpot(hall: Hall, c: CaseView, chief: DemoActor): Promise<CaseView> {
  const { decideImmediate: result } = await changeCase<{ decideImmediate: Decision }>(
    hall,
    c.id,
    `mutation($id: ID!, $v: Int!) { decideImmediate(caseId: $id, expectedVersion: $v, approve: true) { ${DECISION_FIELDS} } }`,
    {},
    chief,
  );
  if (!result.case || !result.decision) {
    const now = await readCase(hall, c.id);
    throw new DemoFailure(
      `${c.number} was not decided on the spot: ${result.__typename} ${result.message ?? ''} ` +
        `(its timeline: ${now.timeline.map((e) => e.type).join(', ')})`,
    );
  }
  step(
    'chief rep.',
    `${chief.name} (${chief.role} of ${hall.departmentName(chief.departmentCode!)}) approves on the spot: ${result.decision.title} ${result.decision.number}`,
  );
  return result.case;
}

/** How the applicant wants the result (post needs the address and a mobile number). */
export async function chooseDelivery(
  hall: Hall,
  c: CaseView,
  delivery: { method: string; address?: string; phone?: string; postcode?: string },
): Promise<CaseView> {
  const { chooseDelivery: chosen } = await changeCase<{ chooseDelivery: CaseView }>(
    hall,
    c.id,
    `mutation($id: ID!, $v: Int!, $d: DeliveryChoiceInput!) { chooseDelivery(caseId: $id, expectedVersion: $v, delivery: $d) { ${CASE_FIELDS} } }`,
    { d: delivery },
  );
  step(
    'applicant',
    `chooses ${delivery.method.toLowerCase()}${delivery.address ? ` to ${delivery.address}, mobile …${delivery.phone?.slice(-4)}` : ''} (offered: ${c.item.deliveryOptions.join(', ').toLowerCase()})`,
  );
  return chosen;
}

/** The workers hand the package over to every department of the item (window → department). */
export async function waitForHandovers(hall: Hall, c: CaseView, item: ItemView): Promise<CaseView> {
  const handed = await hall.hub.waitFor(
    `the handover of ${c.number} to ${item.departments.map((d) => d.code).join(', ')}`,
    async () => {
      const now = await readCase(hall, c.id);
      return item.departments.every((d) => now.departmentTasks.some((t) => t.departmentCode === d.code))
        ? now
        : null;
    },
  );
  for (const t of handed.departmentTasks)
    step(
      'handover',
      `window → ${hall.departmentName(t.departmentCode)} via ${t.adapter} (ref ${t.departmentRef}) at ${hallTime(t.transferredAt)}, ${t.paperCount} paper materials to sign for`,
    );
  return handed;
}

/** The department's receiver signs for the paper that came with its task (the clerk scans the signature). */
export async function signForPaper(
  hall: Hall,
  c: CaseView,
  task: TaskView,
  receiver: DemoActor,
): Promise<void> {
  const signature = await hall.hub.upload(signaturePng(receiver.name), `signature-${receiver.id}.png`);
  const { signPaperHandover: signed } = await hall.hub.gql<{ signPaperHandover: TaskView }>(
    `mutation($n: String!, $r: String!, $s: ID!) { signPaperHandover(caseNumber: $n, receiverName: $r, signatureFileId: $s) {
       departmentCode paperCount paperSignedBy paperSignedAt } }`,
    { n: c.number, r: receiver.name, s: signature.id },
    receiver,
  );
  step(
    'paper',
    `${signed.paperSignedBy} of ${hall.departmentName(task.departmentCode)} signs for ${signed.paperCount} paper materials at ${hallTime(signed.paperSignedAt)} (signature ${signature.mediaType} ${signature.id.slice(0, 10)}…)`,
  );
}

/** Every department's receiver signs for the paper of its task. */
export async function signForAllPaper(
  hall: Hall,
  c: CaseView,
  receivers: Record<string, DemoActor>,
): Promise<void> {
  for (const task of c.departmentTasks) {
    if (task.paperCount === 0) continue;
    const receiver = receivers[task.departmentCode];
    if (!receiver) throw new DemoFailure(`the demo has no receiver at ${task.departmentCode}`);
    await signForPaper(hall, c, task, receiver);
  }
}

/** A department without a system of its own: its reviewer decides the task in the hub's back office. */
export async function decideInBackOffice(
  hall: Hall,
  c: CaseView,
  reviewer: DemoActor,
  result: { number: string; name: string },
): Promise<void> {
  type Task = { id: string; caseNumber: string; version: number; materials: { code: string }[] };
  const task = await hall.hub.waitFor(
    `the back-office task of ${c.number} at ${reviewer.departmentCode}`,
    async () => {
      const { departmentTasks } = await hall.hub.gql<{ departmentTasks: Task[] }>(
        '{ departmentTasks(status: PENDING) { id caseNumber version materials { code } } }',
        {},
        reviewer,
      );
      return departmentTasks.find((t) => t.caseNumber === c.number);
    },
  );
  const { decideDepartmentTask: decided } = await hall.hub.gql<{
    decideDepartmentTask: { status: string; resultName: string; resultNumber: string; decidedBy: string };
  }>(
    `mutation($input: DecideTaskInput!) { decideDepartmentTask(input: $input) { status resultName resultNumber decidedBy } }`,
    {
      input: {
        taskId: task.id,
        expectedVersion: task.version,
        approve: true,
        resultNumber: result.number,
        resultName: result.name,
      },
    },
    reviewer,
  );
  step(
    'department',
    `${reviewer.name} (${decided.decidedBy}) of ${hall.departmentName(reviewer.departmentCode!)} reviews ${task.materials.length} materials in the back office: ${decided.status} ${decided.resultName} ${decided.resultNumber}`,
  );
}

/** Waits until every department of the case has decided (back office or own system) and the case concluded. */
export async function waitForConclusion(hall: Hall, c: CaseView): Promise<CaseView> {
  const concluded = await hall.hub.waitFor(`the departments' decisions on ${c.number}`, async () => {
    const now = await readCase(hall, c.id);
    return ['APPROVED', 'DENIED'].includes(now.status) ? now : null;
  });
  for (const t of concluded.departmentTasks.filter((t) => t.adapter !== 'back_office'))
    step(
      'department',
      `${hall.departmentName(t.departmentCode)} decided in its own system (${t.adapter}): ${t.status} ${t.resultName ?? ''} ${t.resultNumber ?? t.reasons.join('; ')}`,
    );
  step('hub', `every department decided: case ${concluded.status}`);
  if (concluded.status !== 'APPROVED')
    throw new DemoFailure(
      `${c.number} was ${concluded.status}: ${concluded.departmentTasks.map((t) => `${t.departmentCode} ${t.status} ${t.reasons.join('; ')}`).join(', ')}`,
    );
  return concluded;
}

export async function waitForDelivery(hall: Hall, c: CaseView, status: string): Promise<CaseView> {
  return hall.hub.waitFor(`the result of ${c.number} becoming ${status}`, async () => {
    const now = await readCase(hall, c.id);
    return now.delivery.status === status ? now : null;
  });
}

const HAND_OVER = `mutation($id: ID!, $v: Int!, $h: HandoverInput!) { handOverResult(caseId: $id, expectedVersion: $v, handover: $h) { ${CASE_FIELDS} } }`;

/**
 * The applicant collects the result at the window: shows an ID card (its number is checked against
 * the case) and signs on the pad; the clerk uploads the signature and hands the result over.
 */
export async function collectAtWindow(
  hall: Hall,
  c: CaseView,
  person: Applicant,
  options: { firstWithWrongCard?: string } = {},
): Promise<CaseView> {
  const signature = await hall.hub.upload(signaturePng(person.name), `signature-${c.number}.png`);
  if (options.firstWithWrongCard) {
    const { version } = await readCase(hall, c.id);
    const { errors } = await hall.hub.attempt(
      HAND_OVER,
      {
        id: c.id,
        v: version,
        h: { recipient: 'APPLICANT', idNumber: options.firstWithWrongCard, signatureFileId: signature.id },
      },
      CLERK,
    );
    const refusal = errors[0];
    if (!refusal) throw new DemoFailure(`the window handed ${c.number} over against a wrong identity number`);
    if (refusal.extensions?.code !== 'BAD_USER_INPUT')
      throw new DemoFailure(
        `the wrong identity number was not what stopped the handover: ${refusal.message}`,
      );
    step(
      'window',
      `someone shows ID ${mask(options.firstWithWrongCard)}: refused — ${refusal.message} [${refusal.extensions?.code}]`,
    );
  }
  const { handOverResult: handed } = await changeCase<{ handOverResult: CaseView }>(hall, c.id, HAND_OVER, {
    h: { recipient: 'APPLICANT', idNumber: person.idNumber, signatureFileId: signature.id },
  });
  step(
    'window',
    `${person.name} shows ID ${mask(person.idNumber)} and signs (${signature.mediaType} ${signature.id.slice(0, 10)}…): result ${handed.delivery.status} at ${hallTime(handed.delivery.deliveredAt)} by ${handed.delivery.handedOverBy}`,
  );
  return handed;
}

const mask = (idNumber: string) => `${idNumber.slice(0, 3)}***********${idNumber.slice(-4)}`;

/** The workers tell each department how its result was delivered. */
export async function waitForDeliveryReports(hall: Hall, c: CaseView): Promise<CaseView> {
  const told = await hall.hub.waitFor(
    `telling the departments of ${c.number} how the result was delivered`,
    async () => {
      const now = await readCase(hall, c.id);
      return now.departmentTasks.every((t) => t.deliveryReportedAt) ? now : null;
    },
  );
  for (const t of told.departmentTasks)
    step(
      'report',
      `${hall.departmentName(t.departmentCode)} told of the delivery at ${hallTime(t.deliveryReportedAt)}`,
    );
  return told;
}

/** The applicant's text messages for these steps have gone out (or were skipped). */
export async function waitForMessages(hall: Hall, c: CaseView, kinds: string[]): Promise<CaseView> {
  return hall.hub.waitFor(`the text messages ${kinds.join(', ')} of ${c.number}`, async () => {
    const now = await readCase(hall, c.id);
    return kinds.every((k) => now.notifications.some((n) => n.kind === k)) ? now : null;
  });
}

/** Opens a story: its number, what it is, and what it shows. */
export function tell(title: string, ...about: string[]): void {
  console.log(`\n━━━ ${title}`);
  for (const line of about) console.log(`    ${line}`);
}

/** A date `days` working days from today, on the hall's official calendar (asked of the hub). */
export async function workingDaysFromToday(hall: Hall, days: number): Promise<string> {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const { addWorkingDays } = await hall.hub.gql<{ addWorkingDays: { date: string } }>(
    'query($date: String!, $days: Int!) { addWorkingDays(date: $date, days: $days) { date } }',
    { date: today, days },
    CLERK,
  );
  return addWorkingDays.date;
}
