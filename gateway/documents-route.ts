import { Router } from 'express';
import type { Actor } from '../db/actor.ts';
import { type DiskBlobStore, recordBlob } from '../db/blobs/blob-store.ts';
import { findCaseFor } from '../db/cases/case-queries.ts';
import type { HallDocument } from '../db/documents/hall-document.ts';
import { renderDocumentPdf } from '../db/documents/render-pdf.ts';
import { CaseDocument } from '../db/entities/case-document.ts';
import { HubError } from '../db/errors.ts';
import { forkEm, type HubOrm } from '../db/orm.ts';
import type { TokenVerifier } from './auth/actor-token.ts';
import { requireActor } from './auth/rest-actor.ts';

/**
 * GET /documents/:id.pdf: the PDF of a document issued on a case, for those who may see the case.
 * Rendered from the content frozen at issue on first request, then kept content-addressed.
 */
export function documentsRouter(deps: {
  orm: HubOrm;
  blobs: DiskBlobStore;
  verifier: TokenVerifier;
}): Router {
  const router = Router();
  router.get(
    '/documents/:id.pdf',
    requireActor(deps.verifier, ['clerk', 'supervisor', 'applicant', 'chief_representative']),
    async (req, res, next) => {
      try {
        const em = forkEm(deps.orm);
        const id = String(req.params.id);
        const document = /^[0-9a-f-]{36}$/i.test(id)
          ? await em.findOne(CaseDocument, { id }, { populate: ['pdf'] })
          : null;
        // The same answer for a document that does not exist and one on a case the caller may not see.
        if (!document) throw new HubError('FORBIDDEN', 'no such document, or it is not yours to see');
        await findCaseFor(em, res.locals.actor as Actor, { id: document.case.id });
        let sha256 = document.pdf?.sha256;
        if (!sha256 || !(await deps.blobs.exists(sha256))) {
          const bytes = await renderDocumentPdf(document.content as unknown as HallDocument);
          const stored = await deps.blobs.putBytes(bytes, 'application/pdf');
          document.pdf = await recordBlob(em, stored);
          await em.flush();
          sha256 = stored.sha256;
        }
        res
          .type('application/pdf')
          .set('content-disposition', `inline; filename="${document.id}.pdf"`)
          .set('cache-control', 'private, max-age=3600')
          .set('etag', `"${sha256}"`);
        deps.blobs.read(sha256).on('error', next).pipe(res);
      } catch (error) {
        if (error instanceof HubError && error.code === 'FORBIDDEN') {
          res
            .status(403)
            .json({ error: 'FORBIDDEN', message: 'no such document, or it is not yours to see' });
          return;
        }
        next(error);
      }
    },
  );
  return router;
}
