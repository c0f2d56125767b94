import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * The bitstring of a W3C Bitstring Status List: one bit per certificate, index 0 the most significant
 * bit of the first byte; published gzip-compressed and base64url-encoded (no padding) with the
 * multibase prefix `u`. Pure (node:zlib only): the offline verifier uses it too.
 */

/**
 * Entries per list: the specification's minimum (16 KiB), so that a list says nothing about how many
 * certificates there are, and a verifier fetching it does not reveal which one it checks.
 */
export const STATUS_LIST_SIZE = 131_072;

/** An all-zero bitstring of `size` bits. */
export function emptyBitstring(size = STATUS_LIST_SIZE): Uint8Array {
  if (!Number.isInteger(size) || size <= 0 || size % 8 !== 0)
    throw new RangeError(`a bitstring size is a positive multiple of 8, got ${size}`);
  return new Uint8Array(size / 8);
}

export function setBit(bits: Uint8Array, index: number, value = true): void {
  assertIndex(bits, index);
  const mask = 0x80 >> (index % 8);
  const at = Math.floor(index / 8);
  bits[at] = value ? bits[at]! | mask : bits[at]! & ~mask;
}

export function bitAt(bits: Uint8Array, index: number): boolean {
  assertIndex(bits, index);
  return (bits[Math.floor(index / 8)]! & (0x80 >> (index % 8))) !== 0;
}

/** gzip, then base64url without padding, with the multibase prefix `u` (the `encodedList` of a list). */
export function encodeBitstring(bits: Uint8Array): string {
  return `u${gzipSync(bits, { level: 9 }).toString('base64url')}`;
}

/**
 * The bitstring of an `encodedList`.
 *
 * @throws Error saying which step failed (not base64url, not gzip).
 */
export function decodeBitstring(encoded: string): Uint8Array {
  // The multibase prefix is required by the specification; gzip's own first byte encodes as `H`.
  const text = encoded.startsWith('u') ? encoded.slice(1) : encoded;
  if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new Error('encodedList is not base64url');
  try {
    return new Uint8Array(gunzipSync(Buffer.from(text, 'base64url')));
  } catch {
    throw new Error('encodedList is not a gzip-compressed bitstring');
  }
}

function assertIndex(bits: Uint8Array, index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= bits.length * 8)
    throw new RangeError(`status index ${index} is outside the list of ${bits.length * 8} entries`);
}
