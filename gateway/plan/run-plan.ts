import { createDefaultExecutor, type Subschema } from '@graphql-tools/delegate';
import type { ExecutionResult, Executor } from '@graphql-tools/utils';
import {
  type FieldNode,
  GraphQLError,
  GraphQLIncludeDirective,
  type GraphQLOutputType,
  GraphQLSkipDirective,
  getDirectiveValues,
  isLeafType,
  isListType,
  isNonNullType,
  locatedError,
  OperationTypeNode,
} from 'graphql';
import type { Fetch, PlannedField, QueryPlan } from './query-plan.ts';

/**
 * Runs a query plan: the root fetches at once, then each merge fetch as soon as the objects it
 * completes are there (one request per fetch, or per `maxBatchSize` keys), each object's fields
 * written into the one tree of data; then completes the client's answer from that tree as graphql-js
 * would — field order, aliases, `__typename`, leaf values through the gateway's scalars and enums,
 * `null` bubbling up to the nearest nullable field — with upstream errors at the client's paths.
 */
export async function runPlan(
  plan: QueryPlan,
  variables: Readonly<Record<string, unknown>>,
  coercedVariables: Readonly<Record<string, unknown>>,
  context: unknown,
): Promise<ExecutionResult> {
  const data: Record<string, unknown> = {};
  await Promise.all(plan.fetches.map((fetch) => runRootFetch(fetch, data, variables, context)));
  const run: Completion = { errors: [], variables: coercedVariables };
  let completed: Record<string, unknown> | null;
  try {
    completed = completeObject(plan.fields, plan.rootType, data, undefined, run);
  } catch (error) {
    if (error !== BUBBLE) throw error;
    completed = null;
  }
  return run.errors.length ? { errors: run.errors, data: completed } : { data: completed };
}

interface Completion {
  errors: GraphQLError[];
  /** Coerced, for @skip/@include. */
  variables: Readonly<Record<string, unknown>>;
}

/** An upstream error put where the value it stands for would be; completing reports it there. */
class UpstreamError {
  readonly error: GraphQLError;
  constructor(error: GraphQLError) {
    this.error = error;
  }
}

const executors = new WeakMap<Subschema, Executor>();

async function send(
  fetch: Fetch,
  variables: Record<string, unknown>,
  context: unknown,
): Promise<ExecutionResult> {
  let executor = executors.get(fetch.subschema);
  if (!executor) {
    executor = fetch.subschema.executor ?? createDefaultExecutor(fetch.subschema.schema);
    executors.set(fetch.subschema, executor);
  }
  try {
    const result = await executor({
      document: fetch.document,
      variables,
      context: context as Record<string, unknown>,
      operationType: OperationTypeNode.QUERY,
    });
    if (Symbol.asyncIterator in (result as object))
      return { errors: [new GraphQLError(`${fetch.label} answered with a stream`)] };
    return result as ExecutionResult;
  } catch (error) {
    return { errors: [asGraphQLError(error)] };
  }
}

function pick(variables: Readonly<Record<string, unknown>>, names: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of names) if (name in variables) out[name] = variables[name];
  return out;
}

async function runRootFetch(
  fetch: Fetch,
  data: Record<string, unknown>,
  variables: Readonly<Record<string, unknown>>,
  context: unknown,
): Promise<void> {
  const result = await send(fetch, pick(variables, fetch.variableNames), context);
  if (result.data) Object.assign(data, result.data);
  placeErrors(result.errors, [data], fetch.provides, (path) => ({ holder: data, rest: path }));
  await Promise.all(fetch.children.map((child) => runMergeFetch(child, data, variables, context)));
}

async function runMergeFetch(
  fetch: Fetch,
  data: Record<string, unknown>,
  variables: Readonly<Record<string, unknown>>,
  context: unknown,
): Promise<void> {
  const merge = fetch.merge!;
  const objects: Record<string, unknown>[] = [];
  collectObjects(data, fetch.path, 0, objects);
  if (objects.length === 0) return;
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < objects.length; i += merge.maxBatchSize)
    batches.push(objects.slice(i, i + merge.maxBatchSize));
  await Promise.all(
    batches.map(async (batch) => {
      const args = merge.argsFromKeys(batch.map((o) => merge.key(o)));
      const sent = pick(variables, fetch.variableNames);
      for (const name of merge.argNames) sent[`__key_${name}`] = args[name];
      const result = await send(fetch, sent, context);
      const values = (result.data as Record<string, unknown> | null | undefined)?.[merge.fieldName];
      if (Array.isArray(values)) {
        for (let i = 0; i < batch.length; i++) {
          const value = values[i];
          if (value && typeof value === 'object') Object.assign(batch[i]!, value);
        }
      }
      const errors =
        result.errors ??
        (Array.isArray(values) && values.length === batch.length
          ? undefined
          : [new GraphQLError(`${fetch.label} answered ${merge.fieldName} without one value per key`)]);
      placeErrors(errors, batch, fetch.provides, (path) => {
        // Paths of a merge answer start at the merge field and the key's index.
        if (path[0] !== merge.fieldName || typeof path[1] !== 'number') return null;
        const holder = batch[path[1]];
        return holder ? { holder, rest: path.slice(2) } : null;
      });
    }),
  );
  await Promise.all(fetch.children.map((child) => runMergeFetch(child, data, variables, context)));
}

