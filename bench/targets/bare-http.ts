import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveUntilParentGoes } from '../kit/child-process.ts';

/**
 * The ceiling: a bare node:http server that reads the request body and answers the precomputed
 * response bytes for it (argv[2]: a JSON file of `{ [requestBody]: responseText }`). No GraphQL at all.
 */
const answers = new Map<string, Buffer>(
  Object.entries(JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Record<string, string>).map(
    ([request, response]) => [request, Buffer.from(response, 'utf8')],
  ),
);

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const bytes = answers.get(Buffer.concat(chunks).toString('utf8'));
    if (!bytes) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"errors":[{"message":"no precomputed answer for this request"}]}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': bytes.length });
    res.end(bytes);
  });
});
server.keepAliveTimeout = 30_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;
serveUntilParentGoes({ url: `http://127.0.0.1:${port}/graphql` }, async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
