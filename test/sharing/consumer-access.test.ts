import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCase } from '../../db/cases/case-intake.ts';
import type { Certificate } from '../../db/entities/certificate.ts';
import type { CertificateType } from '../../db/entities/certificate-type.ts';
import { CertificateAccess } from '../../db/entities/sharing.ts';
import { maskIdNumber } from '../../db/identity/mask.ts';
import { forkEm } from '../../db/orm.ts';
import { DEMO_ACTORS } from '../../gateway/auth/demo-actors.ts';
import { citizenId, IMMEDIATE_ITEM } from '../kit/front-desk.ts';
import { startTestHub, type TestHub } from '../kit/test-hub.ts';
import { certificateRow, certificateType, creditCode, dayFromToday } from './certificate-rows.ts';

const CONSUMER = DEMO_ACTORS.consumer.id;
const REASON = '企业开办“一网通办”核验营业执照';

const SHARED = `query($r: SharedCertificateRequest!) { sharedCertificates(request: $r) { id identifier } }`;
const REGISTER_CONSUMER = `mutation($input: SharingConsumerInput!) {
  registerSharingConsumer(input: $input) { id name webhookUrl active grants { id typeCode } } }`;
const GRANT = `mutation($input: SharingGrantInput!) {
  grantCertificateSharing(input: $input) { id consumerId typeCode purpose validUntil live grantedBy } }`;
const LOG = `query($f: CertificateAccessFilter, $before: Int, $first: Int) {
  certificateAccessLog(filter: $f, beforeSeq: $before, first: $first) {
    seq consumerId typeCode certificateId holder reason outcome detail prevHash hash } }`;
const VERIFY = `{ verifyCertificateAccessLog { intact entriesChecked firstBadSeq problem headSeq headHash } }`;

interface LogEntry {
  seq: number;
  consumerId: string;
  typeCode: string | null;
  certificateId: string | null;
  holder: string | null;
  reason: string;
  outcome: 'ALLOWED' | 'DENIED';
  detail: string | null;
}

