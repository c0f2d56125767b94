import { coverageOf } from '../../../../db/catalogue/catalogue-coverage.ts';
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
      coverage: report.byZone.get(zone.code) ?? coverageOf(0, 0),
    })),
  };
};
