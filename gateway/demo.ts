// `npm run demo` (against a running hub, started with `npm start`): three applicants at the front
// desk — one accepted at once, one corrected then accepted, one accepted with a material owed (容缺).
// Prints each case's timeline and saves the PDFs of its documents under DATA_DIR/demo/.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hallCalendar } from '../db/calendar/index.ts';
import { citizenIdCheckChar } from '../db/identity/citizen-id.ts';
import { catalogue } from '../db/seed/catalogue/index.ts';
import { signActorToken } from './auth/actor-token.ts';
import { DEMO_ACTORS } from './auth/demo-actors.ts';
import { loadOrCreateDevSigningKey } from './auth/signing-keys.ts';
import { demoTokens } from './auth/token-setup.ts';
import { loadConfig } from './config.ts';

const config = loadConfig(process.env);
const base = process.env.HUB_URL ?? `http://127.0.0.1:${config.PORT}`;
const key = await loadOrCreateDevSigningKey(config.DATA_DIR);
const tokens = Object.fromEntries((await demoTokens(config, key)).map((t) => [t.role, t.token]));
const outDir = path.resolve(config.DATA_DIR, 'demo');
mkdirSync(outDir, { recursive: true });

async function gql<T>(
  query: string,
  variables: Record<string, unknown> = {},
  token = tokens.clerk,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    console.error(`no hub answers at ${base}; start it with \`npm start\` (or set HUB_URL)`);
    process.exit(2);
  }
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data as T;
}

const item = catalogue.items.find(
  (i) =>
    i.kind === 'promised' &&
    i.comprehensiveWindow &&
    i.materials.some((m) => m.required && m.tolerable) &&
    i.materials.filter((m) => m.required).length >= 3,
)!;
const owed = item.materials.find((m) => m.required && m.tolerable)!;
const paper = (leaveOut: string[] = []) =>
  item.materials
    .filter((m) => m.required && !leaveOut.includes(m.code))
    .map((m) => ({ checklistCode: m.code, medium: 'PAPER', copies: m.copies }));
const idNumber = (serial: number) => {
  const first17 = `410902199${serial}0615${String(100 + serial).slice(-3)}`;
  return first17 + citizenIdCheckChar(first17);
};

const CASE =
  'id number status version acceptedOn deadline { dueDate suspendedNow } documents { id title number pdfUrl } timeline { seq at actorRole type changes }';
type DemoCase = {
  id: string;
  number: string;
  status: string;
  version: number;
  acceptedOn: string | null;
  deadline: { dueDate: string; suspendedNow: boolean } | null;
  documents: { id: string; title: string; number: string; pdfUrl: string }[];
  timeline: { seq: number; at: string; actorRole: string; type: string; changes: string }[];
};

async function register(name: string, serial: number, leaveOut: string[] = []): Promise<DemoCase> {
  const data = await gql<{ registerCase: DemoCase }>(
    `mutation($input: RegisterCaseInput!) { registerCase(input: $input) { ${CASE} } }`,
    {
      input: {
        itemCode: item.code,
        channel: 'WINDOW',
        applicant: { type: 'PERSON', name, idNumber: idNumber(serial), phone: `1380013800${serial}` },
        materials: paper(leaveOut),
      },
    },
  );
  return data.registerCase;
}

async function decide(c: DemoCase, decision: Record<string, unknown>): Promise<DemoCase> {
  const data = await gql<{ decideAcceptance: { __typename: string; case?: DemoCase; message?: string } }>(
    `mutation($id: ID!, $v: Int!, $d: AcceptanceDecisionInput!) { decideAcceptance(caseId: $id, expectedVersion: $v, decision: $d) {
       __typename ... on CaseAccepted { case { ${CASE} } } ... on CorrectionRequired { case { ${CASE} } }
       ... on AcceptedWithDeficiency { case { ${CASE} } } ... on DecisionNotAllowed { message } } }`,
    { id: c.id, v: c.version, d: decision },
  );
  const result = data.decideAcceptance;
  if (!result.case) throw new Error(`${result.__typename}: ${result.message}`);
  return result.case;
}

