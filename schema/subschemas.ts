import type { SubschemaConfig } from '@graphql-tools/delegate';
import { buildHubSchema } from './hub/hub-subschema.ts';

/**
 * A part of the one schema: the hub's own now; each department adapter contributes one too. The
 * gateway stitches whatever this registry lists and never names a subschema itself.
 */
export interface SubschemaContribution {
  /** Short name used in health reports and errors, e.g. `hub`, `tax`. */
  name: string;
  build(): SubschemaConfig | Promise<SubschemaConfig>;
}

export const hubSubschema: SubschemaContribution = {
  name: 'hub',
  build: () => ({ schema: buildHubSchema() }),
};

export const subschemaRegistry: SubschemaContribution[] = [hubSubschema];
