import { z } from 'zod';
import { raiseDeadlineWarnings } from '../db/cases/case-supervision.ts';
import { defineJob } from './job-definition.ts';

/**
 * Electronic supervision on a schedule: yellow and red warnings on each case's deadline and on each
 * department stage of a major project (督办), each raised once per case, scope and level.
 */
export const watchDeadlines = defineJob({
  name: 'watch-deadlines',
  queue: 'supervision',
  attempts: 3,
  payload: z.object({ yellowDays: z.number().int().min(0).max(30) }).strict(),
  async process({ yellowDays }, { em, now }) {
    const result = await raiseDeadlineWarnings(em, { now: now(), yellowDays });
    return { checked: result.checked, stagesChecked: result.stagesChecked, raised: result.raised.length };
  },
});
