import type { AdapterDefinition } from '../kit/adapter-contract.ts';
import { createRealEstateAdapter } from './real-estate.adapter.ts';
import { type RealEstateConfig, realEstateConfigSchema } from './real-estate.config.ts';
import { startRealEstateSimulator } from './real-estate.simulator.ts';

/** The real-estate registration centre's (不动产登记中心) entry in the adapter registry. */
export const realEstateAdapter: AdapterDefinition<RealEstateConfig> = {
  name: 'real_estate',
  config: realEstateConfigSchema,
  baseUrlVariable: 'REAL_ESTATE_BASE_URL',
  create: (config, baseUrl, deps) =>
    createRealEstateAdapter({ ...config, REAL_ESTATE_BASE_URL: baseUrl }, deps),
  startSimulator: () => startRealEstateSimulator(),
};
