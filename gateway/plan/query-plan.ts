import type { MergedTypeConfig, StitchingInfo, Subschema } from '@graphql-tools/delegate';
import type { ExecutionRequest } from '@graphql-tools/utils';
import {
  FilterObjectFields,
  FilterRootFields,
  FilterTypes,
  RenameObjectFields,
  RenameTypes,
} from '@graphql-tools/wrap';
import {
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  isLeafType,
  isListType,
  isObjectType,
  isScalarType,
  Kind,
  type OperationDefinitionNode,
  OperationTypeNode,
  parse,
  print,
  type SelectionSetNode,
  visit,
} from 'graphql';

/**
 * The query planner of the gateway. For a query document it works out, once, which subschema answers
 * which part: one fetch per subschema at the root, and one batched merge fetch per subschema and
 * position for fields a merged type gets from another subschema — the same split stitching makes
 * per request, but decided once per document and kept with it (plan-executor.ts). Each fetch's
 * document is built and parsed here; at run time only variables and keys change.
 *
 * It plans what it can prove it runs exactly as stitching would, and refuses the rest with a reason
 * (`Unplannable`), which stitching then executes: mutations and subscriptions, abstract types,
 * directives other than @skip/@include on fields, introspection, transforms other than filters and
 * renames, and merges that are not a batched `fieldName` + `key` + `argsFromKeys` rule.
 */

export class Unplannable extends Error {
  override name = 'Unplannable';
}

/** A field of the client's selection, as the answer is assembled (run-plan.ts). */
export interface PlannedField {
  /** Response key: the alias or the field name. */
  key: string;
  name: string;
  parentType: string;
  type: GraphQLOutputType;
  nodes: readonly FieldNode[];
  /** The selected fields when the field's named type is an object type. */
  fields?: PlannedField[];
  /**
   * The field's @skip/@include, evaluated per request with its variables. The fetch asks for the field
   * whenever another selection or a merge key needs it; the answer leaves it out when they say so.
   */
  conditions?: FieldNode;
}

export interface EntityMerge {
  typeName: string;
  fieldName: string;
  key: (value: Record<string, unknown>) => unknown;
  argsFromKeys: (keys: readonly unknown[]) => Record<string, unknown>;
  /** The merge field's argument names, each sent as the variable `__key_<name>`. */
  argNames: string[];
  maxBatchSize: number;
}

export interface Fetch {
  subschema: Subschema;
  /** The subschema's name in errors and logs. */
  label: string;
  document: DocumentNode;
  /** The client's variables this fetch's document uses. */
  variableNames: string[];
  /** Response keys from the answer's root to the objects this fetch completes (empty at the root). */
  path: string[];
  merge?: EntityMerge;
  /** Response keys this fetch fills in on each object it completes. */
  provides: string[];
  /** Fetches that need this one's objects first. */
  children: Fetch[];
}

export interface QueryPlan {
  rootType: string;
  fields: PlannedField[];
  fetches: Fetch[];
}

/** A selection to send, by response key. */
interface Selection {
  name: string;
  args: readonly ArgumentNode[];
  printedArgs: string;
  /** The field's @skip/@include as sent; empty when it is needed unconditionally. */
  printedDirectives: string;
  sub?: Map<string, Selection>;
}

interface DraftFetch {
  subschema: Subschema;
  path: string[];
  merge?: EntityMerge;
  tree: Map<string, Selection>;
  provides: string[];
  children: Map<string, DraftFetch>;
}

/**
 * Transforms whose request rewriting depends on the document alone: a plan's fetch is written in the
 * one schema's names and rewritten by them once, when the plan is made, as stitching rewrites every
 * request. Renamed fields keep their one-schema name as alias, so answers need no rewriting back.
 */
const PLANNABLE_TRANSFORMS = [
  FilterRootFields,
  FilterTypes,
  FilterObjectFields,
  RenameTypes,
  RenameObjectFields,
];

