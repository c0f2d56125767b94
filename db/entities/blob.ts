import { defineEntity, p } from '@mikro-orm/core';

/**
 * A stored file, content-addressed by its SHA-256: the same bytes uploaded twice are one blob.
 * Names are kept where a file is used (a case material), never here.
 */
export const BlobSchema = defineEntity({
  name: 'Blob',
  tableName: 'blob',
  properties: {
    sha256: p.string().length(64).primary(),
    size: p.integer(),
    /** Sniffed from the content, not taken from the name or the client. */
    mediaType: p.string(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class Blob extends BlobSchema.class {}
BlobSchema.setClass(Blob);
