import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPHIQL_CSP } from '../gateway/graphiql.ts';
import { startTestHub, type TestHub } from './kit/test-hub.ts';

/** Every URL a page or script names that the browser would fetch. */
function fetchedUrls(html: string): string[] {
  return [...html.matchAll(/\b(?:src|href)\s*=\s*"([^"]+)"/g)].map((m) => m[1]!);
}

describe('GraphiQL served offline', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('serves the page with a policy that forbids any other origin', async () => {
    const response = await fetch(`${hub.url}/graphiql`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toBe(GRAPHIQL_CSP);
    for (const directive of csp.split(';').map((d) => d.trim())) {
      const sources = directive.split(/\s+/).slice(1);
      // Only our own origin, inline styles and data:/blob: URLs made in the page: no host is named.
      expect(
        sources.every((s) => ["'self'", "'none'", "'unsafe-inline'", 'data:', 'blob:'].includes(s)),
      ).toBe(true);
    }
  });

  it('names only assets of our own origin, and each is served', async () => {
    const html = await (await fetch(`${hub.url}/graphiql`)).text();
    expect(html).not.toMatch(/https?:\/\//);
    const urls = fetchedUrls(html);
    expect(urls.length).toBeGreaterThanOrEqual(4);
    for (const url of urls) {
      expect(url.startsWith('/') || url.startsWith('data:')).toBe(true);
      if (url.startsWith('data:')) continue;
      const asset = await fetch(new URL(url, hub.url));
      expect(asset.status, url).toBe(200);
      await asset.arrayBuffer();
    }
  });

  it('serves the editor workers from our origin', async () => {
    const boot = await (await fetch(`${hub.url}/graphiql/assets/boot.js`)).text();
    const files = [...boot.matchAll(/'([\w.]+\.bundle\.js)'/g)].map((m) => m[1]!);
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) {
      const worker = await fetch(`${hub.url}/graphiql/assets/workers/${file}`);
      expect(worker.status, file).toBe(200);
      expect(await worker.text()).not.toMatch(/importScripts\(\s*["']https?:/);
    }
  });

  it('does not serve files outside the asset folder', async () => {
    const response = await fetch(`${hub.url}/graphiql/assets/workers/..%2f..%2fpackage.json`);
    expect(response.status).toBeGreaterThanOrEqual(400);
  });
});
