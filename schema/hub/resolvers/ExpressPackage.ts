import type { ExpressPackageResolvers } from '../../__generated__/resolvers-types.ts';

export const ExpressPackage: ExpressPackageResolvers = {
  signedForAt: (p) => p.signedForAt.toISOString(),
  caseNumber: (p) => p.case?.number ?? null,
};
