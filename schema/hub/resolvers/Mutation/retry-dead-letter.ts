import { retryDeadLetter as retry } from '../../../../db/departments/dead-letters.ts';
import type { MutationResolvers } from '../../../__generated__/resolvers-types.ts';

export const retryDeadLetter: NonNullable<MutationResolvers['retryDeadLetter']> = (
  _parent,
  { id },
  { em, actor, requeue },
) => retry(em, actor, id, (letter, jobId) => requeue(letter.queue, letter.jobName, letter.payload, jobId));
