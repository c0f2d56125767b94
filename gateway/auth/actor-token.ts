import {
  type CryptoKey,
  createLocalJWKSet,
  errors,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
  SignJWT,
} from 'jose';
import { z } from 'zod';
import { type Actor, ROLES } from '../../schema/context.ts';
import { RecentlyUsed } from '../recently-used.ts';

/** Asymmetric algorithms only: a token is never verified with a shared secret. */
export const TOKEN_ALGORITHMS = ['EdDSA', 'ES256'];

export interface TokenVerifier {
  keys: JWTVerifyGetKey;
  issuer: string;
  audience: string;
  /** Tokens this verifier accepted, by their exact text (see `actorFromAuthorization`). */
  accepted: RecentlyUsed<string, AcceptedToken>;
}

interface AcceptedToken {
  actor: Actor;
  /** `exp` and `nbf`, in seconds since the epoch. */
  exp: number;
  nbf: number | null;
}

/** Tokens remembered per verifier; a front-end's clerks reuse one token for hours. */
const ACCEPTED_TOKENS = 10_000;

export function createVerifier(jwks: JSONWebKeySet, issuer: string, audience: string): TokenVerifier {
  return { keys: createLocalJWKSet(jwks), issuer, audience, accepted: new RecentlyUsed(ACCEPTED_TOKENS) };
}

/** A request whose bearer token cannot be accepted; the message says what to fix. */
export class AuthenticationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

const divisionCode = z.string().regex(/^\d{6}$/, 'a 6-digit administrative division code');

const claimsSchema = z
  .object({
    sub: z.string().min(1).max(128),
    name: z.string().max(100).optional(),
    role: z.enum(ROLES),
    dept: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/)
      .optional(),
    hall: divisionCode.optional(),
  })
  .superRefine((c, ctx) => {
    const needsHall = c.role === 'clerk' || c.role === 'chief_representative' || c.role === 'supervisor';
    const needsDept = c.role === 'chief_representative' || c.role === 'department_reviewer';
    if (needsHall && !c.hall)
      ctx.addIssue({ code: 'custom', path: ['hall'], message: `required for role ${c.role}` });
    if (needsDept && !c.dept)
      ctx.addIssue({ code: 'custom', path: ['dept'], message: `required for role ${c.role}` });
  });

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

/**
 * Turns an Authorization header into the request's actor. No header → anonymous (null). Anything
 * else that is not a valid, unexpired token signed by one of our keys → AuthenticationError.
 *
 * A token's signature is checked once (0.2 ms of CPU): the verifier remembers the actor of each token
 * it accepted, by the token's exact text — which includes its signature, so the same text always
 * carries the same claims — and checks only the clock on later requests. It remembers the 10,000 used
 * last, never a token it refused.
 */
export async function actorFromAuthorization(
  header: string | undefined,
  verifier: TokenVerifier,
): Promise<Actor | null> {
  if (header === undefined || header === '') return null;
  const match = BEARER.exec(header.trim());
  if (!match) {
    throw new AuthenticationError(
      'the Authorization header must be "Bearer <token>" with a JWT of three base64url parts',
    );
  }
  const token = match[1]!;
  const known = verifier.accepted.get(token);
  if (known) {
    const now = Math.floor(Date.now() / 1000);
    if (known.exp > now && (known.nbf === null || known.nbf <= now)) return known.actor;
    // Expired or not yet valid: verified again below, which says which.
    verifier.accepted.delete(token);
  }
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, verifier.keys, {
      issuer: verifier.issuer,
      audience: verifier.audience,
      algorithms: TOKEN_ALGORITHMS,
      requiredClaims: ['exp', 'sub'],
    }));
  } catch (error) {
    throw new AuthenticationError(describeTokenError(error));
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) {
    const detail = claims.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new AuthenticationError(`the token's claims are not valid: ${detail}`);
  }
  const c = claims.data;
  const actor: Actor = Object.freeze({
    id: c.sub,
    name: c.name ?? null,
    role: c.role,
    departmentCode: c.dept ?? null,
    hallCode: c.hall ?? null,
  });
  verifier.accepted.set(token, { actor, exp: payload.exp!, nbf: payload.nbf ?? null });
  return actor;
}

function describeTokenError(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired; ask for a new one';
  if (error instanceof errors.JWTClaimValidationFailed) {
    return `the token's "${error.claim}" claim is not acceptable (${error.reason}); it was not issued for this hub`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return 'the token signature does not verify; it was not signed by this hub';
  if (error instanceof errors.JWKSNoMatchingKey)
    return 'the token was signed with a key this hub does not know (unknown "kid")';
  if (error instanceof errors.JOSEAlgNotAllowed)
    return 'the token uses a signing algorithm this hub does not accept';
  if (error instanceof errors.JOSEError) return `the token is malformed (${error.code})`;
  return 'the token could not be read';
}

export interface SignOptions {
  key: CryptoKey;
  kid: string;
  issuer: string;
  audience: string;
  /** e.g. '12h' */
  expiresIn: string;
}

/** Issues a token for an actor (development tokens, tests). */
export function signActorToken(actor: Actor, options: SignOptions): Promise<string> {
  const claims: Record<string, string> = { role: actor.role };
  if (actor.name) claims.name = actor.name;
  if (actor.departmentCode) claims.dept = actor.departmentCode;
  if (actor.hallCode) claims.hall = actor.hallCode;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'EdDSA', kid: options.kid, typ: 'JWT' })
    .setSubject(actor.id)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn)
    .sign(options.key);
}
