/**
 * The media type of a file judged by its first bytes, never by its name or the client's word.
 * Only the formats a hall accepts as electronic materials are recognised.
 */
export const ACCEPTED_MEDIA_TYPES = [
  'application/pdf',
  'image/jpeg',
  'image/png',
  'image/tiff',
  'application/ofd',
] as const;
export type AcceptedMediaType = (typeof ACCEPTED_MEDIA_TYPES)[number];

/** Bytes needed to tell every accepted format apart (OFD's first entry name ends by then). */
export const SNIFF_BYTES = 64;

function startsWith(head: Uint8Array, bytes: number[]): boolean {
  return bytes.every((b, i) => head[i] === b);
}

export function sniffMediaType(head: Uint8Array): AcceptedMediaType | null {
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'; // %PDF-
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a]))
    return 'image/tiff';
  // OFD (GB/T 33190) is a zip whose first entry is OFD.xml.
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) && head.length >= 37) {
    const nameLength = head[26]! | (head[27]! << 8);
    const name = new TextDecoder().decode(head.subarray(30, 30 + Math.min(nameLength, 16)));
    if (name === 'OFD.xml') return 'application/ofd';
  }
  return null;
}