export function planQuery(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): QueryPlan {
  if (operation.operation !== 'query') throw new Unplannable(`${operation.operation}s run through stitching`);
  const info = schema.extensions?.stitchingInfo as StitchingInfo | undefined;
  if (!info) throw new Unplannable('the schema is not stitched');
  const rootType = schema.getQueryType()!;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  if (operation.directives?.length) throw new Unplannable('operation directives');

  const planner = new Planner(info, fragments);
  const roots = new Map<Subschema, DraftFetch>();
  const fields: PlannedField[] = [];
  for (const [key, nodes] of planner.collect(operation.selectionSet, rootType)) {
    const name = nodes[0]!.name.value;
    if (name === '__typename') {
      fields.push({ key, name, parentType: rootType.name, type: rootType, nodes });
      continue;
    }
    if (name.startsWith('__')) throw new Unplannable('introspection runs through stitching');
    const owners = [...new Set(info.subschemaMap.values())].filter((s) => hasField(s, rootType.name, name));
    if (owners.length !== 1) throw new Unplannable(`root field ${name} has ${owners.length} subschemas`);
    const owner = owners[0]!;
    planner.checkSubschema(owner);
    let draft = roots.get(owner);
    if (!draft) {
      draft = { subschema: owner, path: [], tree: new Map(), provides: [], children: new Map() };
      roots.set(owner, draft);
    }
    draft.provides.push(key);
    fields.push(planner.planField(draft, draft.tree, rootType, key, nodes, []));
  }

  return {
    rootType: rootType.name,
    fields,
    fetches: [...roots.values()].map((d) => finishFetch(d, operation)),
  };
}

class Planner {
  private readonly info: StitchingInfo;
  private readonly fragments: Map<string, FragmentDefinitionNode>;
  constructor(info: StitchingInfo, fragments: Map<string, FragmentDefinitionNode>) {
    this.info = info;
    this.fragments = fragments;
  }

