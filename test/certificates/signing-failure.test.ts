import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../adapters/kit/logger.ts';
import type { CertificateSigner } from '../../db/certificates/certificate-keys.ts';
import { issueCertificatesForCase } from '../../db/certificates/issue-certificates.ts';
import { Certificate } from '../../db/entities/certificate.ts';
import { DeadLetter } from '../../db/entities/dead-letter.ts';
import { OutboxEvent } from '../../db/entities/outbox-event.ts';
import { forkEm } from '../../db/orm.ts';
import { issueCertificate } from '../../jobs/issue-certificate.job.ts';
import type { JobDefinition } from '../../jobs/job-definition.ts';
import { citizenId } from '../kit/front-desk.ts';
import {
  acceptedCase,
  approveByDepartment,
  type CertificatePipeline,
  certificatesOf,
  startCertificatePipeline,
  until,
} from './certificate-pipeline.ts';

/** A signer that fails while `failuresLeft` > 0 (an HSM or key store away), then signs with the real keys. */
class FlakySigner implements CertificateSigner {
  failuresLeft = 0;
  calls = 0;
  /** Certificates of the case visible to others while each failing call ran. */
  visibleWhileFailing: number[] = [];
  inner: CertificateSigner | null = null;
  probe: (() => Promise<number>) | null = null;

  async signCompact(payload: object, typ: string) {
    this.calls++;
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      if (this.probe) this.visibleWhileFailing.push(await this.probe());
      throw new Error('the signing key store does not answer');
    }
    return this.inner!.signCompact(payload, typ);
  }
}

describe('nothing is published unsigned: a signing failure fails the job, which runs again', () => {
  const signer = new FlakySigner();
  let p: CertificatePipeline;
  const job = { ...issueCertificate, attempts: 3, backoffMs: 50 } as JobDefinition<unknown>;

  beforeAll(async () => {
    p = await startCertificatePipeline({ signer, job });
    signer.inner = p.certificates.keys;
  });
  afterAll(async () => {
    await p?.close();
  });

  const concluded = async (serial: number) => {
    const accepted = await acceptedCase(p.orm, 'BDC-001', {
      type: 'person',
      name: '签名测试',
      idNumber: citizenId(serial),
    });
    signer.probe = async () => forkEm(p.orm).count(Certificate, { sourceCase: accepted.id });
    await approveByDepartment(p.orm, accepted, 'land_resources', {
      name: '不动产权证书',
      number: `豫（2026）第${serial}号`,
    });
    const [event] = await forkEm(p.orm).find(OutboxEvent, { topic: 'case.concluded', caseId: accepted.id });
    return { ...accepted, jobId: `issue-certificate-o${event!.id}` };
  };

  it('a direct run with a failing signer throws and leaves no certificate', async () => {
    signer.failuresLeft = 1_000;
    const accepted = await acceptedCase(p.orm, 'BDC-001', {
      type: 'person',
      name: '直接调用',
      idNumber: citizenId(30),
    });
    await expect(
      issueCertificatesForCase(forkEm(p.orm), { ...p.certificates, signer }, accepted.id, new Date()),
    ).resolves.toEqual([]); // not approved yet: nothing to do, nothing signed
    const before = signer.calls;
    signer.failuresLeft = 1_000;
    signer.probe = null;
    const { id } = await concluded(31);
    await expect(
      issueCertificatesForCase(forkEm(p.orm), { ...p.certificates, signer }, id, new Date()),
    ).rejects.toThrow(/does not answer/);
    expect(signer.calls).toBeGreaterThan(before);
    expect(await certificatesOf(p.orm, id)).toEqual([]);
  });

  it('a signer that keeps failing: every attempt fails, the job becomes a dead letter, no certificate exists', async () => {
    signer.failuresLeft = 1_000;
    signer.visibleWhileFailing = [];
    const { id, jobId } = await concluded(32);
    const failed = await until(async () => {
      const j = await p.queues.queue('certificates').getJob(jobId);
      return j && (await j.isFailed()) && j.attemptsMade >= 3 && j;
    });
    expect(failed.failedReason).toMatch(/does not answer/);
    const letter = await until(() => forkEm(p.orm).findOne(DeadLetter, { jobId }));
    expect(letter.reason).toMatch(/does not answer/);
    expect(await certificatesOf(p.orm, id)).toEqual([]);
    expect(signer.visibleWhileFailing.length).toBeGreaterThanOrEqual(3);
    expect(signer.visibleWhileFailing.every((n) => n === 0)).toBe(true);
  });

  it('a signer that fails twice: the job retries and the certificate is issued once, signed', async () => {
    signer.failuresLeft = 2;
    signer.visibleWhileFailing = [];
    const { id, jobId } = await concluded(33);
    const [certificate] = await until(async () => {
      const rows = await certificatesOf(p.orm, id);
      return rows.length > 0 && rows;
    });
    expect(signer.visibleWhileFailing).toEqual([0, 0]);
    const done = await until(async () => {
      // One snapshot, read once the job finished (a job read earlier lacks what its finish wrote).
      const j = await p.queues.queue('certificates').getJob(jobId);
      return j?.finishedOn && (await j.isCompleted()) ? j : null;
    });
    expect(done.attemptsMade).toBeGreaterThanOrEqual(2);
    expect(certificate).toMatchObject({ status: 'issued', keyId: p.certificates.keys.signingKid });
    expect(certificate!.tokenSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await certificatesOf(p.orm, id)).toHaveLength(1);
  });

  it('a worker without keys finishes conclusions that issue nothing, and fails (to retry) those that do', async () => {
    const context = {
      em: forkEm(p.orm),
      logger: createLogger('silent'),
      jobId: 't',
      attempt: 1,
      adapters: [],
      now: () => new Date(),
    };
    const noCertificate = await acceptedCase(p.orm, 'SBMS-001', {
      type: 'person',
      name: '无证照',
      idNumber: citizenId(34),
    });
    expect(
      await issueCertificate.process(
        { outboxId: 0, caseId: noCertificate.id, topic: 'case.concluded' },
        context,
      ),
    ).toEqual({
      issued: [],
    });
    signer.failuresLeft = 1_000;
    const { id } = await concluded(35);
    await expect(
      issueCertificate.process(
        { outboxId: 0, caseId: id, topic: 'case.concluded' },
        { ...context, em: forkEm(p.orm) },
      ),
    ).rejects.toThrow(/CERT_SIGNING_KEYS/);
  });
});
