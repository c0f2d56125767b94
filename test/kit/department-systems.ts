import type { RunningSimulator } from '../../adapters/kit/adapter-contract.ts';
import { startPostSimulator } from '../../adapters/post/post.simulator.ts';
import { startProvincialSimulator } from '../../adapters/provincial/provincial.simulator.ts';
import { startPublicSecuritySimulator } from '../../adapters/public-security/public-security.simulator.ts';
import { startRealEstateSimulator } from '../../adapters/real-estate/real-estate.simulator.ts';
import { adapterDefinitions } from '../../adapters/registry.ts';
import { startSmsSimulator } from '../../adapters/sms/sms.simulator.ts';
import { startTaxSimulator } from '../../adapters/tax/tax.simulator.ts';

/** Credentials of the test's own (not the public development values, which a configured URL refuses). */
const CREDENTIALS = {
  PROVINCIAL_TOKEN: 'fault-tests-provincial-token',
  POST_API_KEY: 'fault-tests-post-api-key',
  POST_CALLBACK_SECRET: 'fault-tests-post-callback-secret',
  PUBLIC_SECURITY_CALLBACK_SECRET: 'fault-tests-public-security-secret',
  SMS_ACCESS_KEY_ID: 'fault-tests-sms-key-id',
  SMS_ACCESS_KEY_SECRET: 'fault-tests-sms-key-secret',
  // The tax simulator knows only its development client, so a worker's calls to it are refused (401).
  TAX_CLIENT_SECRET: 'fault-tests-tax-secret',
};

export interface DepartmentSystems {
  simulators: Map<string, RunningSimulator>;
  /** What a hub process needs to reach them: every `<NAME>_BASE_URL` and the credentials. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * A simulator for every department of the registry, each on its own loopback port, set up with the
 * credentials in `env` (where the simulator takes them), for hub processes started by a test.
 */
export async function startDepartmentSystems(): Promise<DepartmentSystems> {
  const starters: Record<string, () => Promise<RunningSimulator>> = {
    tax: () => startTaxSimulator(),
    public_security: () =>
      startPublicSecuritySimulator({ callbackSecret: CREDENTIALS.PUBLIC_SECURITY_CALLBACK_SECRET }),
    post: () =>
      startPostSimulator({
        apiKey: CREDENTIALS.POST_API_KEY,
        callbackSecret: CREDENTIALS.POST_CALLBACK_SECRET,
      }),
    provincial: () => startProvincialSimulator({ token: CREDENTIALS.PROVINCIAL_TOKEN }),
    real_estate: () => startRealEstateSimulator(),
    sms: () =>
      startSmsSimulator({
        accessKeyId: CREDENTIALS.SMS_ACCESS_KEY_ID,
        accessKeySecret: CREDENTIALS.SMS_ACCESS_KEY_SECRET,
      }),
  };
  const simulators = new Map<string, RunningSimulator>();
  const env: Record<string, string> = { ...CREDENTIALS };
  const close = async () => {
    await Promise.all([...simulators.values()].map((s) => s.close()));
  };
  try {
    for (const definition of adapterDefinitions) {
      if (!definition.baseUrlVariable) continue;
      const start = starters[definition.name] ?? definition.startSimulator;
      if (!start) throw new Error(`no simulator for ${definition.name}`);
      const simulator = await start();
      simulators.set(definition.name, simulator);
      env[definition.baseUrlVariable] = simulator.url;
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { simulators, env, close };
}
