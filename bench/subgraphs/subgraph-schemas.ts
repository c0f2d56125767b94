import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { caseByNumber, caseList, certificateFor, registrationFor } from './bench-data.ts';

/**
 * The bench's three subgraphs, as Apollo Federation v2 subgraphs so that every gateway under test can
 * serve them unchanged: the hall's cases; the real-estate registry (a department) adding a
 * registration to each case; a certificate service adding the issued certificate to a registration
 * (the third hop of the chain). Entities are resolved in batches through `_entities`, which is also
 * what our stitched gateway merges through (see bench-subschemas.ts).
 */
export interface BenchSubgraph {
  name: 'cases' | 'real_estate' | 'certificates';
  /** The SDL as composition reads it (with `@link`). */
  sdl: string;
  /** The same SDL plus federation's own definitions, for executing and stitching it. */
  executableSdl: string;
  /** Entity types this subgraph resolves through `_entities`, and their key field. */
  entities: Record<string, string>;
  build(): GraphQLSchema;
}

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])\n';

function federationAdditions(entityTypes: string[]): string {
  return `
directive @key(fields: FieldSet!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE
scalar FieldSet
scalar _Any
type _Service { sdl: String }
union _Entity = ${entityTypes.join(' | ')}
extend type Query {
  _entities(representations: [_Any!]!): [_Entity]!
  _service: _Service!
}
`;
}

type Representation = { __typename: string } & Record<string, unknown>;

function subgraph(
  name: BenchSubgraph['name'],
  body: string,
  entities: Record<string, string>,
  resolveEntity: (rep: Representation) => unknown,
  resolvers: Record<string, Record<string, unknown>>,
): BenchSubgraph {
  const sdl = LINK + body;
  // A subgraph without root fields of its own still needs a Query type for `_entities`.
  const queryStub = body.includes('type Query') ? '' : 'type Query { _placeholder: Boolean }\n';
  const executableSdl = body + queryStub + federationAdditions(Object.keys(entities));
  return {
    name,
    sdl,
    executableSdl,
    entities,
    build: () =>
      makeExecutableSchema({
        typeDefs: executableSdl,
        resolvers: {
          ...resolvers,
          Query: {
            ...resolvers.Query,
            _entities: (_: unknown, args: { representations: Representation[] }) =>
              args.representations.map(resolveEntity),
            _service: () => ({ sdl }),
          },
          _Entity: { __resolveType: (value: { __typename: string }) => value.__typename },
        },
      }),
  };
}

export const casesSubgraph = subgraph(
  'cases',
  `type Query {
  "The newest cases of the hall."
  cases(first: Int!): [Case!]!
}

type Case @key(fields: "number") {
  number: String!
  status: String!
  itemCode: String!
  itemName: String!
  applicantName: String!
  receivedOn: String!
  "Long free text (the large-response shape asks for it)."
  notes: String!
}
`,
  { Case: 'number' },
  (rep) => {
    const found = caseByNumber(String(rep.number));
    return found ? { __typename: 'Case', ...found } : null;
  },
  { Query: { cases: (_: unknown, { first }: { first: number }) => caseList(first) } },
);

export const realEstateSubgraph = subgraph(
  'real_estate',
  `type Case @key(fields: "number") {
  number: String!
  "The case's registration at the real-estate registry; null when it holds none."
  registration: Registration
}

type Registration @key(fields: "id") {
  id: ID!
  status: String!
  type: String!
  receivedAt: String!
  property: Property
  remarks: String!
}

type Property {
  unitNumber: String!
  location: String!
  floorArea: Float!
  mortgaged: Boolean!
}
`,
  { Case: 'number', Registration: 'id' },
  (rep) => {
    if (rep.__typename === 'Case') return { __typename: 'Case', number: rep.number };
    const serial = Number(String(rep.id).slice(-6));
    const registration = registrationFor(`410900-20261125-${String(serial).padStart(6, '0')}`);
    return registration ? { __typename: 'Registration', ...registration } : null;
  },
  { Case: { registration: (c: { number: string }) => registrationFor(c.number) } },
);

export const certificatesSubgraph = subgraph(
  'certificates',
  `type Registration @key(fields: "id") {
  id: ID!
  "The certificate issued on the registration; null while none is."
  certificate: Certificate
}

type Certificate {
  number: String!
  kind: String!
  issuedOn: String!
}
`,
  { Registration: 'id' },
  (rep) => ({ __typename: 'Registration', id: rep.id }),
  { Registration: { certificate: (r: { id: string }) => certificateFor(r.id) } },
);

export const benchSubgraphs: BenchSubgraph[] = [casesSubgraph, realEstateSubgraph, certificatesSubgraph];
