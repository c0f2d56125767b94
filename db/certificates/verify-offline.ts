import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';
import { bitAt, decodeBitstring, STATUS_LIST_SIZE } from './bitstring.ts';
import { checkIdentifier } from './certificate-identifier.ts';

/**
 * Verifies an electronic certificate token with nothing but the hub's public keys (JWKS) and its
 * status list credentials: no database, no network. The hub's own `POST /certificates/verify` and
 * `verifyCertificate` query call this same function, so a consumer holding `GET /certificates/jwks.json`
 * and `GET /certificates/status/<list>` reaches the same verdict offline. Depends on node:crypto,
 * node:zlib, sm-crypto-v2 (SM2 tokens only) and the two pure modules beside it (bitstring.ts,
 * certificate-identifier.ts).
 */

export const CERTIFICATE_VERDICTS = [
  'VALID',
  'REVOKED',
  'SUSPENDED',
  'EXPIRED',
  'TAMPERED',
  'UNKNOWN_KEY',
  'MALFORMED',
] as const;
export type CertificateVerdict = (typeof CERTIFICATE_VERDICTS)[number];

/** JWS algorithms the hub signs with: Ed25519 (RFC 8037) and SM2 with SM3 (GB/T 32918, GB/T 32905). */
export const CERTIFICATE_ALGS = ['EdDSA', 'SM2'] as const;
export type CertificateAlg = (typeof CERTIFICATE_ALGS)[number];

/** The `typ` of certificate tokens and status list tokens (VC 2.0 secured with JOSE). */
export const CREDENTIAL_TYP = 'vc+jwt';

export const STATUS_PURPOSES = ['revocation', 'suspension'] as const;
export type StatusPurpose = (typeof STATUS_PURPOSES)[number];

/** One entry of `credentialStatus`: the certificate's bit in one list. */
export interface StatusListEntry {
  id: string;
  type: 'BitstringStatusListEntry';
  statusPurpose: StatusPurpose;
  /** Position within the list, as a decimal string (as the specification writes it). */
  statusListIndex: string;
  /** URL of the list's credential. */
  statusListCredential: string;
}

/** The payload of a certificate token: a W3C Verifiable Credential 2.0 with the certificate's facts. */
export interface CertificateCredential {
  '@context': string[];
  id: string;
  type: string[];
  issuer: { id: string; name: string };
  validFrom: string;
  validUntil?: string;
  credentialSubject: {
    id: string;
    name: string;
    /** 111 citizen ID number, 001 unified social credit code. */
    idType: '111' | '001';
    idNumber: string;
    /** The type's data fields, by field name. */
    data: Record<string, string>;
  };
  credentialStatus: StatusListEntry[];
  certificate: {
    identifier: string;
    typeCode: string;
    typeName: string;
    serial: string;
    version: number;
    number: string;
    issuedOn: string;
    validFrom: string;
    validTo: string | null;
    /** Position in the hub's status lists, across lists (list n holds n·131072 … ). */
    statusIndex: number;
  };
  iat: number;
}

/** The payload of a status list token (BitstringStatusListCredential, VC 2.0). */
export interface StatusListCredential {
  '@context': string[];
  id: string;
  type: string[];
  issuer: string | { id: string; name?: string };
  validFrom: string;
  credentialSubject: {
    id: string;
    type: 'BitstringStatusList';
    statusPurpose: StatusPurpose;
    encodedList: string;
  };
  iat?: number;
}

/** What a certificate token states, once its signature holds. */
export interface VerifiedClaims {
  identifier: string;
  typeCode: string;
  typeName: string;
  version: number;
  number: string;
  holderName: string;
  issuerName: string;
  issuedOn: string;
  validFrom: string;
  validTo: string | null;
  statusIndex: number;
}

export interface Verification {
  verdict: CertificateVerdict;
  reason: string;
  keyId: string | null;
  /** Present once the signature holds (REVOKED, SUSPENDED, EXPIRED, VALID). */
  claims: VerifiedClaims | null;
}

export interface PublicJwk {
  kty: string;
  kid?: string;
  alg?: string;
  crv?: string;
  x?: string;
  y?: string;
  use?: string;
  [member: string]: unknown;
}

export interface OfflineVerifierInputs {
  /** The hub's published keys (`GET /certificates/jwks.json`). */
  jwks: { keys: PublicJwk[] };
  /** Status list tokens (`GET /certificates/status/<list>`), at least those the token points at. */
  statusLists: readonly string[];
  /** The instant validity is judged at (default: now). */
  now?: Date;
}

