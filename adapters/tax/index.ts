import type { AdapterDefinition } from '../kit/adapter-contract.ts';
import { createTaxAdapter } from './tax.adapter.ts';
import { type TaxConfig, taxConfigSchema } from './tax.config.ts';
import { startTaxSimulator } from './tax.simulator.ts';

/** The tax bureau's entry in the adapter registry. */
export const taxAdapter: AdapterDefinition<TaxConfig> = {
  name: 'tax',
  config: taxConfigSchema,
  baseUrlVariable: 'TAX_BASE_URL',
  create: (config, baseUrl, deps) => createTaxAdapter({ ...config, TAX_BASE_URL: baseUrl }, deps),
  startSimulator: () => startTaxSimulator(),
};
