import { z } from 'zod';
import { raiseDeadlineWarnings } from '../db/cases/case-supervision.ts';
import { defineJob } from './job-definition.ts';

/** Electronic supervision on a schedule: yellow and red deadline warnings, each raised once. */
export const watchDeadlines = defineJob({
  name: 'watch-deadlines',
  queue: 'supervision',
  attempts: 3,
  payload: z.object({ yellowDays: z.number().int().min(0).max(30) }).strict(),
  async process({ yellowDays }, { em, now }) {
    const result = await raiseDeadlineWarnings(em, { now: now(), yellowDays });
    return { checked: result.checked, raised: result.raised.length };
  },
});
