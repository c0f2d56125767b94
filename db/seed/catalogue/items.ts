import type { ServiceItemSeed } from './catalogue-seed.types.ts';
import { businessStartupItems } from './items-business-startup.ts';
import { investmentItems } from './items-investment.ts';
import { publicSecurityJusticeItems } from './items-public-security-justice.ts';
import { realEstateItems } from './items-real-estate.ts';
import { scienceEducationCultureHealthItems } from './items-science-education-culture-health.ts';
import { socialSecurityLivelihoodItems } from './items-social-security-livelihood.ts';

/** The whole catalogue, zone by zone in the plan's order. */
export const serviceItems: ServiceItemSeed[] = [
  ...investmentItems,
  ...businessStartupItems,
  ...realEstateItems,
  ...scienceEducationCultureHealthItems,
  ...publicSecurityJusticeItems,
  ...socialSecurityLivelihoodItems,
];
