import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { citizenIdCheckChar } from '../db/identity/citizen-id.ts';
import { startChild } from './kit/child-process.ts';
import { type ProfileSummary, summariseCpuProfile } from './kit/cpu-profile.ts';
import { commandCpuMs, median, sampleProcess } from './kit/load.ts';

const ownCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * Front-desk intake: a clerk registers a case with 5 materials' metadata (the answer carries the
 * material check) and accepts it — through the GraphQL API of our gateway on the hub's own subschema —
 * against a plain SQL script that writes the same rows (case, applicant, 5 materials, 2 timeline
 * events with their audit hashes, the acceptance notice's document row, 2 outbox events, 2 counters)
 * in the same two transactions. Same database, same concurrency, interleaved rounds.
 */

/** An item with exactly five required materials, carried by one department. */
const ITEM = 'BDC-003';
const MATERIAL_CODES = ['M01', 'M02', 'M03', 'M04', 'M05'];

/** The intake measured here; test/intake-statements.test.ts counts its SQL statements. */
export const INTAKE_REGISTER = `mutation Register($input: RegisterCaseInput!) {
  registerCase(input: $input) { id number version status materialCheck { complete allGapsTolerable gaps { code state } } }
}`;
export const INTAKE_ACCEPT = `mutation Accept($id: ID!, $v: Int!) {
  decideAcceptance(caseId: $id, expectedVersion: $v, decision: { type: ACCEPT }) {
    __typename
    ... on CaseAccepted { case { id status version deadline { dueDate } } notice { number title } }
    ... on DecisionNotAllowed { errorCode message }
  }
}`;

export interface IntakeSettings {
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  concurrency: number;
  databaseUrl: string;
  redisUrl: string;
}

export interface IntakeReport {
  item: string;
  materials: number;
  concurrency: number;
  api: {
    rounds: number[];
    medianCasesPerSecond: number;
    gatewayCpuMsPerCase: number;
    /** CPU per case of PostgreSQL (all its processes) and of the bench process sending the load. */
    postgresCpuMsPerCase: number;
    clientCpuMsPerCase: number;
  };
  sql: {
    rounds: number[];
    medianCasesPerSecond: number;
    postgresCpuMsPerCase: number;
    clientCpuMsPerCase: number;
  };
  /** Rows one intake writes, per table (the SQL script writes the same). */
  rowsPerCase: Record<string, number>;
}

let serial = 0;
/** A valid, unique citizen ID number (birth dates walk forward from 1950). */
function nextCitizenId(): string {
  const n = serial++;
  const birth = new Date(Date.UTC(1950, 0, 1) + Math.floor(n / 900) * 86_400_000);
  const ymd = birth.toISOString().slice(0, 10).replaceAll('-', '');
  const first17 = `410902${ymd}${String(100 + (n % 900)).padStart(3, '0')}`;
  return first17 + citizenIdCheckChar(first17);
}

async function gql(url: string, token: string, query: string, variables: Record<string, unknown>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as {
    data?: Record<string, Record<string, unknown>>;
    errors?: unknown[];
  };
  if (body.errors?.length || !body.data)
    throw new Error(`intake through the API failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}

async function intakeThroughApi(url: string, token: string): Promise<string> {
  const registered = await gql(url, token, INTAKE_REGISTER, {
    input: {
      itemCode: ITEM,
      channel: 'WINDOW',
      applicant: { type: 'PERSON', name: '压测申请人', idNumber: nextCitizenId(), phone: '13800000000' },
      materials: MATERIAL_CODES.map((checklistCode) => ({ checklistCode, medium: 'PAPER', copies: 1 })),
    },
  });
  const c = registered.registerCase!;
  const decided = await gql(url, token, INTAKE_ACCEPT, { id: c.id, v: c.version });
  if (decided.decideAcceptance!.__typename !== 'CaseAccepted') {
    throw new Error(`the case was not accepted: ${JSON.stringify(decided.decideAcceptance)}`);
  }
  return String(c.id);
}

type Row = Record<string, unknown>;

/** The rows an API intake wrote for one case, as templates for the SQL script. */
interface Templates {
  registeredCase: Row;
  acceptedCase: Row;
  applicant: Row;
  materials: Row[];
  events: Row[];
  documents: Row[];
  outbox: Row[];
  jsonColumns: Map<string, Set<string>>;
}

async function readTemplates(client: pg.ClientBase, caseId: string, registeredCase: Row): Promise<Templates> {
  const one = async (sql: string, params: unknown[]) => (await client.query(sql, params)).rows as Row[];
  const [acceptedCase] = await one('select * from hall_case where id = $1', [caseId]);
  const [applicant] = await one('select * from applicant where id = $1', [acceptedCase!.applicant_id]);
  const columns = await one(
    `select table_name, column_name from information_schema.columns
      where table_schema = 'public' and data_type in ('json', 'jsonb')`,
    [],
  );
  const jsonColumns = new Map<string, Set<string>>();
  for (const c of columns) {
    const set = jsonColumns.get(String(c.table_name)) ?? new Set<string>();
    set.add(String(c.column_name));
    jsonColumns.set(String(c.table_name), set);
  }
  return {
    registeredCase,
    acceptedCase: acceptedCase!,
    applicant: applicant!,
    materials: await one('select * from case_material where case_id = $1 order by position', [caseId]),
    events: await one('select * from case_event where case_id = $1 order by seq', [caseId]),
    documents: await one('select * from case_document where case_id = $1', [caseId]),
    outbox: await one('select * from outbox_event where case_id = $1 order by id', [caseId]),
    jsonColumns,
  };
}

/** `insert into table (...) values (...)` of a template row with some columns replaced or left out. */
function insert(
  t: Templates,
  table: string,
  row: Row,
  replace: Row,
  omit: string[] = [],
): [string, unknown[]] {
  const json = t.jsonColumns.get(table) ?? new Set<string>();
  const cols = Object.keys(row).filter((c) => !omit.includes(c));
  const values = cols.map((c) => {
    const v = c in replace ? replace[c] : row[c];
    return json.has(c) && v !== null && v !== undefined ? JSON.stringify(v) : v;
  });
  return [
    `insert into "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) values (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
    values,
  ];
}

let sqlSerial = 0;
/** The same rows an API intake writes, by plain SQL, in the same two transactions. */
async function intakeBySql(pool: pg.Pool, t: Templates): Promise<void> {
  const caseId = randomUUID();
  const applicantId = randomUUID();
  const documentId = randomUUID();
  const now = new Date();
  const client = await pool.connect();
  try {
    // Registration: case number, applicant, case, first timeline event, materials, outbox event.
    await client.query('begin');
    const { rows } = await client.query<{ last: number }>(
      `insert into sequence_counter (scope, last) values ($1, 1)
         on conflict (scope) do update set last = sequence_counter.last + 1 returning last`,
      ['bench-sql-case'],
    );
    const number = `410900-20991231-${String(rows[0]!.last).padStart(6, '0')}`;
    const statements: [string, unknown[]][] = [
      insert(t, 'applicant', t.applicant, { id: applicantId, id_number: nextCitizenId(), created_at: now }),
      insert(t, 'hall_case', t.registeredCase, {
        id: caseId,
        number,
        applicant_id: applicantId,
        received_at: now,
        created_at: now,
        updated_at: now,
      }),
      insert(t, 'case_event', t.events[0]!, { case_id: caseId, at: now }, ['id']),
      ...t.materials.map((m) =>
        insert(t, 'case_material', m, { id: randomUUID(), case_id: caseId, presented_at: now }),
      ),
      insert(t, 'outbox_event', t.outbox[0]!, { case_id: caseId, created_at: now, published_at: null }, [
        'id',
      ]),
    ];
    for (const [sql, values] of statements) await client.query(sql, values);
    await client.query('commit');

    // Acceptance: notice number, notice document, second timeline event, case update, outbox event.
    await client.query('begin');
    const doc = await client.query<{ last: number }>(
      `insert into sequence_counter (scope, last) values ($1, 1)
         on conflict (scope) do update set last = sequence_counter.last + 1 returning last`,
      ['bench-sql-notice'],
    );
    const accepted = t.acceptedCase;
    const more: [string, unknown[]][] = [
      ...t.documents.map((d) =>
        insert(t, 'case_document', d, {
          id: documentId,
          case_id: caseId,
          number: `濮政服受字〔2099〕第${String(doc.rows[0]!.last).padStart(6, '0')}号 ${sqlSerial++}`,
          issued_at: now,
        }),
      ),
      insert(t, 'case_event', t.events[1]!, { case_id: caseId, at: now, document_id: documentId }, ['id']),
      [
        `update hall_case set status = $1, accepted_on = $2, audit_head = $3, event_count = $4, updated_at = $5, version = $6
          where id = $7 and version = $8`,
        [
          accepted.status,
          accepted.accepted_on,
          accepted.audit_head,
          accepted.event_count,
          now,
          accepted.version,
          caseId,
          t.registeredCase.version,
        ],
      ],
      insert(t, 'outbox_event', t.outbox[1]!, { case_id: caseId, created_at: now, published_at: null }, [
        'id',
      ]),
    ];
    for (const [sql, values] of more) await client.query(sql, values);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** Runs `once` from `concurrency` loops for `seconds`; answers completed cases per second. */
async function closedLoop(
  concurrency: number,
  seconds: number,
  once: () => Promise<unknown>,
): Promise<number> {
  let done = 0;
  const until = performance.now() + seconds * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        await once();
        done++;
      }
    }),
  );
  return done / ((performance.now() - start) / 1000);
}

