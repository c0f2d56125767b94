import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DepartmentAdapter } from '../adapters/kit/adapter-contract.ts';
import { realEstateAdapter } from '../adapters/real-estate/index.ts';
import {
  type RunningRealEstateSimulator,
  startRealEstateSimulator,
} from '../adapters/real-estate/real-estate.simulator.ts';
import { taxAdapter } from '../adapters/tax/index.ts';
import { type RunningTaxSimulator, startTaxSimulator } from '../adapters/tax/tax.simulator.ts';
import { type BenchChild, startChild } from '../bench/kit/child-process.ts';
import { shapes } from '../bench/shapes.ts';
import { benchContributions } from '../bench/subgraphs/bench-subschemas.ts';
import { benchSubgraphs } from '../bench/subgraphs/subgraph-schemas.ts';
import { decideAcceptance } from '../db/cases/case-decisions.ts';
import { registerCase } from '../db/cases/case-intake.ts';
import { MAX_CASE_PAGE } from '../db/cases/case-queries.ts';
import { createIdentityResolver } from '../db/departments/applicant-identities.ts';
import { forkEm } from '../db/orm.ts';
import { DEMO_ACTORS } from '../gateway/auth/demo-actors.ts';
import { citizenId, requiredMaterials, TOLERANT_ITEM } from './kit/front-desk.ts';
import { createTestDatabase, type TestDatabase } from './kit/test-database.ts';
import { startTestHub, type TestHub } from './kit/test-hub.ts';

/**
 * Not timings: the number of requests each merge hop sends upstream per gateway request, and the
 * number of SQL statements a list query runs, must not grow with the list. A regression to N+1
 * (one department call or one SQL statement per item) fails here, in CI.
 */

describe('upstream requests per merge hop: the hub with its departments (real estate, tax)', () => {
  let db: TestDatabase;
  let realEstate: RunningRealEstateSimulator;
  let tax: RunningTaxSimulator;
  let hub: TestHub;
  let clerk: string;
  const LIST = `query($first: Int!) { cases(first: $first) { edges { node {
    number status applicant { name taxStatus { status } } realEstateRegistration { id status }
  } } } }`;

  beforeAll(async () => {
    db = await createTestDatabase();
    realEstate = await startRealEstateSimulator();
    tax = await startTaxSimulator();
    const deps = { recorder: { record: () => {} }, identities: createIdentityResolver(db.orm) };
    const adapters: DepartmentAdapter[] = [
      realEstateAdapter.create(realEstateAdapter.config.parse({}), realEstate.url, deps),
      taxAdapter.create(taxAdapter.config.parse({}), tax.url, deps),
    ];
    hub = await startTestHub({ db, adapters });
    clerk = await hub.token('clerk');
    const materials = requiredMaterials(TOLERANT_ITEM).map((m) => ({
      checklistCode: m.checklistCode,
      medium: 'paper' as const,
    }));
    for (let i = 0; i < MAX_CASE_PAGE; i++) {
      const c = await registerCase(forkEm(db.orm), DEMO_ACTORS.clerk, {
        itemCode: TOLERANT_ITEM.code,
        channel: 'window',
        applicant: { type: 'person', name: `申请人${i}`, idNumber: citizenId(700 + i) },
        materials,
      });
      if (i % 2 === 0)
        await decideAcceptance(forkEm(db.orm), DEMO_ACTORS.clerk, c.id, c.version, { type: 'accept' });
    }
  }, 120_000);
  afterAll(async () => {
    await hub?.close();
    await realEstate?.close();
    await tax?.close();
    await db?.drop();
  });

  // The hub pages cases by at most MAX_CASE_PAGE (100): its longest list in one request.
  it.each([1, 20, MAX_CASE_PAGE])(
    'a list of %i cases with registry and tax data costs one call to each department',
    async (first) => {
      const registryBefore = realEstate.calls()['query registrationsByCaseRefs'] ?? 0;
      const taxBefore = tax.calls()['POST /v1/taxpayers/lookup'] ?? 0;
      const { body } = await hub.gql<{ cases: { edges: unknown[] } }>(LIST, { first }, { token: clerk });
      expect(body.errors).toBeUndefined();
      expect(body.data!.cases.edges).toHaveLength(first);
      expect((realEstate.calls()['query registrationsByCaseRefs'] ?? 0) - registryBefore).toBe(1);
      expect((tax.calls()['POST /v1/taxpayers/lookup'] ?? 0) - taxBefore).toBe(1);
    },
  );

  it('runs as many SQL statements for a list of 100 cases as for a list of 1', async () => {
    const CASES = `query($first: Int!) { cases(first: $first) { edges { node {
      id number status item { code name zone { name } } applicant { name }
      materials { checklistCode file { sha256 } } documents { id kind number } timeline { seq type }
      materialCheck { complete gaps { code state } } deadline { dueDate }
      realEstateRegistration { status } applicant { taxStatus { status } }
    } } } }`;
    const statementsFor = async (first: number) => {
      await new Promise((r) => setTimeout(r, 300)); // department call records are written in batches
      db.statements.length = 0;
      const { body } = await hub.gql<{ cases: { edges: unknown[] } }>(CASES, { first }, { token: clerk });
      expect(body.errors).toBeUndefined();
      expect(body.data!.cases.edges).toHaveLength(first);
      return [...db.statements];
    };
    const one = await statementsFor(1);
    const twenty = await statementsFor(20);
    const hundred = await statementsFor(MAX_CASE_PAGE);
    expect(twenty.length).toBe(one.length);
    expect(hundred.length).toBe(one.length);
    // 10 today: one per loaded relation, the identity look-up for the tax bureau, one audit insert.
    expect(hundred.length).toBeLessThanOrEqual(12);
  });

  it('runs as many SQL statements for a catalogue page of 60 items as for a page of 1', async () => {
    const ITEMS = `query($first: Int!) { serviceItems(first: $first) { totalCount edges { node {
      code name kind promisedLimitDays leadDepartment { name } checklist { name tolerable } zone { name }
    } } } }`;
    const statementsFor = async (first: number) => {
      db.statements.length = 0;
      const { body } = await hub.gql<{ serviceItems: { edges: unknown[] } }>(ITEMS, { first });
      expect(body.errors).toBeUndefined();
      expect(body.data!.serviceItems.edges).toHaveLength(first);
      return db.statements.length;
    };
    const one = await statementsFor(1);
    expect(await statementsFor(20)).toBe(one);
    expect(await statementsFor(60)).toBe(one);
  });
});

