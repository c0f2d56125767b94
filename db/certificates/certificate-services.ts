import path from 'node:path';
import { DiskBlobStore } from '../blobs/blob-store.ts';
import {
  type CertificateAlg,
  CertificateKeyError,
  type CertificateKeyRing,
  type CertificateSigner,
  loadOrCreateDevCertificateKeys,
  parseSigningKeys,
} from './certificate-keys.ts';

/** What issuing, publishing and verifying certificates need from the process they run in. */
export interface CertificateServices {
  /** Every key (JWKS) and the newest of the configured algorithm, which signs. */
  keys: CertificateKeyRing;
  /** Signs certificate tokens: the key ring itself, unless a test puts another in. */
  signer: CertificateSigner;
  /** Where PDFs and tokens are archived, content-addressed (the same store as uploads). */
  blobs: DiskBlobStore;
  /** The hub's URL as consumers reach it; status list links in tokens are under it. */
  publicUrl: string;
}

/** The settings certificate services are made from (a subset of every process's config). */
export interface CertificateSettings {
  NODE_ENV: 'development' | 'test' | 'production';
  DATA_DIR: string;
  BLOB_DIR?: string | undefined;
  UPLOAD_MAX_BYTES: number;
  CERT_SIGNING_KEYS?: string | undefined;
  CERT_SIGNING_ALG: CertificateAlg;
  /** Unset outside production: the hub's loopback address. */
  HUB_PUBLIC_URL?: string | undefined;
  PORT?: number | undefined;
}

/**
 * Keys from `CERT_SIGNING_KEYS`, or outside production the development key set under DATA_DIR.
 *
 * @throws CertificateKeyError naming CERT_SIGNING_KEYS when production has none, or they are unusable.
 */
export function loadCertificateServices(settings: CertificateSettings): CertificateServices {
  let keys: CertificateKeyRing;
  if (settings.CERT_SIGNING_KEYS) {
    keys = parseSigningKeys(settings.CERT_SIGNING_KEYS, settings.CERT_SIGNING_ALG);
  } else if (settings.NODE_ENV === 'production') {
    throw new CertificateKeyError(
      'CERT_SIGNING_KEYS: required in production (a JWK set with the private keys that sign electronic certificates, as JSON or a file path)',
    );
  } else {
    keys = loadOrCreateDevCertificateKeys(settings.DATA_DIR, settings.CERT_SIGNING_ALG);
  }
  if (!settings.HUB_PUBLIC_URL && settings.NODE_ENV === 'production') {
    throw new CertificateKeyError(
      'HUB_PUBLIC_URL: required in production (certificate tokens name their status lists under the address consumers reach the hub at)',
    );
  }
  return {
    keys,
    signer: keys,
    blobs: new DiskBlobStore(
      settings.BLOB_DIR ?? path.join(settings.DATA_DIR, 'blobs'),
      settings.UPLOAD_MAX_BYTES,
    ),
    publicUrl: (settings.HUB_PUBLIC_URL ?? `http://127.0.0.1:${settings.PORT ?? 4000}`).replace(/\/+$/, ''),
  };
}
