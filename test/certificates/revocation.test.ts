import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bitAt, decodeBitstring, STATUS_LIST_SIZE } from '../../db/certificates/bitstring.ts';
import {
  CertificateKeyRing,
  generateCertificateKey,
  keyFromJwk,
} from '../../db/certificates/certificate-keys.ts';
import {
  type PublicJwk,
  type StatusListCredential,
  verifyCertificateOffline,
} from '../../db/certificates/verify-offline.ts';
import type { Certificate } from '../../db/entities/certificate.ts';
import { OutboxEvent } from '../../db/entities/outbox-event.ts';
import { forkEm } from '../../db/orm.ts';
import { citizenId } from '../kit/front-desk.ts';
import {
  acceptedCase,
  approveByDepartment,
  type CertificatePipeline,
  certificatesOf,
  startCertificatePipeline,
  until,
} from './certificate-pipeline.ts';

const STATUS_RESULT = `__typename
  ... on CertificateStatusChanged { certificate { id status statusReason statusChangedAt } }
  ... on CertificateStatusNotChanged { errorCode message certificate { id status } }`;

describe('revocation and suspension, published as W3C Bitstring Status Lists', () => {
  let p: CertificatePipeline;
  let certificate: Certificate;
  let token: string;
  let serial = 40;

  async function issued(itemCode = 'BDC-001', department = 'land_resources', decidedAt = new Date()) {
    const accepted = await acceptedCase(p.orm, itemCode, {
      type: 'person',
      name: '状态测试',
      idNumber: citizenId(serial++),
    });
    await approveByDepartment(
      p.orm,
      accepted,
      department,
      { name: '证照', number: `第${serial}号` },
      decidedAt,
    );
    const [row] = await until(async () => {
      const rows = await certificatesOf(p.orm, accepted.id);
      return rows.length > 0 && rows;
    });
    return { certificate: row!, token: readFileSync(p.certificates.blobs.pathOf(row!.tokenSha256!), 'utf8') };
  }

  const verify = async (jws: string, asJson = false) => {
    const response = await fetch(`${p.hub.url}/certificates/verify`, {
      method: 'POST',
      headers: { 'content-type': asJson ? 'application/json' : 'application/jwt' },
      body: asJson ? JSON.stringify({ token: jws }) : jws,
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { verdict: string; reason: string; keyId: string | null };
  };

  /** What a consumer holding only the published keys and lists concludes. */
  const verifyOffline = async (jws: string) => {
    const jwks = (await (await fetch(`${p.hub.url}/certificates/jwks.json`)).json()) as { keys: PublicJwk[] };
    const statusLists = await Promise.all(
      ['revocation-1', 'suspension-1'].map(async (n) =>
        (await fetch(`${p.hub.url}/certificates/status/${n}`)).text(),
      ),
    );
    return verifyCertificateOffline(jws, { jwks, statusLists }).verdict;
  };

  const listBit = async (name: string, index: number) => {
    const response = await fetch(`${p.hub.url}/certificates/status/${name}`, {
      headers: { accept: 'application/json' },
    });
    const credential = (await response.json()) as StatusListCredential;
    const bits = decodeBitstring(credential.credentialSubject.encodedList);
    expect(bits.length * 8).toBeGreaterThanOrEqual(STATUS_LIST_SIZE);
    return bitAt(bits, index);
  };

  const change = async (
    action: 'revoke' | 'suspend' | 'reinstate',
    id: string,
    reason: string,
    bearer: string,
  ) =>
    p.hub.gql<Record<string, { __typename: string; errorCode?: string; certificate: { status: string } }>>(
      `mutation($id: ID!, $reason: String!) { ${action}Certificate(id: $id, reason: $reason) { ${STATUS_RESULT} } }`,
      { id, reason },
      { token: bearer },
    );

  beforeAll(async () => {
    p = await startCertificatePipeline();
    ({ certificate, token } = await issued());
  });
  afterAll(async () => {
    await p?.close();
  });

  it('sign → verify VALID, through the endpoint (text or JSON body) and offline', async () => {
    expect(await verify(token)).toMatchObject({ verdict: 'VALID', keyId: certificate.keyId });
    expect((await verify(token, true)).verdict).toBe('VALID');
    expect(await verifyOffline(token)).toBe('VALID');
  });

  it('only supervisors and the issuing department’s reviewers change a status, and only with a reason', async () => {
    const otherReviewer = await p.hub.token('department_reviewer', { departmentCode: 'civil_affairs' });
    const denied = await change('revoke', certificate.id, '错误', otherReviewer);
    expect(denied.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const clerk = await change('suspend', certificate.id, '错误', await p.hub.token('clerk'));
    expect(clerk.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const reviewer = await p.hub.token('department_reviewer', { departmentCode: 'land_resources' });
    const noReason = await change('suspend', certificate.id, '  ', reviewer);
    expect(noReason.body.data!.suspendCertificate).toMatchObject({
      __typename: 'CertificateStatusNotChanged',
      errorCode: 'REASON_REQUIRED',
      certificate: { status: 'ISSUED' },
    });
    expect(await verify(token)).toMatchObject({ verdict: 'VALID' });
  });

  it('suspended → SUSPENDED (bit set in the suspension list), reinstated → VALID again', async () => {
    const reviewer = await p.hub.token('department_reviewer', { departmentCode: 'land_resources' });
    const suspended = await change('suspend', certificate.id, '权属争议，暂停使用', reviewer);
    expect(suspended.body.data!.suspendCertificate).toMatchObject({
      __typename: 'CertificateStatusChanged',
      certificate: { status: 'SUSPENDED' },
    });
    expect(await listBit('suspension-1', certificate.statusIndex)).toBe(true);
    expect(await listBit('revocation-1', certificate.statusIndex)).toBe(false);
    expect(await verify(token)).toMatchObject({
      verdict: 'SUSPENDED',
      reason: expect.stringMatching(/suspended/),
    });
    expect(await verifyOffline(token)).toBe('SUSPENDED');
    const again = await change('suspend', certificate.id, '再次', reviewer);
    expect(again.body.data!.suspendCertificate).toMatchObject({ errorCode: 'ALREADY_SUSPENDED' });

    const reinstated = await change('reinstate', certificate.id, '争议已解决', reviewer);
    expect(reinstated.body.data!.reinstateCertificate).toMatchObject({ certificate: { status: 'ISSUED' } });
    expect(await listBit('suspension-1', certificate.statusIndex)).toBe(false);
    expect(await verify(token)).toMatchObject({ verdict: 'VALID' });
    expect(await verifyOffline(token)).toBe('VALID');
    const twice = await change('reinstate', certificate.id, '再次', reviewer);
    expect(twice.body.data!.reinstateCertificate).toMatchObject({ errorCode: 'NOT_SUSPENDED' });
  });

  it('revoked (by a supervisor of any hall) → REVOKED for good; consumers are told of every change', async () => {
    const supervisor = await p.hub.token('supervisor', { hallCode: '410922' });
    const revoked = await change('revoke', certificate.id, '以欺骗手段取得，依法撤销', supervisor);
    expect(revoked.body.data!.revokeCertificate).toMatchObject({ certificate: { status: 'REVOKED' } });
    expect(await listBit('revocation-1', certificate.statusIndex)).toBe(true);
    expect(await verify(token)).toMatchObject({ verdict: 'REVOKED' });
    expect(await verifyOffline(token)).toBe('REVOKED');
    const back = await change('reinstate', certificate.id, '撤回', supervisor);
    expect(back.body.data!.reinstateCertificate).toMatchObject({ errorCode: 'ALREADY_REVOKED' });

    const events = await forkEm(p.orm).find(
      OutboxEvent,
      { topic: 'certificate.status_changed' },
      { orderBy: { id: 'asc' } },
    );
    expect(events.map((e) => e.payload)).toEqual([
      {
        certificateId: certificate.id,
        status: 'suspended',
        event: 'suspended',
        changedAt: expect.any(String),
      },
      { certificateId: certificate.id, status: 'issued', event: 'reinstated', changedAt: expect.any(String) },
      { certificateId: certificate.id, status: 'revoked', event: 'revoked', changedAt: expect.any(String) },
    ]);
  });

  it('past its last day → EXPIRED', async () => {
    // A public health permit (4 years) decided in March 2020 ran until 29 February 2024.
    const old = await issued('KJWW-001', 'health_family_planning', new Date('2020-03-01T10:00:00+08:00'));
    expect(old.certificate).toMatchObject({ validFrom: '2020-03-01', validTo: '2024-02-29' });
    expect(await verify(old.token)).toMatchObject({
      verdict: 'EXPIRED',
      reason: expect.stringMatching(/2024-02-29/),
    });
    expect(await verifyOffline(old.token)).toBe('EXPIRED');
  });

  it('tampered tokens and foreign keys get their own answers from the endpoint', async () => {
    const [h, payload, s] = token.split('.') as [string, string, string];
    const flipped = `${h}.${payload.slice(0, 20)}${payload[20] === 'A' ? 'B' : 'A'}${payload.slice(21)}.${s}`;
    expect(await verify(flipped)).toMatchObject({ verdict: 'TAMPERED' });
    expect(await verify(`${h}.${payload}.`)).toMatchObject({
      verdict: 'TAMPERED',
      reason: 'the signature was stripped',
    });
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'vc+jwt' })).toString('base64url');
    expect(await verify(`${none}.${payload}.`)).toMatchObject({ verdict: 'TAMPERED' });
    const stranger = new CertificateKeyRing([keyFromJwk(generateCertificateKey('EdDSA'), 'test')], 'EdDSA');
    const foreign = (
      await stranger.signCompact(JSON.parse(Buffer.from(payload, 'base64url').toString()), 'vc+jwt')
    ).token;
    expect(await verify(foreign)).toMatchObject({ verdict: 'UNKNOWN_KEY', keyId: stranger.signingKid });
    expect(await verify('')).toMatchObject({ verdict: 'MALFORMED' });
  });

  it('status lists are served signed by default, as JSON on request, and only under their names', async () => {
    const signed = await fetch(`${p.hub.url}/certificates/status/revocation-1`);
    expect(signed.headers.get('content-type')).toMatch(/^application\/vc\+jwt/);
    const jws = await signed.text();
    const header = JSON.parse(Buffer.from(jws.split('.')[0]!, 'base64url').toString());
    expect(header).toMatchObject({ alg: 'EdDSA', typ: 'vc+jwt', kid: certificate.keyId });
    const credential = JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString());
    expect(credential).toMatchObject({
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      credentialSubject: {
        type: 'BitstringStatusList',
        statusPurpose: 'revocation',
        encodedList: expect.stringMatching(/^u/),
      },
    });
    expect((await fetch(`${p.hub.url}/certificates/status/everything`)).status).toBe(404);
  });

  it('identifiers are checked on input, with a reason for each malformation', async () => {
    const good = await p.hub.gql<{ checkCertificateIdentifier: Record<string, unknown> }>(
      'query($i: String!) { checkCertificateIdentifier(identifier: $i) { valid reason typeCode issuerCode serial version expectedCheckChar } }',
      { i: '1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U' },
    );
    expect(good.body.data!.checkCertificateIdentifier).toMatchObject({
      valid: true,
      version: 1,
      expectedCheckChar: 'U',
    });
    const altered = await p.hub.gql<{ checkCertificateIdentifier: Record<string, unknown> }>(
      'query($i: String!) { checkCertificateIdentifier(identifier: $i) { valid reason expectedCheckChar } }',
      { i: '1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000404.001.U' },
    );
    expect(altered.body.data!.checkCertificateIdentifier).toMatchObject({
      valid: false,
      reason: expect.stringMatching(/check character/),
    });

    const supervisor = await p.hub.token('supervisor');
    const lookup = (identifier: string, bearer: string) =>
      p.hub.gql<{ certificate: { id: string; status: string } | null }>(
        'query($i: String!) { certificate(identifier: $i) { id status } }',
        { i: identifier },
        { token: bearer },
      );
    expect((await lookup(certificate.identifier, supervisor)).body.data!.certificate).toMatchObject({
      id: certificate.id,
      status: 'REVOKED',
    });
    const malformed = await lookup('1.2.156.3005.2.ABC', supervisor);
    expect(malformed.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/5 parts/),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const stranger = await p.hub.token('applicant', { id: 'not-the-holder' });
    expect((await lookup(certificate.identifier, stranger)).body.data!.certificate).toBeNull();
  });
});
