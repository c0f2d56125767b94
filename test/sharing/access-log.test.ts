import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../db/cases/case-audit.ts';
import { CertificateAccess } from '../../db/entities/sharing.ts';
import { forkEm } from '../../db/orm.ts';
import { type AccessFields, accessHash, appendAccess, verifyAccessLog } from '../../db/sharing/access-log.ts';
import { fetchSharedCertificates } from '../../db/sharing/shared-certificates.ts';
import { DEMO_ACTORS } from '../../gateway/auth/demo-actors.ts';
import { startTestHub, type TestHub } from '../kit/test-hub.ts';
import { certificateRow, certificateType, creditCode, dayFromToday } from './certificate-rows.ts';

const run = promisify(execFile);

/** The fields an entry's hash covers, as stored. */
const fieldsOf = (e: CertificateAccess): AccessFields => ({
  seq: e.seq,
  at: e.at,
  consumerId: e.consumerId,
  typeCode: e.typeCode ?? null,
  certificateId: e.certificateId ?? null,
  holder: e.holder ?? null,
  reason: e.reason,
  outcome: e.outcome,
  detail: e.detail ?? null,
});
const VERIFY = `{ verifyCertificateAccessLog { intact entriesChecked firstBadSeq problem headSeq headHash } }`;

describe('the certificate access log is one hash chain; changes to it are found', () => {
  let hub: TestHub;
  let supervisor: string;

  beforeAll(async () => {
    hub = await startTestHub();
    supervisor = await hub.token('supervisor');
    // Real requests (allowed and denied), many at once: the chain takes them one at a time.
    const type = await certificateType(hub.db.orm, '营业执照', []);
    const holder = creditCode(501);
    await certificateRow(hub.db.orm, {
      typeCode: type.code,
      holderIdType: '001',
      holderIdNumber: holder,
      holderName: '濮阳市链条测试有限公司',
    });
    const em = forkEm(hub.db.orm);
    await em.execute(
      `insert into sharing_consumer (id, name, active, created_at) values (?, ?, true, now())`,
      [DEMO_ACTORS.consumer.id, '市大数据管理局'],
    );
    await em.execute(
      `insert into sharing_grant (consumer_id, type_code, purpose, valid_until, granted_by, created_at)
       values (?, ?, '核验', ?, 'supervisor-chenjing', now())`,
      [DEMO_ACTORS.consumer.id, type.code, new Date(`${dayFromToday(10)}T00:00:00+08:00`)],
    );
    const requests = Array.from({ length: 24 }, (_, i) =>
      fetchSharedCertificates(forkEm(hub.db.orm), DEMO_ACTORS.consumer, {
        holderIdType: '001',
        holderIdNumber: holder,
        typeCode: i % 3 === 0 ? 'T-NOT-GRANTED' : type.code,
        reason: `第${i}次核验`,
      }),
    );
    await Promise.all(requests);
  });
  afterAll(async () => hub?.close());

  const verified = async () => {
    const { body } = await hub.gql<{ verifyCertificateAccessLog: Record<string, unknown> }>(
      VERIFY,
      {},
      { token: supervisor },
    );
    expect(body.errors).toBeUndefined();
    return body.data!.verifyCertificateAccessLog;
  };

  it('concurrent requests append in one unbroken chain, from the genesis hash', async () => {
    const entries = await forkEm(hub.db.orm).find(CertificateAccess, {}, { orderBy: { seq: 'asc' } });
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(entries[0]!.prevHash).toBe(GENESIS_HASH);
    expect(entries.filter((e) => e.outcome === 'denied')).toHaveLength(8);
    for (const [i, e] of entries.entries()) {
      if (i > 0) expect(e.prevHash).toBe(entries[i - 1]!.hash);
      expect(accessHash(e.prevHash, fieldsOf(e))).toBe(e.hash);
    }
    expect(await verified()).toEqual({
      intact: true,
      entriesChecked: 24,
      firstBadSeq: null,
      problem: null,
      headSeq: 24,
      headHash: entries.at(-1)!.hash,
    });
  });

  it('an entry edited in SQL is found, and the chain is whole again when it is put back', async () => {
    const em = forkEm(hub.db.orm);
    const [original] = await em.execute<{ reason: string }[]>(
      'select reason from certificate_access where seq = 7',
    );
    await em.execute(`update certificate_access set reason = '随便看看' where seq = 7`);
    expect(await verified()).toMatchObject({
      intact: false,
      firstBadSeq: 7,
      problem: 'content changed after it was written',
      entriesChecked: 6,
      headHash: null,
    });
    await em.execute('update certificate_access set reason = ? where seq = 7', [original!.reason]);
    expect(await verified()).toMatchObject({ intact: true, entriesChecked: 24 });
  });

  it('an edit whose hash was recomputed breaks the link to the next entry', async () => {
    const em = forkEm(hub.db.orm);
    const [row] = await em.find(CertificateAccess, { seq: 10 });
    const forged = { ...fieldsOf(row!), outcome: 'allowed' as const, detail: 'forged' };
    const forgedHash = accessHash(row!.prevHash, forged);
    await em.execute(
      `update certificate_access set outcome = 'allowed', detail = 'forged', hash = ? where seq = 10`,
      [forgedHash],
    );
    expect(await verified()).toMatchObject({
      intact: false,
      firstBadSeq: 11,
      problem: 'does not follow the entry before it',
    });
    await em.execute('update certificate_access set outcome = ?, detail = ?, hash = ? where seq = 10', [
      row!.outcome,
      row!.detail,
      row!.hash,
    ]);
    expect(await verified()).toMatchObject({ intact: true });
  });

  it('a removed entry is found, and the command exits 1 naming it', async () => {
    const em = forkEm(hub.db.orm);
    await em.execute('delete from certificate_access where seq = 15');
    expect(await verified()).toMatchObject({
      intact: false,
      firstBadSeq: 15,
      problem: 'entry 15 is missing (the next one is 16)',
    });
    expect(await verifyAccessLog(forkEm(hub.db.orm), { batch: 4 })).toMatchObject({ firstBadSeq: 15 });
    const root = path.resolve(import.meta.dirname, '../..');
    const result = await run(process.execPath, [path.join(root, 'jobs/verify-access-log.ts')], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: hub.db.url },
    }).catch((e: { code: number; stdout: string }) => e);
    expect((result as { code?: number }).code).toBe(1);
    expect((result as { stdout: string }).stdout).toContain('TAMPERED entry 15: entry 15 is missing');
  });

  it('a new entry after a break still chains on the last one (appending never repairs or hides a break)', async () => {
    await forkEm(hub.db.orm).transactional((tx) =>
      appendAccess(tx, [
        {
          consumerId: 'consumer-late',
          typeCode: null,
          certificateId: null,
          holder: null,
          reason: '之后的请求',
          outcome: 'denied',
          detail: 'not a registered sharing consumer',
        },
      ]),
    );
    const last = await forkEm(hub.db.orm).findOneOrFail(CertificateAccess, { seq: 25 });
    const before = await forkEm(hub.db.orm).findOneOrFail(CertificateAccess, { seq: 24 });
    expect(last.prevHash).toBe(before.hash);
    expect(await verified()).toMatchObject({ intact: false, firstBadSeq: 15 });
  });
});
