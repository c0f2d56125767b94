import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ChecklistMaterial } from '../entities/checklist-material.ts';
import { Department } from '../entities/department.ts';
import { ServiceItem } from '../entities/service-item.ts';
import { ServiceItemVersion } from '../entities/service-item-version.ts';
import { Zone } from '../entities/zone.ts';
import type { HubEntityManager } from '../orm.ts';
import type { DepartmentSeed, ServiceItemSeed, ZoneSeed } from './catalogue/catalogue-seed.types.ts';

export interface CatalogueSeed {
  zones: ZoneSeed[];
  departments: DepartmentSeed[];
  items: ServiceItemSeed[];
}

export interface SeedSummary {
  departments: { created: number; updated: number };
  zones: { created: number; updated: number };
  items: { created: number; updated: number; unchanged: number; withdrawn: number };
  versionsCreated: number;
}

const code = z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower snake case');
const chinese = z.string().trim().min(1);

const materialSchema = z.object({
  code: z.string().regex(/^M\d{2}$/, 'M01, M02, …'),
  name: chinese,
  required: z.boolean(),
  form: z.enum(['original', 'copy', 'original_and_copy']),
  copies: z.int().min(1),
  electronicAccepted: z.boolean(),
  tolerable: z.boolean(),
  reviewPoints: z.array(chinese).min(1),
});

const itemSchema = z
  .object({
    code: z.string().regex(/^[A-Z]{2,4}-\d{3}$/, 'zone prefix and serial, e.g. QYKB-001'),
    name: chinese,
    zone: z.string(),
    departmentCodes: z.array(code).min(1),
    kind: z.enum(['immediate', 'promised', 'joint', 'major_project']),
    routing: z.enum(['parallel', 'sequential']).optional(),
    stageLimits: z.record(z.string(), z.number()).optional(),
    statutoryLimitDays: z.int().min(0).nullable(),
    promisedLimitDays: z.int().min(0),
    fee: z.object({ amountFen: z.int().min(1).nullable(), basis: chinese }).nullable(),
    delivery: z.array(z.enum(['pickup', 'post', 'electronic'])).min(1),
    comprehensiveWindow: z.boolean(),
    resultName: chinese,
    guide: chinese,
    materials: z.array(materialSchema).min(1),
  })
  .superRefine((item, ctx) => {
    if (item.statutoryLimitDays !== null && item.promisedLimitDays > item.statutoryLimitDays) {
      ctx.addIssue({ code: 'custom', message: 'promised limit exceeds the statutory limit' });
    }
    if (item.kind === 'immediate' && item.promisedLimitDays !== 0) {
      ctx.addIssue({
        code: 'custom',
        message: 'an immediate item is decided on the spot (promised limit 0)',
      });
    }
    if ((item.kind === 'joint' || item.kind === 'major_project') && item.departmentCodes.length < 2) {
      ctx.addIssue({ code: 'custom', message: `a ${item.kind} item needs two or more departments` });
    }
    if (new Set(item.materials.map((m) => m.code)).size !== item.materials.length) {
      ctx.addIssue({ code: 'custom', message: 'material codes repeat' });
    }
  });

/** Checks the catalogue as a whole and lists every problem, so a bad edit is fixed in one pass. */
export function validateCatalogue(seed: CatalogueSeed): string[] {
  const problems: string[] = [];
  const departmentCodes = new Set<string>();
  for (const d of seed.departments) {
    if (departmentCodes.has(d.code)) problems.push(`department ${d.code}: listed twice`);
    departmentCodes.add(d.code);
    const parsed = z.object({ code, name: chinese, nameEn: chinese }).safeParse(d);
    if (!parsed.success) problems.push(`department ${d.code}: ${z.prettifyError(parsed.error)}`);
  }
  const zoneDepartments = new Map<string, Set<string>>();
  for (const zone of seed.zones) {
    if (zoneDepartments.has(zone.code)) problems.push(`zone ${zone.code}: listed twice`);
    zoneDepartments.set(zone.code, new Set(zone.departmentCodes));
    for (const d of zone.departmentCodes) {
      if (!departmentCodes.has(d)) problems.push(`zone ${zone.code}: unknown department ${d}`);
    }
  }
  const itemCodes = new Set<string>();
  for (const item of seed.items) {
    if (itemCodes.has(item.code)) problems.push(`item ${item.code}: listed twice`);
    itemCodes.add(item.code);
    const parsed = itemSchema.safeParse(item);
    if (!parsed.success)
      problems.push(`item ${item.code}: ${z.prettifyError(parsed.error).replaceAll('\n', '; ')}`);
    problems.push(...sequenceProblems(item));
    const zone = zoneDepartments.get(item.zone);
    if (!zone) {
      problems.push(`item ${item.code}: unknown zone ${item.zone}`);
      continue;
    }
    for (const d of item.departmentCodes) {
      if (!zone.has(d)) problems.push(`item ${item.code}: department ${d} does not serve zone ${item.zone}`);
    }
  }
  return problems;
}

