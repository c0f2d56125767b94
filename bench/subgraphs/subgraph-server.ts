import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type DocumentNode,
  execute,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  parse,
  validate,
} from 'graphql';

/** What a subgraph was asked, counted where the request arrives (the truth about upstream traffic). */
export interface SubgraphCounts {
  /** POST /graphql requests, whatever they asked. */
  requests: number;
  /** Requests whose operation selects `_entities` (a merge hop). */
  entityRequests: number;
  /** Representations asked for in those requests. */
  representations: number;
}

/** Faults the bench switches a subgraph into, per query shape. */
export interface SubgraphFaults {
  /** Each answer waits a uniformly drawn delay in this range, in ms. */
  delayMs: [number, number] | null;
  /** Every GraphQL request is answered 503. */
  down: boolean;
}

export interface RunningSubgraph {
  url: string;
  close(): Promise<void>;
}

interface PreparedDocument {
  document: DocumentNode;
  selectsEntities: boolean;
  errors: readonly { message: string }[];
}

/**
 * A subgraph as a small node:http GraphQL server on loopback. Documents are parsed and validated once
 * per distinct text, so the subgraphs cost the same under every gateway and stay cheap next to it.
 * `/__bench/counts` (GET), `/__bench/reset` and `/__bench/faults` (POST) are the harness's controls.
 */
export async function startSubgraphServer(schema: GraphQLSchema, port = 0): Promise<RunningSubgraph> {
  const documents = new Map<string, PreparedDocument>();
  let counts: SubgraphCounts = { requests: 0, entityRequests: 0, representations: 0 };
  let faults: SubgraphFaults = { delayMs: null, down: false };

  const prepare = (query: string): PreparedDocument => {
    let prepared = documents.get(query);
    if (!prepared) {
      try {
        const document = parse(query);
        const operation = document.definitions.find(
          (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
        );
        const selectsEntities =
          operation?.selectionSet.selections.some(
            (s) => s.kind === Kind.FIELD && s.name.value === '_entities',
          ) ?? false;
        prepared = { document, selectsEntities, errors: validate(schema, document) };
      } catch (error) {
        prepared = {
          document: { kind: Kind.DOCUMENT, definitions: [] },
          selectsEntities: false,
          errors: [error as Error],
        };
      }
      if (documents.size < 1000) documents.set(query, prepared);
    }
    return prepared;
  };

  const answer = (res: http.ServerResponse, status: number, body: string) => {
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (req.url === '/__bench/counts') return answer(res, 200, JSON.stringify(counts));
      if (req.url === '/__bench/reset') {
        counts = { requests: 0, entityRequests: 0, representations: 0 };
        return answer(res, 200, '{}');
      }
      if (req.url === '/__bench/faults') {
        faults = { delayMs: null, down: false, ...(JSON.parse(text) as Partial<SubgraphFaults>) };
        return answer(res, 200, '{}');
      }
      if (req.method !== 'POST' || !req.url?.startsWith('/graphql')) return answer(res, 404, '{}');
      counts.requests++;
      const respond = () => {
        if (faults.down)
          return answer(res, 503, '{"errors":[{"message":"the system is down for maintenance"}]}');
        let body: { query?: string; variables?: Record<string, unknown>; operationName?: string };
        try {
          body = JSON.parse(text) as typeof body;
        } catch {
          return answer(res, 400, '{"errors":[{"message":"body is not JSON"}]}');
        }
        const prepared = prepare(body.query ?? '');
        if (prepared.selectsEntities) {
          counts.entityRequests++;
          const reps = Object.values(body.variables ?? {}).find(Array.isArray) as unknown[] | undefined;
          counts.representations += reps?.length ?? 0;
        }
        if (prepared.errors.length > 0) {
          return answer(
            res,
            400,
            JSON.stringify({ errors: prepared.errors.map((e) => ({ message: e.message })) }),
          );
        }
        const result = execute({
          schema,
          document: prepared.document,
          variableValues: body.variables ?? null,
          operationName: body.operationName ?? null,
        });
        // Every resolver here is synchronous.
        answer(res, 200, JSON.stringify(result));
      };
      if (faults.delayMs) {
        const [min, max] = faults.delayMs;
        setTimeout(respond, min + Math.random() * (max - min));
      } else {
        respond();
      }
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/graphql`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
