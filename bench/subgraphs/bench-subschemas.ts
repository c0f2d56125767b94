import type { MergedTypeConfig, SubschemaConfig } from '@graphql-tools/delegate';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { ExecutionRequest, ExecutionResult, Executor } from '@graphql-tools/utils';
import { FilterRootFields } from '@graphql-tools/wrap';
import { GraphQLError } from 'graphql';
import type { CallRecorder } from '../../adapters/kit/adapter-contract.ts';
import { DepartmentError, departmentUnavailable } from '../../adapters/kit/department-error.ts';
import { printedDocument } from '../../adapters/kit/printed-document.ts';
import { type GraphQLEnvelope, RealEstateClient } from '../../adapters/real-estate/real-estate.client.ts';
import { realEstateConfigSchema } from '../../adapters/real-estate/real-estate.config.ts';
import type { SubschemaContribution } from '../../schema/subschemas.ts';
import { type BenchSubgraph, benchSubgraphs } from './subgraph-schemas.ts';

/** As adapters/real-estate: the registry takes at most this many keys per merge call. */
const MAX_BATCH = 200;

/**
 * The bench subgraphs as our gateway takes a remote GraphQL department: its SDL pinned (never
 * introspected), an executor that sends each delegated request through the department client and the
 * kit's DepartmentHttp (timeouts, retries, breaker, concurrency limit, call records) with the
 * registry's default settings, root fields hidden, and merge rules beside the subschema — one batched
 * `_entities` call per merged type per request. The gateway stitches these with gateway/stitch.ts.
 */
export function benchContributions(
  urls: Record<string, string>,
  recorder: CallRecorder,
): SubschemaContribution[] {
  const settings = realEstateConfigSchema.parse({});
  return benchSubgraphs.map((subgraph) => ({
    name: subgraph.name,
    build: (): SubschemaConfig => {
      const client = new RealEstateClient({
        baseUrl: new URL(urls[subgraph.name]!).origin,
        recorder,
        resilience: {
          headersTimeoutMs: settings.REAL_ESTATE_TIMEOUT_MS,
          bodyTimeoutMs: settings.REAL_ESTATE_TIMEOUT_MS,
          maxAttempts: settings.REAL_ESTATE_MAX_ATTEMPTS,
          concurrency: settings.REAL_ESTATE_CONCURRENCY,
        },
      });
      return {
        schema: makeExecutableSchema({ typeDefs: subgraph.executableSdl }),
        executor: departmentExecutor(subgraph.name, client),
        // Federation's own root fields stay hidden from the one schema; the merges still reach them.
        transforms: [new FilterRootFields((_operation, field) => !field.startsWith('_'))],
        merge: entityMerges(subgraph),
      };
    },
  }));
}

function entityMerges(subgraph: BenchSubgraph): Record<string, MergedTypeConfig> {
  return Object.fromEntries(
    Object.entries(subgraph.entities).map(([typeName, keyField]) => [
      typeName,
      {
        selectionSet: `{ ${keyField} }`,
        fieldName: '_entities',
        key: (value: Record<string, unknown>) => ({ __typename: typeName, [keyField]: value[keyField] }),
        argsFromKeys: (representations: readonly unknown[]) => ({ representations }),
        dataLoaderOptions: { maxBatchSize: MAX_BATCH },
      } satisfies MergedTypeConfig,
    ]),
  );
}

/** As adapters/real-estate's forwardToRegistry: errors of a department degrade its own fields. */
function departmentExecutor(name: string, client: RealEstateClient): Executor {
  return async (request: ExecutionRequest): Promise<ExecutionResult> => {
    let envelope: GraphQLEnvelope;
    try {
      envelope = await client.forward('bench-merge', {
        query: printedDocument(request.document),
        ...(request.variables ? { variables: request.variables } : {}),
        ...(request.operationName ? { operationName: request.operationName } : {}),
      });
    } catch (error) {
      if (error instanceof DepartmentError) return { errors: [departmentUnavailable(name, error.reason)] };
      throw error;
    }
    const errors = envelope.errors?.map((e) => {
      const unavailable = departmentUnavailable(name, e.message);
      return new GraphQLError(unavailable.message, {
        ...(e.path ? { path: e.path } : {}),
        extensions: unavailable.extensions,
      });
    });
    return { data: envelope.data ?? null, ...(errors?.length ? { errors } : {}) };
  };
}
