import { createDefaultExecutor, type SubschemaConfig } from '@graphql-tools/delegate';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { ExecutionRequest, ExecutionResult } from '@graphql-tools/utils';
import { FilterRootFields } from '@graphql-tools/wrap';
import {
  execute,
  GraphQLError,
  type ExecutionResult as GraphQLResult,
  GraphQLScalarType,
  type GraphQLSchema,
  getOperationAST,
  Kind,
  parse,
} from 'graphql';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { planningGateway } from '../gateway/plan/plan-executor.ts';
import { planQuery, Unplannable } from '../gateway/plan/query-plan.ts';
import { stitchGatewaySchema } from '../gateway/stitch.ts';

/**
 * The planner against stitching itself: every query here runs both ways on one stitched schema of two
 * subschemas (cases, and a registry merging into Case and Person), and the answers — data, errors,
 * their paths and locations — must be the same JSON. The registry is asked through an executor that
 * counts requests and can be made to fail, return partial errors, or leave entities out.
 */

const CASES_SDL = /* GraphQL */ `
  type Query {
    cases(first: Int!): [Case!]!
    maybeCases(first: Int!): [Case]
    case(number: String!): Case
    tags: [String]
    total: Int!
  }
  enum Status { OPEN CLOSED }
  type Case {
    number: String!
    status: Status!
    title: String
    flaky: String
    strict: String
    owner: Person!
    history: [[String!]]
  }
  type Person { id: ID! name: String! }
`;

const REGISTRY_SDL = /* GraphQL */ `
  scalar DateTime
  type Query {
    casesByNumbers(numbers: [String!]!): [Case]!
    personsByIds(ids: [ID!]!): [Person]!
  }
  type Case { number: String! registration: Registration lateStrict: String! }
  type Registration { id: ID! area: Float! when: DateTime! notes(max: Int): String }
  type Person { id: ID! score: Int }
`;

interface RegistryFaults {
  down: boolean;
  /** Case numbers the registry answers with null (not registered there). */
  missing: Set<string>;
}

const faults: RegistryFaults = { down: false, missing: new Set() };
const requests: string[] = [];

const caseNumber = (i: number) => `C${String(i).padStart(3, '0')}`;

function casesSchema(): GraphQLSchema {
  const make = (i: number) => ({
    number: caseNumber(i),
    status: i % 2 ? 'closed' : 'open',
    title: i % 4 === 0 ? null : `title ${i}`,
    flaky: i,
    strict: i,
    owner: { id: `P${i % 3}`, name: `person ${i % 3}` },
    history: [['a', 'b'], [`${i}`]],
  });
  return makeExecutableSchema({
    typeDefs: CASES_SDL,
    resolvers: {
      Status: { OPEN: 'open', CLOSED: 'closed' },
      Query: {
        cases: (_: unknown, { first }: { first: number }) => Array.from({ length: first }, (_, i) => make(i)),
        maybeCases: (_: unknown, { first }: { first: number }) =>
          Array.from({ length: first }, (_, i) => (i === 2 ? null : make(i))),
        case: (_: unknown, { number }: { number: string }) =>
          number === 'none' ? null : make(Number(number.slice(1))),
        tags: () => ['x', null, 'y'],
        total: () => 42,
      },
      Case: {
        // Every fifth case's flaky field fails; every seventh's non-null `strict` is null.
        flaky: (c: { flaky: number }) => {
          if (c.flaky % 5 === 0)
            throw new GraphQLError(`flaky ${c.flaky} failed`, { extensions: { code: 'X' } });
          return `ok ${c.flaky}`;
        },
        strict: (c: { strict: number }) => (c.strict % 7 === 6 ? null : `s${c.strict}`),
      },
    },
  });
}

