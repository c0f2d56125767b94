import { serveUntilParentGoes } from '../kit/child-process.ts';
import { benchSubgraphs } from './subgraph-schemas.ts';
import { startSubgraphServer } from './subgraph-server.ts';

/** The bench's subgraphs in one process of their own, each on its own loopback port. */
const servers = await Promise.all(benchSubgraphs.map((s) => startSubgraphServer(s.build())));
serveUntilParentGoes(
  Object.fromEntries(benchSubgraphs.map((s, i) => [s.name, servers[i]!.url])),
  async () => {
    await Promise.all(servers.map((s) => s.close()));
  },
);
