import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Applicant } from '../../../db/entities/applicant.ts';
import { Case } from '../../../db/entities/case.ts';
import { CaseDocument } from '../../../db/entities/case-document.ts';
import { CaseEvent } from '../../../db/entities/case-event.ts';
import { OutboxEvent } from '../../../db/entities/outbox-event.ts';
import { forkEm } from '../../../db/orm.ts';
import { relayOutboxOnce } from '../../../jobs/outbox-relay.ts';
import { HubQueues } from '../../../jobs/queues.ts';
import { createRedisConnection } from '../../../jobs/redis.ts';
import { jobDefinitions } from '../../../jobs/registry.ts';
import { checkedOutConnections, discardDeadConnections } from '../../kit/database-pool.ts';
import { eventually } from '../../kit/eventually.ts';
import { citizenId, DECIDE, REGISTER, requiredMaterials, TOLERANT_ITEM } from '../../kit/front-desk.ts';
import { TEST_REDIS_URL } from '../../kit/services.ts';
import { createTestDatabase, type TestDatabase } from '../../kit/test-database.ts';
import { type GraphQLResponse, startTestHub, type TestHub } from '../../kit/test-hub.ts';

interface Registered {
  id: string;
  number: string;
  version: number;
  status: string;
}

/**
 * The database connection of a case transaction is terminated while the transaction is open: a
 * separate connection holds a row lock the hub's transaction needs, the test sees the hub's backend
 * wait on it (pg_blocking_pids), and terminates that backend from a third connection.
 */
