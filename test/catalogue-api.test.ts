import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogue } from '../db/seed/catalogue/index.ts';
import { startTestHub, type TestHub } from './kit/test-hub.ts';

const ZONE_NAMES = ['投资项目', '企业开办', '不动产交易登记', '科教文卫', '公安司法', '社保民生'];

describe('service catalogue through the gateway', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('lists the six zones of the plan in order, each with its departments', async () => {
    const { status, body } = await hub.gql<{
      zones: { code: string; name: string; order: number; departments: { code: string; name: string }[] }[];
    }>('{ zones { code name order departments { code name } } }');
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const zones = body.data!.zones;
    expect(zones.map((z) => z.name)).toEqual(ZONE_NAMES);
    expect(zones.map((z) => z.order)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const zone of zones) {
      const seeded = catalogue.zones.find((z) => z.name === zone.name)!;
      expect(zone.departments.map((d) => d.code)).toEqual(seeded.departmentCodes);
    }
    expect(zones[4]!.departments.map((d) => d.code)).toContain('public_security');
  });

  it('returns the real-estate zone with real items and their checklists', async () => {
    const { body } = await hub.gql<{
      zone: {
        name: string;
        items: {
          code: string;
          name: string;
          kind: string;
          checklistVersion: number;
          checklist: { code: string; name: string; reviewPoints: string[] }[];
        }[];
      };
    }>(
      `{ zone(code: REAL_ESTATE) { name items { code name kind checklistVersion checklist { code name required tolerable reviewPoints } } } }`,
    );
    expect(body.errors).toBeUndefined();
    const zone = body.data!.zone;
    expect(zone.name).toBe('不动产交易登记');
    const seeded = catalogue.items.filter((i) => i.zone === 'real_estate');
    expect(zone.items.map((i) => i.code)).toEqual(seeded.map((i) => i.code).sort());
    expect(zone.items.length).toBeGreaterThanOrEqual(5);
    const transfer = zone.items.find((i) => i.name.includes('转移登记'));
    expect(transfer).toBeDefined();
    expect(transfer!.checklistVersion).toBe(1);
    expect(transfer!.checklist.length).toBeGreaterThanOrEqual(3);
    for (const item of zone.items) {
      const source = seeded.find((s) => s.code === item.code)!;
      expect(item.checklist.map((m) => m.name)).toEqual(source.materials.map((m) => m.name));
      for (const m of item.checklist) expect(m.reviewPoints.length).toBeGreaterThan(0);
    }
  });

  it('filters items by zone, department, kind and a Chinese keyword', async () => {
    const query = `query($filter: ServiceItemFilter) { serviceItems(filter: $filter, first: 100) { totalCount edges { node { code name kind zone { code } departments { code } } } } }`;
    type Page = {
      serviceItems: {
        totalCount: number;
        edges: {
          node: {
            code: string;
            name: string;
            kind: string;
            zone: { code: string };
            departments: { code: string }[];
          };
        }[];
      };
    };
    const byKind = await hub.gql<Page>(query, { filter: { kind: 'IMMEDIATE' } });
    const immediate = catalogue.items.filter((i) => i.kind === 'immediate');
    expect(byKind.body.data!.serviceItems.totalCount).toBe(immediate.length);
    expect(byKind.body.data!.serviceItems.edges.every((e) => e.node.kind === 'IMMEDIATE')).toBe(true);

    const tax = await hub.gql<Page>(query, { filter: { department: 'tax' } });
    const taxItems = catalogue.items.filter((i) => i.departmentCodes.includes('tax'));
    expect(taxItems.length).toBeGreaterThan(0);
    expect(tax.body.data!.serviceItems.edges.map((e) => e.node.code)).toEqual(
      taxItems.map((i) => i.code).sort(),
    );

    const keyword = await hub.gql<Page>(query, { filter: { keyword: '不动产', zone: 'REAL_ESTATE' } });
    const names = keyword.body.data!.serviceItems.edges.map((e) => e.node.name);
    expect(names.length).toBeGreaterThan(0);
    expect(keyword.body.data!.serviceItems.edges.every((e) => e.node.zone.code === 'REAL_ESTATE')).toBe(true);

    const none = await hub.gql<Page>(query, { filter: { keyword: '100%_不存在' } });
    expect(none.body.data!.serviceItems.totalCount).toBe(0);
  });

  it('pages through every item with cursors, without gaps or repeats', async () => {
    const query = `query($after: String) { serviceItems(first: 7, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { code } } } }`;
    type Page = {
      serviceItems: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        edges: { node: { code: string } }[];
      };
    };
    const codes: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page++) {
      const response: { body: { data?: Page | null } } = await hub.gql<Page>(query, { after });
      const p: Page['serviceItems'] = response.body.data!.serviceItems;
      codes.push(...p.edges.map((e) => e.node.code));
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    expect(codes).toEqual(catalogue.items.map((i) => i.code).sort());
    expect(catalogue.items.length).toBeGreaterThanOrEqual(30);
  });

  it('explains bad paging arguments', async () => {
    const bad = await hub.gql('{ serviceItems(first: 0) { totalCount } }');
    expect(bad.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    expect(bad.body.errors![0]!.message).toMatch(/between 1 and 100/);
    const cursor = await hub.gql('{ serviceItems(after: "bm9wZQ") { totalCount } }');
    expect(cursor.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const keyword = await hub.gql('{ serviceItems(filter: { keyword: "   " }) { totalCount } }');
    expect(keyword.body.errors![0]!.message).toMatch(/keyword must be 1 to 50 characters/);
  });

  it('returns one item by code with its terms, and null for an unknown code', async () => {
    const seeded = catalogue.items.find((i) => i.fee?.amountFen)!;
    const { body } = await hub.gql<{
      serviceItem: Record<string, unknown> & {
        fee: { amountFen: number; amountYuan: string };
        leadDepartment: { code: string };
      };
      missing: null;
    }>(
      `query($code: ID!) { serviceItem(code: $code) { code name promisedLimitDays statutoryLimitDays fee { amountFen amountYuan basis } deliveryOptions comprehensiveWindow leadDepartment { code } deficiencyTolerant } missing: serviceItem(code: "XX-999") { code } }`,
      { code: seeded.code },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.serviceItem).toMatchObject({
      code: seeded.code,
      name: seeded.name,
      promisedLimitDays: seeded.promisedLimitDays,
      statutoryLimitDays: seeded.statutoryLimitDays,
      comprehensiveWindow: seeded.comprehensiveWindow,
      deficiencyTolerant: seeded.materials.some((m) => m.tolerable),
    });
    expect(body.data!.serviceItem.fee.amountFen).toBe(seeded.fee!.amountFen);
    expect(body.data!.serviceItem.fee.amountYuan).toBe((seeded.fee!.amountFen! / 100).toFixed(2));
    expect(body.data!.serviceItem.leadDepartment.code).toBe(seeded.departmentCodes[0]);
    expect(body.data!.missing).toBeNull();
  });

  it('computes the comprehensive-window coverage from the data, overall and per zone', async () => {
    const { body } = await hub.gql<{
      windowCoverage: {
        overall: { itemCount: number; comprehensiveWindowCount: number; share: number };
        byZone: { zone: { name: string }; coverage: { itemCount: number; share: number } }[];
      };
    }>(
      '{ windowCoverage { overall { itemCount comprehensiveWindowCount share } byZone { zone { name } coverage { itemCount share } } } }',
    );
    const total = catalogue.items.length;
    const window = catalogue.items.filter((i) => i.comprehensiveWindow).length;
    expect(body.data!.windowCoverage.overall).toEqual({
      itemCount: total,
      comprehensiveWindowCount: window,
      share: window / total,
    });
    expect(window).toBeLessThan(total);
    expect(body.data!.windowCoverage.byZone.map((z) => z.zone.name)).toEqual(ZONE_NAMES);
    for (const z of body.data!.windowCoverage.byZone) {
      const code = catalogue.zones.find((s) => s.name === z.zone.name)!.code;
      const items = catalogue.items.filter((i) => i.zone === code);
      expect(z.coverage.itemCount).toBe(items.length);
      expect(z.coverage.share).toBeCloseTo(
        items.filter((i) => i.comprehensiveWindow).length / items.length,
        10,
      );
    }
  });

  it('lists 50 items with zones, departments and checklists in a handful of SQL statements', async () => {
    hub.db.statements.length = 0;
    const { body } = await hub.gql<{ serviceItems: { edges: unknown[] } }>(
      '{ serviceItems(first: 50) { totalCount edges { node { code zone { name } departments { name } leadDepartment { code } checklist { name reviewPoints } fee { amountFen } } } } }',
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.serviceItems.edges.length).toBe(Math.min(50, catalogue.items.length));
    expect(hub.db.statements.length).toBeLessThanOrEqual(6);
  });

  it('answers department and zone look-ups across relations without one query per parent', async () => {
    hub.db.statements.length = 0;
    const { body } = await hub.gql<{
      departments: { code: string; zones: { code: string }[]; items: { code: string }[] }[];
    }>(
      '{ departments { code zones { code } items { code } } zones { items(kind: PROMISED) { code } coverage { share } } }',
    );
    expect(body.errors).toBeUndefined();
    const tax = body.data!.departments.find((d) => d.code === 'tax')!;
    expect(tax.zones.map((z) => z.code).length).toBeGreaterThanOrEqual(2);
    expect(tax.items.map((i) => i.code)).toEqual(
      catalogue.items
        .filter((i) => i.departmentCodes.includes('tax'))
        .map((i) => i.code)
        .sort(),
    );
    expect(hub.db.statements.length).toBeLessThanOrEqual(16);
  });
});
