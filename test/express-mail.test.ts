import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASE_FIELDS, citizenId, requiredMaterials, TOLERANT_ITEM } from './kit/front-desk.ts';
import { startTestHub, type TestHub } from './kit/test-hub.ts';

const SIGN = `mutation($input: SignForPackageInput!) { signForExpressPackage(input: $input) { id carrier trackingNumber status caseNumber signedForBy } }`;
const REGISTER = `mutation($input: RegisterCaseInput!) { registerCase(input: $input) { ${CASE_FIELDS} channel } }`;

describe('express mail (R-F8)', () => {
  let hub: TestHub;
  let clerk: string;
  beforeAll(async () => {
    hub = await startTestHub();
    clerk = await hub.token('clerk');
  });
  afterAll(async () => {
    await hub?.close();
  });

  const input = (packageId?: string) => ({
    itemCode: TOLERANT_ITEM.code,
    channel: 'EXPRESS_MAIL',
    applicant: { type: 'PERSON', name: '吴昊', idNumber: citizenId(812) },
    materials: requiredMaterials(TOLERANT_ITEM),
    ...(packageId ? { expressPackageId: packageId } : {}),
  });

  it('signs for a package, registers the application in it, and keeps the link on both sides', async () => {
    const signed = await hub.gql<{
      signForExpressPackage: { id: string; status: string; signedForBy: string };
    }>(
      SIGN,
      {
        input: {
          carrier: 'ems',
          trackingNumber: 'EA123456789CN',
          senderName: '吴昊',
          contents: '申请表及附件共5份',
        },
      },
      { token: clerk },
    );
    expect(signed.body.data!.signForExpressPackage).toMatchObject({
      status: 'SIGNED_FOR',
      signedForBy: 'clerk-wangmin',
    });
    const packageId = signed.body.data!.signForExpressPackage.id;

    const twice = await hub.gql(
      SIGN,
      { input: { carrier: 'EMS', trackingNumber: 'EA123456789CN', senderName: '吴昊', contents: '重复' } },
      { token: clerk },
    );
    expect(twice.body.errors![0]!.extensions!.code).toBe('CONFLICT');
    expect(twice.body.errors![0]!.message).toMatch(/already signed for/);

    const without = await hub.gql(REGISTER, { input: input() }, { token: clerk });
    expect(without.body.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'expressPackageId',
    });

    const otherHall = await hub.gql(
      REGISTER,
      { input: input(packageId) },
      { token: await hub.token('clerk', { hallCode: '410922' }) },
    );
    expect(otherHall.body.errors![0]!.extensions).toMatchObject({ field: 'expressPackageId' });

    const registered = await hub.gql<{
      registerCase: { number: string; channel: string; timeline: { changes: string }[] };
    }>(REGISTER, { input: input(packageId) }, { token: clerk });
    expect(registered.body.errors).toBeUndefined();
    const c = registered.body.data!.registerCase;
    expect(c.channel).toBe('EXPRESS_MAIL');
    expect(JSON.parse(c.timeline[0]!.changes).expressPackage).toEqual([null, 'EMS EA123456789CN']);

    const again = await hub.gql(REGISTER, { input: input(packageId) }, { token: clerk });
    expect(again.body.errors![0]!.extensions!.code).toBe('CONFLICT');

    const list = await hub.gql<{ expressPackages: { status: string; caseNumber: string | null }[] }>(
      '{ expressPackages { status caseNumber } }',
      {},
      { token: clerk },
    );
    expect(list.body.data!.expressPackages).toEqual([{ status: 'REGISTERED', caseNumber: c.number }]);
  });

  it('explains a bad tracking number and refuses other roles', async () => {
    const bad = await hub.gql(
      SIGN,
      { input: { carrier: 'EMS', trackingNumber: '12', senderName: 'x', contents: 'y' } },
      { token: clerk },
    );
    expect(bad.body.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'trackingNumber',
    });
    const applicant = await hub.gql(
      SIGN,
      { input: { carrier: 'EMS', trackingNumber: 'EA000000001CN', senderName: 'x', contents: 'y' } },
      { token: await hub.token('applicant') },
    );
    expect(applicant.body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });
});
