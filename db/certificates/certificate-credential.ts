import type { HolderIdType } from '../entities/certificate.ts';
import { statusEntriesFor } from './status-list.ts';
import type { CertificateCredential } from './verify-offline.ts';

/** Everything a certificate states, before it is signed and stored. */
export interface CertificateToIssue {
  identifier: string;
  typeCode: string;
  typeName: string;
  serial: string;
  version: number;
  number: string;
  holderName: string;
  holderIdType: HolderIdType;
  holderIdNumber: string;
  issuerName: string;
  issuerCode: string;
  issuedOn: string;
  validFrom: string;
  validTo: string | null;
  data: Record<string, string>;
  statusIndex: number;
}

/**
 * The certificate as a W3C Verifiable Credential 2.0 (the token's payload): issuer and holder by
 * their national codes, validity as instants in China time (from the first day's start to the last
 * day's end), `credentialStatus` pointing at its bit in the revocation and suspension lists, and the
 * SHA-256 of its archived PDF, so the signature covers the printable face too.
 */
export function certificateCredential(
  certificate: CertificateToIssue,
  publicUrl: string,
  pdfSha256: string,
  issuedAt: Date,
): CertificateCredential & { certificate: { pdfSha256: string } } {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: `urn:cn-ecert:${certificate.identifier}`,
    type: ['VerifiableCredential', 'ElectronicCertificate'],
    issuer: { id: `urn:cn-uscc:${certificate.issuerCode}`, name: certificate.issuerName },
    validFrom: `${certificate.validFrom}T00:00:00+08:00`,
    ...(certificate.validTo ? { validUntil: `${certificate.validTo}T23:59:59+08:00` } : {}),
    credentialSubject: {
      id: `urn:cn-${certificate.holderIdType === '111' ? 'citizen-id' : 'uscc'}:${certificate.holderIdNumber}`,
      name: certificate.holderName,
      idType: certificate.holderIdType,
      idNumber: certificate.holderIdNumber,
      data: certificate.data,
    },
    credentialStatus: statusEntriesFor(publicUrl, certificate.statusIndex),
    certificate: {
      identifier: certificate.identifier,
      typeCode: certificate.typeCode,
      typeName: certificate.typeName,
      serial: certificate.serial,
      version: certificate.version,
      number: certificate.number,
      issuedOn: certificate.issuedOn,
      validFrom: certificate.validFrom,
      validTo: certificate.validTo,
      statusIndex: certificate.statusIndex,
      pdfSha256,
    },
    iat: Math.floor(issuedAt.getTime() / 1000),
  };
}
