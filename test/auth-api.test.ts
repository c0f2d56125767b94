import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signActorToken } from '../gateway/auth/actor-token.ts';
import { DEMO_ACTORS } from '../gateway/auth/demo-actors.ts';
import { generateSigningKey } from '../gateway/auth/signing-keys.ts';
import { startTestHub, type TestHub } from './kit/test-hub.ts';

describe('actor context over HTTP', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('the catalogue is public and an anonymous caller is nobody', async () => {
    const { status, body } = await hub.gql('{ me { id } zones { code } }');
    expect(status).toBe(200);
    expect(body.data).toMatchObject({ me: null });
  });

  it('a signed token gives the request its actor, for every role', async () => {
    for (const role of [
      'clerk',
      'chief_representative',
      'department_reviewer',
      'supervisor',
      'applicant',
      'consumer',
    ] as const) {
      const { body } = await hub.gql<{
        me: { id: string; role: string; departmentCode: string | null; hallCode: string | null };
      }>('{ me { id role departmentCode hallCode } }', {}, { token: await hub.token(role) });
      expect(body.data!.me).toEqual({
        id: DEMO_ACTORS[role].id,
        role: role.toUpperCase(),
        departmentCode: DEMO_ACTORS[role].departmentCode,
        hallCode: DEMO_ACTORS[role].hallCode,
      });
    }
  });

  it('a malformed, expired or foreign token is a 401 with a message saying why', async () => {
    const stranger = await generateSigningKey();
    const cases: [string, RegExp][] = [
      ['not-a-jwt', /must be "Bearer <token>"/],
      [
        await signActorToken(DEMO_ACTORS.clerk, {
          key: hub.key.privateKey,
          kid: hub.key.kid,
          issuer: hub.config.AUTH_ISSUER,
          audience: hub.config.AUTH_AUDIENCE,
          expiresIn: '-5m',
        }),
        /expired/,
      ],
      [
        await signActorToken(DEMO_ACTORS.clerk, {
          key: stranger.privateKey,
          kid: hub.key.kid,
          issuer: hub.config.AUTH_ISSUER,
          audience: hub.config.AUTH_AUDIENCE,
          expiresIn: '5m',
        }),
        /signature does not verify/,
      ],
    ];
    for (const [token, message] of cases) {
      const response = await hub.gql('{ zones { code } }', {}, { token });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/Bearer/);
      expect(response.body.data).toBeUndefined();
      expect(response.body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
      expect(response.body.errors![0]!.message).toMatch(message);
    }
  });

  it('echoes a request id, or makes one', async () => {
    const given = await hub.gql('{ me { id } }', {}, { headers: { 'x-request-id': 'desk-7-0001' } });
    expect(given.headers.get('x-request-id')).toBe('desk-7-0001');
    const made = await hub.gql('{ me { id } }', {}, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
