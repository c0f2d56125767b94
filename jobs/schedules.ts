import type { DepartmentAdapter } from '../adapters/kit/adapter-contract.ts';
import type { HubQueues } from './queues.ts';

/**
 * Recurring work, as BullMQ job schedulers (one per pull department, and the callback applier);
 * upserting them at every start is idempotent, and several workers share the one schedule.
 */
export async function installSchedules(
  queues: HubQueues,
  adapters: readonly DepartmentAdapter[],
  options: {
    pullEveryMs?: number;
    callbacksEveryMs?: number;
    deadlinesEveryMs?: number;
    yellowDays?: number;
  } = {},
): Promise<void> {
  const decisions = queues.queue('decisions');
  for (const adapter of adapters) {
    if (!adapter.pullDecisions) continue;
    await decisions.upsertJobScheduler(
      `pull-${adapter.name}`,
      { every: options.pullEveryMs ?? 5000 },
      {
        name: 'sync-decisions',
        data: { adapter: adapter.name },
        opts: { attempts: 3, removeOnComplete: { count: 100 }, removeOnFail: { count: 1000 } },
      },
    );
  }
  await decisions.upsertJobScheduler(
    'apply-callbacks',
    { every: options.callbacksEveryMs ?? 1000 },
    {
      name: 'apply-callbacks',
      data: {},
      opts: { attempts: 3, removeOnComplete: { count: 100 }, removeOnFail: { count: 1000 } },
    },
  );
  await queues.queue('supervision').upsertJobScheduler(
    'watch-deadlines',
    { every: options.deadlinesEveryMs ?? 60_000 },
    {
      name: 'watch-deadlines',
      data: { yellowDays: options.yellowDays ?? 2 },
      opts: { attempts: 3, removeOnComplete: { count: 100 }, removeOnFail: { count: 1000 } },
    },
  );
  await queues.queue('supervision').upsertJobScheduler(
    'watch-commitments',
    { every: options.deadlinesEveryMs ?? 60_000 },
    {
      name: 'watch-commitments',
      data: {},
      opts: { attempts: 3, removeOnComplete: { count: 100 }, removeOnFail: { count: 1000 } },
    },
  );
}
