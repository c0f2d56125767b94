import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface LoopbackServer {
  url: string;
  /** Ends open connections (a hanging request included) and stops listening. */
  close(): Promise<void>;
}

/** Starts a simulator's HTTP app on 127.0.0.1 (a free port unless one is given). */
export async function listenOnLoopback(app: Express, port = 0): Promise<LoopbackServer> {
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
