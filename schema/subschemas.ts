import type { SubschemaConfig } from '@graphql-tools/delegate';
import type { DepartmentAdapter } from '../adapters/kit/adapter-contract.ts';
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
  // The hub owns Case and Applicant: their descriptions and field definitions win over what
  // department subschemas repeat when they add fields to them.
  build: () => ({
    schema: buildHubSchema(),
    merge: { Case: { canonical: true }, Applicant: { canonical: true } },
  }),
};

/** The hub's own subschema and every department adapter's, in that order. */
export function gatewaySubschemas(adapters: readonly DepartmentAdapter[]): SubschemaContribution[] {
  const departments = adapters.flatMap((a) =>
    a.subschema ? [{ name: a.name, build: () => a.subschema!() }] : [],
  );
  return [hubSubschema, ...departments];
}