/** A status list the caller did not provide, or one that does not verify: the inputs are wrong, not the token. */
export class StatusListUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StatusListUnavailable';
  }
}

/**
 * The verdict on a certificate token, in this order: MALFORMED (not a JWS of ours at all) →
 * TAMPERED (algorithm changed, signature stripped or not matching) → UNKNOWN_KEY (a key id not in
 * the JWKS) → MALFORMED (signed claims incomplete, identifier malformed) → REVOKED → SUSPENDED →
 * EXPIRED → VALID.
 *
 * @throws StatusListUnavailable when a status list the token points at is missing from the inputs
 *   or does not verify with the same keys.
 */
export function verifyCertificateOffline(token: string, inputs: OfflineVerifierInputs): Verification {
  const jws = checkJws(token, inputs.jwks);
  if (!jws.ok) return { verdict: jws.verdict, reason: jws.reason, keyId: jws.keyId, claims: null };
  const keyId = jws.keyId;
  const shape = readCredential(jws.payload);
  if (typeof shape === 'string') return { verdict: 'MALFORMED', reason: shape, keyId, claims: null };
  const credential = shape;
  const identifier = checkIdentifier(credential.certificate.identifier);
  if (!identifier.ok)
    return {
      verdict: 'MALFORMED',
      reason: `the certificate identifier is malformed: ${identifier.reason}`,
      keyId,
      claims: null,
    };
  const claims = claimsOf(credential);
  const lists = readStatusLists(inputs);
  for (const purpose of STATUS_PURPOSES) {
    const entry = credential.credentialStatus.find((s) => s.statusPurpose === purpose);
    if (!entry) continue;
    if (statusBit(entry, lists)) {
      return {
        verdict: purpose === 'revocation' ? 'REVOKED' : 'SUSPENDED',
        reason:
          purpose === 'revocation'
            ? `revoked by the issuer (bit ${entry.statusListIndex} of ${entry.statusListCredential} is set)`
            : `suspended by the issuer (bit ${entry.statusListIndex} of ${entry.statusListCredential} is set)`,
        keyId,
        claims,
      };
    }
  }
  const now = inputs.now ?? new Date();
  if (now.getTime() < Date.parse(credential.validFrom))
    return { verdict: 'EXPIRED', reason: `not valid before ${credential.validFrom}`, keyId, claims };
  if (credential.validUntil && now.getTime() > Date.parse(credential.validUntil))
    return { verdict: 'EXPIRED', reason: `valid until ${credential.validUntil}, now past`, keyId, claims };
  return {
    verdict: 'VALID',
    reason: `signed by key ${keyId}, unaltered, within its validity, neither revoked nor suspended`,
    keyId,
    claims,
  };
}

type JwsCheck =
  | { ok: true; keyId: string; header: Record<string, unknown>; payload: unknown }
  | { ok: false; verdict: CertificateVerdict; reason: string; keyId: string | null };

