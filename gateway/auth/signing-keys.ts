import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type CryptoKey, exportJWK, generateKeyPair, importJWK, type JSONWebKeySet, type JWK } from 'jose';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

interface StoredKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const kid = `dev-${randomUUID().slice(0, 8)}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  return { kid, privateKey, publicJwk };
}

/**
 * The development signing key of the all-in-one start: made on first start and kept under the data
 * directory (never committed), so printed tokens stay valid across restarts.
 */
export async function loadOrCreateDevSigningKey(dataDir: string): Promise<SigningKey> {
  const file = path.resolve(dataDir, 'dev-auth-key.json');
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as StoredKey;
    const privateKey = (await importJWK(stored.privateJwk, 'EdDSA')) as CryptoKey;
    return { kid: stored.kid, privateKey, publicJwk: stored.publicJwk };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(
        `cannot read the development key ${file}: ${(error as Error).message}; delete it to make a new one`,
      );
    }
  }
  const key = await generateSigningKey();
  const stored: StoredKey = {
    kid: key.kid,
    privateJwk: { ...(await exportJWK(key.privateKey)), kid: key.kid },
    publicJwk: key.publicJwk,
  };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  return key;
}

export function jwksOf(...keys: SigningKey[]): JSONWebKeySet {
  return { keys: keys.map((k) => k.publicJwk) };
}

/** Parses AUTH_JWKS; the error names the variable so the operator knows what to fix. */
export function parseJwks(text: string): JSONWebKeySet {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('AUTH_JWKS: not valid JSON; expected {"keys":[{…public JWK…}]}');
  }
  const keys = (value as JSONWebKeySet | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0)
    throw new Error('AUTH_JWKS: expected {"keys":[…]} with at least one key');
  for (const k of keys) {
    if ('d' in k)
      throw new Error(
        `AUTH_JWKS: key ${k.kid ?? '(no kid)'} contains private material ("d"); publish public keys only`,
      );
    if (!k.kid) throw new Error('AUTH_JWKS: every key needs a "kid"');
  }
  return { keys };
}
