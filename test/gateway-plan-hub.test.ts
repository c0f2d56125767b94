import { getOperationAST, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DepartmentAdapter } from '../adapters/kit/adapter-contract.ts';
import { realEstateAdapter } from '../adapters/real-estate/index.ts';
import {
  type RunningRealEstateSimulator,
  startRealEstateSimulator,
} from '../adapters/real-estate/real-estate.simulator.ts';
import { taxAdapter } from '../adapters/tax/index.ts';
import { type RunningTaxSimulator, startTaxSimulator } from '../adapters/tax/tax.simulator.ts';
import { decideAcceptance } from '../db/cases/case-decisions.ts';
import { registerCase } from '../db/cases/case-intake.ts';
import { createIdentityResolver } from '../db/departments/applicant-identities.ts';
import { forkEm } from '../db/orm.ts';
import { DEMO_ACTORS } from '../gateway/auth/demo-actors.ts';
import { LocalOperation, localOperation } from '../gateway/plan/local-operation.ts';
import { planQuery, Unplannable } from '../gateway/plan/query-plan.ts';
import { stitchGatewaySchema } from '../gateway/stitch.ts';
import { gatewaySubschemas } from '../schema/subschemas.ts';
import { citizenId, DECIDE, REGISTER, requiredMaterials, TOLERANT_ITEM } from './kit/front-desk.ts';
import { createTestDatabase, type TestDatabase } from './kit/test-database.ts';
import { startTestHub, type TestHub } from './kit/test-hub.ts';

type Body = { errors?: { locations?: unknown; path?: unknown[] }[] };

/**
 * Stitching reports an error of a root field without `locations`; a plan gives the field's place in
 * the document, as graphql-js does. Everything else must be the same.
 */
function withoutRootLocations<T extends Body>(planned: T, stitched: Body): T {
  if (!planned.errors) return planned;
  return {
    ...planned,
    errors: planned.errors.map((e, i) => {
      if (stitched.errors?.[i]?.locations !== undefined || e.path?.length !== 1) return e;
      expect(e.locations).toBeDefined();
      const { locations: _, ...rest } = e;
      return rest;
    }),
  };
}

/**
 * The hub's own schema with its departments, planned and not: two gateways on one database, one with
 * GATEWAY_PLANNER=off, must give the same answers to the screens' queries, for every role that asks.
 */
