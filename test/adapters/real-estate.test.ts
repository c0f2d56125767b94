import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildClientSchema,
  buildSchema,
  findBreakingChanges,
  type GraphQLObjectType,
  getIntrospectionQuery,
  type IntrospectionQuery,
  parse,
  printSchema,
  validate,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CasePackage,
  DepartmentCallRecord,
  DepartmentDecision,
} from '../../adapters/kit/adapter-contract.ts';
import { DepartmentError } from '../../adapters/kit/department-error.ts';
import { realEstateAdapter } from '../../adapters/real-estate/index.ts';
import type { createRealEstateAdapter } from '../../adapters/real-estate/real-estate.adapter.ts';
import { DOCUMENTS } from '../../adapters/real-estate/real-estate.client.ts';
import {
  fromRegistration,
  toMaterialInputs,
  toRegistrationInput,
} from '../../adapters/real-estate/real-estate.mapping.ts';
import {
  DEPARTMENT_SDL_FILE,
  DEPARTMENT_SDL_V1_FILE,
  type RunningRealEstateSimulator,
  startRealEstateSimulator,
} from '../../adapters/real-estate/real-estate.simulator.ts';
import { registerCase } from '../../db/cases/case-intake.ts';
import { forkEm } from '../../db/orm.ts';
import type { ServiceItemSeed } from '../../db/seed/catalogue/catalogue-seed.types.ts';
import { catalogue } from '../../db/seed/catalogue/index.ts';
import { DEMO_ACTORS } from '../../gateway/auth/demo-actors.ts';
import { buildHubSchema } from '../../schema/hub/hub-subschema.ts';
import { eventually } from '../kit/eventually.ts';
import { citizenId, requiredMaterials } from '../kit/front-desk.ts';
import { createTestDatabase, type TestDatabase } from '../kit/test-database.ts';
import { startTestHub, type TestHub } from '../kit/test-hub.ts';

type RealEstateAdapter = ReturnType<typeof createRealEstateAdapter>;

const TITLE_NUMBER = /^豫\(\d{4}\)濮阳市不动产权第\d{7}号$/;
const FIRST_REGISTRATION = catalogue.items.find((i) => i.code === 'BDC-001')!;
const MORTGAGE = catalogue.items.find((i) => i.code === 'BDC-003')!;

function packageFor(item: ServiceItemSeed, caseNumber: string, serial: number, name = '王建国'): CasePackage {
  return {
    caseNumber,
    departmentCode: 'land_resources',
    idempotencyKey: `task-${caseNumber}-1`,
    itemCode: item.code,
    itemName: item.name,
    acceptedOn: '2026-11-25',
    applicant: { name, idType: 'citizen_id', idNumber: citizenId(serial) },
    materials: item.materials
      .filter((m) => m.required)
      .map((m) => ({
        code: m.code,
        name: m.name,
        medium: 'paper' as const,
        copies: m.copies,
        sha256: null,
        mediaType: null,
      })),
  };
}

async function failure(promise: Promise<unknown>): Promise<DepartmentError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DepartmentError);
  return error as DepartmentError;
}

