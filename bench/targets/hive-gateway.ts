import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import { serveUntilParentGoes } from '../kit/child-process.ts';

/**
 * Hive Gateway serving the bench supergraph (argv[2]: its SDL as JSON text), as its CLI's
 * `hive-gateway supergraph` does — the gateway runtime on a node:http server, one process (fork 1) —
 * with its default stitching runtime, or with `--router` the Hive Router runtime (the Rust query
 * planner and its executor), as `--hive-router-runtime` / HIVE_ROUTER_RUNTIME=true turn on.
 * In-flight deduplication of upstream requests is switched off (the HTTP transport has it on by
 * default), so every gateway request's upstream requests reach the subgraphs and are counted there.
 */
const supergraph = JSON.parse(process.argv[2]!) as string;
const router = process.argv.includes('--router');

const gateway = createGatewayRuntime({
  supergraph,
  ...(router ? { unifiedGraphHandler } : {}),
  transportEntries: { '*.http': { options: { deduplicateInflightRequests: false } } },
  logging: 'error',
  graphiql: false,
  landingPage: false,
});
const server = http.createServer(gateway);
server.keepAliveTimeout = 30_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;

serveUntilParentGoes({ url: `http://127.0.0.1:${port}/graphql` }, async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await gateway.dispose();
});