/**
 * The sequence and stage terms of an item (R-B2, R-C1): a sequence needs departments to follow one
 * another; a stage limit belongs to a department of a major project and fits in the promised limit.
 * Checked apart from the schema so these problems are listed even when other fields are wrong.
 */
function sequenceProblems(item: ServiceItemSeed): string[] {
  const problems: string[] = [];
  const departments = Array.isArray(item.departmentCodes) ? item.departmentCodes : [];
  if (item.routing === 'sequential' && departments.length < 2)
    problems.push(`item ${item.code}: a sequential item needs two or more departments`);
  if (!item.stageLimits) return problems;
  if (item.kind !== 'major_project')
    problems.push(
      `item ${item.code}: stage limits are for major projects (全程督办), not ${item.kind} items`,
    );
  for (const [department, days] of Object.entries(item.stageLimits)) {
    if (!departments.includes(department))
      problems.push(
        `item ${item.code}: stage limit for ${department}, which is not a department of the item`,
      );
    if (!Number.isInteger(days) || days < 1)
      problems.push(
        `item ${item.code}: stage limit of ${department} must be a whole number of working days ≥ 1`,
      );
    else if (days > item.promisedLimitDays)
      problems.push(
        `item ${item.code}: stage limit of ${department} (${days} working days) exceeds the promised limit (${item.promisedLimitDays})`,
      );
  }
  return problems;
}

