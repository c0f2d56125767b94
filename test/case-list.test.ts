import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideAcceptance } from '../db/cases/case-decisions.ts';
import { registerCase } from '../db/cases/case-intake.ts';
import { forkEm } from '../db/orm.ts';
import { DEMO_ACTORS } from '../gateway/auth/demo-actors.ts';
import { CASE_FIELDS, citizenId, requiredMaterials, TOLERANT_ITEM } from './kit/front-desk.ts';
import { startTestHub, type TestHub } from './kit/test-hub.ts';

describe('listing cases', () => {
  let hub: TestHub;
  let clerk: string;
  beforeAll(async () => {
    hub = await startTestHub();
    clerk = await hub.token('clerk');
    const materials = requiredMaterials(TOLERANT_ITEM).map((m) => ({
      checklistCode: m.checklistCode,
      medium: 'paper' as const,
      copies: m.copies,
    }));
    for (let i = 0; i < 105; i++) {
      const c = await registerCase(forkEm(hub.db.orm), DEMO_ACTORS.clerk, {
        itemCode: TOLERANT_ITEM.code,
        channel: 'window',
        applicant: { type: 'person', name: '测试申请人', idNumber: citizenId(i) },
        materials,
      });
      if (i % 2 === 0)
        await decideAcceptance(forkEm(hub.db.orm), DEMO_ACTORS.clerk, c.id, c.version, { type: 'accept' });
    }
  }, 120_000);
  afterAll(async () => {
    await hub?.close();
  });

  it('lists 100 cases with materials, documents, check and timeline in a handful of SQL statements', async () => {
    hub.db.statements.length = 0;
    const { body } = await hub.gql<{
      cases: { edges: { node: { documents: unknown[]; timeline: unknown[] } }[] };
    }>(
      `{ cases(first: 100) { pageInfo { hasNextPage } edges { node { ${CASE_FIELDS} item { code name zone { name } } materials { checklistCode file { sha256 } } } } } }`,
      {},
      { token: clerk },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.cases.edges).toHaveLength(100);
    expect(body.data!.cases.edges.filter((e) => e.node.documents.length === 1)).toHaveLength(50);
    expect(hub.db.statements.length).toBeLessThanOrEqual(14);
  });

  it('adds each case’s delivery, messages and certificates in one statement per kind, not per case', async () => {
    hub.db.statements.length = 0;
    const { body } = await hub.gql<{
      cases: {
        edges: { node: { delivery: { method: string; status: string }; notifications: unknown[] } }[];
      };
    }>(
      `{ cases(first: 100) { edges { node { id delivery { method status } notifications { kind } certificates { identifier } } } } }`,
      {},
      { token: clerk },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.cases.edges).toHaveLength(100);
    expect(body.data!.cases.edges.every((e) => e.node.delivery.status === 'AWAITING_RESULT')).toBe(true);
    const extras = hub.db.statements.filter((sql) =>
      /from "(case_delivery|notification|certificate)"/.test(sql),
    );
    expect(extras).toHaveLength(3);
  });

  it('filters by status and date and pages without gaps or repeats', async () => {
    type Page = {
      cases: {
        pageInfo: { hasNextPage: boolean; endCursor: string };
        edges: { node: { id: string; status: string } }[];
      };
    };
    const ids = new Set<string>();
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const response: { body: { data?: Page | null } } = await hub.gql<Page>(
        'query($after: String) { cases(first: 40, after: $after, filter: { status: ACCEPTED }) { pageInfo { hasNextPage endCursor } edges { node { id status } } } }',
        { after },
        { token: clerk },
      );
      const page: Page['cases'] = response.body.data!.cases;
      for (const e of page.edges) {
        expect(e.node.status).toBe('ACCEPTED');
        ids.add(e.node.id);
      }
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(ids.size).toBe(53);
    const none = await hub.gql<Page>(
      '{ cases(filter: { receivedTo: "2000-01-01" }) { edges { node { id } } } }',
      {},
      { token: clerk },
    );
    expect(none.body.data!.cases.edges).toEqual([]);
    const overdue = await hub.gql<Page>(
      '{ cases(filter: { overdue: true }) { edges { node { id } } } }',
      {},
      { token: clerk },
    );
    expect(overdue.body.data!.cases.edges).toEqual([]);
    const badDate = await hub.gql(
      '{ cases(filter: { receivedFrom: "25/11/2026" }) { edges { node { id } } } }',
      {},
      { token: clerk },
    );
    expect(badDate.body.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'filter.receivedFrom',
    });
  });
});
