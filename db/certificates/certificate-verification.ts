import type { HubEntityManager } from '../orm.ts';
import type { CertificateServices } from './certificate-services.ts';
import { parseStatusListName, signedStatusList } from './status-list.ts';
import { StatusListUnavailable, type Verification, verifyCertificateOffline } from './verify-offline.ts';

/**
 * The hub's own verification (`POST /certificates/verify`, `verifyCertificate`): the lists the token
 * points at are built and signed as they stand now, then the offline verifier decides — so the hub
 * answers exactly what a consumer holding the JWKS and the same lists answers.
 */
export async function verifyCertificateToken(
  em: HubEntityManager,
  services: Pick<CertificateServices, 'keys' | 'publicUrl'>,
  token: string,
  now = new Date(),
): Promise<Verification> {
  const statusLists: string[] = [];
  for (const name of listNamesIn(token)) {
    const list = parseStatusListName(name);
    if (list)
      statusLists.push((await signedStatusList(em, services, list.purpose, list.listNumber, now)).token);
  }
  try {
    return verifyCertificateOffline(token, { jwks: services.keys.jwks(), statusLists, now });
  } catch (error) {
    if (!(error instanceof StatusListUnavailable)) throw error;
    return { verdict: 'MALFORMED', reason: error.message, keyId: null, claims: null };
  }
}

/**
 * Names of the lists a token's `credentialStatus` points at, read without trusting it: the verdict
 * comes from the verifier, which checks the signature first; this only decides which lists to build.
 */
function listNamesIn(token: string): string[] {
  try {
    const payload = JSON.parse(
      Buffer.from(String(token).split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as {
      credentialStatus?: { statusListCredential?: unknown }[];
    };
    if (!Array.isArray(payload.credentialStatus)) return [];
    const names = payload.credentialStatus
      .map(
        (s) =>
          String(s?.statusListCredential ?? '')
            .split('/')
            .at(-1) ?? '',
      )
      .filter((n) => parseStatusListName(n) !== null);
    return [...new Set(names)].slice(0, 4);
  } catch {
    return [];
  }
}