describe('real-estate registry adapter (不动产登记中心)', () => {
  const calls: DepartmentCallRecord[] = [];
  let simulator: RunningRealEstateSimulator;
  let adapter: RealEstateAdapter;
  beforeAll(async () => {
    simulator = await startRealEstateSimulator();
    adapter = realEstateAdapter.create(
      realEstateAdapter.config.parse({ REAL_ESTATE_TIMEOUT_MS: '400', REAL_ESTATE_MAX_ATTEMPTS: '2' }),
      simulator.url,
      { recorder: { record: (c) => calls.push(c) }, identities: { resolve: async () => new Map() } },
    ) as RealEstateAdapter;
  });
  afterAll(async () => {
    await simulator?.close();
  });
  const reset = () => {
    simulator.setMode({
      latencyMs: 0,
      down: false,
      hang: false,
      malformed: false,
      rejectSubmissions: false,
      queueMs: 20,
      reviewMs: 0,
      rejectItems: [],
    });
    calls.length = 0;
  };

  it('files an application once per idempotency key; the same key with another application is a CONFLICT', async () => {
    reset();
    const pkg = packageFor(FIRST_REGISTRATION, '410900-20261125-100001', 101);
    const first = await adapter.submit(pkg);
    const again = await adapter.submit(pkg);
    expect(first).toEqual({ departmentRef: expect.stringMatching(/^DJ\d{14}$/), status: 'received' });
    expect(again).toEqual({ departmentRef: first.departmentRef, status: 'duplicate' });
    expect(simulator.submissions().filter((s) => s.idempotencyKey === pkg.idempotencyKey)).toEqual([
      { idempotencyKey: pkg.idempotencyKey, departmentRef: first.departmentRef, caseNumber: pkg.caseNumber },
    ]);

    calls.length = 0;
    const conflict = await failure(adapter.submit({ ...pkg, itemName: '另一份申请' }));
    expect(conflict).toMatchObject({ kind: 'permanent', department: 'real_estate' });
    expect(conflict.reason).toMatch(/idempotency key already used/);
    expect(calls.map((c) => [c.operation, c.status, c.caseNumber])).toEqual([
      ['submit', 200, pkg.caseNumber],
    ]);
    expect(simulator.submissions()).toHaveLength(1);
  });

  it('pulls decisions from the change feed: in review, then registered with the certificate; rejections with reasons', async () => {
    reset();
    simulator.setMode({ queueMs: 10, reviewMs: 400, rejectItems: [MORTGAGE.code] });
    const start = (await adapter.pullDecisions!(null)).cursor;
    const registered = packageFor(FIRST_REGISTRATION, '410900-20261125-100002', 102);
    const refused = packageFor(MORTGAGE, '410900-20261125-100003', 103);
    const { departmentRef: registeredRef } = await adapter.submit(registered);
    const { departmentRef: refusedRef } = await adapter.submit(refused);

    const reviewing = await eventually(async () => {
      const page = await adapter.pullDecisions!(start);
      return page.decisions.some((d) => d.departmentRef === registeredRef) ? page : null;
    });
    expect(reviewing.decisions.find((d) => d.departmentRef === registeredRef)).toEqual({
      departmentRef: registeredRef,
      caseNumber: registered.caseNumber,
      outcome: 'in_review',
      reasons: [],
      decidedAt: null,
      result: null,
    });

    const decided = new Map<string, DepartmentDecision>();
    let cursor = reviewing.cursor;
    await eventually(async () => {
      const page = await adapter.pullDecisions!(cursor);
      cursor = page.cursor;
      for (const d of page.decisions) if (d.outcome !== 'in_review') decided.set(d.departmentRef, d);
      return decided.has(registeredRef) && decided.has(refusedRef);
    });
    expect(decided.get(registeredRef)).toEqual({
      departmentRef: registeredRef,
      caseNumber: registered.caseNumber,
      outcome: 'approved',
      reasons: [],
      decidedAt: expect.any(String),
      result: {
        name: '不动产权证书',
        number: expect.stringMatching(TITLE_NUMBER),
        itemCode: FIRST_REGISTRATION.code,
        holder: { name: registered.applicant.name, idNumber: registered.applicant.idNumber },
      },
    });
    expect(decided.get(refusedRef)).toMatchObject({
      caseNumber: refused.caseNumber,
      outcome: 'rejected',
      reasons: ['申请登记的不动产存在尚未解决的权属争议，不予登记'],
      result: null,
    });
    // The cursor moves on: nothing already seen comes back.
    expect((await adapter.pullDecisions!(cursor)).decisions).toEqual([]);
  });

  it('treats invalid input (HTTP 400) as permanent: one attempt, the registry reason kept, nothing filed', async () => {
    reset();
    const before = simulator.submissions().length;
    const pkg = packageFor(FIRST_REGISTRATION, '410900-20261125-100004', 104);
    const invalid = await failure(
      adapter.submit({ ...pkg, applicant: { ...pkg.applicant, idNumber: '4109' } }),
    );
    expect(invalid).toMatchObject({ kind: 'permanent', status: 400 });
    expect(invalid.reason).toBe('申请信息不完整或格式不正确：input.applicant.idNumber');

    simulator.setFaults({ rejectSubmissions: true });
    const rejected = await failure(adapter.submit(pkg));
    expect(rejected).toMatchObject({ kind: 'permanent', status: 400 });
    expect(rejected.reason).toMatch(/^申请材料不符合要求/);
    expect(calls.map((c) => [c.operation, c.status, c.outcome, c.attempt])).toEqual([
      ['submit', 400, 'permanent', 1],
      ['submit', 400, 'permanent', 1],
    ]);
    expect(simulator.submissions()).toHaveLength(before);
  });

  it('retries HTTP 503 up to the attempts and reports it as transient; nothing filed', async () => {
    reset();
    simulator.setFaults({ down: true });
    const error = await failure(
      adapter.submit(packageFor(FIRST_REGISTRATION, '410900-20261125-100005', 105)),
    );
    expect(error).toMatchObject({ kind: 'transient', status: 503, retryable: true });
    expect(calls.map((c) => [c.status, c.outcome, c.attempt])).toEqual([
      [503, 'transient', 1],
      [503, 'transient', 2],
    ]);
    expect(simulator.submissions().some((s) => s.caseNumber === '410900-20261125-100005')).toBe(false);
    expect((await adapter.health()).state).toBe('down');
  });

  it('reports an answer that is not JSON as malformed, and a system that answers as up', async () => {
    reset();
    simulator.setFaults({ malformed: true });
    const malformed = await failure(
      adapter.submit(packageFor(FIRST_REGISTRATION, '410900-20261125-100006', 106)),
    );
    expect(malformed).toMatchObject({ kind: 'malformed', department: 'real_estate' });
    expect(calls).toHaveLength(1);
    reset();
    expect(await adapter.health()).toMatchObject({ department: 'real_estate', state: 'up' });
  });

  it('serves exactly its v2 schema, which breaks nothing of v1; the hub pins a part of it and sends only operations it has', async () => {
    const v1 = buildSchema(readFileSync(DEPARTMENT_SDL_V1_FILE, 'utf8'));
    const v2 = buildSchema(readFileSync(DEPARTMENT_SDL_FILE, 'utf8'));
    expect(path.basename(DEPARTMENT_SDL_FILE)).toBe('real-estate.department.v2.graphql');
    const response = await fetch(`${simulator.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: getIntrospectionQuery({ descriptions: true, schemaDescription: true }) }),
    });
    const served = buildClientSchema(((await response.json()) as { data: IntrospectionQuery }).data);
    expect(printSchema(served)).toBe(printSchema(v2));
    // v2 only adds: whatever a caller of v1 sends still runs.
    expect(findBreakingChanges(v1, v2)).toEqual([]);

    const pinned = buildSchema(
      readFileSync(
        path.join(import.meta.dirname, '../../adapters/real-estate/real-estate.subschema.graphql'),
        'utf8',
      ),
    );
    expect(findBreakingChanges(pinned, v1)).toEqual([]);
    expect(findBreakingChanges(pinned, v2)).toEqual([]);
    for (const document of Object.values(DOCUMENTS)) expect(validate(v2, parse(document))).toEqual([]);
  });

  it('takes a refused result back: voids it, reviews again, registers under a new number made out to the applicant', async () => {
    reset();
    simulator.setMode({ misattributeResults: true });
    // A mortgage over a property the register holds unseized for the applicant (the register is stable per number).
    const registry = async <T>(query: string, variables: Record<string, unknown>) =>
      (
        (await (
          await fetch(`${simulator.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query, variables }),
          })
        ).json()) as { data: T }
      ).data;
    const mortgagesOf = async (idNumber: string) =>
      (
        await registry<{ propertiesByOwners: { seized: boolean; mortgages: { proofNumber: string }[] }[] }>(
          'query($ids: [String!]!) { propertiesByOwners(ownerIdNumbers: $ids) { seized mortgages { proofNumber } } }',
          { ids: [idNumber] },
        )
      ).propertiesByOwners[0]!;
    let serial = 120;
    while ((await mortgagesOf(citizenId(serial))).seized) serial++;
    const pkg = packageFor(MORTGAGE, '410900-20261125-100008', serial);
    const start = (await adapter.pullDecisions!(null)).cursor;
    const { departmentRef } = await adapter.submit(pkg);
    const seen: DepartmentDecision[] = [];
    let cursor = start;
    const pullMine = async () => {
      const page = await adapter.pullDecisions!(cursor);
      cursor = page.cursor;
      seen.push(...page.decisions.filter((d) => d.departmentRef === departmentRef));
    };
    await eventually(async () => {
      await pullMine();
      return seen.some((d) => d.outcome === 'approved');
    });
    const first = seen.find((d) => d.outcome === 'approved')!;
    expect(first.result!.holder!.idNumber).not.toBe(pkg.applicant.idNumber);
    expect((await mortgagesOf(pkg.applicant.idNumber)).mortgages.map((m) => m.proofNumber)).toContain(
      first.result!.number,
    );

    seen.length = 0;
    calls.length = 0;
    const ref = { departmentRef, caseNumber: pkg.caseNumber, idempotencyKey: pkg.idempotencyKey };
    await adapter.results!.refuseResult(ref, ['不动产登记证明记载的权利人与申请人不一致']);
    await eventually(async () => {
      await pullMine();
      return seen.some((d) => d.outcome === 'approved');
    });
    // The change feed, past the cursor that had the first decision, shows it registered again.
    const again = seen.find((d) => d.outcome === 'approved')!;
    expect(again.result).toEqual({
      name: '不动产登记证明',
      number: expect.stringMatching(/^豫\(\d{4}\)濮阳市不动产证明第\d{7}号$/),
      itemCode: MORTGAGE.code,
      holder: { name: pkg.applicant.name, idNumber: pkg.applicant.idNumber },
    });
    expect(again.result!.number).not.toBe(first.result!.number);
    // The voided proof left the register; the new one is entered.
    const proofs = (await mortgagesOf(pkg.applicant.idNumber)).mortgages.map((m) => m.proofNumber);
    expect(proofs).toContain(again.result!.number);
    expect(proofs).not.toContain(first.result!.number);
    expect(
      calls.filter((c) => c.operation === 'result-refusal').map((c) => [c.status, c.caseNumber]),
    ).toEqual([[200, pkg.caseNumber]]);
  });

  it('refuses feedback it cannot take as invalid input (HTTP 400): no result issued yet, a posted delivery without a waybill', async () => {
    reset();
    simulator.setMode({ queueMs: 60_000 });
    const pkg = packageFor(FIRST_REGISTRATION, '410900-20261125-100009', 109);
    const { departmentRef } = await adapter.submit(pkg);
    const ref = { departmentRef, caseNumber: pkg.caseNumber, idempotencyKey: pkg.idempotencyKey };
    calls.length = 0;
    const notIssued = await failure(adapter.results!.refuseResult(ref, ['持证人不一致']));
    expect(notIssued).toMatchObject({
      kind: 'permanent',
      status: 400,
      reason: '该登记尚未出具结果，不能退回',
    });
    const posted = {
      method: 'post' as const,
      deliveredAt: new Date().toISOString(),
      recipient: 'agent' as const,
    };
    const noWaybill = await failure(adapter.results!.reportDelivery(ref, { ...posted, waybillNo: null }));
    expect(noWaybill).toMatchObject({
      kind: 'permanent',
      status: 400,
      reason: '送达信息不完整或格式不正确：delivery.waybillNo',
    });
    const early = await failure(adapter.results!.reportDelivery(ref, { ...posted, waybillNo: '1151234567' }));
    expect(early.reason).toBe('该登记尚未出具结果，无送达可反馈');
    expect(calls.map((c) => [c.operation, c.status, c.outcome, c.attempt])).toEqual([
      ['result-refusal', 400, 'permanent', 1],
      ['delivery-report', 400, 'permanent', 1],
      ['delivery-report', 400, 'permanent', 1],
    ]);
    const held = simulator.feedback();
    expect([...held.refusals, ...held.deliveries].filter((f) => f.departmentRef === departmentRef)).toEqual(
      [],
    );
  });

  it('files owed materials with the registration once per key (supplyRegistrationMaterials); other materials under the key are a CONFLICT, bad input and an unknown registration HTTP 400', async () => {
    reset();
    simulator.setMode({ queueMs: 60_000 });
    const pkg = packageFor(FIRST_REGISTRATION, '410900-20261125-100010', 110);
    const { departmentRef } = await adapter.submit(pkg);
    const ref = { departmentRef, caseNumber: pkg.caseNumber, idempotencyKey: pkg.idempotencyKey };
    const key = `${pkg.idempotencyKey}:supplement-1`;
    const owed = [
      {
        code: 'M09',
        name: '房屋测绘报告',
        medium: 'paper' as const,
        copies: 1,
        sha256: null,
        mediaType: null,
      },
    ];
    const sequence = () => simulator.registrations().find((r) => r.id === departmentRef)!.sequence;
    const unchanged = sequence();
    calls.length = 0;
    const first = await adapter.client.supplyMaterials(
      departmentRef,
      toMaterialInputs(owed),
      key,
      pkg.caseNumber,
    );
    const again = await adapter.client.supplyMaterials(
      departmentRef,
      toMaterialInputs(owed),
      key,
      pkg.caseNumber,
    );
    expect(first).toEqual({ supplementId: expect.stringMatching(/^BZ\d{14}$/), replayed: false });
    expect(again).toEqual({ supplementId: first.supplementId, replayed: true });
    await adapter.supplements!.supplyMaterials(ref, owed, key);
    expect(simulator.registrations().find((r) => r.id === departmentRef)!.supplements).toEqual([
      {
        supplementId: first.supplementId,
        registrationId: departmentRef,
        idempotencyKey: key,
        inputHash: expect.any(String),
        materialCodes: ['M09'],
        receivedAt: expect.any(String),
      },
    ]);
    // Materials are no step of the procedure: the change feed does not show them.
    expect(sequence()).toBe(unchanged);

    const conflict = await failure(adapter.supplements!.supplyMaterials(ref, pkg.materials, key));
    expect(conflict).toMatchObject({ kind: 'permanent', department: 'real_estate', status: null });
    expect(conflict.reason).toMatch(/idempotency key already used for different materials/);
    const other = `${pkg.idempotencyKey}:supplement-2`;
    const invalid = await failure(
      adapter.supplements!.supplyMaterials(ref, [owed[0]!, { ...owed[0]!, copies: 0 }], other),
    );
    expect(invalid).toMatchObject({
      kind: 'permanent',
      status: 400,
      reason: '补交材料不完整或格式不正确：materials[1].code、materials[1].copies',
    });
    const unknown = await failure(
      adapter.supplements!.supplyMaterials({ ...ref, departmentRef: 'DJ20261125999999' }, owed, other),
    );
    expect(unknown).toMatchObject({
      kind: 'permanent',
      status: 400,
      reason: '登记业务号 DJ20261125999999 不存在',
    });
    // The CONFLICT comes as a 200 with a GraphQL error: one attempt, made permanent by the client.
    expect(calls.map((c) => [c.operation, c.status, c.attempt, c.caseNumber])).toEqual([
      ['material-supplement', 200, 1, pkg.caseNumber],
      ['material-supplement', 200, 1, pkg.caseNumber],
      ['material-supplement', 200, 1, pkg.caseNumber],
      ['material-supplement', 200, 1, pkg.caseNumber],
      ['material-supplement', 400, 1, pkg.caseNumber],
      ['material-supplement', 400, 1, pkg.caseNumber],
    ]);
    expect(simulator.supplements().filter((s) => s.departmentRef === departmentRef)).toEqual([
      { departmentRef, idempotencyKey: key, materialCodes: ['M09'] },
    ]);
  });

  it('maps a package to the registry input and every registry status to a hub outcome', () => {
    const pkg = packageFor(MORTGAGE, '410900-20261125-100007', 107);
    expect(
      toRegistrationInput({ ...pkg, applicant: { ...pkg.applicant, idType: 'credit_code' } }),
    ).toMatchObject({
      caseRef: pkg.caseNumber,
      type: 'MORTGAGE',
      applicant: { idType: 'CREDIT_CODE', idNumber: pkg.applicant.idNumber },
      materials: pkg.materials.map((m) => ({ code: m.code, medium: 'PAPER' })),
      unitNumber: null,
    });
    expect(toRegistrationInput({ ...pkg, itemCode: 'QYKB-001' }).type).toBe('OTHER');
    const view = {
      id: 'DJ20261125000001',
      caseRef: pkg.caseNumber,
      itemCode: MORTGAGE.code,
      rejectionReasons: [],
      decidedAt: '2026-11-26T02:00:00.000Z',
      certificateKind: 'REGISTRATION_PROOF' as const,
      certificateNumber: '豫(2026)濮阳市不动产证明第0003001号',
      certificateHolder: { name: '王建国', idType: 'CITIZEN_ID' as const, idNumber: pkg.applicant.idNumber },
    };
    expect(fromRegistration({ ...view, status: 'REGISTERED' }).result).toEqual({
      name: '不动产登记证明',
      number: '豫(2026)濮阳市不动产证明第0003001号',
      itemCode: MORTGAGE.code,
      holder: { name: '王建国', idNumber: pkg.applicant.idNumber },
    });
    expect(fromRegistration({ ...view, status: 'RECEIVED' }).outcome).toBe('in_review');
    expect(fromRegistration({ ...view, status: 'REVIEWING' }).outcome).toBe('in_review');
  });
});