describe('the database connection dies in the middle of a case transaction', () => {
  const prefix = `test-blip-${randomBytes(4).toString('hex')}`;
  const redis = createRedisConnection(TEST_REDIS_URL);
  let db: TestDatabase;
  let hub: TestHub;
  let queues: HubQueues;
  let clerk: string;
  let serial = 0;
  const clients: pg.Client[] = [];

  async function connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: hub.db.url });
    client.on('error', () => {});
    await client.connect();
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    hub = await startTestHub({ db });
    queues = new HubQueues(redis, prefix);
    clerk = await hub.token('clerk');
  }, 60_000);
  afterAll(async () => {
    for (const c of clients) await c.end().catch(() => {});
    await queues?.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await hub?.close();
    // The cut-off transactions' clients are never given back (see the last test); the pool cannot end
    // while they are out, so they are discarded here for the database to be dropped.
    if (db) await discardDeadConnections(db.orm);
    await db?.drop();
  });

  const registerInput = (idNumber: string) => ({
    input: {
      itemCode: TOLERANT_ITEM.code,
      channel: 'WINDOW',
      applicant: { type: 'PERSON', name: '断库测试', idNumber },
      materials: requiredMaterials(TOLERANT_ITEM),
    },
  });

  async function register(idNumber = citizenId(700 + serial++)): Promise<Registered> {
    const { body } = await hub.gql<{ registerCase: Registered }>(REGISTER, registerInput(idNumber), {
      token: clerk,
    });
    expect(body.errors).toBeUndefined();
    return body.data!.registerCase;
  }

  /**
   * Runs `mutation` while `holder` keeps a lock it needs; once the hub's backend waits on that lock,
   * terminates it. Answers the GraphQL response and the tables the backend had written to inside its
   * transaction when it was cut off.
   */
  async function cutOff(holder: pg.Client, mutation: () => Promise<GraphQLResponse>) {
    const holderPid = Number((await holder.query('select pg_backend_pid() pid')).rows[0].pid);
    const watcher = await connect();
    const response = mutation();
    const blocked = await eventually(async () => {
      const { rows } = await watcher.query<{ pid: number; query: string }>(
        `select pid, query from pg_stat_activity
          where datname = current_database() and $1 = any(pg_blocking_pids(pid))`,
        [holderPid],
      );
      return rows[0];
    }, 20_000);
    const { rows: written } = await watcher.query<{ relation: string }>(
      `select distinct relation::regclass::text relation from pg_locks
        where pid = $1 and locktype = 'relation' and mode = 'RowExclusiveLock' and granted
        order by 1`,
      [blocked.pid],
    );
    const { rows: terminated } = await watcher.query<{ ok: boolean }>('select pg_terminate_backend($1) ok', [
      blocked.pid,
    ]);
    expect(terminated[0]!.ok).toBe(true);
    const answer = await response;
    await holder.query('rollback');
    return { answer, blockedQuery: blocked.query, written: written.map((r) => r.relation) };
  }

  const outboxOf = (caseId: string) =>
    forkEm(hub.db.orm).find(OutboxEvent, { caseId }, { orderBy: { id: 'asc' } });
  const transferJobsOf = async (caseId: string) =>
    (await queues.queue('transfers').getJobs(['waiting', 'delayed', 'prioritized', 'active'])).filter(
      (j) => j.data.caseId === caseId,
    );

  it('an acceptance cut off after its outbox row was written leaves nothing: no acceptance, no event, no job', async () => {
    const c = await register();
    await relayOutboxOnce(hub.db.orm, queues, jobDefinitions);

    // The acceptance's flush inserts its rows (document, timeline, outbox) and then updates the case
    // row, which the holder has locked (`for no key update` lets the inserts' foreign-key checks pass):
    // the transaction waits there with its outbox row written.
    const holder = await connect();
    await holder.query('begin');
    await holder.query('select id from hall_case where id = $1 for no key update', [c.id]);
    const { answer, blockedQuery, written } = await cutOff(holder, () =>
      hub.gql(DECIDE, { id: c.id, v: c.version, d: { type: 'ACCEPT' } }, { token: clerk }),
    );
    expect(blockedQuery).toMatch(/^update "hall_case"/);
    expect(written).toEqual(expect.arrayContaining(['outbox_event', 'case_event', 'case_document']));
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(answer.body.data?.decideAcceptance ?? null).toBeNull();

    // All or nothing: the case is as it was, and no trace of the acceptance is left.
    const em = forkEm(hub.db.orm);
    const after = await em.findOneOrFail(Case, { id: c.id });
    expect([after.status, after.version, after.acceptedOn]).toEqual(['registered', c.version, null]);
    expect(await em.count(CaseDocument, { case: c.id })).toBe(0);
    expect((await em.find(CaseEvent, { case: c.id })).map((e) => e.type)).toEqual(['registered']);
    expect((await outboxOf(c.id)).map((e) => e.topic)).toEqual(['case.registered']);
    expect(await relayOutboxOnce(hub.db.orm, queues, jobDefinitions)).toBe(0);
    expect(await transferJobsOf(c.id)).toEqual([]);

    // The hub keeps serving: the same acceptance, sent again, goes through, and makes one job.
    const again = await hub.gql<{ decideAcceptance: { __typename: string; case: { status: string } } }>(
      DECIDE,
      { id: c.id, v: c.version, d: { type: 'ACCEPT' } },
      { token: clerk },
    );
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data!.decideAcceptance.__typename).toBe('CaseAccepted');
    expect((await outboxOf(c.id)).map((e) => e.topic)).toEqual(['case.registered', 'case.accepted']);
    expect(await relayOutboxOnce(hub.db.orm, queues, jobDefinitions)).toBe(1);
    expect(await relayOutboxOnce(hub.db.orm, queues, jobDefinitions)).toBe(0);
    expect((await transferJobsOf(c.id)).map((j) => j.name)).toEqual(['transfer-materials']);
  });

  it('a registration cut off while it waits for its case number leaves no case, no applicant, no outbox row, no gap', async () => {
    const before = await register();
    const idNumber = citizenId(799);

    // The registration takes the next case number with an upsert on the day's counter; the holder
    // has that row locked, so the transaction waits there, its new applicant not yet flushed.
    const holder = await connect();
    await holder.query('begin');
    await holder.query(`select last from sequence_counter where scope like 'case:%' for update`);
    const { answer, blockedQuery } = await cutOff(holder, () =>
      hub.gql(REGISTER, registerInput(idNumber), { token: clerk }),
    );
    expect(blockedQuery).toMatch(/sequence_counter/);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(answer.body.data?.registerCase ?? null).toBeNull();

    const em = forkEm(hub.db.orm);
    expect(await em.count(Applicant, { idNumber })).toBe(0);
    expect(await em.count(Case, { applicant: { idNumber } })).toBe(0);
    expect(await em.count(Case, {})).toBe(serial); // the cases registered by `register` only
    expect(await relayOutboxOnce(hub.db.orm, queues, jobDefinitions)).toBe(1); // `before`'s registration

    // The next registration succeeds, with the number the cut-off one did not keep.
    const next = await register(idNumber);
    const serialOf = (n: string) => Number(n.split('-').at(-1));
    expect(serialOf(next.number)).toBe(serialOf(before.number) + 1);
    expect(next.status).toBe('REGISTERED');
    expect((await outboxOf(next.id)).map((e) => e.topic)).toEqual(['case.registered']);
  });

  // The driver gives a transaction's client back only after a rollback that succeeded; on a dead
  // connection the rollback fails, so db/orm.ts gives such clients back as broken.
  it('a cut-off transaction gives its connection back to the pool', async () => {
    await discardDeadConnections(hub.db.orm); // those the tests above left
    const c = await register();
    expect(await checkedOutConnections(hub.db.orm)).toBe(0);
    const holder = await connect();
    await holder.query('begin');
    await holder.query('select id from hall_case where id = $1 for no key update', [c.id]);
    const { answer } = await cutOff(holder, () =>
      hub.gql(DECIDE, { id: c.id, v: c.version, d: { type: 'ACCEPT' } }, { token: clerk }),
    );
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    await eventually(async () => (await checkedOutConnections(hub.db.orm)) === 0, 10_000);
    // The hub goes on: the same decision succeeds on a fresh connection.
    const again = await hub.gql(DECIDE, { id: c.id, v: c.version, d: { type: 'ACCEPT' } }, { token: clerk });
    expect(again.body.errors).toBeUndefined();
  });
});
