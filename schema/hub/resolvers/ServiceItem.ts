import type { ServiceItem as ServiceItemEntity } from '../../../db/entities/service-item.ts';
import type { ServiceItemResolvers } from '../../__generated__/resolvers-types.ts';

/** Every item reaching a resolver has its current version loaded (see CatalogueReader). */
function terms(item: ServiceItemEntity) {
  const version = item.currentVersion;
  if (!version)
    throw new Error(`service item ${item.code} has no version; the catalogue seed did not finish`);
  return version;
}

export const ServiceItem: ServiceItemResolvers = {
  departments: (item) => item.departments.getItems(),
  leadDepartment: (item) => item.departments.getItems()[0]!,
  statutoryLimitDays: (item) => terms(item).statutoryLimitDays ?? null,
  promisedLimitDays: (item) => terms(item).promisedLimitDays,
  fee: (item) => {
    const { feeFen, feeBasis } = terms(item);
    // A fee is recorded by its basis; the amount may be open (charged per matter).
    if (!feeBasis) return null;
    const amountFen = feeFen ?? null;
    return {
      amountFen,
      amountYuan: amountFen === null ? null : (amountFen / 100).toFixed(2),
      basis: feeBasis,
    };
  },
  deliveryOptions: (item) => terms(item).deliveryOptions,
  checklistVersion: (item) => terms(item).version,
  checklist: (item) => terms(item).materials.getItems(),
  deficiencyTolerant: (item) =>
    terms(item)
      .materials.getItems()
      .some((m) => m.tolerable),
};
