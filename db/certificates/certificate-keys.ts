import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomUUID,
} from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CompactSign } from 'jose';
import { sm2 } from 'sm-crypto-v2';
import {
  algOfJwk,
  CERTIFICATE_ALGS,
  type CertificateAlg,
  type PublicJwk,
  publicKeyFromJwk,
  sm2PublicHex,
} from './verify-offline.ts';

/**
 * The keys certificates and status lists are signed with. Several live side by side for rotation:
 * the newest key of the configured algorithm signs, every key verifies (they are all published in
 * the JWKS). Ed25519 (`EdDSA`, signed with jose) by default; `SM2` (SM2 with SM3, GB/T 32918, the
 * default user id of GB/T 35276) as the national alternative, signed with sm-crypto-v2 — Node's
 * OpenSSL signs SM2 with an empty user id and cannot be given another, which verifiers elsewhere in
 * China would not accept (docs/certificates.md).
 */

/** A private JWK as `CERT_SIGNING_KEYS` and the development key file hold it. */
export interface PrivateJwk extends PublicJwk {
  d?: string;
  /** When the key was made (seconds since the epoch): the newest signs. Optional; else list order. */
  iat?: number;
}

/** The private part of a key, as its algorithm's signer takes it. */
export type PrivatePart = { alg: 'EdDSA'; key: KeyObject } | { alg: 'SM2'; dHex: string; publicHex: string };

export interface CertificateKey {
  kid: string;
  alg: CertificateAlg;
  /** Public members only, with `kid`, `alg` and `use`. */
  publicJwk: PublicJwk;
  /** Absent for a retired key kept only to verify what it signed. */
  privatePart: PrivatePart | null;
  iat: number | null;
}

/** Signs JWS payloads for certificates; the job takes any implementation (tests pass a failing one). */
export interface CertificateSigner {
  /** A compact JWS of the payload with `alg`, `kid` and `typ` in its protected header. */
  signCompact(payload: object, typ: string): Promise<{ token: string; kid: string }>;
}

export class CertificateKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CertificateKeyError';
  }
}

export class CertificateKeyRing implements CertificateSigner {
  readonly keys: readonly CertificateKey[];
  readonly alg: CertificateAlg;
  readonly #signing: CertificateKey;

  /** @throws CertificateKeyError when no key of `alg` has its private part. */
  constructor(keys: readonly CertificateKey[], alg: CertificateAlg) {
    const kids = new Set<string>();
    for (const k of keys) {
      if (kids.has(k.kid)) throw new CertificateKeyError(`key id "${k.kid}" is used twice`);
      kids.add(k.kid);
    }
    const signers = keys.filter((k) => k.alg === alg && k.privatePart);
    // The newest by `iat` when keys carry one; otherwise the last listed.
    const newest = signers.reduce<CertificateKey | null>(
      (best, k) => (best === null || (k.iat ?? 0) >= (best.iat ?? 0) ? k : best),
      null,
    );
    if (!newest) throw new CertificateKeyError(`no key with its private part ("d") signs with ${alg}`);
    this.keys = keys;
    this.alg = alg;
    this.#signing = newest;
  }

  /** The key id that signs now. */
  get signingKid(): string {
    return this.#signing.kid;
  }

  /** Public keys only, every key (retired ones too, so what they signed still verifies). */
  jwks(): { keys: PublicJwk[] } {
    return { keys: this.keys.map((k) => k.publicJwk) };
  }

