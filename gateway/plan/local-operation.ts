import type { StitchingInfo, Subschema } from '@graphql-tools/delegate';
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  validate,
} from 'graphql';
import { Unplannable } from './query-plan.ts';

/** An operation one in-process subschema answers whole: it runs on that subschema's own schema. */
export class LocalOperation {
  readonly subschema: string;
  readonly schema: GraphQLSchema;
  constructor(subschema: string, schema: GraphQLSchema) {
    this.subschema = subschema;
    this.schema = schema;
  }
}

/** The root fields an operation selects, through its fragments on the root type. */
function rootFieldNames(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  into = new Set<string>(),
  seen = new Set<string>(),
): Set<string> {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) into.add(selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT)
      rootFieldNames(selection.selectionSet, fragments, into, seen);
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      if (fragment) rootFieldNames(fragment.selectionSet, fragments, into, seen);
    }
  }
  return into;
}

/** Computed fields need keys from other subschemas: stitching resolves them by a merge. */
function hasComputedFields(subschema: Subschema): boolean {
  return Object.values(subschema.merge ?? {}).some((config) =>
    Object.values(config.fields ?? {}).some((field) => field.computed || field.selectionSet),
  );
}

/**
 * Whether stitching would send this whole operation to one subschema that runs in this process, and
 * take its answer as it is: every root field belongs to that subschema alone, and every field,
 * argument, type and fragment of the document exists in the subschema's own schema (it validates
 * there), so nothing is merged from another subschema. Then the subschema's schema executes the
 * document itself — the same resolvers with the same context and variables — without stitching's
 * rewriting of the request and of every object of the answer. Mutations included: graphql-js runs
 * their root fields one after another, as stitching does.
 *
 * Throws `Unplannable` with the reason when it is not so.
 */
export function localOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): LocalOperation {
  if (operation.operation === 'subscription') throw new Unplannable('subscriptions run through stitching');
  const info = schema.extensions?.stitchingInfo as StitchingInfo | undefined;
  if (!info) throw new Unplannable('the schema is not stitched');
  const rootType = operation.operation === 'query' ? schema.getQueryType() : schema.getMutationType();
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);

  const subschemas = [...new Set(info.subschemaMap.values())];
  let owner: Subschema | null = null;
  for (const name of rootFieldNames(operation.selectionSet, fragments)) {
    if (name === '__typename') continue;
    if (name.startsWith('__')) throw new Unplannable('introspection answers for the one schema');
    const owners = subschemas.filter((s) => s.schema.getRootType(operation.operation)?.getFields()[name]);
    if (owners.length !== 1) throw new Unplannable(`root field ${name} has ${owners.length} subschemas`);
    if (owner && owners[0] !== owner) throw new Unplannable('the root fields belong to several subschemas');
    owner = owners[0]!;
  }
  if (!owner || !rootType) throw new Unplannable('the operation selects no subschema’s field');
  if (owner.executor) throw new Unplannable(`subschema ${owner.name ?? '?'} is not in this process`);
  if (owner.transforms.length > 0) throw new Unplannable(`subschema ${owner.name ?? '?'} has transforms`);
  if (owner.batch) throw new Unplannable('batch-executed subschemas run through stitching');
  if (hasComputedFields(owner)) throw new Unplannable(`subschema ${owner.name ?? '?'} has computed fields`);
  const errors = validate(owner.schema, document);
  if (errors.length > 0) {
    throw new Unplannable(`not all of it is in subschema ${owner.name ?? '?'}: ${errors[0]!.message}`);
  }
  return new LocalOperation(owner.name ?? '?', owner.schema);
}
