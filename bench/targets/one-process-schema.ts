import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { caseList, certificateFor, registrationFor } from '../subgraphs/bench-data.ts';
import { benchApiSdl } from '../subgraphs/supergraph.ts';

/** The schema front ends see, resolved in one process from the data the subgraphs hold. */
export function buildOneProcessSchema(): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs: benchApiSdl(),
    resolvers: {
      Query: { cases: (_: unknown, { first }: { first: number }) => caseList(first) },
      Case: { registration: (c: { number: string }) => registrationFor(c.number) },
      Registration: { certificate: (r: { id: string }) => certificateFor(r.id) },
    },
  });
}
