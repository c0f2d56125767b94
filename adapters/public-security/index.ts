import type { AdapterDefinition } from '../kit/adapter-contract.ts';
import { createPublicSecurityAdapter } from './public-security.adapter.ts';
import { type PublicSecurityConfig, publicSecurityConfigSchema } from './public-security.config.ts';
import { startPublicSecuritySimulator } from './public-security.simulator.ts';

/** The public security bureau's entry in the adapter registry. */
export const publicSecurityAdapter: AdapterDefinition<PublicSecurityConfig> = {
  name: 'public_security',
  config: publicSecurityConfigSchema,
  baseUrlVariable: 'PUBLIC_SECURITY_BASE_URL',
  create: (config, baseUrl, deps) =>
    createPublicSecurityAdapter({ ...config, PUBLIC_SECURITY_BASE_URL: baseUrl }, deps),
  startSimulator: () => startPublicSecuritySimulator(),
};
