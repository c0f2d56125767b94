import { z } from 'zod';
import { applyDepartmentDecisions } from '../db/cases/case-conclusion.ts';
import { AdapterCursor } from '../db/entities/adapter-cursor.ts';
import { defineJob } from './job-definition.ts';

/**
 * Polls one pull department for decisions since the stored cursor (run by a job scheduler per
 * department) and applies them; the cursor moves only after they are applied, so a crash in between
 * reads them again and applying twice changes nothing.
 */
/** How long a decision may wait for its reference to be recorded before it is given up. */
const UNKNOWN_PATIENCE_MS = 60 * 60 * 1000;

export const syncDecisions = defineJob({
  name: 'sync-decisions',
  queue: 'decisions',
  attempts: 3,
  payload: z.object({ adapter: z.string().regex(/^[a-z_]+$/) }).strict(),
  async process({ adapter: name }, { em, adapters, logger }) {
    const adapter = adapters.find((a) => a.name === name);
    if (!adapter?.pullDecisions) return { applied: 0, ignored: 0 };
    const stored = await em.findOne(AdapterCursor, { adapter: name });
    let cursor = stored?.cursor ?? null;
    let applied = 0;
    let ignored = 0;
    for (let page = 0; page < 20; page++) {
      const { decisions, cursor: next } = await adapter.pullDecisions(cursor);
      const result = await applyDepartmentDecisions(em, name, decisions);
      applied += result.applied;
      ignored += result.ignored;
      // A decision for a reference the hub has not stored yet is read again next time: the cursor
      // stays, unless that decision is old enough that its reference will never come (then it is logged).
      const waiting = result.unknown.filter(
        (d) => !d.decidedAt || Date.now() - Date.parse(d.decidedAt) < UNKNOWN_PATIENCE_MS,
      );
      if (waiting.length > 0) break;
      for (const d of result.unknown)
        logger.warn(
          { adapter: name, departmentRef: d.departmentRef },
          'decision for an unknown reference dropped',
        );
      await em.execute(
        `insert into adapter_cursor (adapter, cursor, updated_at) values (?, ?, now())
         on conflict (adapter) do update set cursor = excluded.cursor, updated_at = now()`,
        [name, next],
      );
      if (decisions.length === 0 || next === cursor) break;
      cursor = next;
    }
    return { applied, ignored };
  },
});
