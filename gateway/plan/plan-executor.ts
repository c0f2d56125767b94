import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import {
  type DocumentNode,
  execute,
  type GraphQLSchema,
  getVariableValues,
  type OperationDefinitionNode,
} from 'graphql';
import { RecentlyUsed } from '../recently-used.ts';
import { LocalOperation, localOperation } from './local-operation.ts';
import { planQuery, type QueryPlan, Unplannable } from './query-plan.ts';
import { runPlan } from './run-plan.ts';

type GatewayInterface = ApolloServerOptionsWithGateway<never>['gateway'];
type GatewayExecutor = NonNullable<Awaited<ReturnType<GatewayInterface['load']>>['executor']>;

/** Documents whose plan (or whose reason for having none) is kept; the oldest goes first. */
const MAX_PLANS = 1_000;

export interface PlanningGatewayOptions {
  /** Off: every operation runs through stitching (GATEWAY_PLANNER=off). */
  enabled?: boolean;
  /**
   * Told once per document that stitching runs instead of a plan, with the reason; `fault` when the
   * planner failed rather than refused.
   */
  onUnplannable?: (reason: string, operationName: string | null, fault: boolean) => void;
}

/**
 * Apollo Server's gateway hook around the stitched schema: Apollo still parses, validates (with the
 * armor limits), builds the context and formats errors; this decides how each operation executes.
 * An operation that one in-process subschema answers whole (the hub's own mutations and queries)
 * runs on that subschema's schema (local-operation.ts). Any other query document gets a plan once
 * (query-plan.ts) and each request then runs only that plan's fetches (run-plan.ts). Whatever the planner refuses runs through graphql-js on the stitched schema,
 * as it did before, so the one schema answers every operation either way.
 *
 * Only the plan is kept between requests — never data — so nothing of one actor's answer can reach
 * another's: every fetch runs with the request's own context and variables.
 */
/** An operation one in-process subschema answers whole runs there; a query otherwise gets a plan. */
function localOrPlanned(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): LocalOperation | QueryPlan {
  try {
    return localOperation(schema, document, operation);
  } catch (error) {
    if (!(error instanceof Unplannable) || operation.operation !== 'query') throw error;
  }
  return planQuery(schema, document, operation);
}

export function planningGateway(
  schema: GraphQLSchema,
  options: PlanningGatewayOptions = {},
): GatewayInterface {
  const plans = new RecentlyUsed<string, QueryPlan | LocalOperation | Unplannable>(MAX_PLANS);
  const enabled = options.enabled ?? true;
  const listeners = new Set<Parameters<GatewayInterface['onSchemaLoadOrUpdate']>[0]>();

  const planFor = (key: string, build: () => QueryPlan | LocalOperation, operationName: string | null) => {
    let plan = plans.get(key);
    if (plan) return plan;
    try {
      plan = build();
    } catch (error) {
      // A planner fault costs the document its plan, never its answer: stitching runs it.
      plan =
        error instanceof Unplannable
          ? error
          : new Unplannable(`the planner failed: ${error instanceof Error ? error.message : String(error)}`);
      options.onUnplannable?.(plan.message, operationName, !(error instanceof Unplannable));
    }
    plans.set(key, plan);
    return plan;
  };

  const executor: GatewayExecutor = async (request) => {
    const { document, operation, operationName, context } = request;
    const variables = request.request.variables ?? {};
    const plan = enabled
      ? planFor(
          `${request.queryHash}\u0000${operationName ?? ''}`,
          () => localOrPlanned(schema, document, operation),
          operationName,
        )
      : null;
    if (plan instanceof LocalOperation) {
      return execute({
        schema: plan.schema,
        document,
        contextValue: context,
        variableValues: variables,
        operationName,
      }) as ReturnType<GatewayExecutor>;
    }
    if (!plan || plan instanceof Unplannable) {
      return execute({
        schema,
        document,
        contextValue: context,
        variableValues: variables,
        operationName,
      }) as ReturnType<GatewayExecutor>;
    }
    // As graphql-js would, before anything is sent upstream.
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
    if (coerced.errors) return { errors: coerced.errors };
    return runPlan(plan, variables, coerced.coerced, context);
  };

  return {
    onSchemaLoadOrUpdate(callback) {
      listeners.add(callback);
      return () => listeners.delete(callback);
    },
    async load() {
      for (const listener of listeners) listener({ apiSchema: schema, coreSupergraphSdl: '' });
      return { executor };
    },
    async stop() {
      plans.clear();
    },
  };
}
