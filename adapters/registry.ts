import { backOfficeAdapter } from './back-office/index.ts';
import type {
  AdapterDefinition,
  AdapterDeps,
  DepartmentAdapter,
  RunningSimulator,
} from './kit/adapter-contract.ts';
import { postAdapter } from './post/index.ts';
import { provincialAdapter } from './provincial/index.ts';
import { publicSecurityAdapter } from './public-security/index.ts';
import { realEstateAdapter } from './real-estate/index.ts';
import { smsAdapter } from './sms/index.ts';
import { taxAdapter } from './tax/index.ts';

/**
 * Every department adapter. Wiring a new department means adding its folder and one line here; the
 * gateway (subschemas, health) and the jobs (submit, pull) loop over this list.
 */
export const adapterDefinitions: AdapterDefinition<unknown>[] = [
  taxAdapter as AdapterDefinition<unknown>,
  publicSecurityAdapter as AdapterDefinition<unknown>,
  postAdapter as AdapterDefinition<unknown>,
  provincialAdapter as AdapterDefinition<unknown>,
  realEstateAdapter as AdapterDefinition<unknown>,
  smsAdapter as AdapterDefinition<unknown>,
  backOfficeAdapter as AdapterDefinition<unknown>,
];

export class AdapterConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`department adapters are not configured:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'AdapterConfigError';
    this.problems = problems;
  }
}

export interface BuiltAdapters {
  adapters: DepartmentAdapter[];
  /** Simulators started for departments without a configured URL (all-in-one, tests). */
  simulators: Map<string, RunningSimulator>;
  close(): Promise<void>;
}

/**
 * Builds the adapters from the environment. A department whose URL variable is unset gets its
 * simulator when `simulate` is true; otherwise that is a configuration error naming the variable.
 */
export async function buildAdapters(
  env: Record<string, string | undefined>,
  deps: AdapterDeps,
  options: { simulate: boolean; definitions?: AdapterDefinition<unknown>[] },
): Promise<BuiltAdapters> {
  const definitions = options.definitions ?? adapterDefinitions;
  const problems: string[] = [];
  const configs = new Map<string, unknown>();
  for (const definition of definitions) {
    try {
      configs.set(definition.name, definition.config.parse(env));
    } catch (error) {
      const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
      if (issues) for (const i of issues) problems.push(`${i.path.join('.')}: ${i.message}`);
      else problems.push(`${definition.name}: ${(error as Error).message}`);
    }
    if (definition.baseUrlVariable && !env[definition.baseUrlVariable] && !options.simulate) {
      problems.push(`${definition.baseUrlVariable}: the URL of the ${definition.name} system is required`);
    }
  }
  if (problems.length > 0) throw new AdapterConfigError(problems);
  const simulators = new Map<string, RunningSimulator>();
  const adapters: DepartmentAdapter[] = [];
  try {
    for (const definition of definitions) {
      let url = definition.baseUrlVariable ? env[definition.baseUrlVariable] : '';
      if (url === undefined && definition.startSimulator) {
        const simulator = await definition.startSimulator();
        simulators.set(definition.name, simulator);
        url = simulator.url;
      }
      adapters.push(definition.create(configs.get(definition.name), url ?? '', deps));
    }
  } catch (error) {
    await Promise.all([...simulators.values()].map((s) => s.close()));
    throw error;
  }
  return {
    adapters,
    simulators,
    async close() {
      await Promise.all([...simulators.values()].map((s) => s.close()));
    },
  };
}
