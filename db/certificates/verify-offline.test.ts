import { createHash, createHmac, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  bitAt,
  decodeBitstring,
  emptyBitstring,
  encodeBitstring,
  STATUS_LIST_SIZE,
  setBit,
} from './bitstring.ts';
import { type CertificateToIssue, certificateCredential } from './certificate-credential.ts';
import { buildIdentifier } from './certificate-identifier.ts';
import {
  CertificateKeyRing,
  generateCertificateKey,
  keyFromJwk,
  parseSigningKeys,
} from './certificate-keys.ts';
import { statusListCredential } from './status-list.ts';
import {
  type CertificateAlg,
  CREDENTIAL_TYP,
  StatusListUnavailable,
  type StatusPurpose,
  verifyCertificateOffline,
} from './verify-offline.ts';

const HUB = 'https://hub.example.cn';
const NOW = new Date('2026-11-25T10:00:00+08:00');

function ring(alg: CertificateAlg = 'EdDSA', ...more: ReturnType<typeof generateCertificateKey>[]) {
  const keys = [...more, generateCertificateKey(alg)].map((k) => keyFromJwk(k, 'test'));
  return new CertificateKeyRing(keys, alg);
}

function certificate(overrides: Partial<CertificateToIssue> = {}): CertificateToIssue {
  const parts = {
    typeCode: '11100000MB0100445L001',
    issuerCode: '11410900MB12345675',
    serial: '20260000001',
    version: 1,
  };
  return {
    identifier: buildIdentifier(parts),
    typeCode: parts.typeCode,
    typeName: '结婚证',
    serial: parts.serial,
    version: 1,
    number: 'J410900-2026-000001',
    holderName: '张伟',
    holderIdType: '111',
    holderIdNumber: '410902198503120013',
    issuerName: '濮阳市民政局',
    issuerCode: parts.issuerCode,
    issuedOn: '2026-11-25',
    validFrom: '2026-11-25',
    validTo: '2031-11-24',
    data: { holderName: '张伟' },
    statusIndex: 5,
    ...overrides,
  };
}

async function issue(keys: CertificateKeyRing, overrides: Partial<CertificateToIssue> = {}) {
  const credential = certificateCredential(certificate(overrides), HUB, 'a'.repeat(64), NOW);
  return (await keys.signCompact(credential, CREDENTIAL_TYP)).token;
}

async function lists(keys: CertificateKeyRing, set: Partial<Record<StatusPurpose, number[]>> = {}) {
  return Promise.all(
    (['revocation', 'suspension'] as const).map(async (purpose) => {
      const bits = emptyBitstring();
      for (const i of set[purpose] ?? []) setBit(bits, i);
      return (await keys.signCompact(statusListCredential(HUB, purpose, 1, bits, NOW), CREDENTIAL_TYP)).token;
    }),
  );
}

