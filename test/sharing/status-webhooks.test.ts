import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../adapters/kit/logger.ts';
import { verifyWebhook } from '../../adapters/kit/webhook-signature.ts';
import { emitOutbox } from '../../db/cases/case-events.ts';
import { Certificate, type CertificateStatus } from '../../db/entities/certificate.ts';
import { CertificateNotice } from '../../db/entities/sharing.ts';
import { forkEm } from '../../db/orm.ts';
import { fetchSharedCertificates } from '../../db/sharing/shared-certificates.ts';
import { grantSharing, registerSharingConsumer } from '../../db/sharing/sharing-consumers.ts';
import { DEMO_ACTORS } from '../../gateway/auth/demo-actors.ts';
import type { JobDefinition } from '../../jobs/job-definition.ts';
import { notifyConsumers } from '../../jobs/notify-consumers.job.ts';
import { type RunningRelay, startOutboxRelay } from '../../jobs/outbox-relay.ts';
import { HubQueues } from '../../jobs/queues.ts';
import { createRedisConnection } from '../../jobs/redis.ts';
import { type RunningWorkers, startWorkers } from '../../jobs/workers.ts';
import { eventually } from '../kit/eventually.ts';
import { TEST_REDIS_URL } from '../kit/services.ts';
import { createTestDatabase, type TestDatabase } from '../kit/test-database.ts';
import { certificateRow, certificateType, creditCode, dayFromToday } from './certificate-rows.ts';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  answered: number;
}

/** A consumer's webhook endpoint on loopback: fails the first delivery of each message, then accepts. */
async function startReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const seen = new Set<string>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const id = String(request.headers['webhook-id']);
      const answered = seen.has(id) ? 204 : 503;
      seen.add(id);
      received.push({
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks),
        answered,
      });
      response.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

const SECRET = `whsec-test-${randomBytes(16).toString('hex')}`;
const WATCHER = 'consumer-webhook-watcher';
const GRANT_ONLY = 'consumer-webhook-grant-only';
const UNSUBSCRIBED = 'consumer-no-webhook';

