import type { AdapterDefinition } from '../kit/adapter-contract.ts';
import { createSmsAdapter } from './sms.adapter.ts';
import { type SmsConfig, smsConfigSchema } from './sms.config.ts';
import { startSmsSimulator } from './sms.simulator.ts';

/** The SMS gateway's (短信平台) entry in the adapter registry. */
export const smsAdapter: AdapterDefinition<SmsConfig> = {
  name: 'sms',
  config: smsConfigSchema,
  baseUrlVariable: 'SMS_BASE_URL',
  create: (config, baseUrl, deps) => createSmsAdapter({ ...config, SMS_BASE_URL: baseUrl }, deps),
  startSimulator: () => startSmsSimulator(),
};