export async function runIntakeBench(
  settings: IntakeSettings,
  log: (line: string) => void,
): Promise<IntakeReport> {
  const hub = await startChild<{ url: string; clerkToken: string }>('hub-gateway', 'targets/our-gateway.ts', {
    args: ['--hub'],
    env: { BENCH_DATABASE_URL: settings.databaseUrl, BENCH_REDIS_URL: settings.redisUrl },
  });
  const pool = new pg.Pool({ connectionString: settings.databaseUrl, max: settings.concurrency });
  try {
    const { url, clerkToken } = hub.info;
    // One intake step by step, to take the rows it wrote as the SQL script's templates.
    const registered = await gql(url, clerkToken, INTAKE_REGISTER, {
      input: {
        itemCode: ITEM,
        channel: 'WINDOW',
        applicant: { type: 'PERSON', name: '压测申请人', idNumber: nextCitizenId(), phone: '13800000000' },
        materials: MATERIAL_CODES.map((checklistCode) => ({ checklistCode, medium: 'PAPER', copies: 1 })),
      },
    });
    const first = registered.registerCase!;
    const client = await pool.connect();
    let templates: Templates;
    try {
      const [registeredCase] = (await client.query('select * from hall_case where id = $1', [first.id]))
        .rows as Row[];
      await gql(url, clerkToken, INTAKE_ACCEPT, { id: first.id, v: first.version });
      templates = await readTemplates(client, String(first.id), registeredCase!);
    } finally {
      client.release();
    }
    const rowsPerCase = {
      hall_case: 1,
      applicant: 1,
      case_material: templates.materials.length,
      case_event: templates.events.length,
      case_document: templates.documents.length,
      outbox_event: templates.outbox.length,
    };
    if (templates.events.length !== 2 || templates.outbox.length !== 2 || templates.materials.length !== 5) {
      throw new Error(`an intake wrote unexpected rows: ${JSON.stringify(rowsPerCase)}`);
    }
    log(`intake: one case writes ${JSON.stringify(rowsPerCase)}`);
    // Warm-up of both paths, long enough for a steady state (after 1 s, or 4 s, the API's first round
    // still ran 20-30 % below the others).
    await closedLoop(settings.concurrency, settings.warmupSeconds, () => intakeThroughApi(url, clerkToken));
    await closedLoop(settings.concurrency, settings.warmupSeconds, () => intakeBySql(pool, templates));

    const api: number[] = [];
    const sql: number[] = [];
    const cpu = { gateway: [] as number[], apiPostgres: [] as number[], apiClient: [] as number[] };
    const sqlCpu = { postgres: [] as number[], client: [] as number[] };
    /** Cases per second of one closed-loop run, and CPU per case of the processes involved. */
    const measured = async (once: () => Promise<unknown>) => {
      const before = { hub: sampleProcess(hub.pid).cpuMs, pg: commandCpuMs('postgres'), me: ownCpuMs() };
      const rate = await closedLoop(settings.concurrency, settings.seconds, once);
      const cases = rate * settings.seconds;
      return {
        rate,
        hub: (sampleProcess(hub.pid).cpuMs - before.hub) / cases,
        postgres: (commandCpuMs('postgres') - before.pg) / cases,
        client: (ownCpuMs() - before.me) / cases,
      };
    };
    for (let round = 0; round < settings.rounds; round++) {
      const runs: [string, () => Promise<void>][] = [
        [
          'api',
          async () => {
            const run = await measured(() => intakeThroughApi(url, clerkToken));
            api.push(run.rate);
            cpu.gateway.push(run.hub);
            cpu.apiPostgres.push(run.postgres);
            cpu.apiClient.push(run.client);
          },
        ],
        [
          'sql',
          async () => {
            const run = await measured(() => intakeBySql(pool, templates));
            sql.push(run.rate);
            sqlCpu.postgres.push(run.postgres);
            sqlCpu.client.push(run.client);
          },
        ],
      ];
      for (const [, run] of round % 2 ? runs.reverse() : runs) await run();
      log(
        `round ${round + 1} intake: API ${api.at(-1)!.toFixed(1)} cases/s, plain SQL ${sql.at(-1)!.toFixed(1)} cases/s`,
      );
    }
    return {
      item: ITEM,
      materials: MATERIAL_CODES.length,
      concurrency: settings.concurrency,
      api: {
        rounds: api,
        medianCasesPerSecond: median(api),
        gatewayCpuMsPerCase: median(cpu.gateway),
        postgresCpuMsPerCase: median(cpu.apiPostgres),
        clientCpuMsPerCase: median(cpu.apiClient),
      },
      sql: {
        rounds: sql,
        medianCasesPerSecond: median(sql),
        postgresCpuMsPerCase: median(sqlCpu.postgres),
        clientCpuMsPerCase: median(sqlCpu.client),
      },
      rowsPerCase,
    };
  } finally {
    await pool.end();
    await hub.stop();
  }
}