function registrySchema(): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs: REGISTRY_SDL,
    resolvers: {
      DateTime: new GraphQLScalarType({
        name: 'DateTime',
        serialize: (v) => (v instanceof Date ? v.toISOString() : String(v)),
        parseValue: (v) => new Date(String(v)),
      }),
      Query: {
        casesByNumbers: (_: unknown, { numbers }: { numbers: string[] }) =>
          numbers.map((n) => (faults.missing.has(n) ? null : { number: n })),
        personsByIds: (_: unknown, { ids }: { ids: string[] }) =>
          ids.map((id) => ({ id, score: Number(id.slice(1)) * 10 })),
      },
      Case: {
        registration: ({ number }: { number: string }) => {
          const i = Number(number.slice(1));
          if (i % 6 === 5) throw new GraphQLError(`registration of ${number} unreadable`);
          return i % 3 === 2
            ? null
            : { id: `R${i}`, area: i + 0.5, when: new Date(Date.UTC(2026, 0, i + 1)), i };
        },
        lateStrict: ({ number }: { number: string }) => (number === caseNumber(9) ? null : `late ${number}`),
      },
      Registration: {
        notes: ({ i }: { i: number }, { max }: { max?: number }) => `notes of ${i}`.slice(0, max ?? 100),
      },
    },
  });
}

const caseArgs = (numbers: readonly string[]) => ({ numbers });

async function stitched(argsFromKeys = caseArgs): Promise<GraphQLSchema> {
  const cases: SubschemaConfig = { schema: casesSchema() };
  const registry = registrySchema();
  const local = createDefaultExecutor(registry);
  const executor = async (request: ExecutionRequest): Promise<ExecutionResult> => {
    requests.push(request.document.definitions.length ? 'registry' : '');
    if (faults.down)
      return { errors: [new GraphQLError('the registry is down', { extensions: { code: 'DOWN' } })] };
    return (await local(request)) as ExecutionResult;
  };
  const registryConfig: SubschemaConfig = {
    schema: registry,
    executor,
    transforms: [new FilterRootFields(() => false)],
    merge: {
      Case: {
        selectionSet: '{ number }',
        fieldName: 'casesByNumbers',
        key: ({ number }: { number: string }) => number,
        argsFromKeys,
        dataLoaderOptions: { maxBatchSize: 8 },
      },
      Person: {
        selectionSet: '{ id }',
        fieldName: 'personsByIds',
        key: ({ id }: { id: string }) => id,
        argsFromKeys: (ids: readonly string[]) => ({ ids }),
      },
    },
  };
  return stitchGatewaySchema([
    { name: 'cases', build: () => cases },
    { name: 'registry', build: () => registryConfig },
  ]);
}

let schema: GraphQLSchema;
let executor: (
  query: string,
  variables?: Record<string, unknown>,
  operationName?: string,
) => Promise<GraphQLResult>;

beforeAll(async () => {
  schema = await stitched();
  const gateway = planningGateway(schema);
  const loaded = await gateway.load({ apollo: {} });
  executor = async (query, variables = {}, operationName) => {
    const document = parse(query);
    return loaded.executor!({
      document,
      operation: getOperationAST(document, operationName)!,
      operationName: operationName ?? null,
      context: {},
      queryHash: query,
      request: { query, variables },
      // biome-ignore lint/suspicious/noExplicitAny: the rest of Apollo's request context is not read
    } as any);
  };
});

beforeEach(() => {
  faults.down = false;
  faults.missing = new Set();
  requests.length = 0;
});

const json = (result: GraphQLResult) =>
  JSON.parse(
    JSON.stringify({ data: result.data, errors: result.errors?.map((e) => (e as GraphQLError).toJSON()) }),
  );

type JsonError = { message: string; path?: (string | number)[]; locations?: unknown; extensions?: unknown };

/**
 * Data must be the same JSON both ways, and so must errors from the root subschema. Errors of a merged
 * subschema are the same errors with the same messages, but stitching leaves list indexes out of their
 * paths (`["cases", "registration"]`) and their locations off: the planner's paths point at the very
 * field in the answer, as the GraphQL specification asks, which this checks too.
 */