describe('data sharing: consumers see certificates only through live grants, every access logged', () => {
  let hub: TestHub;
  let supervisor: string;
  let consumer: string;
  let licence: CertificateType;
  let foodLicence: CertificateType;
  let notGranted: CertificateType;
  let company: { name: string; idNumber: string };
  let licenceOfCompany: Certificate;

  beforeAll(async () => {
    hub = await startTestHub();
    supervisor = await hub.token('supervisor');
    consumer = await hub.token('consumer');
    licence = await certificateType(hub.db.orm, '营业执照', ['营业执照']);
    foodLicence = await certificateType(hub.db.orm, '食品经营许可证', []);
    notGranted = await certificateType(hub.db.orm, '烟草专卖零售许可证', []);
    company = { name: '濮阳市共享测试有限公司', idNumber: creditCode(77) };
    const holder = {
      holderIdType: '001' as const,
      holderIdNumber: company.idNumber,
      holderName: company.name,
    };
    licenceOfCompany = await certificateRow(hub.db.orm, { ...holder, typeCode: licence.code });
    await certificateRow(hub.db.orm, { ...holder, typeCode: foodLicence.code });
    await certificateRow(hub.db.orm, { ...holder, typeCode: notGranted.code });

    const registered = await hub.gql(
      REGISTER_CONSUMER,
      { input: { id: CONSUMER, name: '市大数据管理局' } },
      { token: supervisor },
    );
    expect(registered.body.errors).toBeUndefined();
    for (const type of [licence, foodLicence]) {
      const { body } = await hub.gql(
        GRANT,
        {
          input: {
            consumerId: CONSUMER,
            typeCode: type.code,
            purpose: '企业开办信息核验',
            validUntil: dayFromToday(30),
          },
        },
        { token: supervisor },
      );
      expect(body.errors).toBeUndefined();
      expect(body.data).toMatchObject({
        grantCertificateSharing: {
          consumerId: CONSUMER,
          typeCode: type.code,
          live: true,
          grantedBy: 'supervisor-chenjing',
        },
      });
    }
    // The food licence grant ran out yesterday.
    await forkEm(hub.db.orm).execute(
      `update sharing_grant set valid_until = now() - interval '1 day' where type_code = ?`,
      [foodLicence.code],
    );
  });
  afterAll(async () => hub?.close());

  const ask = (request: Record<string, unknown>, token = consumer) =>
    hub.gql<{ sharedCertificates: { id: string; identifier: string }[] }>(
      SHARED,
      {
        r: {
          holderIdType: 'CREDIT_CODE',
          holderIdNumber: company.idNumber,
          typeCode: licence.code,
          reason: REASON,
          ...request,
        },
      },
      { token },
    );

  async function lastEntry(): Promise<LogEntry> {
    const { body } = await hub.gql<{ certificateAccessLog: LogEntry[] }>(
      LOG,
      { first: 1 },
      { token: supervisor },
    );
    expect(body.errors).toBeUndefined();
    return body.data!.certificateAccessLog[0]!;
  }

  const maskedCompany = `001:${maskIdNumber(creditCode(77))}`;

  it('only supervisors register consumers and grant them types', async () => {
    for (const role of ['consumer', 'clerk', 'applicant'] as const) {
      const token = await hub.token(role);
      const { body } = await hub.gql(
        REGISTER_CONSUMER,
        { input: { id: 'consumer-x', name: '某局' } },
        { token },
      );
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const grant = await hub.gql(
        GRANT,
        {
          input: {
            consumerId: CONSUMER,
            typeCode: notGranted.code,
            purpose: '自己授权',
            validUntil: dayFromToday(5),
          },
        },
        { token },
      );
      expect(grant.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const past = await hub.gql(
      GRANT,
      {
        input: {
          consumerId: CONSUMER,
          typeCode: notGranted.code,
          purpose: '过去',
          validUntil: dayFromToday(-2),
        },
      },
      { token: supervisor },
    );
    expect(past.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'validUntil' });
  });

  it('allowed: answered with the certificate, logged with it', async () => {
    const { body } = await ask({ reason: `  ${REASON}  ` });
    expect(body.errors).toBeUndefined();
    expect(body.data!.sharedCertificates).toEqual([
      { id: licenceOfCompany.id, identifier: licenceOfCompany.identifier },
    ]);
    const entry = await lastEntry();
    expect(entry).toMatchObject({
      consumerId: CONSUMER,
      typeCode: licence.code,
      certificateId: licenceOfCompany.id,
      holder: maskedCompany,
      reason: REASON,
      outcome: 'ALLOWED',
    });
    expect(entry.detail).toContain('企业开办信息核验');

    // The certificate as a consumer reads it: its status and type, the holder's number masked.
    const full = await hub.gql<{ sharedCertificates: Record<string, unknown>[] }>(
      `query($r: SharedCertificateRequest!) { sharedCertificates(request: $r) {
         identifier status expired holderIdType holderIdNumber type { code name } } }`,
      {
        r: {
          holderIdType: 'CREDIT_CODE',
          holderIdNumber: company.idNumber,
          typeCode: licence.code,
          reason: REASON,
        },
      },
      { token: consumer },
    );
    expect(full.body.errors).toBeUndefined();
    expect(full.body.data!.sharedCertificates).toEqual([
      {
        identifier: licenceOfCompany.identifier,
        status: 'ISSUED',
        expired: false,
        holderIdType: 'CREDIT_CODE',
        holderIdNumber: maskIdNumber(company.idNumber),
        type: { code: licence.code, name: '营业执照' },
      },
    ]);
    expect(entry.holder).not.toContain(company.idNumber.slice(3, 14));
  });

  it('a type outside the grants looks exactly like a type with no certificate: empty, denied and logged', async () => {
    const outside = await ask({ typeCode: notGranted.code });
    const unknownType = await ask({ typeCode: 'T000000000000' });
    const nobody = await ask({ holderIdNumber: creditCode(78) });
    for (const answer of [outside, unknownType, nobody]) {
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ data: { sharedCertificates: [] } });
    }
    const { body } = await hub.gql<{ certificateAccessLog: LogEntry[] }>(
      LOG,
      { first: 3 },
      { token: supervisor },
    );
    const [none, unknown, outsideEntry] = body.data!.certificateAccessLog;
    expect(outsideEntry).toMatchObject({
      typeCode: notGranted.code,
      certificateId: null,
      holder: maskedCompany,
      outcome: 'DENIED',
      detail: 'certificate type not granted',
    });
    expect(unknown).toMatchObject({
      typeCode: 'T000000000000',
      outcome: 'DENIED',
      detail: 'certificate type not granted',
    });
    expect(none).toMatchObject({ typeCode: licence.code, certificateId: null, outcome: 'ALLOWED' });
    expect(none!.detail).toContain('none found');
  });

  it('an expired grant: empty, denied and logged', async () => {
    const { body } = await ask({ typeCode: foodLicence.code });
    expect(body).toEqual({ data: { sharedCertificates: [] } });
    const entry = await lastEntry();
    expect(entry).toMatchObject({ typeCode: foodLicence.code, certificateId: null, outcome: 'DENIED' });
    expect(entry.detail).toMatch(/^grant \d+ expired /);
  });

  it('a grant ended by a supervisor stops the next request; supervisors see consumers with their grants', async () => {
    const permit = await certificateType(hub.db.orm, '道路运输经营许可证', []);
    await certificateRow(hub.db.orm, {
      typeCode: permit.code,
      holderIdType: '001',
      holderIdNumber: company.idNumber,
      holderName: company.name,
    });
    const granted = await hub.gql<{ grantCertificateSharing: { id: string } }>(
      GRANT,
      {
        input: {
          consumerId: CONSUMER,
          typeCode: permit.code,
          purpose: '运输许可核验',
          validUntil: dayFromToday(1),
        },
      },
      { token: supervisor },
    );
    const grantId = granted.body.data!.grantCertificateSharing.id;
    expect((await ask({ typeCode: permit.code })).body.data!.sharedCertificates).toHaveLength(1);
    const ended = await hub.gql(
      'mutation($id: ID!) { endSharingGrant(id: $id) { id live } }',
      { id: grantId },
      { token: supervisor },
    );
    expect(ended.body.data).toEqual({ endSharingGrant: { id: grantId, live: false } });
    expect((await ask({ typeCode: permit.code })).body).toEqual({ data: { sharedCertificates: [] } });
    expect((await lastEntry()).detail).toMatch(new RegExp(`^grant ${grantId} expired `));

    const { body } = await hub.gql<{
      sharingConsumers: {
        id: string;
        webhookUrl: string | null;
        grants: { typeCode: string; live: boolean }[];
      }[];
    }>('{ sharingConsumers { id webhookUrl grants { typeCode live } } }', {}, { token: supervisor });
    const bureau = body.data!.sharingConsumers.find((c) => c.id === CONSUMER)!;
    expect(bureau.webhookUrl).toBeNull();
    expect(bureau.grants).toEqual(
      expect.arrayContaining([
        { typeCode: licence.code, live: true },
        { typeCode: foodLicence.code, live: false },
        { typeCode: permit.code, live: false },
      ]),
    );
  });

  it('no reason (申请事由), or one over 200 characters: refused, and logged as denied', async () => {
    for (const reason of [null, '', '   ']) {
      const { body } = await ask({ reason });
      expect(body.data?.sharedCertificates ?? null).toBeNull();
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
      expect(await lastEntry()).toMatchObject({
        typeCode: licence.code,
        certificateId: null,
        holder: maskedCompany,
        reason: '',
        outcome: 'DENIED',
        detail: 'no reason given',
      });
    }
    const long = '核'.repeat(201);
    const { body } = await ask({ reason: long });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    expect(await lastEntry()).toMatchObject({
      outcome: 'DENIED',
      detail: 'reason longer than 200 characters',
    });
    const exactly = await ask({ reason: '核'.repeat(200) });
    expect(exactly.body.data!.sharedCertificates).toHaveLength(1);
  });

  it('a holder id that fails its check digit: refused, logged masked', async () => {
    const wrong = `${company.idNumber.slice(0, 17)}${company.idNumber.endsWith('0') ? '1' : '0'}`;
    const { body } = await ask({ holderIdNumber: wrong });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'holderIdNumber' });
    expect(await lastEntry()).toMatchObject({
      outcome: 'DENIED',
      detail: 'holder id not valid',
      holder: `001:${maskIdNumber(wrong)}`,
    });
    const person = await ask({ holderIdType: 'CITIZEN_ID' });
    expect(person.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'holderIdNumber',
    });
  });

  it('a consumer that is not registered sees nothing, and is logged', async () => {
    const stranger = await hub.token('consumer', { id: 'consumer-unregistered', name: '未登记单位' });
    const { body } = await ask({}, stranger);
    expect(body).toEqual({ data: { sharedCertificates: [] } });
    expect(await lastEntry()).toMatchObject({
      consumerId: 'consumer-unregistered',
      outcome: 'DENIED',
      detail: 'not a registered sharing consumer',
    });
    // Other roles do not come in through the consumer's door.
    const clerk = await ask({}, await hub.token('clerk'));
    expect(clerk.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('when the access cannot be logged, it is denied: nothing answered, nothing logged', async () => {
    const before = await forkEm(hub.db.orm).count(CertificateAccess, {});
    const em = forkEm(hub.db.orm);
    await em.execute(
      `alter table certificate_access add constraint test_log_unwritable check (reason <> '日志不可写')`,
    );
    try {
      const { body } = await ask({ reason: '日志不可写' });
      expect(body.data?.sharedCertificates ?? null).toBeNull();
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(body.errors?.[0]?.message).toContain('access log');
      expect(JSON.stringify(body)).not.toContain(licenceOfCompany.identifier);
    } finally {
      await em.execute('alter table certificate_access drop constraint test_log_unwritable');
    }
    expect(await forkEm(hub.db.orm).count(CertificateAccess, {})).toBe(before);
    expect((await ask({})).body.data!.sharedCertificates).toHaveLength(1);
  });

  it('supervisors read the log and verify its chain; nobody else', async () => {
    const { body } = await hub.gql<{ certificateAccessLog: LogEntry[] }>(
      LOG,
      { f: { consumerId: CONSUMER, outcome: 'ALLOWED', certificateId: licenceOfCompany.id }, first: 200 },
      { token: supervisor },
    );
    expect(body.data!.certificateAccessLog.length).toBeGreaterThanOrEqual(3);
    expect(body.data!.certificateAccessLog.every((e) => e.certificateId === licenceOfCompany.id)).toBe(true);
    const total = await forkEm(hub.db.orm).count(CertificateAccess, {});
    const verified = await hub.gql(VERIFY, {}, { token: supervisor });
    expect(verified.body.data).toMatchObject({
      verifyCertificateAccessLog: { intact: true, entriesChecked: total, firstBadSeq: null, headSeq: total },
    });
    for (const role of ['consumer', 'clerk', 'applicant'] as const) {
      const token = await hub.token(role);
      expect((await hub.gql(LOG, {}, { token })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await hub.gql(VERIFY, {}, { token })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });

  it("applicants see their own certificates, by their account's identity, and nobody else's", async () => {
    const idNumber = citizenId(321);
    await registerCase(forkEm(hub.db.orm), DEMO_ACTORS.clerk, {
      itemCode: IMMEDIATE_ITEM.code,
      channel: 'window',
      applicant: { type: 'person', name: '李娜', idNumber, accountId: 'applicant-sharing-lina' },
      materials: [],
    });
    const own = await certificateRow(hub.db.orm, {
      typeCode: licence.code,
      holderIdType: '111',
      holderIdNumber: idNumber,
      holderName: '李娜',
    });
    const query = '{ myCertificates { id identifier } }';
    const lina = await hub.token('applicant', { id: 'applicant-sharing-lina', name: '李娜' });
    expect((await hub.gql(query, {}, { token: lina })).body.data).toEqual({
      myCertificates: [{ id: own.id, identifier: own.identifier }],
    });
    const stranger = await hub.token('applicant', { id: 'applicant-without-cases' });
    expect((await hub.gql(query, {}, { token: stranger })).body.data).toEqual({ myCertificates: [] });
    expect((await hub.gql(query, {}, { token: consumer })).body.errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
  });
});