/**
 * Our gateway on the hub's subschema with `node --cpu-prof` while clerks run the intake through the
 * API for `seconds`: where an intake's CPU goes (start-up and warm-up left out of the summary).
 */
export async function runIntakeProfile(
  settings: IntakeSettings & { resultsDir: string },
  log: (line: string) => void,
): Promise<ProfileSummary & { file: string; casesPerSecond: number }> {
  const dir = path.join(
    settings.resultsDir,
    'profiles',
    `intake-${new Date().toISOString().replaceAll(':', '-')}`,
  );
  mkdirSync(dir, { recursive: true });
  const spawnedAt = Date.now();
  const hub = await startChild<{ url: string; clerkToken: string }>('hub-gateway', 'targets/our-gateway.ts', {
    args: ['--hub'],
    env: { BENCH_DATABASE_URL: settings.databaseUrl, BENCH_REDIS_URL: settings.redisUrl },
    nodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir],
  });
  let rate: number;
  let profiledFrom: number;
  try {
    const { url, clerkToken } = hub.info;
    await closedLoop(settings.concurrency, settings.warmupSeconds, () => intakeThroughApi(url, clerkToken));
    profiledFrom = Date.now() - spawnedAt;
    log(`profile: intake through our gateway for ${settings.seconds} s`);
    rate = await closedLoop(settings.concurrency, settings.seconds, () => intakeThroughApi(url, clerkToken));
  } finally {
    await hub.stop();
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no CPU profile was written to ${dir}`);
  return {
    ...summariseCpuProfile(path.join(dir, file), Math.max(0, profiledFrom - 500)),
    file: path.join(dir, file),
    casesPerSecond: rate,
  };
}
