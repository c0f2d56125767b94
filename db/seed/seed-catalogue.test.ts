import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/kit/test-database.ts';
import { ServiceItem } from '../entities/service-item.ts';
import { ServiceItemVersion } from '../entities/service-item-version.ts';
import { forkEm } from '../orm.ts';
import { catalogue } from './catalogue/index.ts';
import {
  type CatalogueSeed,
  CatalogueSeedError,
  seedCatalogue,
  validateCatalogue,
  versionHash,
} from './seed-catalogue.ts';

async function counts(db: TestDatabase) {
  const [row] = await forkEm(db.orm).execute<Record<string, string>[]>(
    `select (select count(*) from zone) zones, (select count(*) from department) departments,
            (select count(*) from service_item) items, (select count(*) from service_item_version) versions,
            (select count(*) from checklist_material) materials, (select count(*) from zone_department) zone_departments,
            (select count(*) from service_item_department) item_departments`,
  );
  return row;
}

function clone(seed: CatalogueSeed): CatalogueSeed {
  return structuredClone(seed);
}

describe('the real catalogue', () => {
  it('is consistent: six zones, at least 30 items over all six, every reference resolves', () => {
    expect(validateCatalogue(catalogue)).toEqual([]);
    expect(catalogue.zones).toHaveLength(6);
    expect(catalogue.items.length).toBeGreaterThanOrEqual(30);
    for (const zone of catalogue.zones) {
      expect(catalogue.items.filter((i) => i.zone === zone.code).length, zone.name).toBeGreaterThanOrEqual(5);
    }
    const kinds = new Set(catalogue.items.map((i) => i.kind));
    expect([...kinds].sort()).toEqual(['immediate', 'joint', 'major_project', 'promised']);
  });

  it('reports every problem of a broken catalogue at once', () => {
    const broken = clone(catalogue);
    broken.items[0]!.departmentCodes = ['no_such_department'];
    broken.items[1]!.promisedLimitDays = 999;
    broken.items[2]!.materials[0]!.reviewPoints = [];
    broken.items.push({ ...broken.items[3]! });
    const problems = validateCatalogue(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(`^item ${broken.items[0]!.code}: department no_such_department does not serve`),
        ),
        expect.stringMatching(new RegExp(`^item ${broken.items[1]!.code}: .*promised limit exceeds`)),
        expect.stringMatching(new RegExp(`^item ${broken.items[2]!.code}: .*reviewPoints`)),
        expect.stringMatching(new RegExp(`^item ${broken.items[3]!.code}: listed twice`)),
      ]),
    );
  });
});

describe('sequences and stages (R-B2, R-C1)', () => {
  it('every joint item says how its departments work; at least one acts in sequence', () => {
    const joint = catalogue.items.filter((i) => i.kind === 'joint');
    expect(joint.every((i) => i.routing === 'parallel' || i.routing === 'sequential')).toBe(true);
    expect(joint.filter((i) => i.routing === 'sequential').length).toBeGreaterThanOrEqual(1);
    for (const item of catalogue.items.filter((i) => i.kind !== 'joint')) {
      expect(item.routing ?? 'parallel', item.code).toBe('parallel');
    }
  });

  it('every major project sets a stage limit per department, within its promised limit', () => {
    const projects = catalogue.items.filter((i) => i.kind === 'major_project');
    expect(projects.length).toBeGreaterThanOrEqual(1);
    for (const item of projects) {
      expect(Object.keys(item.stageLimits ?? {}).sort(), item.code).toEqual([...item.departmentCodes].sort());
      for (const days of Object.values(item.stageLimits!)) {
        expect(days).toBeGreaterThanOrEqual(1);
        expect(days).toBeLessThanOrEqual(item.promisedLimitDays);
      }
    }
    expect(catalogue.items.filter((i) => i.kind !== 'major_project' && i.stageLimits)).toEqual([]);
  });

  it('lists every sequence and stage problem at once', () => {
    const broken = clone(catalogue);
    const project = broken.items.find((i) => i.kind === 'major_project')!;
    const single = broken.items.find((i) => i.departmentCodes.length === 1 && i.promisedLimitDays >= 1)!;
    const lead = project.departmentCodes[0]!;
    project.stageLimits = {
      [lead]: project.promisedLimitDays + 1,
      ghost: 2,
      [project.departmentCodes[1]!]: 0,
    };
    single.routing = 'sequential';
    single.stageLimits = { [single.departmentCodes[0]!]: 1 };
    expect(validateCatalogue(broken).sort()).toEqual(
      [
        `item ${project.code}: stage limit of ${lead} (${project.promisedLimitDays + 1} working days) exceeds the promised limit (${project.promisedLimitDays})`,
        `item ${project.code}: stage limit for ghost, which is not a department of the item`,
        `item ${project.code}: stage limit of ${project.departmentCodes[1]} must be a whole number of working days ≥ 1`,
        `item ${single.code}: a sequential item needs two or more departments`,
        `item ${single.code}: stage limits are for major projects (全程督办), not ${single.kind} items`,
      ].sort(),
    );
  });

  it('the terms hash only moves for a declared sequence or stage limits, so older versions keep theirs', () => {
    const item = clone(catalogue).items.find((i) => i.kind === 'joint' && i.routing === 'parallel')!;
    const plain = versionHash({ ...item, routing: undefined });
    expect(versionHash(item)).toBe(plain);
    expect(versionHash({ ...item, routing: 'sequential' })).not.toBe(plain);
    expect(versionHash({ ...item, stageLimits: { [item.departmentCodes[0]!]: 1 } })).not.toBe(plain);
  });
});

