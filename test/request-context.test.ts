import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestContext } from '../gateway/request-context.ts';
import { createTestDatabase, type TestDatabase } from './kit/test-database.ts';

describe("a request's context", () => {
  let db: TestDatabase;
  let forks = 0;
  beforeAll(async () => {
    db = await createTestDatabase({ prepare: false });
    const fork = db.orm.em.fork.bind(db.orm.em);
    db.orm.em.fork = ((...args: Parameters<typeof fork>) => {
      forks++;
      return fork(...args);
    }) as typeof fork;
  });
  afterAll(async () => {
    await db?.drop();
  });

  const context = () =>
    new RequestContext(db.orm, {
      actor: null,
      requestId: 'r-1',
      certificates: null as never,
      requeue: async () => {},
    });

  it('forks no entity manager when Apollo Server copies it, and one between the copy and itself when asked', async () => {
    forks = 0;
    const original = context();
    // What Apollo Server does with a context before executing an operation.
    const copy = Object.assign(Object.create(Object.getPrototypeOf(original)), original) as RequestContext;
    expect(forks).toBe(0);
    expect(copy.actor).toBeNull();
    expect(copy.requestId).toBe('r-1');
    const em = copy.em;
    expect(forks).toBe(1);
    expect(original.em).toBe(em);
    expect(copy.catalogue).toBe(original.catalogue);
    expect(forks).toBe(1);
    expect(await em.execute('select 1 as one')).toEqual([{ one: 1 }]);
  });
});