/** Replaces one character of a base64url segment with another base64url character. */
function flip(segment: string, at: number): string {
  const c = segment[at]!;
  return segment.slice(0, at) + (c === 'A' ? 'B' : 'A') + segment.slice(at + 1);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('offline verification of certificate tokens', () => {
  it('a signed certificate verifies VALID with the JWKS and the status lists, and says what it states', async () => {
    const keys = ring();
    const token = await issue(keys);
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString());
    expect(header).toEqual({ alg: 'EdDSA', kid: keys.signingKid, typ: 'vc+jwt' });
    const result = verifyCertificateOffline(token, {
      jwks: keys.jwks(),
      statusLists: await lists(keys),
      now: NOW,
    });
    expect(result).toMatchObject({
      verdict: 'VALID',
      keyId: keys.signingKid,
      claims: {
        identifier: certificate().identifier,
        holderName: '张伟',
        validTo: '2031-11-24',
        statusIndex: 5,
      },
    });
    // The JWKS carries public members only.
    expect(JSON.stringify(keys.jwks())).not.toMatch(/"d"/);
  });

  it('each tampering gets its own answer', async () => {
    const keys = ring();
    const token = await issue(keys);
    const statusLists = await lists(keys);
    const verdict = (t: string) => verifyCertificateOffline(t, { jwks: keys.jwks(), statusLists, now: NOW });
    const [header, payload, signature] = token.split('.') as [string, string, string];

    // A flipped byte in the payload.
    expect(verdict(`${header}.${flip(payload, 40)}.${signature}`)).toMatchObject({
      verdict: 'TAMPERED',
      reason: expect.stringMatching(/altered after signing/),
    });
    // Another holder written into the payload, signature kept.
    const forged = JSON.parse(Buffer.from(payload, 'base64url').toString());
    forged.credentialSubject.name = '李四';
    expect(verdict(`${header}.${b64(forged)}.${signature}`).verdict).toBe('TAMPERED');
    // alg none, with or without the signature.
    const none = b64({ alg: 'none', kid: keys.signingKid, typ: 'vc+jwt' });
    expect(verdict(`${none}.${payload}.`)).toMatchObject({
      verdict: 'TAMPERED',
      reason: expect.stringMatching(/"none"/),
    });
    expect(verdict(`${none}.${payload}.${signature}`).verdict).toBe('TAMPERED');
    // HS256 keyed with the public key (the classic confusion attack).
    const hs = b64({ alg: 'HS256', kid: keys.signingKid, typ: 'vc+jwt' });
    const publicKey = createPublicKey({ key: keys.jwks().keys[0] as never, format: 'jwk' }).export({
      format: 'der',
      type: 'spki',
    });
    const mac = createHmac('sha256', publicKey).update(`${hs}.${payload}`).digest('base64url');
    expect(verdict(`${hs}.${payload}.${mac}`)).toMatchObject({
      verdict: 'TAMPERED',
      reason: expect.stringMatching(/HS256/),
    });
    // Stripped signature.
    expect(verdict(`${header}.${payload}.`)).toMatchObject({
      verdict: 'TAMPERED',
      reason: 'the signature was stripped',
    });
    // A key the hub does not publish.
    const stranger = await issue(ring());
    expect(verdict(stranger)).toMatchObject({
      verdict: 'UNKNOWN_KEY',
      reason: expect.stringMatching(/not among/),
    });
    // No JWS at all.
    expect(verdict('not-a-token').verdict).toBe('MALFORMED');
    expect(verdict('').verdict).toBe('MALFORMED');
  });

  it('a signed token with a malformed identifier is MALFORMED with the reason', async () => {
    const keys = ring();
    const good = certificate().identifier;
    const token = await issue(keys, { identifier: `${good.slice(0, -1)}${good.endsWith('0') ? '1' : '0'}` });
    expect(
      verifyCertificateOffline(token, { jwks: keys.jwks(), statusLists: await lists(keys), now: NOW }),
    ).toMatchObject({
      verdict: 'MALFORMED',
      reason: expect.stringMatching(/check character/),
    });
  });

  it('reads revocation and suspension from the lists: REVOKED, SUSPENDED, then VALID again once reinstated', async () => {
    const keys = ring();
    const token = await issue(keys, { statusIndex: 131_071 });
    const verdict = async (set: Partial<Record<StatusPurpose, number[]>>) =>
      verifyCertificateOffline(token, { jwks: keys.jwks(), statusLists: await lists(keys, set), now: NOW })
        .verdict;
    expect(await verdict({ revocation: [131_071] })).toBe('REVOKED');
    expect(await verdict({ suspension: [131_071] })).toBe('SUSPENDED');
    expect(await verdict({ suspension: [131_070] })).toBe('VALID');
    expect(await verdict({})).toBe('VALID');
  });

  it('judges validity in China time: EXPIRED after the last day, and before the first', async () => {
    const keys = ring();
    const token = await issue(keys);
    const statusLists = await lists(keys);
    const at = (iso: string) =>
      verifyCertificateOffline(token, { jwks: keys.jwks(), statusLists, now: new Date(iso) });
    expect(at('2031-11-24T23:59:00+08:00').verdict).toBe('VALID');
    expect(at('2031-11-25T00:00:01+08:00')).toMatchObject({
      verdict: 'EXPIRED',
      reason: expect.stringMatching(/valid until/),
    });
    expect(at('2026-11-24T23:00:00+08:00')).toMatchObject({
      verdict: 'EXPIRED',
      reason: expect.stringMatching(/not valid before/),
    });
    // No expiry at all.
    const forever = await issue(keys, { validTo: null });
    expect(
      verifyCertificateOffline(forever, { jwks: keys.jwks(), statusLists, now: new Date('2099-01-01') })
        .verdict,
    ).toBe('VALID');
  });

  it('asks for the status list it was not given, and refuses a list signed by someone else', async () => {
    const keys = ring();
    const token = await issue(keys);
    expect(() => verifyCertificateOffline(token, { jwks: keys.jwks(), statusLists: [], now: NOW })).toThrow(
      StatusListUnavailable,
    );
    const foreign = await lists(ring());
    expect(() =>
      verifyCertificateOffline(token, { jwks: keys.jwks(), statusLists: foreign, now: NOW }),
    ).toThrow(/does not verify/);
  });

  it('rotation: the newest key signs, and what an older key signed still verifies', async () => {
    const old = generateCertificateKey('EdDSA', new Date('2025-01-01'));
    const before = new CertificateKeyRing([keyFromJwk(old, 'test')], 'EdDSA');
    const signedByOld = await issue(before);
    const newer = generateCertificateKey('EdDSA', new Date('2026-06-01'));
    // Listed newest first: `iat` decides, not the order.
    const after = parseSigningKeys(JSON.stringify({ keys: [newer, { ...old, d: undefined }] }), 'EdDSA');
    expect(after.signingKid).toBe(newer.kid);
    const statusLists = await lists(after);
    expect(
      verifyCertificateOffline(signedByOld, { jwks: after.jwks(), statusLists, now: NOW }),
    ).toMatchObject({
      verdict: 'VALID',
      keyId: old.kid,
    });
    expect(
      verifyCertificateOffline(await issue(after), { jwks: after.jwks(), statusLists, now: NOW }).keyId,
    ).toBe(newer.kid);
  });

  it('key problems name CERT_SIGNING_KEYS and never echo private material', () => {
    const key = generateCertificateKey('EdDSA');
    expect(() => parseSigningKeys('{not json', 'EdDSA')).toThrow(/^CERT_SIGNING_KEYS: not valid JSON/);
    expect(() => parseSigningKeys('/nonexistent/keys.json', 'EdDSA')).toThrow(/CERT_SIGNING_KEYS: .*ENOENT/);
    expect(() => parseSigningKeys(JSON.stringify({ keys: [key] }), 'SM2')).toThrow(
      /no key .* signs with SM2/,
    );
    const other = generateCertificateKey('EdDSA');
    const mismatched = { ...key, d: other.d };
    let message = '';
    try {
      parseSigningKeys(JSON.stringify({ keys: [mismatched] }), 'EdDSA');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/"d" does not belong to its public key/);
    expect(message).not.toContain(String(other.d));
  });
});