describe('seeding', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('wrote the whole catalogue on first run', async () => {
    expect(db.prepared!.catalogue.items.created).toBe(catalogue.items.length);
    expect(db.prepared!.catalogue.versionsCreated).toBe(catalogue.items.length);
    const c = await counts(db);
    expect(Number(c!.zones)).toBe(6);
    expect(Number(c!.items)).toBe(catalogue.items.length);
    expect(Number(c!.materials)).toBe(catalogue.items.reduce((n, i) => n + i.materials.length, 0));
  });

  it('running it again changes nothing', async () => {
    const before = await counts(db);
    const summary = await seedCatalogue(forkEm(db.orm), catalogue);
    expect(summary).toEqual({
      departments: { created: 0, updated: 0 },
      zones: { created: 0, updated: 0 },
      items: { created: 0, updated: 0, unchanged: catalogue.items.length, withdrawn: 0 },
      versionsCreated: 0,
    });
    expect(await counts(db)).toEqual(before);
  });

  it('two seeders at once still write one version each', async () => {
    const changed = clone(catalogue);
    changed.items[0]!.guide = `${changed.items[0]!.guide}（并发）`;
    const [a, b] = await Promise.all([
      seedCatalogue(forkEm(db.orm), changed),
      seedCatalogue(forkEm(db.orm), changed),
    ]);
    expect(a.items.updated + b.items.updated).toBe(1);
    expect((await seedCatalogue(forkEm(db.orm), catalogue)).items.updated).toBe(1);
  });

  it('a changed checklist becomes a new version; the old one stays for the cases accepted under it', async () => {
    const changed = clone(catalogue);
    const item = changed.items[5]!;
    item.materials[0]!.reviewPoints = [
      ...item.materials[0]!.reviewPoints,
      '新增审查要点：复印件须加盖骑缝章',
    ];
    item.promisedLimitDays = Math.max(0, item.promisedLimitDays - (item.kind === 'immediate' ? 0 : 1));
    changed.departments[0]!.nameEn = `${changed.departments[0]!.nameEn} (renamed)`;
    const summary = await seedCatalogue(forkEm(db.orm), changed);
    expect(summary.versionsCreated).toBe(1);
    expect(summary.items.updated).toBe(1);
    expect(summary.departments.updated).toBe(1);
    const em = forkEm(db.orm);
    const versions = await em.find(
      ServiceItemVersion,
      { item: item.code },
      { populate: ['materials'], orderBy: { version: 'asc' } },
    );
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[0]!.materials.getItems()[0]!.reviewPoints).toEqual(
      catalogue.items[5]!.materials[0]!.reviewPoints,
    );
    expect(versions[1]!.materials.getItems()[0]!.reviewPoints).toContain('新增审查要点：复印件须加盖骑缝章');
    const stored = await em.findOneOrFail(ServiceItem, { code: item.code }, { populate: ['currentVersion'] });
    expect(stored.currentVersion!.version).toBe(2);
    // The same changed seed again: nothing more.
    expect((await seedCatalogue(forkEm(db.orm), changed)).versionsCreated).toBe(0);
  });

  it('an item that leaves the seed is withdrawn, not deleted', async () => {
    const fewer = clone(catalogue);
    const gone = fewer.items.pop()!;
    const summary = await seedCatalogue(forkEm(db.orm), fewer);
    expect(summary.items.withdrawn).toBe(1);
    const row = await forkEm(db.orm).findOneOrFail(ServiceItem, { code: gone.code });
    expect(row.active).toBe(false);
    // Back in the seed → active again, with no new version (its terms did not change).
    const back = await seedCatalogue(forkEm(db.orm), catalogue);
    expect((await forkEm(db.orm).findOneOrFail(ServiceItem, { code: gone.code })).active).toBe(true);
    expect(back.items.updated).toBeGreaterThanOrEqual(1);
  });

  it('versions keep the sequence and stage limits; a changed stage limit is a new version', async () => {
    const em = forkEm(db.orm);
    const sequential = catalogue.items.find((i) => i.routing === 'sequential')!;
    const project = catalogue.items.find((i) => i.kind === 'major_project')!;
    const current = async (code: string) =>
      (await forkEm(db.orm).findOneOrFail(ServiceItem, { code }, { populate: ['currentVersion'] }))
        .currentVersion!;
    expect((await current(sequential.code)).routing).toBe('sequential');
    expect((await current(project.code)).stageLimits).toEqual(project.stageLimits);
    const parallel = await em.findOneOrFail(
      ServiceItem,
      { code: 'BDC-002' },
      { populate: ['currentVersion'] },
    );
    expect([parallel.currentVersion!.routing, parallel.currentVersion!.stageLimits]).toEqual([
      'parallel',
      null,
    ]);

    const changed = clone(catalogue);
    const lead = project.departmentCodes[0]!;
    changed.items.find((i) => i.code === project.code)!.stageLimits![lead] = 1;
    expect((await seedCatalogue(forkEm(db.orm), changed)).versionsCreated).toBe(1);
    const next = await current(project.code);
    expect(next.stageLimits![lead]).toBe(1);
    expect((await seedCatalogue(forkEm(db.orm), changed)).versionsCreated).toBe(0);
    expect((await seedCatalogue(forkEm(db.orm), catalogue)).versionsCreated).toBe(1);
  });

  it('refuses an invalid catalogue without writing anything', async () => {
    const before = await counts(db);
    const broken = clone(catalogue);
    broken.zones[0]!.departmentCodes.push('ghost');
    await expect(seedCatalogue(forkEm(db.orm), broken)).rejects.toBeInstanceOf(CatalogueSeedError);
    expect(await counts(db)).toEqual(before);
  });
});