async function bothWays(query: string, variables: Record<string, unknown> = {}, exact = true) {
  const document = parse(query);
  const operation = getOperationAST(document)!;
  expect(() => planQuery(schema, document, operation)).not.toThrow();
  requests.length = 0;
  const planned = json(await executor(query, variables));
  const plannedRequests = requests.length;
  requests.length = 0;
  const stitchedResult = json(
    (await execute({ schema, document, variableValues: variables, contextValue: {} })) as GraphQLResult,
  );
  if (exact) expect(planned).toEqual(stitchedResult);
  else {
    expect(planned.data).toEqual(stitchedResult.data);
    const comparable = (errors: JsonError[] = []) =>
      errors
        .map((e) => ({
          message: e.message,
          path: e.path?.filter((p) => typeof p === 'string'),
          extensions: e.extensions,
        }))
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(comparable(planned.errors)).toEqual(comparable(stitchedResult.errors));
    for (const error of (planned.errors ?? []) as JsonError[]) {
      expect(error.locations).toBeDefined();
      // The path leads through the answer to a null (the field itself, or where its null bubbled to).
      let at: unknown = planned.data;
      for (const key of error.path!) {
        if (at === null) break;
        at = (at as Record<string | number, unknown>)[key];
      }
      expect(at ?? null).toBeNull();
    }
  }
  return { planned, plannedRequests, stitchedRequests: requests.length };
}

describe('a planned query answers exactly as stitching', () => {
  it('a merged list: fields of both subschemas, aliases, __typename, enums and a custom scalar', async () => {
    const { planned, plannedRequests, stitchedRequests } = await bothWays(
      `query($first: Int!, $max: Int) {
        total
        list: cases(first: $first) {
          __typename number state: status title
          registration { __typename id area when notes(max: $max) }
          owner { id name score }
          history
        }
      }`,
      { first: 4, max: 5 },
    );
    expect(planned.data.list).toHaveLength(4);
    expect(planned.data.list[0].state).toBe('OPEN');
    expect(planned.data.list[0].registration.when).toBe('2026-01-01T00:00:00.000Z');
    // One request for the cases' registrations and one for their owners, each way.
    expect(plannedRequests).toBe(2);
    expect(stitchedRequests).toBe(2);
  });

  it('splits keys into batches of the merge rule`s maxBatchSize, as stitching does', async () => {
    const { plannedRequests, stitchedRequests } = await bothWays(
      '{ cases(first: 20) { number registration { id } } }',
      {},
      false,
    );
    expect(plannedRequests).toBe(3);
    expect(stitchedRequests).toBe(3);
  });

  it('fragments, repeated fields and a field of the registry only', async () => {
    await bothWays(`
      query { case(number: "C004") { ...A ... on Case { number lateStrict } registration { id } registration { area } } }
      fragment A on Case { number status owner { ...P } }
      fragment P on Person { name score }
    `);
  });

  it('errors of the root subschema keep their paths; nulls bubble to the nearest nullable field', async () => {
    const { planned } = await bothWays('{ maybeCases(first: 12) { number flaky strict } tags }');
    expect(planned.errors.length).toBeGreaterThan(0);
    // `strict` is nullable here, `cases` holds non-null items: the whole list bubbles away.
    await bothWays('{ cases(first: 12) { number flaky } total }');
  });

  it('errors and nulls of the merged subschema: a failing field, a missing entity, a null non-null field', async () => {
    faults.missing = new Set([caseNumber(3)]);
    const { planned } = await bothWays(
      '{ maybeCases(first: 12) { number registration { id area } lateStrict } }',
      {},
      false,
    );
    expect(planned.errors.map((e: { path: unknown[] }) => e.path)).toContainEqual([
      'maybeCases',
      5,
      'registration',
    ]);
  });

  it('a department that is down: its fields are null with its error, the rest answers', async () => {
    faults.down = true;
    const { planned } = await bothWays(
      '{ maybeCases(first: 3) { number registration { id } } total }',
      {},
      false,
    );
    expect(planned.data.total).toBe(42);
    expect(planned.errors[0].message).toBe('the registry is down');
  });

  it('a root field that answers null and an empty list send no merge request', async () => {
    const { plannedRequests } = await bothWays('{ case(number: "none") { number registration { id } } }');
    expect(plannedRequests).toBe(0);
    await bothWays('{ cases(first: 0) { number registration { id } } }');
  });

  it.each([[{ on: true }], [{ on: false }], [{ on: false, off: true }]])(
    '@skip and @include on fields of both subschemas, with %j',
    async (variables) => {
      await bothWays(
        `query($on: Boolean!, $off: Boolean = false) {
        total @skip(if: $on)
        cases(first: 3) {
          number
          status @include(if: $off)
          registration @skip(if: $off) { id area @include(if: $on) }
          owner @include(if: $off) { name score @skip(if: $on) }
        }
      }`,
        variables,
      );
    },
  );

  it('a merge key the answer leaves out is still fetched for the merge (stitching answers null here)', async () => {
    const query = 'query($on: Boolean!) { cases(first: 3) { number @include(if: $on) registration { id } } }';
    const document = parse(query);
    expect(() => planQuery(schema, document, getOperationAST(document)!)).not.toThrow();
    const shown = json(await executor(query, { on: true }));
    const hidden = json(await executor(query, { on: false }));
    expect(shown.data.cases.map((c: { registration: unknown }) => c.registration)).toEqual([
      { id: 'R0' },
      { id: 'R1' },
      null,
    ]);
    expect(hidden.data.cases).toEqual(
      shown.data.cases.map((c: { registration: unknown }) => ({ registration: c.registration })),
    );
    // Stitching drops the key together with the skipped field, and the merge then finds nothing.
    const stitchedHidden = await execute({
      schema,
      document,
      variableValues: { on: false },
      contextValue: {},
    });
    expect((stitchedHidden.data as { cases: { registration: unknown }[] }).cases[0]!.registration).toBeNull();
  });

  it('bad variables are refused before anything is sent', async () => {
    const result = await executor('query($first: Int!) { cases(first: $first) { number } }', { first: 'x' });
    expect(result.errors?.[0]?.message).toMatch(/Variable "\$first" got invalid value "x"/);
  });
});

