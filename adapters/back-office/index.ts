import type { AdapterDefinition } from '../kit/adapter-contract.ts';
import { createBackOfficeAdapter } from './back-office.adapter.ts';

/** The back office is the hub itself: no URL, no simulator, no settings. */
export const backOfficeAdapter: AdapterDefinition<Record<string, never>> = {
  name: 'back_office',
  config: { parse: () => ({}) },
  baseUrlVariable: null,
  create: (_config, _baseUrl, deps) => createBackOfficeAdapter(deps),
  startSimulator: null,
};
