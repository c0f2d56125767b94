import type { Zone } from '../entities/zone.ts';
import type { HubEntityManager } from '../orm.ts';

/** Items accepted at the comprehensive window out of all active items (R-C2). */
export interface Coverage {
  itemCount: number;
  comprehensiveWindowCount: number;
  /** comprehensiveWindowCount / itemCount, 0 when there are no items. */
  share: number;
}

export interface ZoneCoverage {
  zone: Zone;
  coverage: Coverage;
}

export interface CoverageReport {
  overall: Coverage;
  byZone: Map<string, Coverage>;
}

export function coverageOf(itemCount: number, comprehensiveWindowCount: number): Coverage {
  return {
    itemCount,
    comprehensiveWindowCount,
    share: itemCount === 0 ? 0 : comprehensiveWindowCount / itemCount,
  };
}

/** Counts active items per zone in one statement; zones without items count as 0 of 0. */
export async function computeCoverage(em: HubEntityManager): Promise<CoverageReport> {
  const rows = await em.execute<{ code: string; total: string; window: string }[]>(
    `select z.code,
            count(i.code) as total,
            count(i.code) filter (where i.comprehensive_window) as window
       from zone z
       left join service_item i on i.zone_code = z.code and i.active
      group by z.code`,
  );
  const byZone = new Map<string, Coverage>();
  let total = 0;
  let window = 0;
  for (const row of rows) {
    const t = Number(row.total);
    const w = Number(row.window);
    byZone.set(row.code, coverageOf(t, w));
    total += t;
    window += w;
  }
  return { overall: coverageOf(total, window), byZone };
}
