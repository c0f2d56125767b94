import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { hubResolvers } from './resolvers.ts';

const sdlDir = import.meta.dirname;

/** The hub's SDL, as written in schema/hub/*.graphql (the same files codegen reads). */
export function hubTypeDefs(): string[] {
  return readdirSync(sdlDir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => readFileSync(path.join(sdlDir, f), 'utf8'));
}

/** Builds the hub's own executable subschema; it runs in the gateway's process. */
export function buildHubSchema(): GraphQLSchema {
  return makeExecutableSchema({ typeDefs: hubTypeDefs(), resolvers: hubResolvers });
}
