import type { HubConfig } from '../config.ts';
import { createVerifier, signActorToken, type TokenVerifier } from './actor-token.ts';
import { DEMO_ACTORS } from './demo-actors.ts';
import { jwksOf, loadOrCreateDevSigningKey, parseJwks, type SigningKey } from './signing-keys.ts';

export interface TokenSetup {
  verifier: TokenVerifier;
  /** Present outside production only: the key the development tokens are signed with. */
  devKey: SigningKey | null;
}

/** Production verifies with AUTH_JWKS; development without it uses the key kept under DATA_DIR. */
export async function setUpTokens(config: HubConfig): Promise<TokenSetup> {
  if (config.AUTH_JWKS) {
    return {
      verifier: createVerifier(parseJwks(config.AUTH_JWKS), config.AUTH_ISSUER, config.AUTH_AUDIENCE),
      devKey: null,
    };
  }
  const devKey = await loadOrCreateDevSigningKey(config.DATA_DIR);
  return { verifier: createVerifier(jwksOf(devKey), config.AUTH_ISSUER, config.AUTH_AUDIENCE), devKey };
}

/** A 12-hour token for each demo actor, signed with the development key. */
export async function demoTokens(
  config: HubConfig,
  key: SigningKey,
): Promise<{ role: string; name: string; token: string }[]> {
  return Promise.all(
    Object.values(DEMO_ACTORS).map(async (actor) => ({
      role: actor.role,
      name: actor.name ?? actor.id,
      token: await signActorToken(actor, {
        key: key.privateKey,
        kid: key.kid,
        issuer: config.AUTH_ISSUER,
        audience: config.AUTH_AUDIENCE,
        expiresIn: '12h',
      }),
    })),
  );
}
