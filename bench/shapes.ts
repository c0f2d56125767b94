import { caseList } from './subgraphs/bench-data.ts';
import type { SubgraphFaults } from './subgraphs/subgraph-server.ts';

/**
 * The query shapes the gateway bench runs. `hops` names the subgraph each fetch goes to, in order:
 * the first is the root fetch, each further one a merge hop; the bench counts requests per hop at the
 * subgraphs and expects exactly one each per gateway request.
 */
export interface QueryShape {
  id: string;
  title: string;
  query: string;
  variables: Record<string, unknown>;
  /** Concurrent connections of the load generator. */
  connections: number;
  hops: ('cases' | 'real_estate' | 'certificates')[];
  /** Faults of the real-estate subgraph while this shape runs. */
  realEstateFaults?: Partial<SubgraphFaults>;
  /** Targets that do not call subgraphs (the bare server, the one process) cannot play this shape. */
  gatewaysOnly?: boolean;
  /** Targets answer differently by design (error wording): bytes are compared per target, not across. */
  bytesMayDiffer?: boolean;
}

const LIST = `query CaseList($first: Int!) {
  cases(first: $first) {
    number
    status
    itemName
    applicantName
    receivedOn
    registration { id status type property { location floorArea mortgaged } }
  }
}`;

const CHAIN = `query CaseCertificates($first: Int!) {
  cases(first: $first) {
    number
    status
    registration { id status certificate { number kind issuedOn } }
  }
}`;

const LARGE = `query CaseDossiers($first: Int!) {
  cases(first: $first) {
    number
    status
    notes
    registration { id status remarks property { unitNumber location } }
  }
}`;

export const shapes: QueryShape[] = [
  {
    id: 'list-20',
    title: 'merged list, 20 items, one merge hop (the headline shape)',
    query: LIST,
    variables: { first: 20 },
    connections: 50,
    hops: ['cases', 'real_estate'],
  },
  {
    id: 'list-1',
    title: 'merged list, 1 item',
    query: LIST,
    variables: { first: 1 },
    connections: 50,
    hops: ['cases', 'real_estate'],
  },
  {
    id: 'list-200',
    title: 'merged list, 200 items',
    query: LIST,
    variables: { first: 200 },
    connections: 50,
    hops: ['cases', 'real_estate'],
  },
  {
    id: 'chain-3',
    title: 'three-hop chain, 20 items: case → registration → certificate',
    query: CHAIN,
    variables: { first: 20 },
    connections: 50,
    hops: ['cases', 'real_estate', 'certificates'],
  },
  {
    id: 'large',
    title: 'large response: 200 dossiers with long texts (about 2.6 MB)',
    query: LARGE,
    variables: { first: 200 },
    connections: 10,
    hops: ['cases', 'real_estate'],
  },
  {
    id: 'slow-department',
    title: 'merged list, 20 items, the department answers in 5–50 ms',
    query: LIST,
    variables: { first: 20 },
    connections: 50,
    hops: ['cases', 'real_estate'],
    realEstateFaults: { delayMs: [5, 50] },
    gatewaysOnly: true,
  },
  {
    id: 'department-down',
    title: 'merged list, 20 items, the department answers 503',
    query: LIST,
    variables: { first: 20 },
    connections: 50,
    hops: ['cases', 'real_estate'],
    realEstateFaults: { down: true },
    gatewaysOnly: true,
    bytesMayDiffer: true,
  },
];

/** The request body every target receives for a shape (the same bytes for all). */
export function requestBody(shape: QueryShape): string {
  return JSON.stringify({ query: shape.query, variables: shape.variables });
}

/**
 * The merge hop of the headline shape asked of the real-estate subgraph directly: the registrations
 * of the first `first` cases by their numbers, as a gateway asks for them.
 */
export function directMergeBody(first: number): string {
  return JSON.stringify({
    query: `query($representations: [_Any!]!) { _entities(representations: $representations) {
  ... on Case { registration { id status type property { location floorArea mortgaged } } }
} }`,
    variables: {
      representations: caseList(first).map((c) => ({ __typename: 'Case', number: c.number })),
    },
  });
}

/** What the cases subgraph answers directly: the latency reference for one connection. */
export const DIRECT_SUBGRAPH_QUERY = `query CaseList($first: Int!) {
  cases(first: $first) { number status itemName applicantName receivedOn }
}`;