  async signCompact(payload: object, typ: string): Promise<{ token: string; kid: string }> {
    const key = this.#signing;
    const part = key.privatePart!;
    const bytes = new TextEncoder().encode(JSON.stringify(payload));
    const header = { alg: key.alg, kid: key.kid, typ };
    if (part.alg === 'EdDSA') {
      const token = await new CompactSign(bytes).setProtectedHeader(header).sign(part.key);
      return { token, kid: key.kid };
    }
    const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(bytes).toString('base64url')}`;
    const signature = sm2.doSignature(new TextEncoder().encode(input), part.dHex, {
      hash: true,
      der: false,
      publicKey: part.publicHex,
    });
    return { token: `${input}.${Buffer.from(signature, 'hex').toString('base64url')}`, kid: key.kid };
  }
}

/** Reads one JWK (private or public) into a key of the ring. */
export function keyFromJwk(jwk: PrivateJwk, where: string): CertificateKey {
  if (!jwk || typeof jwk !== 'object') throw new CertificateKeyError(`${where}: a key is not a JSON object`);
  if (typeof jwk.kid !== 'string' || jwk.kid === '')
    throw new CertificateKeyError(`${where}: every key needs a "kid"`);
  const alg = algOfJwk(jwk);
  if (!alg)
    throw new CertificateKeyError(
      `${where}: key "${jwk.kid}" is neither an Ed25519 key (kty OKP, crv Ed25519) nor an SM2 key (kty EC, crv SM2)`,
    );
  const publicJwk: PublicJwk =
    alg === 'EdDSA'
      ? { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid: jwk.kid, alg, use: 'sig' }
      : { kty: 'EC', crv: 'SM2', x: jwk.x, y: jwk.y, kid: jwk.kid, alg, use: 'sig' };
  let publicHex = '';
  try {
    if (alg === 'EdDSA') publicKeyFromJwk(publicJwk);
    else {
      publicHex = sm2PublicHex(publicJwk);
      if (!sm2.verifyPublicKey(publicHex)) throw new Error('the point is not on the SM2 curve');
    }
  } catch (error) {
    throw new CertificateKeyError(
      `${where}: key "${jwk.kid}" has no usable public part: ${(error as Error).message}`,
    );
  }
  if (jwk.d === undefined) return { kid: jwk.kid, alg, publicJwk, privatePart: null, iat: iatOf(jwk) };
  let privatePart: PrivatePart;
  let belongs: boolean;
  try {
    if (alg === 'EdDSA') {
      const key = createPrivateKey({
        key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d } as never,
        format: 'jwk',
      });
      privatePart = { alg, key };
      belongs = createPublicKey(key)
        .export({ format: 'der', type: 'spki' })
        .equals(publicKeyFromJwk(publicJwk).export({ format: 'der', type: 'spki' }));
    } else {
      const scalar = Buffer.from(String(jwk.d), 'base64url');
      if (scalar.length !== 32) throw new Error('an SM2 private key is 32 bytes');
      const dHex = scalar.toString('hex');
      privatePart = { alg, dHex, publicHex };
      belongs = sm2.getPublicKeyFromPrivateKey(dHex).toLowerCase() === publicHex;
    }
  } catch (error) {
    throw new CertificateKeyError(
      `${where}: key "${jwk.kid}" has an unusable "d": ${(error as Error).message}`,
    );
  }
  // The private part must belong to the public part that is published.
  if (!belongs)
    throw new CertificateKeyError(`${where}: key "${jwk.kid}": "d" does not belong to its public key`);
  return { kid: jwk.kid, alg, publicJwk, privatePart, iat: iatOf(jwk) };
}

function iatOf(jwk: PrivateJwk): number | null {
  return typeof jwk.iat === 'number' ? jwk.iat : null;
}

/** A new key of `alg` as a private JWK (with `iat`). */
export function generateCertificateKey(alg: CertificateAlg, now = new Date()): PrivateJwk {
  const kid = `cert-${alg === 'EdDSA' ? 'ed25519' : 'sm2'}-${randomUUID().slice(0, 8)}`;
  const iat = Math.floor(now.getTime() / 1000);
  if (alg === 'EdDSA') {
    const { privateKey } = generateKeyPairSync('ed25519');
    const jwk = privateKey.export({ format: 'jwk' });
    return { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d, kid, alg, use: 'sig', iat };
  }
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'SM2' });
  const point = publicKey.export({ format: 'der', type: 'spki' }).subarray(-64);
  // SEC1 DER: 30 77 02 01 01 04 20 <d> …: d is the 32 bytes after the 7-byte head.
  const d = privateKey.export({ format: 'der', type: 'sec1' }).subarray(7, 39);
  return {
    kty: 'EC',
    crv: 'SM2',
    x: point.subarray(0, 32).toString('base64url'),
    y: point.subarray(32).toString('base64url'),
    d: d.toString('base64url'),
    kid,
    alg,
    use: 'sig',
    iat,
  };
}

/**
 * Parses `CERT_SIGNING_KEYS`: a JWK set as JSON text, or the path of a file holding one. Errors name
 * the variable and the key, never the private material.
 */
export function parseSigningKeys(value: string, alg: CertificateAlg): CertificateKeyRing {
  const where = 'CERT_SIGNING_KEYS';
  let text = value.trim();
  if (!text.startsWith('{')) {
    try {
      text = readFileSync(path.resolve(text), 'utf8');
    } catch (error) {
      throw new CertificateKeyError(
        `${where}: neither a JWK set (JSON) nor a readable file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CertificateKeyError(`${where}: not valid JSON; expected {"keys":[{…private JWK…}]}`);
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0)
    throw new CertificateKeyError(`${where}: expected {"keys":[…]} with at least one key`);
  const ring = keys.map((k) => keyFromJwk(k as PrivateJwk, where));
  try {
    return new CertificateKeyRing(ring, alg);
  } catch (error) {
    throw new CertificateKeyError(`${where}: ${(error as Error).message} (CERT_SIGNING_ALG=${alg})`);
  }
}

/**
 * The development key set outside production: made on first start and kept under DATA_DIR (never
 * committed), so certificates issued in development stay verifiable across restarts. A key of the
 * configured algorithm is added when the file has none (switching to SM2 keeps the Ed25519 key
 * verifying what it signed).
 */
export function loadOrCreateDevCertificateKeys(dataDir: string, alg: CertificateAlg): CertificateKeyRing {
  const file = path.resolve(dataDir, 'dev-certificate-keys.json');
  let stored: PrivateJwk[] = [];
  try {
    stored = (JSON.parse(readFileSync(file, 'utf8')) as { keys: PrivateJwk[] }).keys;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new CertificateKeyError(
        `cannot read the development certificate keys ${file}: ${(error as Error).message}; delete it to make new ones`,
      );
  }
  if (!stored.some((k) => algOfJwk(k) === alg && k.d)) {
    stored = [...stored, generateCertificateKey(alg)];
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify({ keys: stored }, null, 2)}\n`, { mode: 0o600 });
  }
  return new CertificateKeyRing(
    stored.map((k) => keyFromJwk(k, file)),
    alg,
  );
}

export { CERTIFICATE_ALGS, type CertificateAlg };