describe('the hub answers the same with and without query plans', () => {
  let db: TestDatabase;
  let realEstate: RunningRealEstateSimulator;
  let tax: RunningTaxSimulator;
  let planned: TestHub;
  let stitched: TestHub;
  let adapters: DepartmentAdapter[];

  beforeAll(async () => {
    db = await createTestDatabase();
    realEstate = await startRealEstateSimulator();
    tax = await startTaxSimulator();
    const deps = { recorder: { record: () => {} }, identities: createIdentityResolver(db.orm) };
    adapters = [
      realEstateAdapter.create(realEstateAdapter.config.parse({}), realEstate.url, deps),
      taxAdapter.create(taxAdapter.config.parse({}), tax.url, deps),
    ];
    planned = await startTestHub({ db, adapters });
    stitched = await startTestHub({ db, adapters, env: { GATEWAY_PLANNER: 'off' } });
    const materials = requiredMaterials(TOLERANT_ITEM).map((m) => ({
      checklistCode: m.checklistCode,
      medium: 'paper' as const,
    }));
    for (let i = 0; i < 6; i++) {
      const c = await registerCase(forkEm(db.orm), DEMO_ACTORS.clerk, {
        itemCode: TOLERANT_ITEM.code,
        channel: 'window',
        applicant: { type: 'person', name: `对照${i}`, idNumber: citizenId(900 + i) },
        materials,
      });
      if (i % 2 === 0)
        await decideAcceptance(forkEm(db.orm), DEMO_ACTORS.clerk, c.id, c.version, { type: 'accept' });
    }
    // Two applicants with an account each, one case each.
    for (const [serial, accountId] of [
      [950, 'applicant-a'],
      [951, 'applicant-b'],
    ] as const) {
      await registerCase(forkEm(db.orm), DEMO_ACTORS.clerk, {
        itemCode: TOLERANT_ITEM.code,
        channel: 'window',
        applicant: { type: 'person', name: `账户${serial}`, idNumber: citizenId(serial), accountId },
        materials,
      });
    }
  }, 120_000);
  afterAll(async () => {
    await planned?.close();
    await stitched?.close();
    await realEstate?.close();
    await tax?.close();
    await db?.drop();
  });

  const CASES_WITH_TAX = `query($first: Int!) { cases(first: $first) { edges { cursor node {
    id number status receivedAt acceptedOn channel item { code name zone { name } } applicant { name taxStatus { status } }
    materials { checklistCode medium } timeline { seq type } materialCheck { complete gaps { code state } }
    deadline { dueDate }
  } } } }`;
  const CASES_WITH_REGISTRY = `query($first: Int!) { cases(first: $first) { edges { node {
    number realEstateRegistration { id status }
  } } } }`;
  const CASES_WITH_BOTH = `query($first: Int!) { cases(first: $first) { edges { node {
    number applicant { name taxStatus { status } }
    realEstateRegistration { id status }
  } } } }`;
  const WITH_INCLUDE = `query($first: Int!) { cases(first: $first) { edges { node {
    number realEstateRegistration @include(if: true) { id status }
  } } } }`;
  const FRAGMENT_INCLUDE = `query($first: Int!) { cases(first: $first) { edges { node {
    number ... @include(if: true) { realEstateRegistration { id status } }
  } } } }`;
  const CATALOGUE = `query { serviceItems(first: 5) { totalCount edges { node {
    code name kind promisedLimitDays leadDepartment { name } checklist { name tolerable }
  } } } }`;
  const BAD_ARGUMENT = 'query { cases(first: -1) { edges { cursor } } }';

  const queries: [string, string, boolean][] = [
    ['a case list with the tax bureau merged in', CASES_WITH_TAX, true],
    ['a case list with the registry merged in (its types renamed)', CASES_WITH_REGISTRY, true],
    ['a case list with both departments', CASES_WITH_BOTH, true],
    ['@include on a merged field', WITH_INCLUDE, true],
    ['@include on a fragment (stitching)', FRAGMENT_INCLUDE, false],
    ['the catalogue', CATALOGUE, true],
    ['a refused argument', BAD_ARGUMENT, true],
  ];

  it.each(queries)('%s', async (_title, query, plannable) => {
    const schema = await stitchGatewaySchema(gatewaySubschemas(adapters));
    const document = parse(query);
    const plan = () => planQuery(schema, document, getOperationAST(document)!);
    if (plannable) expect(plan).not.toThrow();
    else expect(plan).toThrow(Unplannable);
    for (const role of ['clerk', 'supervisor', 'applicant'] as const) {
      const variables = { first: 6 };
      const a = await planned.gql(query, variables, { token: await planned.token(role) });
      const b = await stitched.gql(query, variables, { token: await stitched.token(role) });
      expect(a.status).toBe(b.status);
      expect(withoutRootLocations(a.body, b.body)).toEqual(b.body);
    }
  });

  it('one plan serves many callers, each with their own data only', async () => {
    const query = CASES_WITH_BOTH;
    const tokens = {
      a: await planned.token('applicant', { id: 'applicant-a' }),
      b: await planned.token('applicant', { id: 'applicant-b' }),
      clerk: await planned.token('clerk'),
    };
    // Interleaved on one plan: requests of all three callers in flight at once.
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => {
        const who = (['a', 'b', 'clerk'] as const)[i % 3]!;
        return planned
          .gql<{ cases: { edges: { node: { applicant: { name: string } } }[] } }>(
            query,
            { first: 20 },
            { token: tokens[who] },
          )
          .then((r) => ({ who, names: r.body.data!.cases.edges.map((e) => e.node.applicant.name) }));
      }),
    );
    for (const { who, names } of answers) {
      if (who === 'a') expect(names).toEqual(['账户950']);
      else if (who === 'b') expect(names).toEqual(['账户951']);
      else expect(names.length).toBeGreaterThan(2);
    }
  });

  it('a variable of the wrong type is refused the same way, before anything runs', async () => {
    const clerkA = await planned.token('clerk');
    const clerkB = await stitched.token('clerk');
    const a = await planned.gql(CASES_WITH_TAX, { first: 'many' }, { token: clerkA });
    const b = await stitched.gql(CASES_WITH_TAX, { first: 'many' }, { token: clerkB });
    expect(a.status).toBe(b.status);
    // The same error; only the stack trace (shown outside production) has other frames.
    const withoutStack = (body: typeof a.body) =>
      body.errors?.map(({ extensions, ...e }) => ({ ...e, code: extensions?.code }));
    expect(withoutStack(a.body)).toEqual(withoutStack(b.body));
    expect(a.body.data).toBeUndefined();
    expect(a.status).toBe(400);
    expect(a.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(a.body.errors?.[0]?.message).toMatch(/\$first/);
  });

  it('an anonymous caller gets the same answer', async () => {
    const a = await planned.gql(CASES_WITH_TAX, { first: 2 });
    const b = await stitched.gql(CASES_WITH_TAX, { first: 2 });
    expect(a.status).toBe(b.status);
    expect(withoutRootLocations(a.body, b.body)).toEqual(b.body);
  });

  describe('operations the hub answers whole run on its own schema', () => {
    const local = async (query: string) => {
      const schema = await stitchGatewaySchema(gatewaySubschemas(adapters));
      const document = parse(query);
      return () => localOperation(schema, document, getOperationAST(document)!);
    };

    it('takes the hub’s own mutations and queries, and leaves what another subschema answers to stitching', async () => {
      expect((await local(REGISTER))()).toBeInstanceOf(LocalOperation);
      expect((await local(DECIDE))()).toBeInstanceOf(LocalOperation);
      expect((await local(CATALOGUE))()).toBeInstanceOf(LocalOperation);
      // A department's field in the answer, a root field of a department, introspection.
      const withTax =
        'mutation($input: RegisterCaseInput!) { registerCase(input: $input) { id applicant { taxStatus { status } } } }';
      expect(await local(withTax)).toThrow(/not all of it is in subschema hub/);
      expect(await local(CASES_WITH_REGISTRY)).toThrow(/not all of it is in subschema hub/);
      expect(await local('query { __schema { queryType { name } } }')).toThrow(/introspection/);
    });

    /** Values a second registration cannot share with the first (ids, numbers, dates of now). */
    const normalised = (value: unknown): unknown =>
      JSON.parse(
        JSON.stringify(value, (key, v) =>
          ['id', 'number', 'documentId', 'pdfUrl', 'idNumber'].includes(key) && typeof v === 'string'
            ? '…'
            : v,
        ),
      );

    it('a mutation answers as stitching answers it: a registration, a refusal by the rules, an acceptance', async () => {
      const materials = requiredMaterials(TOLERANT_ITEM).map((m) => ({ ...m, medium: 'PAPER' }));
      const answers = [];
      for (const [hub, serial] of [
        [planned, 960],
        [stitched, 961],
      ] as const) {
        const token = await hub.token('clerk');
        const input = (leaveOut: number, n: number) => ({
          itemCode: TOLERANT_ITEM.code,
          channel: 'WINDOW',
          applicant: { type: 'PERSON', name: '变更对照', idNumber: citizenId(n) },
          materials: materials.slice(leaveOut),
        });
        const complete = await hub.gql<{ registerCase: { id: string; version: number } }>(
          REGISTER,
          { input: input(0, serial) },
          { token },
        );
        const incomplete = await hub.gql<{ registerCase: { id: string; version: number } }>(
          REGISTER,
          { input: input(1, serial + 10) },
          { token },
        );
        const refused = await hub.gql(
          DECIDE,
          { id: incomplete.body.data!.registerCase.id, v: 1, d: { type: 'ACCEPT' } },
          { token },
        );
        const accepted = await hub.gql(
          DECIDE,
          {
            id: complete.body.data!.registerCase.id,
            v: complete.body.data!.registerCase.version,
            d: { type: 'ACCEPT' },
          },
          { token },
        );
        const stale = await hub.gql(
          DECIDE,
          { id: complete.body.data!.registerCase.id, v: 1, d: { type: 'ACCEPT' } },
          { token },
        );
        const badInput = await hub.gql(
          REGISTER,
          {
            input: {
              ...input(0, serial),
              applicant: { type: 'PERSON', name: '错号', idNumber: '410902198503121234' },
            },
          },
          { token },
        );
        answers.push({ complete, incomplete, refused, accepted, stale, badInput });
      }
      const [a, b] = answers as [(typeof answers)[0], (typeof answers)[0]];
      for (const key of ['complete', 'incomplete', 'refused', 'accepted', 'stale', 'badInput'] as const) {
        expect(a[key].status).toBe(b[key].status);
        expect(normalised(withoutRootLocations(a[key].body, b[key].body))).toEqual(normalised(b[key].body));
      }
      expect(a.refused.body).toMatchObject({
        data: { decideAcceptance: { __typename: 'DecisionNotAllowed' } },
      });
      expect(a.accepted.body).toMatchObject({ data: { decideAcceptance: { __typename: 'CaseAccepted' } } });
      expect(a.stale.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
      expect(a.badInput.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });
  });
});
