import { randomBytes } from 'node:crypto';
import { createLogger } from '../../adapters/kit/logger.ts';
import type { Actor } from '../../db/actor.ts';
import { applyDepartmentDecisions } from '../../db/cases/case-conclusion.ts';
import { decideAcceptance, decideImmediate } from '../../db/cases/case-decisions.ts';
import { registerCase } from '../../db/cases/case-intake.ts';
import type { CertificateSigner } from '../../db/certificates/certificate-keys.ts';
import type { CertificateServices } from '../../db/certificates/certificate-services.ts';
import { CaseDepartmentTask } from '../../db/entities/case-department-task.ts';
import { Certificate } from '../../db/entities/certificate.ts';
import { creditCodeCheckChar } from '../../db/identity/credit-code.ts';
import { forkEm, type HubOrm } from '../../db/orm.ts';
import { DEMO_ACTORS } from '../../gateway/auth/demo-actors.ts';
import { loadCertificateSetup } from '../../jobs/config.ts';
import { issueCertificate } from '../../jobs/issue-certificate.job.ts';
import type { JobDefinition } from '../../jobs/job-definition.ts';
import { type RunningRelay, startOutboxRelay } from '../../jobs/outbox-relay.ts';
import { HubQueues } from '../../jobs/queues.ts';
import { createRedisConnection } from '../../jobs/redis.ts';
import { type RunningWorkers, startWorkers } from '../../jobs/workers.ts';
import { paperMaterials } from '../kit/accepted-cases.ts';
import { eventually } from '../kit/eventually.ts';
import { TEST_REDIS_URL } from '../kit/services.ts';
import { createTestDatabase } from '../kit/test-database.ts';
import { startTestHub, type TestHub } from '../kit/test-hub.ts';

/** A valid unified social credit code of a company of 濮阳市 (serial 0–999999). */
export function creditCode(serial: number): string {
  const first17 = `91410900MA${String(serial).padStart(6, '0')}X`;
  return first17 + creditCodeCheckChar(first17);
}

export interface ApplicantSpec {
  type: 'person' | 'organisation';
  name: string;
  idNumber: string;
  accountId?: string;
  legalRepresentative?: string;
  address?: string;
}

/** Registers and accepts a case at the window of 410900, as a clerk does. */
export async function acceptedCase(
  orm: HubOrm,
  itemCode: string,
  applicant: ApplicantSpec,
): Promise<{ id: string; number: string; version: number }> {
  const registered = await registerCase(forkEm(orm), DEMO_ACTORS.clerk, {
    itemCode,
    channel: 'window',
    applicant,
    materials: paperMaterials(itemCode),
  });
  const outcome = await decideAcceptance(forkEm(orm), DEMO_ACTORS.clerk, registered.id, registered.version, {
    type: 'accept',
  });
  if (outcome.kind !== 'accepted')
    throw new Error(`case ${registered.number} was not accepted: ${outcome.kind}`);
  return { id: registered.id, number: registered.number, version: outcome.hallCase.version };
}

/** The department's chief representative approves an accepted immediate item on the spot. */
export async function approveOnTheSpot(
  orm: HubOrm,
  accepted: { id: string; version: number },
  department: string,
) {
  const chief: Actor = { ...DEMO_ACTORS.chief_representative, departmentCode: department };
  const outcome = await decideImmediate(forkEm(orm), chief, accepted.id, accepted.version, {
    approve: true,
    reasons: [],
  });
  if (outcome.kind !== 'immediate_decided') throw new Error(`not decided: ${outcome.kind}`);
}

/**
 * The department approves its part with a result, as an adapter reports it: the task the transfer
 * job would have recorded, then the decision applied (which concludes the case).
 */
export async function approveByDepartment(
  orm: HubOrm,
  accepted: { id: string; number: string },
  department: string,
  result: { name: string; number: string },
  decidedAt = new Date(),
): Promise<void> {
  const em = forkEm(orm);
  const ref = `REF-${randomBytes(4).toString('hex')}`;
  em.create(CaseDepartmentTask, {
    case: accepted.id,
    departmentCode: department,
    adapter: 'test-department',
    idempotencyKey: `${accepted.id}:${department}`,
    status: 'transferred',
    departmentRef: ref,
    transferredAt: new Date(),
  });
  await em.flush();
  const applied = await applyDepartmentDecisions(forkEm(orm), 'test-department', [
    {
      departmentRef: ref,
      caseNumber: accepted.number,
      outcome: 'approved',
      reasons: [],
      decidedAt: decidedAt.toISOString(),
      result,
    },
  ]);
  if (applied.applied !== 1) throw new Error(`the decision was not applied: ${JSON.stringify(applied)}`);
}

export async function certificatesOf(orm: HubOrm, caseId: string): Promise<Certificate[]> {
  return forkEm(orm).find(
    Certificate,
    { sourceCase: caseId },
    { populate: ['type'], orderBy: { version: 'asc' } },
  );
}

export interface CertificatePipeline {
  hub: TestHub;
  orm: HubOrm;
  certificates: CertificateServices;
  queues: HubQueues;
  workers: RunningWorkers;
  relay: RunningRelay;
  close(): Promise<void>;
}

/**
 * The gateway of a fresh database, with the relay and a worker running only the issuing job (on the
 * hub's queue prefix); the worker uses the same development keys as the gateway, or `signer` instead.
 */
export async function startCertificatePipeline(
  options: { signer?: CertificateSigner; job?: JobDefinition<unknown>; env?: Record<string, string> } = {},
): Promise<CertificatePipeline> {
  const db = await createTestDatabase();
  const hub = await startTestHub({ db, ...(options.env ? { env: options.env } : {}) });
  const loaded = loadCertificateSetup(hub.config);
  const certificates = options.signer ? { ...loaded, signer: options.signer } : loaded;
  const redis = createRedisConnection(TEST_REDIS_URL);
  redis.on('error', () => {});
  const queues = new HubQueues(redis, hub.queuePrefix);
  const job = options.job ?? (issueCertificate as JobDefinition<unknown>);
  const logger = createLogger('silent');
  const relay = startOutboxRelay(db.orm, queues, [job], logger, { idleMs: 50 });
  const workers = startWorkers([job], {
    connection: redis,
    prefix: hub.queuePrefix,
    orm: db.orm,
    logger,
    certificates,
  });
  return {
    hub,
    orm: db.orm,
    certificates,
    queues,
    workers,
    relay,
    async close() {
      await relay.stop();
      await workers.close();
      await queues.close();
      const keys = await redis.keys(`${hub.queuePrefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      await hub.close();
    },
  };
}

export const until = <T>(probe: () => Promise<T | null | undefined | false>) => eventually(probe, 30_000);
