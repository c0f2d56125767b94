import { makeExecutableSchema } from '@graphql-tools/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubSubschema } from '../schema/subschemas.ts';
import { freePort } from './kit/redis-server.ts';
import { createTestDatabase, type TestDatabase } from './kit/test-database.ts';
import { startTestHub, type TestHub } from './kit/test-hub.ts';

/** A probe subschema that counts how often its resolver runs, to prove limits act before resolvers. */
function probeSubschema(counter: { calls: number }) {
  return {
    name: 'probe',
    build: () => ({
      schema: makeExecutableSchema({
        typeDefs: `
          """Probe"""
          type Query { """Counts calls""" probe: Node }
          """A node"""
          type Node { """Child""" child: Node """Value""" value: Int }`,
        resolvers: {
          Query: {
            probe: () => {
              counter.calls++;
              return {};
            },
          },
          Node: { child: () => ({}), value: () => 1 },
        },
      }),
    }),
  };
}

function nested(depth: number): string {
  return `{ probe { ${'child { '.repeat(depth)}value${' }'.repeat(depth)} } }`;
}

describe('gateway hardening (development mode)', () => {
  const counter = { calls: 0 };
  let db: TestDatabase;
  let hub: TestHub;
  beforeAll(async () => {
    db = await createTestDatabase();
    // Cost is tested on its own below; here it is out of the way of the other limits.
    hub = await startTestHub({
      db,
      subschemas: [hubSubschema, probeSubschema(counter)],
      env: { GRAPHQL_MAX_COST: '1000000' },
    });
  });
  afterAll(async () => {
    await hub?.close();
    await db?.drop();
  });

  it('stitches every registered subschema into one schema', async () => {
    const { body } = await hub.gql<{ probe: { value: number }; zones: unknown[] }>(
      '{ probe { value } zones { code } }',
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.probe.value).toBe(1);
    expect(body.data!.zones).toHaveLength(6);
  });

  it('rejects too deep, too many aliases, too many directives and too many tokens before any resolver runs', async () => {
    counter.calls = 0;
    const deep = await hub.gql(nested(20));
    expect(deep.status).toBe(400);
    expect(deep.body.errors![0]!.message).toMatch(/depth/i);
    const aliases = await hub.gql(
      `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: probe { value }`).join(' ')} }`,
    );
    expect(aliases.body.errors![0]!.message).toMatch(/aliases/i);
    const directives = await hub.gql(`{ probe { value ${'@include(if: true) '.repeat(60)} } }`);
    expect(directives.body.errors![0]!.message).toMatch(/directives/i);
    const tokens = await hub.gql(`{ probe { ${'value '.repeat(6000)} } }`);
    expect(tokens.body.errors![0]!.message).toMatch(/token/i);
    expect(counter.calls).toBe(0);
  });

  it('rejects a document over the cost limit before any resolver runs', async () => {
    const costly = await startTestHub({
      db,
      subschemas: [hubSubschema, probeSubschema(counter)],
      env: { GRAPHQL_MAX_COST: '100' },
    });
    try {
      counter.calls = 0;
      const { status, body } = await costly.gql(
        `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: probe { child { child { child { value } } } }`).join(' ')} }`,
      );
      expect(status).toBe(400);
      expect(body.errors![0]!.message).toMatch(/Cost limit of 100 exceeded/);
      expect(counter.calls).toBe(0);
      expect((await costly.gql('{ zones { items { checklist { name } } } }')).body.errors).toBeUndefined();
    } finally {
      await costly.close();
    }
  });

  it('turns off batched requests', async () => {
    const response = await fetch(`${hub.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ zones { code } }' }, { query: '{ zones { code } }' }]),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/batch/i);
  });

  it('prevents CSRF: a simple GET without a preflight header is refused', async () => {
    const response = await fetch(`${hub.url}/graphql?query=${encodeURIComponent('{ zones { code } }')}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF|preflight/i);
    const allowed = await fetch(`${hub.url}/graphql?query=${encodeURIComponent('{ zones { code } }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(allowed.status).toBe(200);
    const answer = (await allowed.json()) as { data: { zones: { code: string }[] } };
    expect(answer.data.zones.length).toBeGreaterThan(0);
    // The whole query string reaches the server: operation name and variables too.
    const named = new URLSearchParams({
      query: 'query Zone($code: ID!) { zones { code } serviceItem(code: $code) { code } }',
      operationName: 'Zone',
      variables: JSON.stringify({ code: 'BDC-003' }),
    });
    const withVariables = await fetch(`${hub.url}/graphql?${named}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(
      ((await withVariables.json()) as { data: { serviceItem: { code: string } } }).data.serviceItem.code,
    ).toBe('BDC-003');
  });

  it('refuses a body over the size limit, and one that is not JSON, with GraphQL-shaped errors', async () => {
    const big = await fetch(`${hub.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ zones { code } }`, variables: { pad: 'x'.repeat(200 * 1024) } }),
    });
    expect(big.status).toBe(413);
    expect(
      ((await big.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code,
    ).toBe('PAYLOAD_TOO_LARGE');
    const garbled = await fetch(`${hub.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":',
    });
    expect(garbled.status).toBe(400);
    expect(((await garbled.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(
      /not valid JSON/,
    );
  });

  it('describes every type and field of the schema for GraphiQL readers', async () => {
    const { body } = await hub.gql<{
      __schema: {
        types: {
          name: string;
          description: string | null;
          fields: { name: string; description: string | null }[] | null;
          inputFields: { name: string; description: string | null }[] | null;
          enumValues: { name: string; description: string | null }[] | null;
        }[];
      };
    }>(
      '{ __schema { types { name description fields { name description } inputFields { name description } enumValues { name description } } } }',
    );
    const ours = body.data!.__schema.types.filter(
      (t) => !t.name.startsWith('__') && !['String', 'Int', 'Float', 'Boolean', 'ID'].includes(t.name),
    );
    const missing: string[] = [];
    for (const t of ours) {
      if (!t.description) missing.push(t.name);
      for (const f of t.fields ?? []) if (!f.description) missing.push(`${t.name}.${f.name}`);
      for (const f of t.inputFields ?? []) if (!f.description) missing.push(`${t.name}.${f.name}`);
      for (const v of t.enumValues ?? []) if (!v.description) missing.push(`${t.name}.${v.name}`);
    }
    expect(missing).toEqual([]);
  });

  it('answers /healthz and /readyz', async () => {
    expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${hub.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      checks: { database: { ok: true }, redis: { ok: true } },
    });
  });

  it('is alive but not ready while Redis does not answer', async () => {
    const cut = await startTestHub({ db, env: { REDIS_URL: `redis://127.0.0.1:${await freePort()}` } });
    try {
      expect((await fetch(`${cut.url}/healthz`)).status).toBe(200);
      const ready = await fetch(`${cut.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        status: 'not ready',
        checks: { database: { ok: true }, redis: { ok: false } },
      });
    } finally {
      await cut.close();
    }
  });
});

describe('gateway hardening (production mode)', () => {
  let db: TestDatabase;
  let hub: TestHub;
  beforeAll(async () => {
    db = await createTestDatabase();
    hub = await startTestHub({
      db,
      env: {
        NODE_ENV: 'production',
        AUTH_JWKS:
          '{"keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","kid":"k1"}]}',
      },
    });
  });
  afterAll(async () => {
    await hub?.close();
    await db?.drop();
  });

  it('refuses introspection', async () => {
    const { body } = await hub.gql('{ __schema { types { name } } }');
    expect(body.errors![0]!.message).toMatch(/introspection/i);
  });

  it('gives no field suggestions and no stack traces', async () => {
    const { body } = await hub.gql('{ zonez { code } }');
    expect(body.errors![0]!.message).not.toMatch(/Did you mean/);
    expect(JSON.stringify(body)).not.toMatch(/stacktrace|at [A-Za-z]+ \(/);
  });
});
