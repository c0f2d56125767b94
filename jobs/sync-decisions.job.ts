import { z } from 'zod';
import { applyDepartmentDecisions } from '../db/cases/case-conclusion.ts';
import { AdapterCursor } from '../db/entities/adapter-cursor.ts';
import { defineJob } from './job-definition.ts';

/**
 * Polls one pull department for decisions since the stored cursor (run by a job scheduler per
 * department) and applies them; the cursor moves only after they are applied, so a crash in between
 * reads them again and applying twice changes nothing.
 */
export const syncDecisions = defineJob({
  name: 'sync-decisions',
  queue: 'decisions',
  attempts: 3,
  payload: z.object({ adapter: z.string().regex(/^[a-z_]+$/) }).strict(),
  async process({ adapter: name }, { em, adapters }) {
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