/** Checks a compact JWS against the key set: form, algorithm, key id, signature. */
export function checkJws(token: string, jwks: { keys: PublicJwk[] }): JwsCheck {
  if (typeof token !== 'string' || token.trim() === '')
    return { ok: false, verdict: 'MALFORMED', reason: 'no token was given', keyId: null };
  const parts = token.trim().split('.');
  if (parts.length !== 3)
    return {
      ok: false,
      verdict: 'MALFORMED',
      reason: `not a compact JWS: expected 3 base64url parts separated by dots, found ${parts.length}`,
      keyId: null,
    };
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart);
  if (!header || typeof header !== 'object' || Array.isArray(header))
    return {
      ok: false,
      verdict: 'MALFORMED',
      reason: 'the JWS header is not base64url-encoded JSON',
      keyId: null,
    };
  const h = header as Record<string, unknown>;
  const keyId = typeof h.kid === 'string' ? h.kid : null;
  const alg = h.alg;
  if (typeof alg !== 'string')
    return { ok: false, verdict: 'MALFORMED', reason: 'the JWS header names no algorithm', keyId };
  if (alg.toLowerCase() === 'none')
    return {
      ok: false,
      verdict: 'TAMPERED',
      reason: 'the header says alg "none": an unsigned token is never accepted',
      keyId,
    };
  if (!(CERTIFICATE_ALGS as readonly string[]).includes(alg))
    return {
      ok: false,
      verdict: 'TAMPERED',
      reason: `the header says alg "${alg}", which the hub never signs with (${CERTIFICATE_ALGS.join(', ')}): the algorithm was changed`,
      keyId,
    };
  if (signaturePart === '')
    return { ok: false, verdict: 'TAMPERED', reason: 'the signature was stripped', keyId };
  if (!/^[A-Za-z0-9_-]+$/.test(payloadPart) || !/^[A-Za-z0-9_-]+$/.test(signaturePart))
    return {
      ok: false,
      verdict: 'MALFORMED',
      reason: 'the payload or signature is not base64url',
      keyId,
    };
  if (!keyId) return { ok: false, verdict: 'UNKNOWN_KEY', reason: 'the header names no key id (kid)', keyId };
  const jwk = jwks.keys.find((k) => k.kid === keyId);
  if (!jwk)
    return {
      ok: false,
      verdict: 'UNKNOWN_KEY',
      reason: `key "${keyId}" is not among the hub's published keys`,
      keyId,
    };
  const keyAlg = algOfJwk(jwk);
  if (keyAlg !== alg)
    return {
      ok: false,
      verdict: 'TAMPERED',
      reason: `key "${keyId}" signs with ${keyAlg ?? 'an unknown algorithm'}, but the header says ${alg}: the algorithm was changed`,
      keyId,
    };
  const signingInput = Buffer.from(`${headerPart}.${payloadPart}`, 'ascii');
  const signature = Buffer.from(signaturePart, 'base64url');
  let holds = false;
  try {
    holds = verifySignature(keyAlg, jwk, signingInput, signature);
  } catch {
    holds = false;
  }
  if (!holds)
    return {
      ok: false,
      verdict: 'TAMPERED',
      reason: 'the signature does not match the header and payload: the token was altered after signing',
      keyId,
    };
  const payload = decodeJson(payloadPart);
  if (payload === undefined)
    return { ok: false, verdict: 'MALFORMED', reason: 'the payload is not JSON', keyId };
  return { ok: true, keyId, header: h, payload };
}

/** The algorithm a published key is for: its `alg`, or what its key type implies. */
export function algOfJwk(jwk: PublicJwk): CertificateAlg | null {
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && (jwk.alg === undefined || jwk.alg === 'EdDSA'))
    return 'EdDSA';
  if (jwk.kty === 'EC' && jwk.crv === 'SM2' && (jwk.alg === undefined || jwk.alg === 'SM2')) return 'SM2';
  return null;
}

/** An Ed25519 public key from its JWK (OKP). */
export function publicKeyFromJwk(jwk: PublicJwk): KeyObject {
  const { kty, crv, x } = jwk;
  return createPublicKey({ key: { kty, crv, x } as never, format: 'jwk' });
}

/** The uncompressed point (`04` ‖ x ‖ y, hex) of an SM2 public JWK. */
export function sm2PublicHex(jwk: PublicJwk): string {
  const x = Buffer.from(String(jwk.x ?? ''), 'base64url');
  const y = Buffer.from(String(jwk.y ?? ''), 'base64url');
  if (x.length !== 32 || y.length !== 32) throw new Error('an SM2 key has 32-byte x and y');
  return `04${x.toString('hex')}${y.toString('hex')}`;
}

/**
 * Ed25519 over the signing input (node:crypto); SM2 with SM3 over it (sm-crypto-v2), with Z computed
 * from the default user id 1234567812345678 (GB/T 35276), the signature as r ‖ s (64 bytes).
 */
export function verifySignature(
  alg: CertificateAlg,
  jwk: PublicJwk,
  signingInput: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (alg === 'EdDSA') return verify(null, signingInput, publicKeyFromJwk(jwk), signature);
  if (signature.length !== 64) return false;
  return sm2.doVerifySignature(signingInput, Buffer.from(signature).toString('hex'), sm2PublicHex(jwk), {
    hash: true,
    der: false,
  });
}

function decodeJson(part: string): unknown {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) return undefined;
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The credential when it has every claim the verdict needs; otherwise what is missing. */
function readCredential(payload: unknown): CertificateCredential | string {
  const c = payload as Partial<CertificateCredential> | null;
  if (!c || typeof c !== 'object') return 'the payload is not a credential object';
  if (!Array.isArray(c.type) || !c.type.includes('VerifiableCredential'))
    return 'the payload is not a verifiable credential (type)';
  const cert = c.certificate;
  if (!cert || typeof cert.identifier !== 'string') return 'the credential carries no certificate identifier';
  if (typeof c.validFrom !== 'string' || Number.isNaN(Date.parse(c.validFrom)))
    return 'the credential has no valid validFrom';
  if (
    c.validUntil !== undefined &&
    (typeof c.validUntil !== 'string' || Number.isNaN(Date.parse(c.validUntil)))
  )
    return 'the credential has an unreadable validUntil';
  if (!Array.isArray(c.credentialStatus) || c.credentialStatus.length === 0)
    return 'the credential has no credentialStatus';
  for (const entry of c.credentialStatus) {
    if (
      entry?.type !== 'BitstringStatusListEntry' ||
      !(STATUS_PURPOSES as readonly string[]).includes(entry.statusPurpose) ||
      typeof entry.statusListCredential !== 'string' ||
      !/^\d+$/.test(String(entry.statusListIndex))
    )
      return 'a credentialStatus entry is not a BitstringStatusListEntry with purpose, index and list';
  }
  if (!c.credentialSubject || typeof c.credentialSubject.name !== 'string')
    return 'the credential names no holder';
  if (!c.issuer || typeof c.issuer.name !== 'string') return 'the credential names no issuer';
  return c as CertificateCredential;
}