/** The objects at a path of response keys, through lists, leaving out nulls and errors. */
function collectObjects(value: unknown, path: string[], at: number, into: Record<string, unknown>[]): void {
  if (value === null || value === undefined || value instanceof UpstreamError) return;
  if (Array.isArray(value)) {
    for (const item of value) collectObjects(item, path, at, into);
    return;
  }
  if (typeof value !== 'object') return;
  if (at === path.length) {
    into.push(value as Record<string, unknown>);
    return;
  }
  collectObjects((value as Record<string, unknown>)[path[at]!], path, at + 1, into);
}

/**
 * Puts upstream errors into the data: one with a path at the first empty place along it; one without
 * a path (or a failed request) into every field this fetch should have filled and did not.
 */
function placeErrors(
  errors: readonly GraphQLError[] | undefined,
  holders: Record<string, unknown>[],
  provides: string[],
  locate: (
    path: readonly (string | number)[],
  ) => { holder: Record<string, unknown>; rest: readonly (string | number)[] } | null,
): void {
  if (!errors?.length) return;
  const unpathed: GraphQLError[] = [];
  for (const error of errors) {
    const found = error.path ? locate(error.path) : null;
    if (!found || !placeAlong(found.holder, found.rest, new UpstreamError(upstream(error))))
      unpathed.push(error);
  }
  if (unpathed.length === 0) return;
  const error =
    unpathed.length === 1
      ? upstream(unpathed[0]!)
      : new GraphQLError(unpathed.map((e) => e.message).join('\n'), {
          originalError: new AggregateError(unpathed, unpathed.map((e) => e.message).join('\n')),
        });
  const failure = new UpstreamError(error);
  for (const holder of holders) {
    for (const key of provides) {
      if (holder[key] === null || holder[key] === undefined) holder[key] = failure;
    }
  }
}

function placeAlong(
  holder: Record<string, unknown>,
  path: readonly (string | number)[],
  failure: UpstreamError,
): boolean {
  let current: Record<string, unknown> | unknown[] = holder;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    const next: unknown = (current as Record<string | number, unknown>)[key];
    if (next === null || next === undefined) {
      (current as Record<string | number, unknown>)[key] = failure;
      return true;
    }
    if (next instanceof UpstreamError || typeof next !== 'object') return next instanceof UpstreamError;
    current = next as Record<string, unknown>;
  }
  return false;
}

/** An upstream error without its upstream path and locations; completing locates it in the client's. */
function upstream(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, {
    originalError: error,
    ...(error.extensions ? { extensions: error.extensions } : {}),
  });
}

function asGraphQLError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  const cause = error instanceof Error ? error : new Error(String(error));
  return new GraphQLError(cause.message, { originalError: cause });
}

// ---- completing the answer ----------------------------------------------------------------------

/** Thrown when a null reaches a non-null field: the parent field becomes null instead. */
const BUBBLE = Symbol('bubble');

interface Path {
  prev: Path | undefined;
  key: string | number;
}

function pathArray(path: Path | undefined): (string | number)[] {
  const out: (string | number)[] = [];
  for (let p = path; p; p = p.prev) out.push(p.key);
  return out.reverse();
}

function completeObject(
  fields: PlannedField[],
  typeName: string,
  source: Record<string, unknown>,
  path: Path | undefined,
  run: Completion,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.conditions && !included(field.conditions, run.variables)) continue;
    out[field.key] =
      field.name === '__typename'
        ? typeName
        : completeField(field, source[field.key], { prev: path, key: field.key }, run);
  }
  return out;
}

/** As graphql-js decides it: not skipped, and included. */
function included(node: FieldNode, variables: Readonly<Record<string, unknown>>): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
}

function completeField(field: PlannedField, raw: unknown, path: Path, run: Completion): unknown {
  try {
    return completeValue(field, field.type, raw, path, run);
  } catch (error) {
    if (error !== BUBBLE) run.errors.push(locatedError(error, field.nodes, pathArray(path)));
    if (isNonNullType(field.type)) throw BUBBLE;
    return null;
  }
}

function completeValue(
  field: PlannedField,
  type: GraphQLOutputType,
  raw: unknown,
  path: Path,
  run: Completion,
): unknown {
  if (raw instanceof UpstreamError) throw raw.error;
  if (isNonNullType(type)) {
    const value = completeValue(field, type.ofType, raw, path, run);
    if (value === null)
      throw new Error(`Cannot return null for non-nullable field ${field.parentType}.${field.name}.`);
    return value;
  }
  if (raw === null || raw === undefined) return null;
  if (isListType(type)) {
    if (!Array.isArray(raw))
      throw new GraphQLError(
        `Expected Iterable, but did not find one for field "${field.parentType}.${field.name}".`,
      );
    const itemType = type.ofType as GraphQLOutputType;
    const out: unknown[] = new Array(raw.length);
    for (let i = 0; i < raw.length; i++) {
      const itemPath: Path = { prev: path, key: i };
      try {
        out[i] = completeValue(field, itemType, raw[i], itemPath, run);
      } catch (error) {
        if (error !== BUBBLE) run.errors.push(locatedError(error, field.nodes, pathArray(itemPath)));
        if (isNonNullType(itemType)) throw BUBBLE;
        out[i] = null;
      }
    }
    return out;
  }
  if (isLeafType(type)) {
    // As stitching: the upstream value is parsed by the gateway's type (null if it cannot be), then
    // serialized by it.
    let internal: unknown;
    try {
      internal = type.parseValue(raw);
    } catch {
      return null;
    }
    if (internal === null || internal === undefined) return null;
    return type.serialize(internal);
  }
  if (typeof raw !== 'object') return null;
  return completeObject(field.fields!, type.name, raw as Record<string, unknown>, path, run);
}