async function present(c: DemoCase, codes: string[]): Promise<DemoCase> {
  const data = await gql<{ presentMaterials: DemoCase }>(
    `mutation($id: ID!, $v: Int!, $m: [PresentedMaterialInput!]!) { presentMaterials(caseId: $id, expectedVersion: $v, materials: $m) { ${CASE} } }`,
    { id: c.id, v: c.version, m: codes.map((code) => ({ checklistCode: code, medium: 'PAPER' })) },
  );
  return data.presentMaterials;
}

async function show(title: string, c: DemoCase): Promise<void> {
  console.log(
    `\n${title}\n  case ${c.number}: ${c.status}${c.deadline ? `, due ${c.deadline.dueDate}${c.deadline.suspendedNow ? ' (clock stopped)' : ''}` : ''}`,
  );
  for (const e of c.timeline)
    console.log(
      `    ${e.seq}. ${e.at.slice(0, 19)} ${e.actorRole.padEnd(8)} ${e.type.padEnd(26)} ${e.changes}`,
    );
  for (const d of c.documents) {
    const response = await fetch(`${base}${d.pdfUrl}`, {
      headers: { authorization: `Bearer ${tokens.clerk}` },
    });
    const file = path.join(outDir, `${c.number}-${d.title}.pdf`);
    writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    console.log(`    ${d.title} ${d.number} → ${file}`);
  }
}

console.log(`Front desk demo on ${base}: item ${item.code} ${item.name}`);
const first = await decide(await register('刘洋', 1), { type: 'ACCEPT' });
await show('1. Complete materials, accepted on the spot', first);

let second = await register('陈晓', 2, [owed.code]);
second = await decide(second, { type: 'REQUIRE_CORRECTION' });
second = await present(second, [owed.code]);
second = await decide(second, { type: 'ACCEPT' });
await show('2. One material missing: one correction notice, supplied, then accepted', second);

const third = await register('黄磊', 3, [owed.code]);
const supplyBy = hallCalendar().addWorkingDays(new Date().toISOString().slice(0, 10), 3).date;
const tolerant = await decide(third, {
  type: 'ACCEPT_WITH_DEFICIENCY',
  commitment: { materialCodes: [owed.code], supplyBy },
});
await show(`3. ${owed.name} owed: accepted with deficiency, committed by ${supplyBy}`, tolerant);

// The departments: the item's lead department has no system of its own, so its reviewer decides in
// the hub's back office; the decisions come back and the cases conclude.
const department = item.departmentCodes[0]!;
const reviewer = await signActorToken(
  { ...DEMO_ACTORS.department_reviewer, departmentCode: department },
  {
    key: key.privateKey,
    kid: key.kid,
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
    expiresIn: '1h',
  },
);
type Task = { id: string; caseNumber: string; version: number; adapter?: string };
const waitFor = async <T>(probe: () => Promise<T | undefined>, what: string): Promise<T> => {
  for (let i = 0; i < 100; i++) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not happen within 20 s (are the hub's workers running?)`);
};
console.log(`\nBack office of ${department}: the reviewer decides the tasks of cases 1 and 2`);
for (const c of [first, second]) {
  const task = await waitFor(async () => {
    const data = await gql<{ departmentTasks: Task[] }>(
      '{ departmentTasks(status: PENDING) { id caseNumber version } }',
      {},
      reviewer,
    );
    return data.departmentTasks.find((t) => t.caseNumber === c.number);
  }, `the hand-over of ${c.number}`);
  await gql(
    'mutation($input: DecideTaskInput!) { decideDepartmentTask(input: $input) { status } }',
    {
      input: {
        taskId: task.id,
        expectedVersion: task.version,
        approve: true,
        resultNumber: `濮环审〔2026〕${c.number.slice(-4)}号`,
      },
    },
    reviewer,
  );
  const concluded = await waitFor(async () => {
    const data = await gql<{
      case: { status: string; departmentTasks: { status: string; resultNumber: string | null }[] };
    }>('query($id: ID!) { case(id: $id) { status departmentTasks { status resultNumber } } }', { id: c.id });
    return data.case.status === 'APPROVED' ? data.case : undefined;
  }, `the conclusion of ${c.number}`);
  console.log(
    `  case ${c.number}: ${concluded.status} — ${concluded.departmentTasks.map((t) => t.resultNumber).join(', ')}`,
  );
}
console.log(
  `  case ${tolerant.number}: its simulated approval waits until ${owed.name} arrives (or is returned after ${supplyBy})`,
);
