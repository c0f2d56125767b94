import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenId, REGISTER, requiredMaterials, TOLERANT_ITEM } from './kit/front-desk.ts';
import { startTestHub, type TestHub } from './kit/test-hub.ts';

describe('linking an applicant’s own account at the window', () => {
  let hub: TestHub;
  let clerk: string;
  beforeAll(async () => {
    hub = await startTestHub();
    clerk = await hub.token('clerk');
  });
  afterAll(async () => hub?.close());

  const register = (name: string, idNumber: string, accountId: string) =>
    hub.gql<{ registerCase: { id: string; applicant: { idNumber: string } } }>(
      REGISTER,
      {
        input: {
          itemCode: TOLERANT_ITEM.code,
          channel: 'WINDOW',
          applicant: { type: 'PERSON', name, idNumber, accountId },
          materials: requiredMaterials(TOLERANT_ITEM),
        },
      },
      { token: clerk },
    );

  it('lets the applicant then see the case online, in full; an account is never linked to two people', async () => {
    const idNumber = citizenId(901);
    const registered = await register('林晓', idNumber, 'uia-linxiao-0001');
    expect(registered.body.errors).toBeUndefined();
    const id = registered.body.data!.registerCase.id;
    // The clerk sees the number masked; the applicant, signed in with that account, in full.
    expect(registered.body.data!.registerCase.applicant.idNumber).not.toBe(idNumber);
    const own = await hub.token('applicant', { id: 'uia-linxiao-0001', name: '林晓' });
    const seen = await hub.gql<{ case: { applicant: { idNumber: string } } }>(
      'query($id: ID!) { case(id: $id) { applicant { idNumber } } }',
      { id },
      { token: own },
    );
    expect(seen.body.data?.case.applicant.idNumber).toBe(idNumber);

    const other = await register('陈明', citizenId(902), 'uia-linxiao-0001');
    expect(other.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'applicant.accountId',
    });
    const relinked = await register('林晓', idNumber, 'uia-someone-else');
    expect(relinked.body.errors?.[0]?.message).toMatch(/already linked to another account/);
  });
});
