import { stitchSchemas } from '@graphql-tools/stitch';
import type { GraphQLSchema } from 'graphql';
import type { SubschemaContribution } from '../schema/subschemas.ts';

/** Stitches the contributed subschemas into the one schema front-end teams query. */
export async function stitchGatewaySchema(contributions: SubschemaContribution[]): Promise<GraphQLSchema> {
  const names = new Set<string>();
  for (const c of contributions) {
    if (names.has(c.name)) throw new Error(`two subschemas are named "${c.name}"`);
    names.add(c.name);
  }
  // Named after their contribution: the planner and its errors name the subschema.
  const subschemas = await Promise.all(
    contributions.map(async (c) => ({ name: c.name, ...(await c.build()) })),
  );
  return stitchSchemas({ subschemas, mergeDirectives: true });
}
