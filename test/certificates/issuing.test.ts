import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkIdentifier } from '../../db/certificates/certificate-identifier.ts';
import { issueCertificatesForCase } from '../../db/certificates/issue-certificates.ts';
import { type PublicJwk, verifyCertificateOffline } from '../../db/certificates/verify-offline.ts';
import { OutboxEvent } from '../../db/entities/outbox-event.ts';
import { forkEm } from '../../db/orm.ts';
import { issueCertificate } from '../../jobs/issue-certificate.job.ts';
import { citizenId } from '../kit/front-desk.ts';
import {
  acceptedCase,
  approveByDepartment,
  approveOnTheSpot,
  type CertificatePipeline,
  certificatesOf,
  creditCode,
  startCertificatePipeline,
  until,
} from './certificate-pipeline.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('issuing electronic certificates on approval (R-B5)', () => {
  let p: CertificatePipeline;

  beforeAll(async () => {
    p = await startCertificatePipeline();
  });
  afterAll(async () => {
    await p?.close();
  });

  it('an immediate item approved on the spot yields one signed, archived certificate, once, however often the job runs', async () => {
    const accepted = await acceptedCase(p.orm, 'TZXM-001', {
      type: 'organisation',
      name: '濮阳市示例能源有限公司',
      idNumber: creditCode(11),
      legalRepresentative: '张伟',
    });
    await approveOnTheSpot(p.orm, accepted, 'development_reform');
    const [certificate] = await until(async () => {
      const rows = await certificatesOf(p.orm, accepted.id);
      return rows.length > 0 && rows;
    });
    expect(certificate).toMatchObject({
      version: 1,
      status: 'issued',
      holderName: '濮阳市示例能源有限公司',
      holderIdType: '001',
      holderIdNumber: creditCode(11),
      issuerName: '濮阳市发展改革委',
      sourceDepartment: 'development_reform',
      keyId: p.certificates.keys.signingKid,
      validTo: null,
    });
    expect(certificate!.type.name).toBe('河南省企业投资项目备案证明');
    const check = checkIdentifier(certificate!.identifier);
    expect(check).toMatchObject({ ok: true, parts: { typeCode: certificate!.type.code, version: 1 } });
    expect(certificate!.serial).toMatch(/^\d{4}0000001$/);
    expect(certificate!.data).toMatchObject({
      holderName: '濮阳市示例能源有限公司',
      legalRepresentative: '张伟',
      matter: '企业投资项目备案',
      caseNumber: accepted.number,
    });

    // Archived content-addressed; the token is signed with a kid and covers the PDF's hash.
    const pdf = readFileSync(p.certificates.blobs.pathOf(certificate!.pdfSha256!));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(sha256(pdf)).toBe(certificate!.pdfSha256);
    const token = readFileSync(p.certificates.blobs.pathOf(certificate!.tokenSha256!), 'utf8');
    expect(sha256(Buffer.from(token))).toBe(certificate!.tokenSha256);
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    expect(payload.certificate).toMatchObject({
      identifier: certificate!.identifier,
      pdfSha256: certificate!.pdfSha256,
    });
    expect(payload.credentialStatus).toEqual([
      expect.objectContaining({
        statusPurpose: 'revocation',
        statusListIndex: String(certificate!.statusIndex),
      }),
      expect.objectContaining({
        statusPurpose: 'suspension',
        statusListIndex: String(certificate!.statusIndex),
      }),
    ]);

    // The sharing side hears of it.
    const issued = await forkEm(p.orm).find(OutboxEvent, {
      topic: 'certificate.issued',
      caseId: accepted.id,
    });
    expect(issued.map((e) => e.payload)).toEqual([
      expect.objectContaining({
        certificateId: certificate!.id,
        status: 'issued',
        changedAt: expect.any(String),
      }),
    ]);

    // The job again (a redelivered event) and two direct runs at once: still one certificate.
    const [event] = await forkEm(p.orm).find(OutboxEvent, { topic: 'case.decided', caseId: accepted.id });
    await p.queues.enqueue(
      issueCertificate,
      { outboxId: Number(event!.id), caseId: accepted.id, topic: 'case.decided' },
      {
        jobId: `rerun-${accepted.id}`,
      },
    );
    // Read as one snapshot: a job read before it finished and asked afterwards whether it completed
    // carries no return value yet.
    const rerun = await until(async () => {
      const job = await p.queues.queue('certificates').getJob(`rerun-${accepted.id}`);
      return job?.finishedOn ? job : null;
    });
    expect(rerun.returnvalue).toEqual({ issued: [] });
    const twice = await Promise.all([
      issueCertificatesForCase(forkEm(p.orm), p.certificates, accepted.id, new Date()),
      issueCertificatesForCase(forkEm(p.orm), p.certificates, accepted.id, new Date()),
    ]);
    expect(twice).toEqual([[], []]);
    expect(await certificatesOf(p.orm, accepted.id)).toHaveLength(1);
  });

  it('a department approving its task issues the certificate with the number it gave', async () => {
    const accepted = await acceptedCase(p.orm, 'BDC-001', {
      type: 'person',
      name: '李娜',
      idNumber: citizenId(12),
    });
    await approveByDepartment(p.orm, accepted, 'land_resources', {
      name: '不动产权证书',
      number: '豫（2026）濮阳市不动产权第0000123号',
    });
    const [certificate] = await until(async () => {
      const rows = await certificatesOf(p.orm, accepted.id);
      return rows.length > 0 && rows;
    });
    expect(certificate).toMatchObject({
      number: '豫（2026）濮阳市不动产权第0000123号',
      sourceDepartment: 'land_resources',
      issuerName: '濮阳市国土资源局',
      version: 1,
    });
    expect(certificate!.type.name).toBe('不动产权证书');
  });

  it('a change registration re-issues the licence: same serial, next version, the old version revoked as superseded', async () => {
    const company = {
      type: 'organisation' as const,
      name: '濮阳市示例科技有限公司',
      idNumber: creditCode(77),
      legalRepresentative: '王强',
    };
    const founded = await acceptedCase(p.orm, 'QYKB-001', company);
    await approveByDepartment(p.orm, founded, 'market_regulation', {
      name: '营业执照',
      number: '91410900MA0000770',
    });
    const [first] = await until(async () => {
      const rows = await certificatesOf(p.orm, founded.id);
      return rows.length > 0 && rows;
    });
    expect(first).toMatchObject({ holderIdType: '001', version: 1 });
    expect(first!.data).toMatchObject({ legalRepresentative: '王强', holderIdNumber: creditCode(77) });

    const changed = await acceptedCase(p.orm, 'QYKB-002', company);
    await approveByDepartment(p.orm, changed, 'market_regulation', {
      name: '营业执照',
      number: '91410900MA0000770',
    });
    const [second] = await until(async () => {
      const rows = await certificatesOf(p.orm, changed.id);
      return rows.length > 0 && rows;
    });
    expect(second).toMatchObject({ serial: first!.serial, version: 2 });
    expect(second!.identifier).toBe(
      first!.identifier.replace(/\.001\.[0-9A-Z]$/, `.002.${second!.identifier.at(-1)}`),
    );
    const [old] = await certificatesOf(p.orm, founded.id);
    expect(old).toMatchObject({ status: 'revoked', statusReason: expect.stringContaining('第2版') });
    const told = await forkEm(p.orm).find(OutboxEvent, { topic: 'certificate.status_changed' });
    expect(told.map((e) => e.payload)).toContainEqual(
      expect.objectContaining({ certificateId: old!.id, status: 'revoked' }),
    );
  });

  it('the holder and the hall’s clerks see the certificate on the case and download its PDF and token; others do not', async () => {
    const accepted = await acceptedCase(p.orm, 'BDC-001', {
      type: 'person',
      name: '赵敏',
      idNumber: citizenId(13),
      accountId: 'applicant-zhaomin',
    });
    await approveByDepartment(p.orm, accepted, 'land_resources', {
      name: '不动产权证书',
      number: '豫（2026）濮阳市不动产权第0000124号',
    });
    await until(async () => (await certificatesOf(p.orm, accepted.id)).length > 0);
    const holder = await p.hub.token('applicant', { id: 'applicant-zhaomin' });
    const { body } = await p.hub.gql<{
      case: {
        certificates: {
          id: string;
          identifier: string;
          holderIdNumber: string;
          holderIdType: string;
          status: string;
          expired: boolean;
          pdfUrl: string;
          tokenUrl: string;
          type: { name: string; standsFor: string[] };
          data: { name: string; label: string; value: string }[];
        }[];
      };
    }>(
      `query($id: ID!) { case(id: $id) { certificates { id identifier holderIdNumber holderIdType status expired pdfUrl tokenUrl
        type { name standsFor } data { name label value } } } }`,
      { id: accepted.id },
      { token: holder },
    );
    const [seen] = body.data!.case.certificates;
    expect(seen).toMatchObject({
      holderIdNumber: citizenId(13),
      holderIdType: 'CITIZEN_ID',
      status: 'ISSUED',
      expired: false,
      type: { name: '不动产权证书', standsFor: expect.arrayContaining(['不动产权证书']) },
    });
    expect(seen!.data).toContainEqual({ name: 'holderName', label: '权利人', value: '赵敏' });

    const fetchAs = (url: string, token?: string) =>
      fetch(`${p.hub.url}${url}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    const pdf = await fetchAs(seen!.pdfUrl, holder);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const clerk = await p.hub.token('clerk');
    const token = await fetchAs(seen!.tokenUrl, clerk);
    expect(token.status).toBe(200);
    const jws = await token.text();
    expect(jws.split('.')).toHaveLength(3);

    const otherHall = await p.hub.token('clerk', { hallCode: '410922' });
    expect((await fetchAs(seen!.pdfUrl, otherHall)).status).toBe(403);
    expect((await fetchAs(seen!.pdfUrl, await p.hub.token('applicant', { id: 'someone-else' }))).status).toBe(
      403,
    );
    expect((await fetchAs(seen!.tokenUrl)).status).toBe(401);

    // Anyone verifies it: the endpoint, the query and an offline verifier with the published keys agree.
    const verified = await fetch(`${p.hub.url}/certificates/verify`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: jws,
    });
    expect(await verified.json()).toMatchObject({
      verdict: 'VALID',
      claims: { identifier: seen!.identifier },
    });
    const query = await p.hub.gql<{ verifyCertificate: { verdict: string; claims: { holderName: string } } }>(
      'query($t: String!) { verifyCertificate(token: $t) { verdict reason keyId claims { holderName } } }',
      { t: jws },
    );
    expect(query.body.data!.verifyCertificate).toMatchObject({
      verdict: 'VALID',
      claims: { holderName: '赵敏' },
    });
    const jwks = (await (await fetch(`${p.hub.url}/certificates/jwks.json`)).json()) as { keys: PublicJwk[] };
    expect(JSON.stringify(jwks)).not.toMatch(/"d"/);
    const lists = await Promise.all(
      ['revocation-1', 'suspension-1'].map(async (name) =>
        (await fetch(`${p.hub.url}/certificates/status/${name}`)).text(),
      ),
    );
    expect(verifyCertificateOffline(jws, { jwks, statusLists: lists }).verdict).toBe('VALID');
  });

  it('the certificate types are public, with the materials they stand for', async () => {
    const { body } = await p.hub.gql<{
      certificateTypes: { code: string; name: string; standsFor: string[]; validityYears: number | null }[];
    }>(
      '{ certificateTypes { code name departmentCode itemCodes standsFor validityYears fields { name label required } } }',
    );
    const licence = body.data!.certificateTypes.find((t) => t.name === '营业执照')!;
    expect(licence.code).toMatch(/^[0-9A-Z]{18}\d{3}$/);
    expect(licence.standsFor).toContain('营业执照');
    expect(body.data!.certificateTypes.find((t) => t.name === '食品经营许可证')!.validityYears).toBe(5);
  });
});
