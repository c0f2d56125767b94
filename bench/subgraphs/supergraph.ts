import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { benchSubgraphs } from './subgraph-schemas.ts';

/** The schema front ends see (the supergraph without federation's directives), for the one-process reference. */
export function benchApiSdl(): string {
  const result = composeServices(benchSubgraphs.map((s) => ({ name: s.name, typeDefs: parse(s.sdl) })));
  if (!result.publicSdl) {
    throw new Error(
      `the bench subgraphs do not compose:\n${(result.errors ?? []).map((e) => e.message).join('\n')}`,
    );
  }
  return result.publicSdl;
}

/** Composes the bench's subgraphs, served at these URLs, into the supergraph Hive Gateway serves. */
export function composeBenchSupergraph(urls: Record<string, string>): string {
  const result = composeServices(
    benchSubgraphs.map((s) => ({ name: s.name, typeDefs: parse(s.sdl), url: urls[s.name]! })),
  );
  if (!result.supergraphSdl) {
    throw new Error(
      `the bench subgraphs do not compose:\n${(result.errors ?? []).map((e) => e.message).join('\n')}`,
    );
  }
  return result.supergraphSdl;
}