  /** The fields a selection set selects on an object type, by response key (fragments flattened). */
  collect(
    selectionSet: SelectionSetNode,
    type: GraphQLObjectType,
    into = new Map<string, FieldNode[]>(),
    seen = new Set<string>(),
  ): Map<string, FieldNode[]> {
    for (const selection of selectionSet.selections) {
      if (selection.directives?.length) {
        if (selection.kind !== Kind.FIELD) throw new Unplannable('directives on fragments');
        for (const d of selection.directives) {
          if (d.name.value !== 'skip' && d.name.value !== 'include')
            throw new Unplannable(`@${d.name.value} on a field`);
        }
      }
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const list = into.get(key);
        if (list) list.push(selection);
        else into.set(key, [selection]);
        continue;
      }
      const condition =
        selection.kind === Kind.INLINE_FRAGMENT
          ? selection.typeCondition?.name.value
          : this.fragments.get(selection.name.value)?.typeCondition.name.value;
      if (condition !== undefined && condition !== type.name)
        throw new Unplannable(`a fragment on ${condition} inside ${type.name}`);
      if (selection.kind === Kind.INLINE_FRAGMENT) this.collect(selection.selectionSet, type, into, seen);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        this.collect(this.fragments.get(selection.name.value)!.selectionSet, type, into, seen);
      }
    }
    return into;
  }

  /** Subschemas whose transforms rewrite a request from its document alone. */
  checkSubschema(subschema: Subschema): void {
    for (const t of subschema.transforms) {
      if (!PLANNABLE_TRANSFORMS.some((c) => t instanceof c))
        throw new Unplannable(`subschema ${subschema.name ?? '?'} has a ${t.constructor.name} transform`);
    }
    if (subschema.batch) throw new Unplannable('batch-executed subschemas run through stitching');
  }

  /**
   * Plans one selected field of `type` for `draft` (whose selection at this object is `tree`) and
   * returns how the answer completes it. A field the draft's subschema lacks goes to the merge fetch
   * of the subschema that has it, and the merge key joins the draft's selection.
   */
  planField(
    draft: DraftFetch,
    tree: Map<string, Selection>,
    type: GraphQLObjectType,
    key: string,
    nodes: FieldNode[],
    path: string[],
  ): PlannedField {
    const name = nodes[0]!.name.value;
    if (name === '__typename') return { key, name, parentType: type.name, type, nodes };
    if (name.startsWith('__')) throw new Unplannable('introspection runs through stitching');
    const field = type.getFields()[name];
    if (!field) throw new Unplannable(`unknown field ${type.name}.${name}`);
    let owner = draft;
    let ownerTree = tree;
    if (!hasField(draft.subschema, type.name, name)) {
      owner = this.mergeFetch(draft, tree, type, name, path);
      ownerTree = owner.tree;
      owner.provides.push(key);
    }
    const conditions = printDirectives(nodes[0]!);
    if (nodes.some((n) => printDirectives(n) !== conditions))
      throw new Unplannable(`${key} is selected under different @skip/@include`);
    const selection = addSelection(ownerTree, key, name, nodes[0]!.arguments ?? [], conditions);
    for (const other of nodes.slice(1)) {
      if (printArgs(other.arguments ?? []) !== selection.printedArgs)
        throw new Unplannable(`${key} is selected with different arguments`);
    }
    const planned: PlannedField = {
      key,
      name,
      parentType: type.name,
      type: field.type,
      nodes,
      ...(conditions ? { conditions: nodes[0]! } : {}),
    };
    const named = getNamedType(field.type);
    if (isLeafType(named)) return planned;
    if (!isObjectType(named)) throw new Unplannable(`abstract type ${named.name}`);
    selection.sub ??= new Map();
    planned.fields = [];
    const subPath = [...path, key];
    const subFields = new Map<string, FieldNode[]>();
    for (const node of nodes) if (node.selectionSet) this.collect(node.selectionSet, named, subFields);
    for (const [subKey, subNodes] of subFields)
      planned.fields.push(this.planField(owner, selection.sub, named, subKey, subNodes, subPath));
    return planned;
  }

  /** The merge fetch at `path` of the one subschema that resolves `type.fieldName` by a batched rule. */
  private mergeFetch(
    parent: DraftFetch,
    parentTree: Map<string, Selection>,
    type: GraphQLObjectType,
    fieldName: string,
    path: string[],
  ): DraftFetch {
    const merged = this.info.mergedTypes[type.name];
    if (!merged) throw new Unplannable(`${type.name}.${fieldName} is not in ${parent.subschema.name}`);
    const unique = merged.uniqueFields[fieldName];
    const candidates = (unique ? [unique] : (merged.nonUniqueFields[fieldName] ?? [])).filter(
      (s) => s !== parent.subschema && merged.resolvers.has(s),
    );
    if (candidates.length !== 1)
      throw new Unplannable(`${type.name}.${fieldName} has ${candidates.length} merge candidates`);
    const subschema = candidates[0]!;
    this.checkSubschema(subschema);
    if (merged.fieldSelectionSets.get(subschema)?.[fieldName])
      throw new Unplannable(`${type.name}.${fieldName} is a computed field`);
    const id = `${subschema.name ?? ''}\u0000${type.name}\u0000${path.join('.')}`;
    const existing = parent.children.get(id);
    if (existing) return existing;

    const config = subschema.merge?.[type.name] as MergedTypeConfig | undefined;
    if (
      !config?.fieldName ||
      !config.key ||
      !config.argsFromKeys ||
      config.resolve ||
      config.valuesFromResults ||
      config.args
    )
      throw new Unplannable(`the merge of ${type.name} into ${subschema.name} is not a batched key rule`);
    const keySelection = merged.selectionSets.get(subschema);
    if (!keySelection) throw new Unplannable(`no key selection for ${type.name} in ${subschema.name}`);
    for (const s of keySelection.selections) {
      if (s.kind !== Kind.FIELD || s.selectionSet || s.alias)
        throw new Unplannable(`key of ${type.name} is not a list of plain fields`);
      if (!hasField(parent.subschema, type.name, s.name.value))
        throw new Unplannable(`key field ${type.name}.${s.name.value} is not in ${parent.subschema.name}`);
      addSelection(parentTree, s.name.value, s.name.value, [], '');
    }
    const argNames = Object.keys(config.argsFromKeys([]));
    const draft: DraftFetch = {
      subschema,
      path,
      merge: {
        typeName: type.name,
        fieldName: config.fieldName,
        key: config.key as EntityMerge['key'],
        argsFromKeys: config.argsFromKeys as EntityMerge['argsFromKeys'],
        argNames,
        maxBatchSize: config.dataLoaderOptions?.maxBatchSize ?? Number.POSITIVE_INFINITY,
      },
      tree: new Map(),
      provides: [],
      children: new Map(),
    };
    parent.children.set(id, draft);
    return draft;
  }
}

function hasField(subschema: Subschema, typeName: string, fieldName: string): boolean {
  const type = subschema.transformedSchema.getType(typeName);
  return isObjectType(type) && fieldName in type.getFields();
}

