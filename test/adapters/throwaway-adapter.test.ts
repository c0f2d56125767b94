import type { AddressInfo } from 'node:net';
import { makeExecutableSchema } from '@graphql-tools/schema';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AdapterDefinition, RunningSimulator } from '../../adapters/kit/adapter-contract.ts';
import { DepartmentError, departmentUnavailable } from '../../adapters/kit/department-error.ts';
import { DepartmentHttp, parseJson } from '../../adapters/kit/department-http.ts';
import { type BuiltAdapters, buildAdapters } from '../../adapters/registry.ts';
import { registerCase } from '../../db/cases/case-intake.ts';
import { forkEm } from '../../db/orm.ts';
import { DEMO_ACTORS } from '../../gateway/auth/demo-actors.ts';
import { citizenId, requiredMaterials, TOLERANT_ITEM } from '../kit/front-desk.ts';
import { startTestHub, type TestHub } from '../kit/test-hub.ts';

/**
 * A department wired by following docs/adapters.md, inside this test only: the archives bureau
 * (档案局) files accepted cases and reports their archive numbers. Nothing in gateway/ or jobs/ knows it.
 */
async function startArchivesSimulator(): Promise<RunningSimulator> {
  const filings = new Map<string, { idempotencyKey: string; departmentRef: string; caseNumber: string }>();
  const calls: Record<string, number> = {};
  const faults = { latencyMs: 0, down: false, hang: false, malformed: false, rejectSubmissions: false };
  const app = express();
  app.use(express.json());
  app.use((req, res, next) => {
    calls[`${req.method} ${req.path}`] = (calls[`${req.method} ${req.path}`] ?? 0) + 1;
    if (faults.down) res.status(503).json({ message: 'down' });
    else next();
  });
  app.post('/filings', (req, res) => {
    const key = req.get('idempotency-key') ?? '';
    const caseNumber = String(req.body?.caseNumber ?? '');
    const existing = filings.get(key) ?? {
      idempotencyKey: key,
      departmentRef: `DA-${filings.size + 1}`,
      caseNumber,
    };
    filings.set(key, existing);
    res.status(201).json({ archiveNo: existing.departmentRef });
  });
  app.post('/filings/lookup', (req, res) => {
    const numbers = (req.body?.caseNumbers ?? []) as string[];
    const byCase = new Map([...filings.values()].map((f) => [f.caseNumber, f.departmentRef]));
    res.json({ filings: numbers.map((n) => ({ caseNumber: n, archiveNo: byCase.get(n) ?? null })) });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setFaults: (f) => Object.assign(faults, f),
    submissions: () => [...filings.values()],
    calls: () => ({ ...calls }),
    close: () => new Promise((r) => server.close(() => r())),
  };
}

const archivesAdapter: AdapterDefinition<{ ARCHIVES_TIMEOUT_MS: number }> = {
  name: 'archives',
  config: z.object({ ARCHIVES_TIMEOUT_MS: z.coerce.number().int().default(2000) }),
  baseUrlVariable: 'ARCHIVES_BASE_URL',
  startSimulator: startArchivesSimulator,
  create(config, baseUrl, deps) {
    const http = new DepartmentHttp({
      department: 'archives',
      baseUrl,
      recorder: deps.recorder,
      resilience: { headersTimeoutMs: config.ARCHIVES_TIMEOUT_MS, maxAttempts: 1 },
    });
    const lookupSchema = z.object({
      filings: z.array(z.object({ caseNumber: z.string(), archiveNo: z.string().nullable() })),
    });
    return {
      name: 'archives',
      departmentCodes: ['archives'],
      async submit(pkg) {
        const response = await http.send({
          operation: 'submit',
          method: 'POST',
          path: '/filings',
          headers: { 'content-type': 'application/json', 'idempotency-key': pkg.idempotencyKey },
          body: JSON.stringify({ caseNumber: pkg.caseNumber, itemCode: pkg.itemCode }),
          caseNumber: pkg.caseNumber,
        });
        return {
          departmentRef: parseJson('archives', response.text, z.object({ archiveNo: z.string() }), 'filing')
            .archiveNo,
          status: 'received',
        };
      },
      async health() {
        return {
          department: 'archives',
          state: http.circuit === 'open' ? 'down' : 'up',
          detail: http.circuit,
          checkedAt: new Date().toISOString(),
        };
      },
      subschema() {
        return {
          schema: makeExecutableSchema({
            typeDefs: `
              """Where a case is archived (档案局)."""
              type ArchiveFiling { """Archive number.""" archiveNo: String! }
              """A case, as the archives bureau adds to it."""
              type Case { """Case number.""" number: String! """Archive filing of the case, once filed.""" archiveFiling: ArchiveFiling }
              type Query { """Batch look-up used by the gateway.""" archivedCases(numbers: [String!]!): [Case]! }`,
            resolvers: {
              Query: {
                async archivedCases(_root: unknown, { numbers }: { numbers: string[] }) {
                  try {
                    const response = await http.send({
                      operation: 'lookup',
                      method: 'POST',
                      path: '/filings/lookup',
                      headers: { 'content-type': 'application/json' },
                      body: JSON.stringify({ caseNumbers: numbers }),
                    });
                    const found = parseJson('archives', response.text, lookupSchema, 'lookup').filings;
                    const byNumber = new Map(found.map((f) => [f.caseNumber, f.archiveNo]));
                    return numbers.map((number) => {
                      const archiveNo = byNumber.get(number);
                      return { number, archiveFiling: archiveNo ? { archiveNo } : null };
                    });
                  } catch (error) {
                    if (error instanceof DepartmentError)
                      throw departmentUnavailable('archives', error.reason);
                    throw error;
                  }
                },
              },
            },
          }),
          merge: {
            Case: {
              selectionSet: '{ number }',
              fieldName: 'archivedCases',
              key: ({ number }: { number: string }) => number,
              argsFromKeys: (numbers: readonly string[]) => ({ numbers }),
            },
          },
        };
      },
    };
  },
};

describe('a new department wired without touching gateway/ or jobs/', () => {
  let built: BuiltAdapters;
  let hub: TestHub;
  beforeAll(async () => {
    built = await buildAdapters(
      {},
      { recorder: { record: () => {} }, identities: { resolve: async () => new Map() } },
      {
        simulate: true,
        definitions: [archivesAdapter as AdapterDefinition<unknown>],
      },
    );
    hub = await startTestHub({ adapters: built.adapters });
  });
  afterAll(async () => {
    await hub?.close();
    await built?.close();
  });

  it('stitches its field onto cases and answers from its system, batched', async () => {
    const materials = requiredMaterials(TOLERANT_ITEM).map((m) => ({
      checklistCode: m.checklistCode,
      medium: 'paper' as const,
    }));
    const numbers: string[] = [];
    for (let i = 0; i < 3; i++) {
      const c = await registerCase(forkEm(hub.db.orm), DEMO_ACTORS.clerk, {
        itemCode: TOLERANT_ITEM.code,
        channel: 'window',
        applicant: { type: 'person', name: '档案测试', idNumber: citizenId(950 + i) },
        materials,
      });
      numbers.push(c.number);
    }
    const [adapter] = built.adapters;
    await adapter!.submit({
      caseNumber: numbers[0]!,
      departmentCode: 'archives',
      idempotencyKey: `archive-${numbers[0]}`,
      itemCode: TOLERANT_ITEM.code,
      itemName: TOLERANT_ITEM.name,
      acceptedOn: '2026-11-25',
      applicant: { name: '档案测试', idType: 'citizen_id', idNumber: citizenId(950) },
      materials: [],
    });
    const simulator = built.simulators.get('archives')!;
    const before = simulator.calls()['POST /filings/lookup'] ?? 0;
    const { body } = await hub.gql<{
      cases: { edges: { node: { number: string; archiveFiling: { archiveNo: string } | null } }[] };
    }>(
      '{ cases { edges { node { number archiveFiling { archiveNo } } } } }',
      {},
      { token: await hub.token('clerk') },
    );
    expect(body.errors).toBeUndefined();
    const filed = body.data!.cases.edges.filter((e) => e.node.archiveFiling);
    expect(filed.map((e) => e.node.number)).toEqual([numbers[0]]);
    expect((simulator.calls()['POST /filings/lookup'] ?? 0) - before).toBe(1);
    const ready = (await (await fetch(`${hub.url}/readyz`)).json()) as {
      departments: { department: string }[];
    };
    expect(ready.departments.map((d) => d.department)).toEqual(['archives']);
  });
});
