import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/kit/test-database.ts';
import { installationId, queuePrefixFor } from './prepare.ts';

describe('the installation id that scopes queue keys', () => {
  let a: TestDatabase;
  let b: TestDatabase;
  beforeAll(async () => {
    [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });
  afterAll(async () => {
    await Promise.all([a?.drop(), b?.drop()]);
  });

  it('is made once per database and kept, and differs between databases', async () => {
    const first = await installationId(a.orm);
    expect(await installationId(a.orm)).toBe(first);
    const other = await installationId(b.orm);
    expect(other).not.toBe(first);
    expect(queuePrefixFor('owh', first)).toMatch(/^owh-[0-9a-f]{8}$/);
    expect(queuePrefixFor('owh', first)).not.toBe(queuePrefixFor('owh', other));
  });
});
