import express, { type Response, Router } from 'express';
import type { Actor } from '../db/actor.ts';
import { findCertificateForDownload } from '../db/certificates/certificate-queries.ts';
import type { CertificateServices } from '../db/certificates/certificate-services.ts';
import { verifyCertificateToken } from '../db/certificates/certificate-verification.ts';
import { parseStatusListName, signedStatusList } from '../db/certificates/status-list.ts';
import { HubError } from '../db/errors.ts';
import { forkEm, type HubOrm } from '../db/orm.ts';
import type { TokenVerifier } from './auth/actor-token.ts';
import { requireActor } from './auth/rest-actor.ts';

/** A certificate token is a few kilobytes; anything far larger is not one. */
const VERIFY_BODY_LIMIT = '64kb';

/**
 * The certificates' REST side:
 * - `GET /certificates/jwks.json` — the public keys that verify certificates and status lists;
 * - `POST /certificates/verify` — body: the token (text, or JSON `{"token": …}`); answers the verdict;
 * - `GET /certificates/status/<list>` — a signed BitstringStatusListCredential (`revocation-1`, `suspension-1` …);
 * - `GET /certificates/<id>.pdf` and `.jws` — the archived PDF and token, for the holder and the hall's clerks.
 * The first three are public: verifying needs no account.
 */
export function certificatesRouter(deps: {
  orm: HubOrm;
  certificates: CertificateServices;
  verifier: TokenVerifier;
}): Router {
  const router = Router();
  const { certificates } = deps;

  router.get('/certificates/jwks.json', (_req, res) => {
    res
      .type('application/jwk-set+json')
      .set('cache-control', 'public, max-age=300')
      .json(certificates.keys.jwks());
  });

  router.post(
    '/certificates/verify',
    express.text({
      type: ['text/*', 'application/jwt', 'application/vc+jwt', 'application/jose'],
      limit: VERIFY_BODY_LIMIT,
    }),
    express.json({ limit: VERIFY_BODY_LIMIT }),
    async (req, res, next) => {
      try {
        const body: unknown = req.body;
        const token =
          typeof body === 'string'
            ? body.trim()
            : typeof (body as { token?: unknown } | undefined)?.token === 'string'
              ? (body as { token: string }).token
              : '';
        const verification = await verifyCertificateToken(forkEm(deps.orm), certificates, token);
        res.set('cache-control', 'no-store').json(verification);
      } catch (error) {
        next(error);
      }
    },
  );

  router.get('/certificates/status/:list', async (req, res, next) => {
    try {
      const list = parseStatusListName(String(req.params.list));
      if (!list) {
        res.status(404).json({
          error: 'NOT_FOUND',
          message: 'status lists are named revocation-<n> or suspension-<n>, e.g. revocation-1',
        });
        return;
      }
      const signed = await signedStatusList(forkEm(deps.orm), certificates, list.purpose, list.listNumber);
      res.set('cache-control', 'public, max-age=60').vary('accept');
      // The signed token by default; the unsigned credential for a reader asking for JSON.
      if (req.accepts(['application/vc+jwt', 'application/json']) === 'application/json') {
        res.type('application/json').json(signed.credential);
        return;
      }
      res.type('application/vc+jwt').send(signed.token);
    } catch (error) {
      next(error);
    }
  });

  const download =
    (kind: 'pdf' | 'jws') => async (req: express.Request, res: Response, next: express.NextFunction) => {
      try {
        const certificate = await findCertificateForDownload(
          forkEm(deps.orm),
          res.locals.actor as Actor,
          String(req.params.id),
        );
        const sha256 = kind === 'pdf' ? certificate.pdfSha256 : certificate.tokenSha256;
        if (!sha256 || !(await certificates.blobs.exists(sha256)))
          throw new Error(`the archived ${kind} of certificate ${certificate.id} is missing`);
        res
          .type(kind === 'pdf' ? 'application/pdf' : 'application/vc+jwt')
          .set(
            'content-disposition',
            `${kind === 'pdf' ? 'inline' : 'attachment'}; filename="${certificate.id}.${kind}"`,
          )
          .set('cache-control', 'private, max-age=3600')
          .set('etag', `"${sha256}"`);
        certificates.blobs.read(sha256).on('error', next).pipe(res);
      } catch (error) {
        if (error instanceof HubError && error.code === 'FORBIDDEN') {
          res.status(403).json({ error: 'FORBIDDEN', message: error.message });
          return;
        }
        next(error);
      }
    };
  const holderOrHall = requireActor(deps.verifier, ['applicant', 'clerk', 'supervisor']);
  router.get('/certificates/:id.pdf', holderOrHall, download('pdf'));
  router.get('/certificates/:id.jws', holderOrHall, download('jws'));
  return router;
}
