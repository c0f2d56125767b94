import busboy from 'busboy';
import { Router } from 'express';
import { BlobRejected, type DiskBlobStore, recordBlob } from '../db/blobs/blob-store.ts';
import { forkEm, type HubOrm } from '../db/orm.ts';
import type { TokenVerifier } from './auth/actor-token.ts';
import { requireActor } from './auth/rest-actor.ts';

/**
 * POST /uploads (multipart/form-data, one part named `file`): stores an electronic material and
 * answers its id (SHA-256), size and media type sniffed from the content. The id is then given to
 * `registerCase` / `presentMaterials` as `fileId`.
 */
export function uploadsRouter(deps: { orm: HubOrm; blobs: DiskBlobStore; verifier: TokenVerifier }): Router {
  const router = Router();
  router.post(
    '/uploads',
    requireActor(deps.verifier, ['clerk', 'applicant', 'department_reviewer']),
    (req, res, next) => {
      if (!req.is('multipart/form-data')) {
        res
          .status(400)
          .json({ error: 'BAD_REQUEST', message: 'send multipart/form-data with one part named "file"' });
        return;
      }
      let parser: busboy.Busboy;
      try {
        parser = busboy({
          headers: req.headers,
          limits: { files: 1, fields: 0, parts: 2, fileSize: deps.blobs.maxBytes + 1 },
        });
      } catch {
        res.status(400).json({ error: 'BAD_REQUEST', message: 'the multipart body has no boundary' });
        return;
      }
      let handled = false;
      const fail = (status: number, message: string) => {
        if (handled) return;
        handled = true;
        res.status(status).json({
          error:
            status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST',
          message,
        });
      };
      let fileSeen = false;
      parser.on('file', (field, stream) => {
        fileSeen = true;
        if (field !== 'file') {
          stream.resume();
          fail(400, 'the file part must be named "file"');
          return;
        }
        deps.blobs
          .putUpload(stream)
          .then(async (stored) => {
            await recordBlob(forkEm(deps.orm), stored);
            if (handled) return;
            handled = true;
            res.status(201).json({
              id: stored.sha256,
              sha256: stored.sha256,
              size: stored.size,
              mediaType: stored.mediaType,
            });
          })
          .catch((error: unknown) => {
            if (error instanceof BlobRejected) fail(error.status, error.message);
            else if (!handled) {
              handled = true;
              next(error);
            }
          });
      });
      parser.on('filesLimit', () => fail(400, 'send one file per upload'));
      parser.on('close', () => {
        if (!fileSeen) fail(400, 'no part named "file" in the upload');
      });
      parser.on('error', () => fail(400, 'the multipart body is malformed'));
      req.pipe(parser);
    },
  );
  return router;
}