export class CatalogueSeedError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`the service catalogue has ${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
    this.name = 'CatalogueSeedError';
    this.problems = problems;
  }
}

/** Hash of everything a version freezes; key order is fixed so the hash is stable. */
export function versionHash(item: ServiceItemSeed): string {
  const terms = {
    statutoryLimitDays: item.statutoryLimitDays,
    promisedLimitDays: item.promisedLimitDays,
    fee: item.fee ? { amountFen: item.fee.amountFen, basis: item.fee.basis } : null,
    delivery: [...item.delivery],
    materials: item.materials.map((m) => [
      m.code,
      m.name,
      m.required,
      m.form,
      m.copies,
      m.electronicAccepted,
      m.tolerable,
      m.reviewPoints,
    ]),
    // Left out at their defaults, so versions written before these terms existed keep their hash.
    ...(item.routing === 'sequential' ? { routing: item.routing } : {}),
    ...(item.stageLimits ? { stageLimits: stageLimitsOf(item) } : {}),
  };
  return createHash('sha256').update(JSON.stringify(terms)).digest('hex');
}

/**
 * Writes the catalogue idempotently in one transaction: running it twice changes nothing; a changed
 * entry updates its row, and changed terms or checklist become a new item version. Items that left
 * the seed are withdrawn, never deleted.
 */
export async function seedCatalogue(em: HubEntityManager, seed: CatalogueSeed): Promise<SeedSummary> {
  const problems = validateCatalogue(seed);
  if (problems.length > 0) throw new CatalogueSeedError(problems);

  return em.transactional(async (tx) => {
    // One seeder at a time: a gateway and a worker starting together must not both create version 2.
    await tx.execute(`select pg_advisory_xact_lock(hashtext('onewindow:seed-catalogue'))`);
    const summary: SeedSummary = {
      departments: { created: 0, updated: 0 },
      zones: { created: 0, updated: 0 },
      items: { created: 0, updated: 0, unchanged: 0, withdrawn: 0 },
      versionsCreated: 0,
    };

    const departments = new Map((await tx.findAll(Department)).map((d) => [d.code, d]));
    for (const d of seed.departments) {
      const existing = departments.get(d.code);
      const fields = { name: d.name, nameEn: d.nameEn, kind: d.kind };
      if (!existing) {
        departments.set(d.code, tx.create(Department, { code: d.code, ...fields }));
        summary.departments.created++;
      } else if (changed(existing, fields)) {
        tx.assign(existing, fields);
        summary.departments.updated++;
      }
    }

    const zones = new Map<string, Zone>(
      (await tx.findAll(Zone, { populate: ['departments'] })).map((z) => [z.code, z]),
    );
    // Ordinals are unique: park existing ones out of the way so zones can swap places in one flush.
    for (const zone of zones.values()) {
      const next = seed.zones.find((z) => z.code === zone.code);
      if (next && next.order !== zone.ordinal) zone.ordinal = -zone.ordinal - 100;
    }
    if (zones.size > 0) await tx.flush();
    for (const z of seed.zones) {
      const fields = { name: z.name, nameEn: z.nameEn, scope: z.scope, ordinal: z.order };
      const members = z.departmentCodes.map((c) => departments.get(c)!);
      const existing = zones.get(z.code);
      if (!existing) {
        const zone = tx.create(Zone, { code: z.code, ...fields });
        zone.departments.set(members);
        zones.set(z.code, zone);
        summary.zones.created++;
      } else {
        const sameMembers = sameCodes(existing.departments.getItems(), z.departmentCodes);
        if (changed(existing, fields) || !sameMembers) {
          tx.assign(existing, fields);
          if (!sameMembers) existing.departments.set(members);
          summary.zones.updated++;
        }
      }
    }

    const items = new Map<string, ServiceItem>(
      (await tx.findAll(ServiceItem, { populate: ['departments', 'currentVersion'] })).map((i) => [
        i.code,
        i,
      ]),
    );
    for (const s of seed.items) {
      const hash = versionHash(s);
      const fields = {
        name: s.name,
        zone: zones.get(s.zone)!,
        kind: s.kind,
        comprehensiveWindow: s.comprehensiveWindow,
        resultName: s.resultName,
        guide: s.guide,
        active: true,
      };
      const owners = s.departmentCodes.map((c) => departments.get(c)!);
      let item = items.get(s.code);
      if (!item) {
        item = tx.create(ServiceItem, { code: s.code, ...fields, currentVersion: null });
        item.departments.set(owners);
        items.set(s.code, item);
        summary.items.created++;
      } else {
        const sameOwners = sameCodes(item.departments.getItems(), s.departmentCodes);
        const sameVersion = item.currentVersion?.contentHash === hash;
        if (!changed(item, fields) && sameOwners && sameVersion) {
          summary.items.unchanged++;
          continue;
        }
        tx.assign(item, fields);
        if (!sameOwners) item.departments.set(owners);
        summary.items.updated++;
      }
      if (item.currentVersion?.contentHash !== hash) {
        item.currentVersion = writeVersion(tx, item, s, hash, (item.currentVersion?.version ?? 0) + 1);
        summary.versionsCreated++;
      }
    }
    const seeded = new Set(seed.items.map((s) => s.code));
    for (const item of items.values()) {
      if (!seeded.has(item.code) && item.active) {
        item.active = false;
        summary.items.withdrawn++;
      }
    }
    await tx.flush();
    return summary;
  });
}

/** Stage limits in the item's department order (a stable key order for the hash and the row). */
function stageLimitsOf(item: ServiceItemSeed): Record<string, number> | null {
  if (!item.stageLimits) return null;
  const limits = item.stageLimits;
  return Object.fromEntries(item.departmentCodes.filter((d) => d in limits).map((d) => [d, limits[d]!]));
}

function writeVersion(
  em: HubEntityManager,
  item: ServiceItem,
  s: ServiceItemSeed,
  hash: string,
  version: number,
): ServiceItemVersion {
  const v = em.create(ServiceItemVersion, {
    item,
    version,
    contentHash: hash,
    statutoryLimitDays: s.statutoryLimitDays,
    promisedLimitDays: s.promisedLimitDays,
    feeFen: s.fee ? s.fee.amountFen : null,
    feeBasis: s.fee?.basis ?? null,
    deliveryOptions: [...s.delivery],
    routing: s.routing ?? 'parallel',
    stageLimits: stageLimitsOf(s),
  });
  s.materials.forEach((m, position) => {
    em.create(ChecklistMaterial, {
      itemVersion: v,
      position,
      code: m.code,
      name: m.name,
      required: m.required,
      form: m.form,
      copies: m.copies,
      electronicAccepted: m.electronicAccepted,
      tolerable: m.tolerable,
      reviewPoints: [...m.reviewPoints],
    });
  });
  return v;
}

function changed<T extends object>(entity: T, fields: Partial<T>): boolean {
  return Object.entries(fields).some(([key, value]) => entity[key as keyof T] !== value);
}

function sameCodes(current: { code: string }[], codes: string[]): boolean {
  return current.length === codes.length && current.every((d, i) => d.code === codes[i]);
}
