import type { QueryResolvers } from '../../../__generated__/resolvers-types.ts';

export const serviceItem: NonNullable<QueryResolvers['serviceItem']> = (_parent, { code }, { catalogue }) =>
  catalogue.item(code);
