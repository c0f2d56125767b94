import type { Collection, FilterQuery } from '@mikro-orm/core';
import type { Actor } from '../actor.ts';
import type { CaseDeadline } from '../calendar/index.ts';
import { chinaDate } from '../calendar/index.ts';
import { Case, type CaseStatus } from '../entities/case.ts';
import type { CaseSuspension } from '../entities/case-suspension.ts';
import type { ZoneCode } from '../entities/zone.ts';
import { badInput } from '../errors.ts';
import type { HubEntityManager } from '../orm.ts';
import { canSeeCase, caseForbidden } from './case-access.ts';
import { loadCaseGraph } from './case-graph.ts';
import { deadlineOf, scopeOf } from './case-view.ts';

export interface CaseFilter {
  status?: CaseStatus | null | undefined;
  itemCode?: string | null | undefined;
  zone?: ZoneCode | null | undefined;
  receivedFrom?: string | null | undefined;
  receivedTo?: string | null | undefined;
  overdue?: boolean | null | undefined;
}

export interface CasePageEdge {
  cursor: string;
  node: Case;
}

export interface CasePage {
  edges: CasePageEdge[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export type CaseDeadlineView = CaseDeadline & { suspensions: CaseSuspension[] };

export interface StoredFileView {
  sha256: string;
  size: number;
  mediaType: string;
  fileName: string | null;
}

/**
 * One case, as every change and check of it needs it: its item, checklist, applicant, hall, materials
 * and suspensions (the deadline). Its documents, timeline and department tasks grow with the case and
 * few changes read them: they are loaded when asked for (`itemsOf`), by the resolvers of a case's
 * answer or by the change that needs them.
 */
export const CASE_CORE_POPULATE = [
  'item.departments',
  'item.zone',
  'item.currentVersion.materials',
  'itemVersion.materials',
  'applicant',
  'hall',
  'materials.blob',
  'suspensions',
] as const;

/** Everything a case view needs, loaded per relation in one statement each, whatever the page size. */
export const CASE_VIEW_POPULATE = [...CASE_CORE_POPULATE, 'documents', 'events', 'tasks'] as const;

/**
 * The items of a case's collection, loaded first when the case was read without it. Loads of many
 * cases' collections in one tick go to the database as one statement (the ORM's dataloader).
 */
export async function itemsOf<T extends object>(collection: Collection<T>): Promise<T[]> {
  if (!collection.isInitialized()) await collection.load();
  return collection.getItems();
}

/**
 * For one case, its item's departments (one to three) and its checklist (a few entries) come in the
 * case's own statement, joined: two round trips fewer, and at most a few dozen rows. Lists keep one
 * statement per relation (their joins would multiply).
 */
const ONE_CASE_JOINED = {
  'item.departments': { strategy: 'joined' },
  'itemVersion.materials': { strategy: 'joined' },
} as const;

export const MAX_CASE_PAGE = 100;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function encodeCursor(c: Case): string {
  return Buffer.from(`case:${c.receivedAt.toISOString()}|${c.id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^case:([^|]+)\|([0-9a-f-]{36})$/.exec(text);
  const at = match ? new Date(match[1]!) : null;
  if (!match || !at || Number.isNaN(at.getTime())) {
    throw badInput(
      'after',
      'the cursor is not one this API returned; pass pageInfo.endCursor of the previous page',
    );
  }
  return { at, id: match[2]! };
}

/** The cases an actor may see, as a database condition (nobody else's rows are ever read). */
function scopeCondition(actor: Actor | null): FilterQuery<Case> | null {
  if (!actor) return null;
  switch (actor.role) {
    case 'clerk':
    case 'supervisor':
      return actor.hallCode ? { hall: actor.hallCode } : null;
    case 'applicant':
      return { applicant: { accountId: actor.id } };
    case 'chief_representative':
      return actor.hallCode && actor.departmentCode
        ? { hall: actor.hallCode, item: { kind: 'immediate', departments: { code: actor.departmentCode } } }
        : null;
    default:
      return null;
  }
}

export async function findCaseFor(
  em: HubEntityManager,
  actor: Actor | null,
  where: { id: string } | { number: string },
): Promise<Case> {
  if ('id' in where && !/^[0-9a-f-]{36}$/i.test(where.id)) throw caseForbidden();
  const hallCase = await loadCaseGraph(
    em,
    where,
    async (held) =>
      (await held.findOne(Case, where, {
        populate: CASE_CORE_POPULATE,
        populateHints: ONE_CASE_JOINED,
      })) as Case | null,
  );
  if (!hallCase || !canSeeCase(actor, scopeOf(hallCase))) throw caseForbidden();
  return hallCase;
}

/** Cases the caller may see, newest first, filtered and paginated by cursor. */
export async function listCases(
  em: HubEntityManager,
  actor: Actor | null,
  filter: CaseFilter,
  first: number,
  after?: string | null,
): Promise<CasePage> {
  if (!Number.isInteger(first) || first < 1 || first > MAX_CASE_PAGE) {
    throw badInput('first', `first must be between 1 and ${MAX_CASE_PAGE}, got ${first}`);
  }
  const scope = scopeCondition(actor);
  if (!scope) return { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };
  const where: FilterQuery<Case>[] = [scope];
  if (filter.status) where.push({ status: filter.status });
  if (filter.itemCode) where.push({ item: filter.itemCode });
  if (filter.zone) where.push({ item: { zone: filter.zone } });
  for (const [field, value] of [
    ['receivedFrom', filter.receivedFrom],
    ['receivedTo', filter.receivedTo],
  ] as const) {
    if (value && !DATE.test(value)) throw badInput(`filter.${field}`, 'dates are YYYY-MM-DD');
  }
  if (filter.receivedFrom) where.push({ receivedOn: { $gte: filter.receivedFrom } });
  if (filter.receivedTo) where.push({ receivedOn: { $lte: filter.receivedTo } });
  if (filter.overdue !== undefined && filter.overdue !== null) {
    where.push({ status: { $in: ['accepted', 'accepted_with_deficiency'] } });
  }
  if (after) {
    const { at, id } = decodeCursor(after);
    where.push({ $or: [{ receivedAt: { $lt: at } }, { receivedAt: at, id: { $lt: id } }] });
  }
  const orderBy = { receivedAt: 'desc', id: 'desc' } as const;
  let rows: Case[];
  if (filter.overdue === undefined || filter.overdue === null) {
    rows = (await em.find(
      Case,
      { $and: where },
      { populate: CASE_VIEW_POPULATE, orderBy, limit: first + 1 },
    )) as Case[];
  } else {
    // Overdue depends on the working-day calendar, so it is decided here; open cases of one hall are few.
    const today = chinaDate(new Date());
    const candidates = (await em.find(
      Case,
      { $and: where },
      { populate: CASE_VIEW_POPULATE, orderBy, limit: 5000 },
    )) as Case[];
    rows = candidates
      .filter((c) => (deadlineOf(c, today)?.overdue ?? false) === filter.overdue)
      .slice(0, first + 1);
  }
  const nodes = rows.slice(0, first);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(node), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
}
