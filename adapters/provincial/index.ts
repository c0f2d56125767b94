import type { AdapterDefinition } from '../kit/adapter-contract.ts';
import { createProvincialAdapter } from './provincial.adapter.ts';
import { type ProvincialConfig, provincialConfigSchema } from './provincial.config.ts';
import { startProvincialSimulator } from './provincial.simulator.ts';

/** The provincial service platform's entry in the adapter registry. */
export const provincialAdapter: AdapterDefinition<ProvincialConfig> = {
  name: 'provincial',
  config: provincialConfigSchema,
  baseUrlVariable: 'PROVINCIAL_BASE_URL',
  create: (config, baseUrl, deps) =>
    createProvincialAdapter({ ...config, PROVINCIAL_BASE_URL: baseUrl }, deps),
  startSimulator: () => startProvincialSimulator(),
};