function claimsOf(c: CertificateCredential): VerifiedClaims {
  return {
    identifier: c.certificate.identifier,
    typeCode: c.certificate.typeCode,
    typeName: c.certificate.typeName,
    version: c.certificate.version,
    number: c.certificate.number,
    holderName: c.credentialSubject.name,
    issuerName: c.issuer.name,
    issuedOn: c.certificate.issuedOn,
    validFrom: c.certificate.validFrom,
    validTo: c.certificate.validTo ?? null,
    statusIndex: c.certificate.statusIndex,
  };
}

interface ReadList {
  id: string;
  purpose: StatusPurpose;
  bits: Uint8Array | null;
  problem: string | null;
}

/** Reads every status list token given; a list that does not verify is kept with its problem. */
function readStatusLists(inputs: OfflineVerifierInputs): ReadList[] {
  return inputs.statusLists.map((token): ReadList => {
    const jws = checkJws(token, inputs.jwks);
    if (!jws.ok) {
      // Kept under the id it claims, so the verdict says which list failed rather than that it is missing.
      const claimed = decodeJson(String(token).split('.')[1] ?? '') as { id?: unknown } | undefined;
      const id = typeof claimed?.id === 'string' ? claimed.id : '';
      return { id, purpose: 'revocation', bits: null, problem: jws.reason };
    }
    const list = jws.payload as Partial<StatusListCredential> | null;
    const subject = list?.credentialSubject;
    if (
      !list ||
      typeof list.id !== 'string' ||
      !Array.isArray(list.type) ||
      !list.type.includes('BitstringStatusListCredential') ||
      subject?.type !== 'BitstringStatusList' ||
      !(STATUS_PURPOSES as readonly string[]).includes(subject.statusPurpose) ||
      typeof subject.encodedList !== 'string'
    )
      return { id: String(list?.id ?? ''), purpose: 'revocation', bits: null, problem: 'not a status list' };
    try {
      const bits = decodeBitstring(subject.encodedList);
      if (bits.length * 8 < STATUS_LIST_SIZE)
        return { id: list.id, purpose: subject.statusPurpose, bits: null, problem: 'the list is too short' };
      return { id: list.id, purpose: subject.statusPurpose, bits, problem: null };
    } catch (error) {
      return { id: list.id, purpose: subject.statusPurpose, bits: null, problem: (error as Error).message };
    }
  });
}

/**
 * The certificate's bit in the list its entry points at. Lists are matched by URL, or by their last
 * path segment (the list's name) when the hub's public URL changed since the token was signed; either
 * way the list itself is verified with the same keys first.
 */
function statusBit(entry: StatusListEntry, lists: ReadList[]): boolean {
  const name = lastSegment(entry.statusListCredential);
  const list =
    lists.find((l) => l.id === entry.statusListCredential) ??
    lists.find((l) => l.id !== '' && lastSegment(l.id) === name);
  if (!list)
    throw new StatusListUnavailable(
      `the status list ${entry.statusListCredential} was not provided; fetch it from the hub`,
    );
  if (!list.bits)
    throw new StatusListUnavailable(`the status list ${list.id} does not verify: ${list.problem}`);
  if (list.purpose !== entry.statusPurpose)
    throw new StatusListUnavailable(
      `the status list ${list.id} is for ${list.purpose}, the token points at it for ${entry.statusPurpose}`,
    );
  const index = Number(entry.statusListIndex);
  if (index >= list.bits.length * 8)
    throw new StatusListUnavailable(`index ${index} is outside the status list ${list.id}`);
  return bitAt(list.bits, index);
}

function lastSegment(url: string): string {
  return url.split(/[/#?]/).filter(Boolean).at(-1) ?? url;
}
