import type { QueryResolvers } from '../../../__generated__/resolvers-types.ts';

export const windowCoverage: NonNullable<QueryResolvers['windowCoverage']> = async (
  _parent,
  _args,
  { catalogue },
) => {
  const [report, zones] = await Promise.all([catalogue.coverage(), catalogue.zones()]);
  return {
    overall: report.overall,
    byZone: zones.map((zone) => ({
      zone,
      coverage: report.byZone.get(zone.code) ?? { itemCount: 0, comprehensiveWindowCount: 0, share: 0 },
    })),
  };
};
