import type { QueryResolvers } from '../../../__generated__/resolvers-types.ts';

export const departments: NonNullable<QueryResolvers['departments']> = (_parent, { zone }, { catalogue }) =>
  catalogue.departments(zone);
