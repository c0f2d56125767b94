import type { FilterQuery } from '@mikro-orm/core';
import DataLoader from 'dataloader';
import { Department } from '../entities/department.ts';
import { type ItemKind, ServiceItem } from '../entities/service-item.ts';
import { Zone, type ZoneCode } from '../entities/zone.ts';
import { badInput } from '../errors.ts';
import type { HubEntityManager } from '../orm.ts';
import { type Coverage, type CoverageReport, computeCoverage, coverageOf } from './catalogue-coverage.ts';

export interface ServiceItemFilter {
  zone?: ZoneCode | null | undefined;
  department?: string | null | undefined;
  kind?: ItemKind | null | undefined;
  comprehensiveWindow?: boolean | null | undefined;
  keyword?: string | null | undefined;
}

export interface ServiceItemPageEdge {
  cursor: string;
  node: ServiceItem;
}

export interface ServiceItemPage {
  edges: ServiceItemPageEdge[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

export const MAX_PAGE_SIZE = 100;
const KEYWORD_MAX = 50;

/** Relations every item returned to a caller has loaded, so field resolvers never query one by one. */
const ITEM_POPULATE = ['zone', 'departments', 'currentVersion.materials'] as const;

export function encodeCursor(code: string): string {
  return Buffer.from(`item:${code}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith('item:') || text.length === 5) {
    throw badInput(
      'after',
      'the cursor is not one this API returned; pass pageInfo.endCursor of the previous page',
    );
  }
  return text.slice(5);
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Read side of the catalogue for one request. Lookups that resolvers make per parent (items of a
 * zone, zones of a department) are batched through request-scoped loaders.
 */
export class CatalogueReader {
  readonly #em: HubEntityManager;
  #coverage: Promise<CoverageReport> | undefined;
  readonly #itemsByZone: DataLoader<ZoneCode, ServiceItem[]>;
  readonly #itemsByDepartment: DataLoader<string, ServiceItem[]>;
  readonly #zonesByDepartment: DataLoader<string, Zone[]>;

  constructor(em: HubEntityManager) {
    this.#em = em;
    this.#itemsByZone = new DataLoader(async (codes) => {
      const items = await this.#findItems({ zone: { $in: [...codes] } });
      return codes.map((code) => items.filter((i) => i.zone.code === code));
    });
    this.#itemsByDepartment = new DataLoader(async (codes) => {
      const owned = await this.#em.find(
        ServiceItem,
        { active: true, departments: { code: { $in: [...codes] } } },
        { fields: ['code'] },
      );
      const items = await this.#findItems({ code: { $in: owned.map((i) => i.code) } });
      return codes.map((code) => items.filter((i) => i.departments.getItems().some((d) => d.code === code)));
    });
    this.#zonesByDepartment = new DataLoader(async (codes) => {
      const zones = await this.zones();
      return codes.map((code) => zones.filter((z) => z.departments.getItems().some((d) => d.code === code)));
    });
  }

  #findItems(where: FilterQuery<ServiceItem>, limit?: number): Promise<ServiceItem[]> {
    return this.#em.find(
      ServiceItem,
      { $and: [{ active: true }, where] },
      {
        populate: ITEM_POPULATE,
        orderBy: { code: 'asc' },
        ...(limit === undefined ? {} : { limit }),
      },
    ) as Promise<ServiceItem[]>;
  }

  async zones(): Promise<Zone[]> {
    return (await this.#em.find(
      Zone,
      {},
      { populate: ['departments'], orderBy: { ordinal: 'asc' } },
    )) as Zone[];
  }

  async zone(code: ZoneCode): Promise<Zone | null> {
    return (await this.#em.findOne(Zone, { code }, { populate: ['departments'] })) as Zone | null;
  }

  async departments(zoneCode?: ZoneCode | null): Promise<Department[]> {
    if (!zoneCode) return this.#em.find(Department, {}, { orderBy: { code: 'asc' } });
    const zone = await this.zone(zoneCode);
    return zone ? zone.departments.getItems() : [];
  }

  department(code: string): Promise<Department | null> {
    return this.#em.findOne(Department, { code });
  }

  async item(code: string): Promise<ServiceItem | null> {
    const [item] = await this.#findItems({ code });
    return item ?? null;
  }

  itemsOfZone(zoneCode: ZoneCode, kind?: ItemKind | null): Promise<ServiceItem[]> {
    return this.#itemsByZone
      .load(zoneCode)
      .then((items) => (kind ? items.filter((i) => i.kind === kind) : items));
  }

  itemsOfDepartment(departmentCode: string): Promise<ServiceItem[]> {
    return this.#itemsByDepartment.load(departmentCode);
  }

  zonesOfDepartment(departmentCode: string): Promise<Zone[]> {
    return this.#zonesByDepartment.load(departmentCode);
  }

  async items(filter: ServiceItemFilter, first: number, after?: string | null): Promise<ServiceItemPage> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
      throw badInput('first', `first must be between 1 and ${MAX_PAGE_SIZE}, got ${first}`);
    }
    const where: FilterQuery<ServiceItem>[] = [];
    if (filter.zone) where.push({ zone: filter.zone });
    if (filter.kind) where.push({ kind: filter.kind });
    if (typeof filter.comprehensiveWindow === 'boolean')
      where.push({ comprehensiveWindow: filter.comprehensiveWindow });
    if (filter.department) where.push({ departments: { code: filter.department } });
    if (filter.keyword !== undefined && filter.keyword !== null) {
      const keyword = filter.keyword.trim();
      if (keyword.length < 1 || keyword.length > KEYWORD_MAX) {
        throw badInput('filter.keyword', `keyword must be 1 to ${KEYWORD_MAX} characters after trimming`);
      }
      const pattern = `%${escapeLike(keyword)}%`;
      where.push({ $or: [{ name: { $ilike: pattern } }, { guide: { $ilike: pattern } }] });
    }
    const matching: FilterQuery<ServiceItem> = { $and: [{ active: true }, ...where] };
    const afterCode = after ? decodeCursor(after) : null;
    const [totalCount, page] = await Promise.all([
      this.#em.count(ServiceItem, matching),
      this.#findItems({ $and: [...where, ...(afterCode ? [{ code: { $gt: afterCode } }] : [])] }, first + 1),
    ]);
    const nodes = page.slice(0, first);
    const edges = nodes.map((node) => ({ cursor: encodeCursor(node.code), node }));
    return {
      edges,
      pageInfo: { hasNextPage: page.length > first, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount,
    };
  }

  /** Coverage of the comprehensive window, computed once per request. */
  coverage(): Promise<CoverageReport> {
    this.#coverage ??= computeCoverage(this.#em);
    return this.#coverage;
  }

  async zoneCoverage(zoneCode: string): Promise<Coverage> {
    return (await this.coverage()).byZone.get(zoneCode) ?? coverageOf(0, 0);
  }
}
