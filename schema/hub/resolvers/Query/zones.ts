import type { QueryResolvers } from '../../../__generated__/resolvers-types.ts';

export const zones: NonNullable<QueryResolvers['zones']> = (_parent, _args, { catalogue }) =>
  catalogue.zones();