describe('SM2 with SM3 (CERT_SIGNING_ALG=SM2)', () => {
  it('signs and verifies through the same verifier; tampering is still TAMPERED', async () => {
    const keys = ring('SM2');
    const token = await issue(keys);
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString());
    expect(header.alg).toBe('SM2');
    expect(keys.jwks().keys[0]).toMatchObject({ kty: 'EC', crv: 'SM2', alg: 'SM2', kid: keys.signingKid });
    const statusLists = await lists(keys);
    expect(verifyCertificateOffline(token, { jwks: keys.jwks(), statusLists, now: NOW }).verdict).toBe(
      'VALID',
    );
    const [h, p, s] = token.split('.') as [string, string, string];
    expect(
      verifyCertificateOffline(`${h}.${flip(p, 30)}.${s}`, { jwks: keys.jwks(), statusLists, now: NOW })
        .verdict,
    ).toBe('TAMPERED');
    // An SM2 token presented as EdDSA is a changed algorithm.
    const asEd = b64({ ...header, alg: 'EdDSA' });
    expect(
      verifyCertificateOffline(`${asEd}.${p}.${s}`, { jwks: keys.jwks(), statusLists, now: NOW }),
    ).toMatchObject({
      verdict: 'TAMPERED',
      reason: expect.stringMatching(/signs with SM2/),
    });
  });

  it('the signature is standard SM2 (GB/T 32918.2 with the default user id), checked by an independent implementation', async () => {
    const keys = ring('SM2');
    const token = await issue(keys);
    const [h, p, s] = token.split('.') as [string, string, string];
    const jwk = keys.jwks().keys[0]!;
    expect(
      sm2Verify(
        Buffer.from(`${h}.${p}`),
        Buffer.from(s, 'base64url'),
        Buffer.from(String(jwk.x), 'base64url'),
        Buffer.from(String(jwk.y), 'base64url'),
      ),
    ).toBe(true);
    expect(
      sm2Verify(
        Buffer.from(`${h}.${p}x`),
        Buffer.from(s, 'base64url'),
        Buffer.from(String(jwk.x), 'base64url'),
        Buffer.from(String(jwk.y), 'base64url'),
      ),
    ).toBe(false);
  });
});

