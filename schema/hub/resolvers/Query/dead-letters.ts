import { listDeadLetters } from '../../../../db/departments/dead-letters.ts';
import type { QueryResolvers } from '../../../__generated__/resolvers-types.ts';

export const deadLetters: NonNullable<QueryResolvers['deadLetters']> = (_parent, { open }, { em, actor }) =>
  listDeadLetters(em, actor, open ?? true);
