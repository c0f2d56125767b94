import { z } from 'zod';
import { returnLapsedCommitments } from '../db/cases/case-decisions.ts';
import { defineJob } from './job-definition.ts';

/** On a schedule: deficiency-tolerant cases whose commitment date passed are returned (退办). */
export const watchCommitments = defineJob({
  name: 'watch-commitments',
  queue: 'supervision',
  attempts: 3,
  payload: z.object({}).strict(),
  async process(_payload, { em, now }) {
    const returned = await returnLapsedCommitments(em, now());
    return { returned: returned.length };
  },
});