function printArgs(args: readonly ArgumentNode[]): string {
  return args.length ? `(${args.map((a) => print(a)).join(', ')})` : '';
}

function addSelection(
  tree: Map<string, Selection>,
  key: string,
  name: string,
  args: readonly ArgumentNode[],
  printedDirectives: string,
): Selection {
  const printedArgs = printArgs(args);
  const existing = tree.get(key);
  if (existing) {
    if (existing.name !== name || existing.printedArgs !== printedArgs)
      throw new Unplannable(`response key ${key} is taken by another field`);
    // Needed under two conditions (or as a merge key): fetched always, the answer decides.
    if (existing.printedDirectives !== printedDirectives) existing.printedDirectives = '';
    return existing;
  }
  const selection: Selection = { name, args, printedArgs, printedDirectives };
  tree.set(key, selection);
  return selection;
}

function printDirectives(node: FieldNode): string {
  return node.directives?.length ? ` ${node.directives.map((d) => print(d)).join(' ')}` : '';
}

function printTree(tree: Map<string, Selection>): string {
  if (tree.size === 0) return '{ __typename }';
  const parts: string[] = [];
  for (const [key, s] of tree) {
    const head = `${key === s.name ? '' : `${key}: `}${s.name}${s.printedArgs}${s.printedDirectives}`;
    parts.push(s.sub ? `${head} ${printTree(s.sub)}` : head);
  }
  return `{ ${parts.join(' ')} }`;
}

function finishFetch(draft: DraftFetch, operation: OperationDefinitionNode): Fetch {
  const { subschema, merge } = draft;
  let body = printTree(draft.tree);
  const keyVariables: string[] = [];
  if (merge) {
    const queryType = subschema.schema.getQueryType();
    const field = queryType?.getFields()[merge.fieldName];
    if (!field) throw new Unplannable(`${subschema.name} has no merge field ${merge.fieldName}`);
    const returned = getNamedType(field.type);
    if (!isList(field.type)) throw new Unplannable(`${merge.fieldName} does not return a list`);
    // The field is the subschema's own (it may be hidden from the one schema), so its types have the
    // subschema's names; the merge rule says it answers `merge.typeName` objects.
    if (isAbstractType(returned)) body = `{ ... on ${merge.typeName} ${body} }`;
    const args: string[] = [];
    for (const argName of merge.argNames) {
      const arg = field.args.find((a) => a.name === argName);
      if (!arg) throw new Unplannable(`${merge.fieldName} has no argument ${argName}`);
      if (!isScalarType(getNamedType(arg.type)))
        throw new Unplannable(`${merge.fieldName}(${argName}:) takes input objects`);
      keyVariables.push(`$__key_${argName}: ${arg.type.toString()}`);
      args.push(`${argName}: $__key_${argName}`);
    }
    body = `{ ${merge.fieldName}(${args.join(', ')}) ${body} }`;
  }
  const used = new Set<string>();
  visit(parse(`query ${body}`), {
    Variable: (node) => {
      if (!node.name.value.startsWith('__key_')) used.add(node.name.value);
    },
  });
  const definitions = (operation.variableDefinitions ?? []).filter((d) => used.has(d.variable.name.value));
  const declared = [...keyVariables, ...definitions.map((d) => print(d))];
  const document = inSubschemaNames(
    subschema,
    parse(`query${declared.length ? `(${declared.join(', ')})` : ''} ${body}`, { noLocation: true }),
  );
  return {
    subschema,
    label: subschema.name ?? 'subschema',
    document,
    variableNames: definitions.map((d) => d.variable.name.value),
    path: draft.path,
    ...(merge ? { merge } : {}),
    provides: draft.provides,
    children: [...draft.children.values()].map((c) => finishFetch(c, operation)),
  };
}

/** The subschema's transforms rewrite the document as they rewrite every delegated request. */
function inSubschemaNames(subschema: Subschema, document: DocumentNode): DocumentNode {
  let request: ExecutionRequest = { document, variables: {}, operationType: OperationTypeNode.QUERY };
  // As stitching applies them to a request: the last transform first.
  for (const transform of [...subschema.transforms].reverse()) {
    if (transform.transformRequest)
      request = transform.transformRequest(request, { subschema } as never, {} as never);
  }
  return request.document;
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(type) || ('ofType' in type && isListType(type.ofType));
}