const LIST = `{ cases(first: 50) { edges { node { number realEstateRegistration { status property { certificateNumber location } } } } } }`;
type Listed = {
  cases: {
    edges: {
      node: {
        number: string;
        realEstateRegistration: {
          status: string;
          property: { certificateNumber: string | null; location: string } | null;
        } | null;
      };
    }[];
  };
};

describe('registrations in the one schema (real estate)', () => {
  let db: TestDatabase;
  let simulator: RunningRealEstateSimulator;
  let hub: TestHub;
  let clerk: string;
  const submitted = new Set<string>();
  const batches = () => simulator.calls()['query registrationsByCaseRefs'] ?? 0;
  beforeAll(async () => {
    db = await createTestDatabase();
    simulator = await startRealEstateSimulator();
    const adapter = realEstateAdapter.create(
      realEstateAdapter.config.parse({ REAL_ESTATE_TIMEOUT_MS: '400', REAL_ESTATE_MAX_ATTEMPTS: '2' }),
      simulator.url,
      { recorder: { record: () => {} }, identities: { resolve: async () => new Map() } },
    );
    hub = await startTestHub({ db, adapters: [adapter] });
    clerk = await hub.token('clerk');
    const materials = requiredMaterials(FIRST_REGISTRATION).map((m) => ({
      checklistCode: m.checklistCode,
      medium: 'paper' as const,
    }));
    for (let i = 0; i < 50; i++) {
      const name = `权利人${i}`;
      const registered = await registerCase(forkEm(db.orm), DEMO_ACTORS.clerk, {
        itemCode: FIRST_REGISTRATION.code,
        channel: 'window',
        applicant: { type: 'person', name, idNumber: citizenId(700 + i) },
        materials,
      });
      // Three cases never reach the registry: their field must be null, without an error.
      if (i % 16 === 15) continue;
      await adapter.submit(packageFor(FIRST_REGISTRATION, registered.number, 700 + i, name));
      submitted.add(registered.number);
    }
    await eventually(async () => simulator.registrations().every((r) => r.status === 'REGISTERED'));
  }, 60_000);
  afterAll(async () => {
    await hub?.close();
    await simulator?.close();
    await db?.drop();
  });

  it("adds each case's registration and property for 50 cases with one call to the registry", async () => {
    const before = batches();
    const { body } = await hub.gql<Listed>(LIST, {}, { token: clerk });
    expect(body.errors).toBeUndefined();
    const nodes = body.data!.cases.edges.map((e) => e.node);
    expect(nodes).toHaveLength(50);
    expect(batches() - before).toBe(1);
    for (const node of nodes) {
      if (!submitted.has(node.number)) {
        expect(node.realEstateRegistration).toBeNull();
        continue;
      }
      expect(node.realEstateRegistration).toEqual({
        status: 'REGISTERED',
        property: { certificateNumber: expect.stringMatching(TITLE_NUMBER), location: expect.any(String) },
      });
      expect(node.realEstateRegistration!.property!.location).toMatch(/^濮阳市华龙区.+室$/);
    }
    expect(nodes.filter((n) => n.realEstateRegistration === null)).toHaveLength(50 - submitted.size);
  });

  it("shows the registry's types under RealEstate names and none of its root fields", async () => {
    const { body } = await hub.gql<{
      __schema: { queryType: { fields: { name: string }[] }; types: { name: string }[] };
      registration: { fields: { name: string }[] };
      case: { description: string; fields: { name: string; description: string }[] };
    }>(
      `{ __schema { queryType { fields { name } } types { name } }
         registration: __type(name: "RealEstateRegistration") { fields { name } }
         case: __type(name: "Case") { description fields { name description } } }`,
      {},
      { token: clerk },
    );
    expect(body.errors).toBeUndefined();
    const queries = body.data!.__schema.queryType.fields.map((f) => f.name);
    expect(queries).not.toContain('registrationsByCaseRefs');
    expect(queries.filter((q) => /registration|propert/i.test(q))).toEqual([]);
    const types = body.data!.__schema.types.map((t) => t.name);
    expect(types).toEqual(
      expect.arrayContaining([
        'RealEstateRegistration',
        'RealEstateRegistrationStatus',
        'RealEstateProperty',
        'RealEstatePropertyUse',
      ]),
    );
    for (const departmentName of ['Registration', 'Property', 'CaseRegistration', 'RegistrationStatus'])
      expect(types).not.toContain(departmentName);
    expect(body.data!.registration.fields.map((f) => f.name)).toContain('property');
    // Whom a certificate is made out to (identity numbers) stays between the registry and the adapter.
    expect(body.data!.registration.fields.map((f) => f.name)).not.toContain('certificateHolder');
    // The registry's part of Case must not change how the hub describes its own type and field.
    const hubCase = buildHubSchema().getType('Case') as GraphQLObjectType;
    const stitchedCase = body.data!.case;
    expect(stitchedCase.description).toBe(hubCase.description);
    expect(stitchedCase.fields.find((f) => f.name === 'number')!.description).toBe(
      hubCase.getFields().number!.description,
    );
  });

  it('degrades only the registry fields while it is down; the rest of the answer arrives', async () => {
    simulator.setFaults({ down: true });
    try {
      const { status, body } = await hub.gql<Listed>(LIST, {}, { token: clerk });
      expect(status).toBe(200);
      const nodes = body.data!.cases.edges.map((e) => e.node);
      expect(nodes).toHaveLength(50);
      expect(
        nodes.every((n) => /^\d{6}-\d{8}-\d{6}$/.test(n.number) && n.realEstateRegistration === null),
      ).toBe(true);
      expect(body.errors!.length).toBeGreaterThan(0);
      for (const error of body.errors!) {
        expect(error.extensions).toMatchObject({ code: 'DEPARTMENT_UNAVAILABLE', department: 'real_estate' });
        expect(error.path).toContain('realEstateRegistration');
      }
      const ready = await (await fetch(`${hub.url}/readyz`)).json();
      expect(ready).toMatchObject({
        status: 'ready',
        departments: [{ department: 'real_estate', state: 'down' }],
      });
    } finally {
      simulator.setFaults({ down: false });
    }
  });
});
