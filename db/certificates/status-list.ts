import type { HubEntityManager } from '../orm.ts';
import { emptyBitstring, encodeBitstring, STATUS_LIST_SIZE, setBit } from './bitstring.ts';
import type { CertificateServices } from './certificate-services.ts';
import {
  CREDENTIAL_TYP,
  STATUS_PURPOSES,
  type StatusListCredential,
  type StatusListEntry,
  type StatusPurpose,
} from './verify-offline.ts';

/**
 * The hub's W3C Bitstring Status Lists: one list per purpose (revocation, suspension) for each
 * 131,072 certificates. A certificate's `statusIndex` is its position across lists — the same in
 * both purposes — allocated at issue and never reused. Lists are built from the certificates'
 * statuses when asked for and signed like certificates (JWS, `typ` vc+jwt).
 */

/** `revocation-1`, `suspension-1`, … (list n holds indexes (n−1)·131072 … n·131072−1). */
export function statusListName(purpose: StatusPurpose, listNumber: number): string {
  return `${purpose}-${listNumber}`;
}

export function parseStatusListName(name: string): { purpose: StatusPurpose; listNumber: number } | null {
  const match = /^(revocation|suspension)-([1-9]\d{0,5})$/.exec(name);
  if (!match) return null;
  return { purpose: match[1] as StatusPurpose, listNumber: Number(match[2]) };
}

export function statusListUrl(publicUrl: string, purpose: StatusPurpose, listNumber: number): string {
  return `${publicUrl}/certificates/status/${statusListName(purpose, listNumber)}`;
}

/** The `credentialStatus` of a certificate at `statusIndex`: its bit in the revocation and suspension lists. */
export function statusEntriesFor(publicUrl: string, statusIndex: number): StatusListEntry[] {
  const listNumber = Math.floor(statusIndex / STATUS_LIST_SIZE) + 1;
  const position = String(statusIndex % STATUS_LIST_SIZE);
  return STATUS_PURPOSES.map((purpose) => {
    const list = statusListUrl(publicUrl, purpose, listNumber);
    return {
      id: `${list}#${position}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: purpose,
      statusListIndex: position,
      statusListCredential: list,
    };
  });
}

/** Next status index, from a counter: allocated in the issuing transaction, never handed out twice. */
export async function allocateStatusIndex(em: HubEntityManager): Promise<number> {
  const rows = await em.execute<{ last: number }[]>(
    `insert into sequence_counter (scope, last) values ('certificate:status-index', 1)
     on conflict (scope) do update set last = sequence_counter.last + 1
     returning last`,
  );
  return Number(rows[0]!.last) - 1;
}

/** The bits of one list: set for every certificate revoked (revocation) or suspended (suspension). */
export async function statusListBits(
  em: HubEntityManager,
  purpose: StatusPurpose,
  listNumber: number,
): Promise<Uint8Array> {
  const from = (listNumber - 1) * STATUS_LIST_SIZE;
  const rows = await em.execute<{ status_index: number }[]>(
    `select status_index from certificate where status = ? and status_index >= ? and status_index < ?`,
    [purpose === 'revocation' ? 'revoked' : 'suspended', from, from + STATUS_LIST_SIZE],
  );
  const bits = emptyBitstring(STATUS_LIST_SIZE);
  for (const row of rows) setBit(bits, Number(row.status_index) - from);
  return bits;
}

/** The list as a BitstringStatusListCredential (VC 2.0), unsigned. */
export function statusListCredential(
  publicUrl: string,
  purpose: StatusPurpose,
  listNumber: number,
  bits: Uint8Array,
  now: Date,
): StatusListCredential {
  const id = statusListUrl(publicUrl, purpose, listNumber);
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: { id: publicUrl, name: 'OneWindow Hub 电子证照' },
    validFrom: now.toISOString(),
    credentialSubject: {
      id: `${id}#list`,
      type: 'BitstringStatusList',
      statusPurpose: purpose,
      encodedList: encodeBitstring(bits),
    },
    iat: Math.floor(now.getTime() / 1000),
  };
}

/** The list as it stands now, signed (compact JWS). */
export async function signedStatusList(
  em: HubEntityManager,
  services: Pick<CertificateServices, 'keys' | 'publicUrl'>,
  purpose: StatusPurpose,
  listNumber: number,
  now = new Date(),
): Promise<{ token: string; credential: StatusListCredential }> {
  const bits = await statusListBits(em, purpose, listNumber);
  const credential = statusListCredential(services.publicUrl, purpose, listNumber, bits, now);
  // Lists are always signed by the key ring itself: a certificate signer put in by tests signs certificates only.
  const { token } = await services.keys.signCompact(credential, CREDENTIAL_TYP);
  return { token, credential };
}
