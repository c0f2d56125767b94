import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../gateway/config.ts';
import { loadPersistedDocuments } from '../gateway/persisted-documents.ts';
import { createTestDatabase, type TestDatabase } from './kit/test-database.ts';
import { startTestHub, type TestHub } from './kit/test-hub.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const ZONES = 'query Zones { zones { code name } }';
const ZONE_CODES = 'query ZoneCodes { zones { code } }';

async function post(hub: TestHub, body: unknown) {
  const response = await fetch(`${hub.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      data?: { zones: { code: string }[] };
      errors?: { message: string; extensions?: { code?: string } }[];
    },
  };
}

describe('persisted documents', () => {
  let db: TestDatabase;
  let open: TestHub;
  let only: TestHub;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'owh-persisted-'));
    // One manifest in each of the two formats front-end tooling writes.
    const plain = path.join(dir, 'persisted-documents.json');
    writeFileSync(plain, JSON.stringify({ [sha256(ZONES)]: ZONES }));
    const apollo = path.join(dir, 'persisted-query-manifest.json');
    writeFileSync(
      apollo,
      JSON.stringify({
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: [{ id: sha256(ZONE_CODES), name: 'ZoneCodes', type: 'query', body: ZONE_CODES }],
      }),
    );
    db = await createTestDatabase();
    open = await startTestHub({ db, env: { GRAPHQL_PERSISTED_DOCUMENTS: `${plain}, ${apollo}` } });
    only = await startTestHub({
      db,
      env: { GRAPHQL_PERSISTED_DOCUMENTS: `${plain},${apollo}`, GRAPHQL_PERSISTED_ONLY: 'true' },
    });
  });
  afterAll(async () => {
    await open?.close();
    await only?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a registered document by its id as it runs its text', async () => {
    const byText = await post(open, { query: ZONES });
    expect(byText.status).toBe(200);
    expect(byText.body.data!.zones.length).toBeGreaterThan(0);
    for (const documentId of [sha256(ZONES), `sha256:${sha256(ZONES)}`]) {
      const byId = await post(open, { documentId });
      expect(byId).toEqual(byText);
    }
    const byApolloHash = await post(open, {
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256(ZONE_CODES) } },
    });
    expect(byApolloHash.status).toBe(200);
    expect(byApolloHash.body.data!.zones.map((z) => z.code)).toEqual(
      byText.body.data!.zones.map((z) => z.code),
    );
  });

  it('runs a registered document by its id in a GET request', async () => {
    const response = await fetch(`${open.url}/graphql?documentId=${sha256(ZONE_CODES)}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { zones: { code: string }[] } };
    expect(body.data.zones.length).toBeGreaterThan(0);
  });

  it('refuses an unknown id, and an id sent with a different text', async () => {
    const unknown = await post(open, { documentId: sha256('{ zones { code } }') });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors![0]!.extensions!.code).toBe('PERSISTED_DOCUMENT_NOT_FOUND');
    expect(unknown.body.errors![0]!.message).toMatch(/GRAPHQL_PERSISTED_DOCUMENTS/);
    const mismatch = await post(open, { documentId: sha256(ZONES), query: ZONE_CODES });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.errors![0]!.message).toMatch(/both a document id and a different query/);
  });

  it('leaves an unregistered Apollo hash to automatic persisted queries while ad-hoc queries may run', async () => {
    const text = '{ zones { name } }';
    const first = await post(open, {
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256(text) } },
    });
    expect(first.body.errors![0]!.extensions!.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await post(open, {
      query: text,
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256(text) } },
    });
    expect(registered.status).toBe(200);
    const again = await post(open, {
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256(text) } },
    });
    expect(again).toEqual(registered);
  });

  it('runs nothing but registered documents where only they may run', async () => {
    const adHoc = await post(only, { query: '{ zones { code } }' });
    expect(adHoc.status).toBe(400);
    expect(adHoc.body.errors![0]!.extensions!.code).toBe('PERSISTED_DOCUMENT_REQUIRED');
    // Apollo's automatic registration is closed too.
    const text = '{ zones { name } }';
    const apq = await post(only, {
      query: text,
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256(text) } },
    });
    expect(apq.status).toBe(400);
    expect(apq.body.errors![0]!.extensions!.code).toBe('PERSISTED_DOCUMENT_NOT_FOUND');
    const get = await fetch(`${only.url}/graphql?query=${encodeURIComponent(text)}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(get.status).toBe(400);
    // What this step cannot read goes no further either.
    const unreadable = await fetch(
      `${only.url}/graphql?query=${encodeURIComponent(text)}&extensions=%7Bnot`,
      {
        headers: { 'apollo-require-preflight': 'true' },
      },
    );
    expect(unreadable.status).toBe(400);
    expect(((await unreadable.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(
      /`extensions` parameter is not JSON/,
    );
    const batch = await post(only, [{ documentId: sha256(ZONES) }]);
    expect(batch.status).toBe(400);
    expect(batch.body.errors![0]!.message).toMatch(/not a JSON object with a documentId/);
    // A registered document runs, by its id or by its very text.
    expect((await post(only, { documentId: sha256(ZONES) })).status).toBe(200);
    expect((await post(only, { query: ZONES })).status).toBe(200);
  });
});

describe('persisted documents: start-up checks', () => {
  const schema = buildSchema('type Query { zones: [String!]! }');
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'owh-persisted-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const manifest = (name: string, content: unknown) => {
    const file = path.join(dir, name);
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };

  it('names each entry the gateway could not run, and loads none of a bad list', () => {
    const good = '{ zones }';
    const file = manifest('bad.json', {
      [sha256(good)]: good,
      [sha256('{ zones }x')]: '{ zones }',
      [sha256('{ streets }')]: '{ streets }',
      [sha256('{ zones')]: '{ zones',
      ZONES: '{ zones }',
    });
    let error: unknown;
    try {
      loadPersistedDocuments([file], schema);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/is not the SHA-256 of the document/);
    expect(problems[1]).toMatch(/schema refuses it: Cannot query field "streets"/);
    expect(problems[2]).toMatch(/not a GraphQL document/);
    expect(problems[3]).toMatch(/document ZONES: an id is the SHA-256/);
    expect(loadPersistedDocuments([manifest('good.json', { [sha256(good)]: good })], schema).byId.size).toBe(
      1,
    );
  });

  it('refuses a manifest that is not one', () => {
    expect(() => loadPersistedDocuments([manifest('list.json', ['{ zones }'])], schema)).toThrow(
      /a JSON object of "<sha256>": "<document>"/,
    );
    expect(() => loadPersistedDocuments([manifest('text.json', 'not json')], schema)).toThrow(
      /cannot read the persisted documents/,
    );
    expect(() => loadPersistedDocuments([path.join(dir, 'missing.json')], schema)).toThrow(
      /missing\.json: cannot read/,
    );
  });

  it('wants the documents when only they may run', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', GRAPHQL_PERSISTED_ONLY: 'true' })).toThrow(
      /GRAPHQL_PERSISTED_ONLY: needs GRAPHQL_PERSISTED_DOCUMENTS/,
    );
    expect(
      loadConfig({ NODE_ENV: 'test', GRAPHQL_PERSISTED_DOCUMENTS: 'a.json, b.json' })
        .GRAPHQL_PERSISTED_DOCUMENTS,
    ).toEqual(['a.json', 'b.json']);
  });
});
