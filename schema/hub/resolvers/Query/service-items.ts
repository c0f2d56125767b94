import type { QueryResolvers } from '../../../__generated__/resolvers-types.ts';

export const serviceItems: NonNullable<QueryResolvers['serviceItems']> = (
  _parent,
  { filter, first, after },
  { catalogue },
) => catalogue.items(filter ?? {}, first ?? 50, after);