describe('status changes reach the consumers that fetched the certificate: signed webhooks, at least once', () => {
  const prefix = `test-${randomBytes(5).toString('hex')}`;
  const redis = createRedisConnection(TEST_REDIS_URL);
  const definitions = [notifyConsumers as JobDefinition<unknown>];
  let db: TestDatabase;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let queues: HubQueues;
  let workers: RunningWorkers;
  let relay: RunningRelay;
  let typeCode: string;
  let holder: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = await startReceiver();
    const supervisor = DEMO_ACTORS.supervisor;
    typeCode = (await certificateType(db.orm, '食品经营许可证', [])).code;
    holder = creditCode(9001);
    for (const [id, webhook] of [
      [WATCHER, `${receiver.url}/watcher`],
      [GRANT_ONLY, `${receiver.url}/grant-only`],
      [UNSUBSCRIBED, null],
    ] as const) {
      await registerSharingConsumer(forkEm(db.orm), supervisor, {
        id,
        name: id,
        webhookUrl: webhook,
        webhookSecret: webhook ? SECRET : null,
      });
      await grantSharing(forkEm(db.orm), supervisor, {
        consumerId: id,
        typeCode,
        purpose: '食品经营许可核验',
        validUntil: dayFromToday(30),
      });
    }
    queues = new HubQueues(redis, prefix);
    workers = startWorkers(definitions, {
      connection: redis,
      prefix,
      orm: db.orm,
      logger: createLogger('silent'),
    });
    relay = startOutboxRelay(db.orm, queues, definitions, createLogger('silent'), { idleMs: 50 });
  }, 60_000);
  afterAll(async () => {
    await relay?.stop();
    await workers?.close();
    await queues?.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await new Promise((resolve) => receiver?.server.close(resolve));
    await db?.drop();
  });

  /** A certificate fetched by the watcher and by the consumer without a webhook (not by the grant-only one). */
  async function fetchedCertificate(): Promise<Certificate> {
    const certificate = await certificateRow(db.orm, {
      typeCode,
      holderIdType: '001',
      holderIdNumber: holder,
      holderName: '濮阳市通知测试餐饮有限公司',
    });
    for (const id of [WATCHER, UNSUBSCRIBED]) {
      const answer = await fetchSharedCertificates(
        forkEm(db.orm),
        { ...DEMO_ACTORS.consumer, id },
        { holderIdType: '001', holderIdNumber: holder, typeCode, reason: '食品经营许可证核验' },
      );
      expect(answer.map((c) => c.id)).toContain(certificate.id);
    }
    return certificate;
  }

  /** What the issuing side does on a status change: the row and its outbox event, in one transaction. */
  async function changeStatus(certificateId: string, status: CertificateStatus): Promise<Date> {
    const changedAt = new Date();
    await forkEm(db.orm).transactional(async (tx) => {
      const certificate = await tx.findOneOrFail(Certificate, { id: certificateId });
      certificate.status = status;
      certificate.statusChangedAt = changedAt;
      certificate.statusReason = '测试';
      emitOutbox(tx, 'certificate.status_changed', null, {
        certificateId,
        status,
        changedAt: changedAt.toISOString(),
      });
    });
    return changedAt;
  }

  const deliveredNotices = (certificateId: string, count: number) =>
    eventually(async () => {
      const notices = await forkEm(db.orm).find(
        CertificateNotice,
        { certificate: certificateId },
        { orderBy: { id: 'asc' } },
      );
      return notices.length === count && notices.every((n) => n.deliveredAt) ? notices : null;
    }, 30_000);

  function verified(message: Received) {
    return verifyWebhook(
      SECRET,
      {
        id: message.headers['webhook-id'] as string,
        timestamp: message.headers['webhook-timestamp'] as string,
        signature: message.headers['webhook-signature'] as string,
      },
      message.body,
    );
  }

  it('a revocation is delivered after a failed attempt, with the same webhook-id and a valid signature', async () => {
    const certificate = await fetchedCertificate();
    const changedAt = await changeStatus(certificate.id, 'revoked');
    const [notice, ...others] = await deliveredNotices(certificate.id, 1);
    expect(others).toEqual([]);
    expect(notice).toMatchObject({ event: 'revoked', attempts: 2, lastError: null });
    expect(notice!.consumer.id).toBe(WATCHER);

    const messages = receiver.received.filter(
      (r) => r.headers['webhook-id'] === `certificate-notice-${notice!.id}`,
    );
    expect(messages.map((m) => m.answered)).toEqual([503, 204]);
    for (const message of messages) {
      expect(message.path).toBe('/watcher');
      expect(message.headers['content-type']).toBe('application/json');
      expect(verified(message)).toEqual({ ok: true });
      expect(JSON.parse(message.body.toString())).toEqual({
        type: 'certificate.revoked',
        timestamp: changedAt.toISOString(),
        data: {
          certificateId: certificate.id,
          identifier: certificate.identifier,
          typeCode,
          status: 'revoked',
          changedAt: changedAt.toISOString(),
        },
      });
      // No holder data leaves in a notice.
      expect(message.body.toString()).not.toContain(holder);
    }
    // A forged or altered message fails the same check.
    const altered = {
      ...messages[1]!,
      body: Buffer.from(messages[1]!.body.toString().replace('revoked', 'issued')),
    };
    expect(verified(altered).ok).toBe(false);
    // Holding a grant for the type is not enough: only consumers that fetched the certificate hear of it.
    expect(receiver.received.some((r) => r.path === '/grant-only')).toBe(false);
  });

  it('suspension and reinstatement are two notices, each delivered once; running the job again sends nothing', async () => {
    const certificate = await fetchedCertificate();
    await changeStatus(certificate.id, 'suspended');
    await deliveredNotices(certificate.id, 1);
    await changeStatus(certificate.id, 'issued');
    const notices = await deliveredNotices(certificate.id, 2);
    expect(notices.map((n) => n.event)).toEqual(['suspended', 'reinstated']);
    const bodies = notices.map((n) =>
      receiver.received
        .filter((r) => r.headers['webhook-id'] === `certificate-notice-${n.id}` && r.answered === 204)
        .map((r) => JSON.parse(r.body.toString()) as { type: string; data: { status: string } }),
    );
    expect(bodies.map((b) => b.map((m) => [m.type, m.data.status]))).toEqual([
      [['certificate.suspended', 'suspended']],
      [['certificate.reinstated', 'issued']],
    ]);

    const sent = receiver.received.length;
    const [event] = await forkEm(db.orm).execute<{ id: string }[]>(
      `select id from outbox_event where topic = 'certificate.status_changed' order by id desc limit 1`,
    );
    const again = await notifyConsumers.process(
      { outboxId: Number(event!.id), caseId: '', topic: 'certificate.status_changed' },
      {
        em: forkEm(db.orm),
        logger: createLogger('silent'),
        jobId: 'notify-consumers-again',
        attempt: 1,
        adapters: [],
        now: () => new Date(),
      },
    );
    expect(again).toEqual({ delivered: 0, notices: 1 });
    expect(receiver.received.length).toBe(sent);
  });
});
