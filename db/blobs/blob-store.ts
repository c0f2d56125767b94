import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { Blob } from '../entities/blob.ts';
import type { HubEntityManager } from '../orm.ts';
import { ACCEPTED_MEDIA_TYPES, SNIFF_BYTES, sniffMediaType } from './sniff-media-type.ts';

export class BlobRejected extends Error {
  readonly status: 400 | 413 | 415;
  constructor(status: 400 | 413 | 415, message: string) {
    super(message);
    this.name = 'BlobRejected';
    this.status = status;
  }
}

export interface StoredBlob {
  sha256: string;
  size: number;
  mediaType: string;
}

/**
 * Files kept on disk by content: `<root>/ab/cd/<sha256>`. A file is written to a temporary name while
 * it is hashed and measured, and renamed into place only when it is complete and acceptable, so a
 * rejected or broken upload leaves nothing behind.
 */
export class DiskBlobStore {
  readonly root: string;
  readonly maxBytes: number;

  constructor(root: string, maxBytes: number) {
    this.root = path.resolve(root);
    this.maxBytes = maxBytes;
  }

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a SHA-256 hex digest');
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /** Stores an upload whose type must be one of the accepted ones (sniffed from the content). */
  async putUpload(source: Readable): Promise<Omit<StoredBlob, 'mediaType'> & { mediaType: string }> {
    return this.#put(source, (head) => {
      const type = sniffMediaType(head);
      if (!type) {
        throw new BlobRejected(
          415,
          `the file is not one of the accepted types (${ACCEPTED_MEDIA_TYPES.join(', ')}), judged by its content`,
        );
      }
      return type;
    });
  }

  /** Stores bytes the hub made itself (rendered documents). */
  async putBytes(bytes: Uint8Array, mediaType: string): Promise<StoredBlob> {
    const { Readable } = await import('node:stream');
    return this.#put(Readable.from([Buffer.from(bytes)]), () => mediaType);
  }

  async #put(source: Readable, typeOf: (head: Uint8Array) => string): Promise<StoredBlob> {
    const tmpDir = path.join(this.root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmp = path.join(tmpDir, randomUUID());
    const file = await open(tmp, 'wx', 0o600);
    const hash = createHash('sha256');
    let size = 0;
    let head = Buffer.alloc(0);
    let mediaType: string | null = null;
    try {
      for await (const chunk of source) {
        const data = chunk as Buffer;
        size += data.length;
        if (size > this.maxBytes)
          throw new BlobRejected(413, `the file is larger than the limit of ${this.maxBytes} bytes`);
        if (mediaType === null) {
          head = Buffer.concat([head, data]).subarray(0, SNIFF_BYTES);
          if (head.length >= SNIFF_BYTES) mediaType = typeOf(head);
        }
        hash.update(data);
        await file.write(data);
      }
      if (size === 0) throw new BlobRejected(400, 'the file is empty');
      mediaType ??= typeOf(head);
      await file.close();
      const sha256 = hash.digest('hex');
      const target = this.pathOf(sha256);
      await mkdir(path.dirname(target), { recursive: true });
      await rename(tmp, target);
      return { sha256, size, mediaType };
    } catch (error) {
      await file.close().catch(() => {});
      await rm(tmp, { force: true });
      // Drain the rest so the client gets our answer instead of a reset connection.
      source.resume();
      throw error;
    }
  }

  async exists(sha256: string): Promise<boolean> {
    try {
      await stat(this.pathOf(sha256));
      return true;
    } catch {
      return false;
    }
  }

  read(sha256: string): Readable {
    return createReadStream(this.pathOf(sha256));
  }
}

/** Records a stored file (idempotent: the same content twice is one row). */
export async function recordBlob(em: HubEntityManager, blob: StoredBlob): Promise<Blob> {
  await em.execute(
    `insert into blob (sha256, size, media_type, created_at) values (?, ?, ?, now()) on conflict (sha256) do nothing`,
    [blob.sha256, blob.size, blob.mediaType],
  );
  return em.findOneOrFail(Blob, { sha256: blob.sha256 });
}
