import type { ZoneResolvers } from '../../__generated__/resolvers-types.ts';

export const Zone: ZoneResolvers = {
  code: (zone) => zone.code as never,
  order: (zone) => zone.ordinal,
  departments: (zone) => zone.departments.getItems(),
  items: (zone, { kind }, { catalogue }) => catalogue.itemsOfZone(zone.code, kind),
  coverage: (zone, _args, { catalogue }) => catalogue.zoneCoverage(zone.code),
};
