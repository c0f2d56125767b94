import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SubschemaConfig } from '@graphql-tools/delegate';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { ExecutionRequest, ExecutionResult, Executor } from '@graphql-tools/utils';
import { FilterRootFields, RenameObjectFields, RenameTypes } from '@graphql-tools/wrap';
import { GraphQLError, isSpecifiedScalarType } from 'graphql';
import type { AdapterDeps, AdapterHealth, DepartmentAdapter } from '../kit/adapter-contract.ts';
import { DepartmentError, departmentUnavailable } from '../kit/department-error.ts';
import { printedDocument } from '../kit/printed-document.ts';
import { type GraphQLEnvelope, RealEstateClient } from './real-estate.client.ts';
import type { RealEstateConfig } from './real-estate.config.ts';
import {
  fromRegistration,
  HUB_FIELD_NAMES,
  HUB_TYPE_NAMES,
  toMaterialInputs,
  toRegistrationInput,
  toResultDelivery,
} from './real-estate.mapping.ts';

const NAME = 'real_estate';
const SUBSCHEMA_FILE = path.join(import.meta.dirname, 'real-estate.subschema.graphql');
/** The registry's batched root field the gateway merges cases through. */
const MERGE_FIELD = 'registrationsByCaseRefs';
/** The registry takes at most this many case references per call. */
const MAX_CASE_REFS = 200;

/**
 * The 不动产登记中心 (real-estate registration centre, part of the land resources bureau): a GraphQL
 * system stitched as a remote subschema, submissions by mutation, decisions pulled from its change feed.
 */
export function createRealEstateAdapter(
  config: RealEstateConfig & { REAL_ESTATE_BASE_URL: string },
  deps: AdapterDeps,
): DepartmentAdapter & { client: RealEstateClient } {
  const client = new RealEstateClient({
    baseUrl: config.REAL_ESTATE_BASE_URL,
    recorder: deps.recorder,
    resilience: {
      headersTimeoutMs: config.REAL_ESTATE_TIMEOUT_MS,
      bodyTimeoutMs: config.REAL_ESTATE_TIMEOUT_MS,
      maxAttempts: config.REAL_ESTATE_MAX_ATTEMPTS,
      concurrency: config.REAL_ESTATE_CONCURRENCY,
    },
  });

  return {
    name: NAME,
    // Registration items (BDC-001…004) belong to 国土资源局, whose 不动产登记中心 this system is; the
    // 房地产管理中心's pre-sale permits and contract filings (BDC-005, BDC-010) run on another system.
    departmentCodes: ['land_resources'],
    client,
    async submit(pkg) {
      const answer = await client.submit(toRegistrationInput(pkg), pkg.idempotencyKey);
      return { departmentRef: answer.registration.id, status: answer.replayed ? 'duplicate' : 'received' };
    },
    async pullDecisions(cursor) {
      const page = await client.changesSince(cursor);
      return { decisions: page.registrations.map(fromRegistration), cursor: page.cursor };
    },
    results: {
      async refuseResult(ref, reasons) {
        await client.refuseResult(ref.departmentRef, reasons, ref.caseNumber);
      },
      async reportDelivery(ref, report) {
        await client.reportDelivery(ref.departmentRef, toResultDelivery(report), ref.caseNumber);
      },
    },
    supplements: {
      async supplyMaterials(ref, materials, idempotencyKey) {
        await client.supplyMaterials(
          ref.departmentRef,
          toMaterialInputs(materials),
          idempotencyKey,
          ref.caseNumber,
        );
      },
    },
    async health(): Promise<AdapterHealth> {
      const checkedAt = new Date().toISOString();
      if (client.http.circuit === 'open')
        return { department: NAME, state: 'down', detail: 'circuit open after failures', checkedAt };
      try {
        await client.ping();
        return {
          department: NAME,
          state: client.http.circuit === 'closed' ? 'up' : 'degraded',
          detail: 'answers',
          checkedAt,
        };
      } catch (error) {
        return { department: NAME, state: 'down', detail: (error as Error).message, checkedAt };
      }
    },
    subschema: () => buildRealEstateSubschema(client),
  };
}

/**
 * The registry as a remote subschema: its pinned SDL (never introspected), an executor that sends each
 * delegated request through the kit, and transforms that give its types the hub's names. Its one root
 * field is hidden from the one schema — it answers for any case number, so it is reachable only
 * through the Case merge, which runs after the hub has decided which cases the caller may see.
 */
export function buildRealEstateSubschema(client: RealEstateClient): SubschemaConfig {
  // Built by graphql-tools rather than graphql's buildSchema so that its types come from the same graphql
  // instance the stitcher checks them with (a test runner may load graphql's ESM and CJS builds side by side).
  const schema = makeExecutableSchema({ typeDefs: readFileSync(SUBSCHEMA_FILE, 'utf8') });
  for (const type of Object.values(schema.getTypeMap())) {
    const builtIn =
      type.name.startsWith('__') || isSpecifiedScalarType(type) || type === schema.getQueryType();
    if (!builtIn && !HUB_TYPE_NAMES[type.name]) {
      // An unprefixed department type would collide with other subschemas' types in the one schema.
      throw new Error(`real-estate.subschema.graphql: give ${type.name} a hub name in HUB_TYPE_NAMES`);
    }
  }
  const executor: Executor = async (request: ExecutionRequest) => forwardToRegistry(client, request);
  return {
    schema,
    executor,
    transforms: [
      new RenameTypes((name) => HUB_TYPE_NAMES[name] ?? name),
      new RenameObjectFields((typeName, fieldName) => HUB_FIELD_NAMES[typeName]?.[fieldName] ?? fieldName),
      // Hidden, yet the merge still reaches it: stitching builds the merge request itself (tested).
      new FilterRootFields(() => false),
    ],
    // Merge rule beside the subschema: cases gain `realEstateRegistration`, one call for a whole list.
    merge: {
      Case: {
        selectionSet: '{ number }',
        fieldName: MERGE_FIELD,
        key: ({ number }: { number: string }) => number,
        argsFromKeys: (caseRefs: readonly string[]) => ({ caseRefs }),
        dataLoaderOptions: { maxBatchSize: MAX_CASE_REFS },
      },
    },
  };
}

async function forwardToRegistry(
  client: RealEstateClient,
  request: ExecutionRequest,
): Promise<ExecutionResult> {
  let envelope: GraphQLEnvelope;
  try {
    envelope = await client.forward('case-registrations', {
      query: printedDocument(request.document),
      ...(request.variables ? { variables: request.variables } : {}),
      ...(request.operationName ? { operationName: request.operationName } : {}),
    });
  } catch (error) {
    if (error instanceof DepartmentError) return { errors: [departmentUnavailable(NAME, error.reason)] };
    throw error;
  }
  // Errors the registry reports degrade the fields they concern, in the hub's terms.
  const errors = envelope.errors?.map((e) => {
    const unavailable = departmentUnavailable(NAME, e.message);
    return new GraphQLError(unavailable.message, {
      ...(e.path ? { path: e.path } : {}),
      extensions: unavailable.extensions,
    });
  });
  return { data: envelope.data ?? null, ...(errors?.length ? { errors } : {}) };
}