describe('what the planner leaves to stitching still answers', () => {
  const cases: [string, string][] = [
    ['a mutation-free introspection', '{ __schema { queryType { name } } }'],
    [
      '@include on a fragment',
      'query($on: Boolean!) { total cases(first: 2) { ... @include(if: $on) { number } } }',
    ],
    [
      'one field under two conditions',
      'query($on: Boolean!) { cases(first: 2) { number @include(if: $on) number @skip(if: $on) } }',
    ],
  ];
  it.each(cases)('%s', async (_title, query) => {
    const document = parse(query);
    expect(() => planQuery(schema, document, getOperationAST(document)!)).toThrow(Unplannable);
    const variables = { on: true };
    const viaGateway = await executor(query, variables);
    const direct = await execute({ schema, document, variableValues: variables, contextValue: {} });
    expect(viaGateway.errors).toBeUndefined();
    expect(json(viaGateway)).toEqual(json(direct as GraphQLResult));
  });

  it('the plan of a document is made once and used again', () => {
    const document = parse('{ cases(first: 1) { number registration { id } } }');
    const plan = planQuery(schema, document, getOperationAST(document)!);
    expect(plan.fetches).toHaveLength(1);
    expect(plan.fetches[0]!.children.map((c) => c.label)).toEqual(['registry']);
    expect(document.definitions[0]!.kind).toBe(Kind.OPERATION_DEFINITION);
  });
});

describe('a planner fault', () => {
  it('costs the document its plan, not its answer: stitching runs it and the fault is told', async () => {
    // Fine for stitching, which never calls it without keys; the planner does, to learn the names.
    const faulty = await stitched((numbers) => {
      if (numbers.length === 0) throw new TypeError('no keys');
      return { numbers };
    });
    const told: [string, boolean][] = [];
    const gateway = planningGateway(faulty, {
      onUnplannable: (reason, _name, fault) => told.push([reason, fault]),
    });
    const { executor: run } = await gateway.load({ apollo: {} });
    const query = '{ cases(first: 2) { number registration { id } } }';
    const document = parse(query);
    const context = { document, operation: getOperationAST(document)!, operationName: null, context: {} };
    // biome-ignore lint/suspicious/noExplicitAny: the rest of Apollo's request context is not read
    const request = { ...context, queryHash: query, request: { query, variables: {} } } as any;
    const first = await run!(request);
    const second = await run!(request);
    expect(first.errors).toBeUndefined();
    expect(first).toEqual(second);
    expect(first.data).toEqual({
      cases: [
        { number: 'C000', registration: { id: 'R0' } },
        { number: 'C001', registration: { id: 'R1' } },
      ],
    });
    // Told once: the document keeps its "no plan" with the reason.
    expect(told).toEqual([['the planner failed: no keys', true]]);
  });
});
