import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './kit/test-database.ts';
import { startTestHub, type TestHub } from './kit/test-hub.ts';

/**
 * The gateway answers plain JSON (the bytes every other GraphQL server and the bench's references
 * send) and marks every GraphQL answer `no-store`, as Apollo's cache-control plugin did before it
 * was switched off for speed.
 */
describe('gateway response bytes and headers', () => {
  let db: TestDatabase;
  let hub: TestHub;
  beforeAll(async () => {
    db = await createTestDatabase();
    hub = await startTestHub({ db });
  });
  afterAll(async () => {
    await hub?.close();
    await db?.drop();
  });

  async function post(body: string) {
    return fetch(`${hub.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
  }

  it('answers compact JSON without a trailing newline, marked no-store', async () => {
    const response = await post(JSON.stringify({ query: '{ zones { code } }' }));
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text).toBe(JSON.stringify(JSON.parse(text)));
    expect(text.endsWith('}')).toBe(true);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('marks error answers no-store too, in the same compact JSON', async () => {
    const response = await post(JSON.stringify({ query: '{ zones { nope } }' }));
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(text).toBe(JSON.stringify(JSON.parse(text)));
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});
