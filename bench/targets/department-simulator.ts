import { adapterDefinitions } from '../../adapters/registry.ts';
import { serveUntilParentGoes } from '../kit/child-process.ts';

/**
 * A department's simulated system in a process of its own, as the department's real system runs on
 * its own machine: `node department-simulator.ts <adapter name>` (e.g. real_estate). The pipeline
 * bench sends its transfers here, so the simulator's CPU is not counted as the hub's.
 */
const name = process.argv[2];
const definition = adapterDefinitions.find((d) => d.name === name);
if (!definition?.startSimulator) {
  const known = adapterDefinitions.filter((d) => d.startSimulator).map((d) => d.name);
  throw new Error(`no simulated department named "${name}"; one of: ${known.join(', ')}`);
}
const simulator = await definition.startSimulator();
serveUntilParentGoes({ url: simulator.url }, () => simulator.close());