describe('bitstring status list encoding', () => {
  it('round-trips gzip + base64url with the multibase prefix, bit 0 the first byte’s high bit', () => {
    const bits = emptyBitstring();
    expect(bits.length * 8).toBe(STATUS_LIST_SIZE);
    for (const i of [0, 7, 8, 4_242, STATUS_LIST_SIZE - 1]) setBit(bits, i);
    const encoded = encodeBitstring(bits);
    expect(encoded).toMatch(/^uH4sI[A-Za-z0-9_-]+$/);
    const decoded = decodeBitstring(encoded);
    expect(decoded.length * 8).toBe(STATUS_LIST_SIZE);
    expect(decoded[0]).toBe(0b1000_0001);
    expect(decoded[1]).toBe(0b1000_0000);
    for (const i of [0, 7, 8, 4_242, STATUS_LIST_SIZE - 1]) expect(bitAt(decoded, i)).toBe(true);
    for (const i of [1, 9, 4_241, 4_243]) expect(bitAt(decoded, i)).toBe(false);
    setBit(decoded, 4_242, false);
    expect(bitAt(decoded, 4_242)).toBe(false);
    expect(() => decodeBitstring('u!!!')).toThrow(/not base64url/);
    expect(() => decodeBitstring('uAAAA')).toThrow(/not a gzip/);
  });
});

// An SM2 verifier written from GB/T 32918.2 with BigInt, to show Node's output is the standard scheme.
const P = BigInt('0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF');
const A = BigInt('0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC');
const B = BigInt('0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93');
const N = BigInt('0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123');
const GX = BigInt('0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7');
const GY = BigInt('0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0');
type Point = [bigint, bigint] | null;
const mod = (a: bigint, m = P) => ((a % m) + m) % m;
function inv(a: bigint, m = P): bigint {
  let [r0, r1, s0, s1] = [mod(a, m), m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1];
  }
  return mod(s0, m);
}
function add(p: Point, q: Point): Point {
  if (!p) return q;
  if (!q) return p;
  if (p[0] === q[0] && mod(p[1] + q[1]) === 0n) return null;
  const l =
    p[0] === q[0] ? mod((3n * p[0] * p[0] + A) * inv(2n * p[1])) : mod((q[1] - p[1]) * inv(q[0] - p[0]));
  const x = mod(l * l - p[0] - q[0]);
  return [x, mod(l * (p[0] - x) - p[1])];
}
function mul(k: bigint, p: Point): Point {
  let r: Point = null;
  let q = p;
  while (k > 0n) {
    if (k & 1n) r = add(r, q);
    q = add(q, q);
    k >>= 1n;
  }
  return r;
}
const hex32 = (v: bigint) => Buffer.from(v.toString(16).padStart(64, '0'), 'hex');
function sm2Verify(message: Buffer, signature: Buffer, x: Buffer, y: Buffer): boolean {
  const id = Buffer.from('1234567812345678');
  const entl = Buffer.from([(id.length * 8) >> 8, (id.length * 8) & 0xff]);
  const z = createHash('sm3')
    .update(Buffer.concat([entl, id, hex32(A), hex32(B), hex32(GX), hex32(GY), x, y]))
    .digest();
  const e = BigInt(
    `0x${createHash('sm3')
      .update(Buffer.concat([z, message]))
      .digest('hex')}`,
  );
  const r = BigInt(`0x${signature.subarray(0, 32).toString('hex')}`);
  const s = BigInt(`0x${signature.subarray(32).toString('hex')}`);
  const t = mod(r + s, N);
  const point = add(
    mul(s, [GX, GY]),
    mul(t, [BigInt(`0x${x.toString('hex')}`), BigInt(`0x${y.toString('hex')}`)]),
  );
  return point !== null && mod(e + point[0], N) === r;
}