describe('upstream requests per merge hop: the bench subgraphs stitched by our gateway', () => {
  // The subgraphs run as the bench runs them: a process of their own, real HTTP servers on loopback.
  let subgraphs: BenchChild<Record<string, string>>;
  let urls: Record<string, string>;
  let hub: TestHub;
  beforeAll(async () => {
    subgraphs = await startChild<Record<string, string>>('subgraphs', 'subgraphs/serve-subgraphs.ts');
    urls = subgraphs.info;
    hub = await startTestHub({ subschemas: benchContributions(urls, { record: () => {} }) });
  }, 60_000);
  afterAll(async () => {
    await hub?.close();
    await subgraphs?.stop();
  });

  const requestsAt = async () =>
    Object.fromEntries(
      await Promise.all(
        benchSubgraphs.map(async (s) => {
          const counts = (await (await fetch(new URL('/__bench/counts', urls[s.name]))).json()) as {
            requests: number;
          };
          return [s.name, counts.requests] as const;
        }),
      ),
    ) as Record<string, number>;

  it.each(['list-1', 'list-20', 'list-200', 'chain-3'])(
    '%s: exactly one upstream request per hop',
    async (id) => {
      const shape = shapes.find((s) => s.id === id)!;
      const before = await requestsAt();
      const { body } = await hub.gql<{ cases: { registration: unknown }[] }>(shape.query, shape.variables);
      expect(body.errors).toBeUndefined();
      expect(body.data!.cases).toHaveLength(shape.variables.first as number);
      expect(body.data!.cases.every((c) => c.registration !== null)).toBe(true);
      const after = await requestsAt();
      const perSubgraph = Object.fromEntries(
        benchSubgraphs.map((s) => [s.name, after[s.name]! - before[s.name]!]),
      );
      expect(perSubgraph).toEqual({
        cases: 1,
        real_estate: 1,
        certificates: shape.hops.includes('certificates') ? 1 : 0,
      });
    },
  );
});
