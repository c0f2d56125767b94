import type { HallDocument } from '../documents/hall-document.ts';
import { renderDocumentPdf } from '../documents/render-pdf.ts';
import type { CertificateField } from '../entities/certificate-type.ts';
import type { CertificateToIssue } from './certificate-credential.ts';

/**
 * The printable face of a certificate: the hall's document layout (db/documents) with the type as
 * title, the certificate number under it, the data fields as the facts table, and the identifier in
 * the footer so that a reader can look it up or verify the token. Identity numbers are printed in
 * full: a certificate states whom it belongs to, and only its holder and the hall's clerks fetch it.
 */
export function certificateDocument(
  certificate: CertificateToIssue,
  fields: readonly CertificateField[],
  hallName: string,
): HallDocument {
  const facts = [
    ...fields
      .filter((f) => certificate.data[f.name])
      .map((f) => ({ label: f.label, value: certificate.data[f.name]! })),
    { label: '发证机关', value: certificate.issuerName },
    { label: '发证日期', value: certificate.issuedOn },
    {
      label: '有效期限',
      value: certificate.validTo
        ? `${certificate.validFrom} 至 ${certificate.validTo}`
        : `${certificate.validFrom} 起长期有效`,
    },
    { label: '证照版本', value: `第${certificate.version}版` },
  ];
  return {
    kind: 'electronic_certificate',
    title: certificate.typeName,
    number: `证照编号：${certificate.number}`,
    hallName,
    issuedOn: certificate.issuedOn,
    addressee: '',
    facts,
    paragraphs: [
      `本证照由${certificate.issuerName}依法核发，为电子证照（第${certificate.version}版），与纸质证照具有同等法律效力。`,
    ],
    closing: [certificate.issuerName, '（电子印章）'],
    footer: `电子证照标识 ${certificate.identifier} · 可在 /certificates/verify 验证签名令牌，吊销与中止状态见公开状态列表`,
  };
}

/** The PDF bytes: deterministic for the same content, so its hash identifies the rendering. */
export async function renderCertificatePdf(
  certificate: CertificateToIssue,
  fields: readonly CertificateField[],
  hallName: string,
): Promise<Uint8Array> {
  return renderDocumentPdf(certificateDocument(certificate, fields, hallName));
}
