import type { QueryResolvers } from '../../../__generated__/resolvers-types.ts';

export const department: NonNullable<QueryResolvers['department']> = (_parent, { code }, { catalogue }) =>
  catalogue.department(code);
