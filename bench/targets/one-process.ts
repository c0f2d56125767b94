import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type DocumentNode, execute, type GraphQLError, parse, validate } from 'graphql';
import { serveUntilParentGoes } from '../kit/child-process.ts';
import { buildOneProcessSchema } from './one-process-schema.ts';

/**
 * The reference without a gateway: the same schema front ends see, answered in one process from the
 * same data the subgraphs hold — graphql-js on node:http, documents parsed and validated once per
 * distinct text (as Apollo Server's and Yoga's document caches do), nothing else.
 */
const schema = buildOneProcessSchema();
const documents = new Map<string, { document: DocumentNode; errors: readonly GraphQLError[] }>();

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let body: string;
    let status = 200;
    try {
      const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        query: string;
        variables?: Record<string, unknown>;
        operationName?: string;
      };
      let prepared = documents.get(request.query);
      if (!prepared) {
        const document = parse(request.query);
        prepared = { document, errors: validate(schema, document) };
        if (documents.size < 1000) documents.set(request.query, prepared);
      }
      if (prepared.errors.length > 0) {
        status = 400;
        body = JSON.stringify({ errors: prepared.errors });
      } else {
        body = JSON.stringify(
          execute({
            schema,
            document: prepared.document,
            variableValues: request.variables ?? null,
            operationName: request.operationName ?? null,
          }),
        );
      }
    } catch (error) {
      status = 400;
      body = JSON.stringify({ errors: [{ message: (error as Error).message }] });
    }
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  });
});
server.keepAliveTimeout = 30_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;
serveUntilParentGoes({ url: `http://127.0.0.1:${port}/graphql` }, async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
