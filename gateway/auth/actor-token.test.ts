import { base64url, SignJWT, UnsecuredJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AuthenticationError,
  actorFromAuthorization,
  createVerifier,
  signActorToken,
} from './actor-token.ts';
import { DEMO_ACTORS } from './demo-actors.ts';
import { generateSigningKey, jwksOf, parseJwks } from './signing-keys.ts';

const issuer = 'onewindow-hub';
const audience = 'onewindow-hub';
const key = await generateSigningKey();
const otherKey = await generateSigningKey();
const verifier = createVerifier(jwksOf(key), issuer, audience);
const sign = (k = key, overrides: { expiresIn?: string; issuer?: string } = {}) =>
  signActorToken(DEMO_ACTORS.clerk, {
    key: k.privateKey,
    kid: k.kid,
    issuer: overrides.issuer ?? issuer,
    audience,
    expiresIn: overrides.expiresIn ?? '1h',
  });

async function rejection(header: string): Promise<string> {
  try {
    await actorFromAuthorization(header, verifier);
  } catch (error) {
    expect(error).toBeInstanceOf(AuthenticationError);
    return (error as Error).message;
  }
  throw new Error('the header was accepted');
}

describe('bearer tokens', () => {
  it('no header means an anonymous caller', async () => {
    expect(await actorFromAuthorization(undefined, verifier)).toBeNull();
  });

  it('a valid token yields its actor', async () => {
    expect(await actorFromAuthorization(`Bearer ${await sign()}`, verifier)).toEqual(DEMO_ACTORS.clerk);
  });

  it('each kind of bad token gets a message that says what is wrong', async () => {
    expect(await rejection('Basic dXNlcjpwdw==')).toMatch(/must be "Bearer <token>"/);
    expect(await rejection(`Bearer ${await sign(key, { expiresIn: '-1m' })}`)).toMatch(/expired/);
    expect(await rejection(`Bearer ${await sign(otherKey)}`)).toMatch(/key this hub does not know/);
    expect(await rejection(`Bearer ${await sign(key, { issuer: 'elsewhere' })}`)).toMatch(/"iss" claim/);
    const token = await sign();
    const [h, p] = token.split('.');
    const forged = `${h}.${base64url.encode(JSON.stringify({ ...JSON.parse(new TextDecoder().decode(base64url.decode(p!))), role: 'supervisor' }))}.${token.split('.')[2]}`;
    expect(await rejection(`Bearer ${forged}`)).toMatch(/signature does not verify/);
  });

  it('refuses alg "none" and symmetric algorithms', async () => {
    const unsecured = new UnsecuredJWT({ role: 'supervisor', hall: '410900' })
      .setSubject('x')
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime('1h')
      .encode();
    expect(await rejection(`Bearer ${unsecured}x`)).toMatch(/malformed|algorithm/);
    const hs = await new SignJWT({ role: 'supervisor', hall: '410900' })
      .setProtectedHeader({ alg: 'HS256', kid: key.kid })
      .setSubject('x')
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a-shared-secret-of-enough-length!!'));
    expect(await rejection(`Bearer ${hs}`)).toMatch(/algorithm this hub does not accept/);
  });

  it('refuses claims a role needs but lacks', async () => {
    const token = await signActorToken(
      { ...DEMO_ACTORS.clerk, hallCode: null },
      { key: key.privateKey, kid: key.kid, issuer, audience, expiresIn: '1h' },
    );
    expect(await rejection(`Bearer ${token}`)).toMatch(/hall: required for role clerk/);
  });
});

describe('tokens accepted before', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a token is verified once; later requests with it get the same actor', async () => {
    const fresh = createVerifier(jwksOf(key), issuer, audience);
    const token = await sign();
    const first = await actorFromAuthorization(`Bearer ${token}`, fresh);
    expect(fresh.accepted.size).toBe(1);
    const again = await actorFromAuthorization(`Bearer ${token}`, fresh);
    expect(again).toEqual(DEMO_ACTORS.clerk);
    expect(again).toBe(first);
    expect(Object.isFrozen(again)).toBe(true);
  });

  it('an accepted token is refused once it has expired', async () => {
    const fresh = createVerifier(jwksOf(key), issuer, audience);
    const token = await sign(key, { expiresIn: '10m' });
    expect(await actorFromAuthorization(`Bearer ${token}`, fresh)).toEqual(DEMO_ACTORS.clerk);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 11 * 60_000);
    await expect(actorFromAuthorization(`Bearer ${token}`, fresh)).rejects.toThrow(/expired/);
    expect(fresh.accepted.size).toBe(0);
  });

  it('a refused token is not remembered, and an altered copy of an accepted one is still refused', async () => {
    const fresh = createVerifier(jwksOf(key), issuer, audience);
    const token = await sign();
    await actorFromAuthorization(`Bearer ${token}`, fresh);
    const [h, p, sig] = token.split('.');
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(p!)));
    const forged = `${h}.${base64url.encode(JSON.stringify({ ...claims, role: 'supervisor' }))}.${sig}`;
    await expect(actorFromAuthorization(`Bearer ${forged}`, fresh)).rejects.toThrow(
      /signature does not verify/,
    );
    await expect(actorFromAuthorization(`Bearer ${await sign(otherKey)}`, fresh)).rejects.toThrow(
      AuthenticationError,
    );
    expect([...fresh.accepted.keys()]).toEqual([token]);
  });
});

describe('AUTH_JWKS', () => {
  it('accepts public keys and refuses private ones', () => {
    expect(parseJwks(JSON.stringify(jwksOf(key))).keys).toHaveLength(1);
    expect(() => parseJwks('not json')).toThrow(/AUTH_JWKS: not valid JSON/);
    expect(() => parseJwks('{"keys":[]}')).toThrow(/at least one key/);
    expect(() => parseJwks(JSON.stringify({ keys: [{ ...key.publicJwk, d: 'secret' }] }))).toThrow(
      /private material/,
    );
  });
});
