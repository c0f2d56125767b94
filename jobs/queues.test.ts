import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '../adapters/kit/logger.ts';
import { TEST_REDIS_URL } from '../test/kit/services.ts';
import { createTestDatabase, type TestDatabase } from '../test/kit/test-database.ts';
import { defineJob } from './job-definition.ts';
import { assertJobId, HubQueues } from './queues.ts';
import { createRedisConnection } from './redis.ts';
import { startWorkers } from './workers.ts';

describe('queues and workers', () => {
  const prefix = `test-${randomBytes(5).toString('hex')}`;
  const redis = createRedisConnection(TEST_REDIS_URL);
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ prepare: false });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await db.drop();
  });

  it('runs a job once per job id, on its own prefix, with a fresh entity manager', async () => {
    const seen: { caseId: string; attempt: number }[] = [];
    let done!: () => void;
    const finished = new Promise<void>((r) => {
      done = r;
    });
    const echo = defineJob({
      name: 'echo-case',
      queue: 'test-echo',
      payload: z.object({ caseId: z.string() }).strict(),
      async process(payload, context) {
        const [row] = await context.em.execute<{ ok: number }[]>('select 1 as ok');
        seen.push({ caseId: payload.caseId, attempt: context.attempt });
        if (row?.ok === 1 && seen.length === 2) done();
      },
    });
    const queues = new HubQueues(redis, prefix);
    await queues.enqueue(echo, { caseId: 'C-1' }, { jobId: 'echo-C-1' });
    await queues.enqueue(echo, { caseId: 'C-1' }, { jobId: 'echo-C-1' });
    await queues.enqueue(echo, { caseId: 'C-2' }, { jobId: 'echo-C-2' });
    expect(await redis.exists(`${prefix}:test-echo:meta`)).toBe(1);
    expect(await redis.exists(`bull:test-echo:meta`)).toBe(0);

    const workers = startWorkers([echo as never], {
      connection: redis,
      prefix,
      orm: db.orm,
      logger: createLogger('silent'),
    });
    await finished;
    await workers.close();
    await queues.close();
    expect(seen.map((s) => s.caseId).sort()).toEqual(['C-1', 'C-2']);
    expect(seen.every((s) => s.attempt === 1)).toBe(true);
  });

  it('refuses a payload its schema does not admit (no personal data rides along)', async () => {
    const job = defineJob({
      name: 'notify',
      queue: 'test-notify',
      payload: z.object({ caseId: z.string() }).strict(),
      process: async () => {},
    });
    const queues = new HubQueues(redis, prefix);
    await expect(
      queues.enqueue(job, { caseId: 'C-1', phone: '13800138000' } as never, { jobId: 'notify-C-1' }),
    ).rejects.toThrow(/Unrecognized key/);
    expect(await queues.queue('test-notify').getJobCounts('waiting')).toEqual({ waiting: 0 });
    await queues.close();
  });

  it('closing the workers lets the job in flight finish (graceful shutdown, nothing stalled)', async () => {
    let started!: () => void;
    const running = new Promise<void>((r) => {
      started = r;
    });
    let finished = false;
    const slow = defineJob({
      name: 'slow-step',
      queue: 'test-slow',
      payload: z.object({ caseId: z.string() }).strict(),
      async process() {
        started();
        await new Promise((r) => setTimeout(r, 500));
        finished = true;
      },
    });
    const queues = new HubQueues(redis, prefix);
    await queues.enqueue(slow, { caseId: 'C-9' }, { jobId: 'slow-C-9' });
    const workers = startWorkers([slow as never], {
      connection: redis,
      prefix,
      orm: db.orm,
      logger: createLogger('silent'),
    });
    await running;
    await workers.close();
    expect(finished).toBe(true);
    const job = await queues.queue('test-slow').getJob('slow-C-9');
    expect(await job!.getState()).toBe('completed');
    await queues.close();
  });

  it('rejects job ids BullMQ cannot use', () => {
    expect(() => assertJobId('case:1')).toThrow(/no ':'/);
    expect(() => assertJobId('12345')).toThrow(/not digits only/);
    expect(() => assertJobId('transfer-C-1')).not.toThrow();
  });

  it('rejects badly named jobs', () => {
    expect(() =>
      defineJob({ name: 'Bad Name', queue: 'q', payload: z.object({}), process: async () => {} }),
    ).toThrow(/kebab-case/);
  });
});
