import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DepartmentAdapter } from '../../adapters/kit/adapter-contract.ts';
import { taxAdapter } from '../../adapters/tax/index.ts';
import { type RunningTaxSimulator, startTaxSimulator } from '../../adapters/tax/tax.simulator.ts';
import { registerCase } from '../../db/cases/case-intake.ts';
import { createIdentityResolver } from '../../db/departments/applicant-identities.ts';
import { PersonalDataAccess } from '../../db/entities/personal-data-access.ts';
import { forkEm } from '../../db/orm.ts';
import { DEMO_ACTORS } from '../../gateway/auth/demo-actors.ts';
import { citizenId, requiredMaterials, TOLERANT_ITEM } from '../kit/front-desk.ts';
import { createTestDatabase, type TestDatabase } from '../kit/test-database.ts';
import { startTestHub, type TestHub } from '../kit/test-hub.ts';

const LIST = `{ cases(first: 50) { edges { node { number applicant { id name taxStatus { status clearance outstandingFen } } } } } }`;
type Listed = {
  cases: {
    edges: {
      node: { number: string; applicant: { id: string; name: string; taxStatus: { status: string } | null } };
    }[];
  };
};

describe('department data in the one schema (tax)', () => {
  let db: TestDatabase;
  let simulator: RunningTaxSimulator;
  let adapter: DepartmentAdapter;
  let hub: TestHub;
  let clerk: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    simulator = await startTaxSimulator();
    adapter = taxAdapter.create(
      taxAdapter.config.parse({ TAX_TIMEOUT_MS: '400', TAX_MAX_ATTEMPTS: '2' }),
      simulator.url,
      {
        recorder: { record: () => {} },
        identities: createIdentityResolver(db.orm),
      },
    );
    hub = await startTestHub({ db, adapters: [adapter] });
    clerk = await hub.token('clerk');
    const materials = requiredMaterials(TOLERANT_ITEM).map((m) => ({
      checklistCode: m.checklistCode,
      medium: 'paper' as const,
    }));
    for (let i = 0; i < 50; i++) {
      await registerCase(forkEm(db.orm), DEMO_ACTORS.clerk, {
        itemCode: TOLERANT_ITEM.code,
        channel: 'window',
        applicant: { type: 'person', name: `申请人${i}`, idNumber: citizenId(600 + i) },
        materials,
      });
    }
  }, 60_000);
  afterAll(async () => {
    await hub?.close();
    await simulator?.close();
    await db?.drop();
  });

  it('adds tax status to 50 applicants with one call to the tax bureau, and audits each look-up', async () => {
    const before = simulator.calls()['POST /v1/taxpayers/lookup'] ?? 0;
    const { body } = await hub.gql<Listed>(LIST, {}, { token: clerk });
    expect(body.errors).toBeUndefined();
    const nodes = body.data!.cases.edges.map((e) => e.node);
    expect(nodes).toHaveLength(50);
    expect(
      nodes.every((n) => ['NORMAL', 'ABNORMAL', 'UNREGISTERED'].includes(n.applicant.taxStatus!.status)),
    ).toBe(true);
    expect((simulator.calls()['POST /v1/taxpayers/lookup'] ?? 0) - before).toBe(1);
    const audits = await forkEm(db.orm).find(PersonalDataAccess, {
      purpose: 'tax status',
      actorId: DEMO_ACTORS.clerk.id,
    });
    expect(audits.filter((a) => a.granted)).toHaveLength(50);
  });

  it('gives nobody else the data: a consumer asking directly gets nulls, and the refusal is audited', async () => {
    const ids = (await hub.gql<Listed>(LIST, {}, { token: clerk })).body
      .data!.cases.edges.slice(0, 3)
      .map((e) => e.node.applicant.id);
    const { body } = await hub.gql<{ taxApplicants: { id: string; taxStatus: unknown }[] }>(
      'query($ids: [ID!]!) { taxApplicants(ids: $ids) { id taxStatus { status } } }',
      { ids },
      { token: await hub.token('consumer') },
    );
    expect(body.data!.taxApplicants.map((a) => a.taxStatus)).toEqual([null, null, null]);
    const refused = await forkEm(db.orm).find(PersonalDataAccess, { actorRole: 'consumer' });
    expect(refused.map((r) => r.granted)).toEqual([false, false, false]);
  });

  it('degrades only the tax fields while the tax bureau is down; the rest of the answer arrives', async () => {
    simulator.setFaults({ down: true });
    try {
      const { status, body } = await hub.gql<Listed>(LIST, {}, { token: clerk });
      expect(status).toBe(200);
      const nodes = body.data!.cases.edges.map((e) => e.node);
      expect(nodes).toHaveLength(50);
      expect(
        nodes.every((n) => n.applicant.name.startsWith('申请人') && n.applicant.taxStatus === null),
      ).toBe(true);
      expect(body.errors!.length).toBeGreaterThan(0);
      for (const error of body.errors!) {
        expect(error.extensions).toMatchObject({ code: 'DEPARTMENT_UNAVAILABLE', department: 'tax' });
        expect(error.path).toContain('taxStatus');
      }
      const ready = await (await fetch(`${hub.url}/readyz`)).json();
      expect(ready).toMatchObject({ status: 'ready', departments: [{ department: 'tax', state: 'down' }] });
    } finally {
      simulator.setFaults({ down: false });
    }
  });
});

describe('the hub owns the types departments extend', () => {
  it('keeps the hub descriptions of Applicant and Case in the one schema', async () => {
    const { buildAdapters } = await import('../../adapters/registry.ts');
    const built = await buildAdapters(
      {},
      { recorder: { record: () => {} }, identities: { resolve: async () => new Map() } },
      { simulate: true },
    );
    const hub = await startTestHub({ adapters: built.adapters });
    try {
      const { body } = await hub.gql<{ applicant: { description: string }; case: { description: string } }>(
        '{ applicant: __type(name: "Applicant") { description } case: __type(name: "Case") { description } }',
      );
      expect(body.data!.applicant.description).toBe('An applicant as the caller may see them.');
      expect(body.data!.case.description).toBe(
        'A case (办件): one application, from registration to decision.',
      );
    } finally {
      await hub.close();
      await built.close();
    }
  });
});
