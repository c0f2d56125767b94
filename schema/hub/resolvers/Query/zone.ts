import type { QueryResolvers } from '../../../__generated__/resolvers-types.ts';

export const zone: NonNullable<QueryResolvers['zone']> = (_parent, { code }, { catalogue }) =>
  catalogue.zone(code);
