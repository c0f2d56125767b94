import { recordBlob } from '../blobs/blob-store.ts';
import { chinaDate } from '../calendar/index.ts';
import { dayNumber, isoDate } from '../calendar/iso-date.ts';
import { emitOutbox, SYSTEM_ACTOR } from '../cases/case-events.ts';
import { nextSerial } from '../cases/case-numbers.ts';
import { Case } from '../entities/case.ts';
import { CaseDepartmentTask } from '../entities/case-department-task.ts';
import { Certificate, type HolderIdType } from '../entities/certificate.ts';
import { CertificateType } from '../entities/certificate-type.ts';
import { Department } from '../entities/department.ts';
import type { HubEntityManager } from '../orm.ts';
import { certificateTypes } from '../seed/catalogue/certificate-types.ts';
import { type CertificateToIssue, certificateCredential } from './certificate-credential.ts';
import { renderCertificatePdf } from './certificate-document.ts';
import { buildIdentifier } from './certificate-identifier.ts';
import { issuerOf } from './certificate-issuer.ts';
import type { CertificateServices } from './certificate-services.ts';
import { allocateStatusIndex } from './status-list.ts';
import { CREDENTIAL_TYP } from './verify-offline.ts';

/** Media type the signed tokens are archived under. */
export const TOKEN_MEDIA_TYPE = 'application/vc+jwt';

export interface IssuedCertificate {
  certificateId: string;
  identifier: string;
  /** The version it replaced (re-issue), revoked as superseded. */
  supersededId: string | null;
}

/**
 * Issues the certificates of an approved case (R-B5): for each certificate type its item issues, one
 * certificate from the approving department's task (or from the immediate decision of an immediate
 * item), rendered as a PDF, signed, both archived content-addressed, in one transaction with the
 * row and the `certificate.issued` event.
 *
 * Nothing is published unsigned: a signer that fails throws, the transaction rolls back and the job
 * runs again. Runs twice safely: a case is locked while it is issued, and a type already issued on the
 * case is skipped, so the same result gives one certificate.
 */
export async function issueCertificatesForCase(
  em: HubEntityManager,
  services: Pick<CertificateServices, 'signer' | 'blobs' | 'publicUrl'>,
  caseId: string,
  now: Date,
): Promise<IssuedCertificate[]> {
  return em.transactional(async (tx) => {
    await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [`certificate-issue:${caseId}`]);
    const issued: IssuedCertificate[] = [];
    for (const { hallCase, type, task } of await certificatesDue(tx, caseId))
      issued.push(await issueOne(tx, services, hallCase, type, task, now));
    return issued;
  });
}

interface DueCertificate {
  hallCase: Case;
  type: CertificateType;
  /** The approving department's task; null for an immediate item decided on the spot. */
  task: CaseDepartmentTask | null;
}

/**
 * The certificates an approved case should have and does not have yet: one per type its item
 * issues, from the approved task of the type's department, or from the decision on the spot of an
 * immediate item. Empty for a case that is not approved or whose result is no certificate.
 */
export async function certificatesDue(em: HubEntityManager, caseId: string): Promise<DueCertificate[]> {
  const hallCase = await em.findOne(
    Case,
    { id: caseId },
    { populate: ['item', 'item.departments', 'applicant', 'hall'] },
  );
  if (hallCase?.status !== 'approved') return [];
  const types = (await em.findAll(CertificateType)).filter((t) => t.itemCodes.includes(hallCase.item.code));
  if (types.length === 0) return [];
  const tasks = await em.find(CaseDepartmentTask, { case: hallCase, status: 'approved' });
  const due: DueCertificate[] = [];
  for (const type of types) {
    if (!hallCase.item.departments.getItems().some((d) => d.code === type.departmentCode)) continue;
    const task = tasks.find((t) => t.departmentCode === type.departmentCode) ?? null;
    if (!task && hallCase.item.kind !== 'immediate') continue;
    if ((await em.count(Certificate, { sourceCase: hallCase, type: type.code })) > 0) continue;
    due.push({ hallCase, type, task });
  }
  return due;
}

async function issueOne(
  tx: HubEntityManager,
  services: Pick<CertificateServices, 'signer' | 'blobs' | 'publicUrl'>,
  hallCase: Case,
  type: CertificateType,
  task: CaseDepartmentTask | null,
  now: Date,
): Promise<IssuedCertificate> {
  const applicant = hallCase.applicant;
  const holderIdType: HolderIdType = applicant.idType === 'citizen_id' ? '111' : '001';
  const department = await tx.findOneOrFail(Department, { code: type.departmentCode });
  const issuer = issuerOf(hallCase.hall, department);
  const issuedOn = chinaDate(task?.decidedAt ?? now);
  const reissue = reissues(type.code, hallCase.item.code);
  const previous = reissue
    ? await tx.findOne(
        Certificate,
        { type: type.code, holderIdType, holderIdNumber: applicant.idNumber, status: { $ne: 'revoked' } },
        { orderBy: { version: 'desc' } },
      )
    : null;
  const serial = previous?.serial ?? (await nextCertificateSerial(tx, type.code, issuer.code, issuedOn));
  const version = previous ? previous.version + 1 : 1;
  const identifier = buildIdentifier({ typeCode: type.code, issuerCode: issuer.code, serial, version });
  const values: Record<string, string | null> = {
    holderName: task?.resultHolderName ?? applicant.name,
    holderIdNumber: applicant.idNumber,
    legalRepresentative: applicant.legalRepresentative ?? null,
    address: applicant.address ?? null,
    matter: hallCase.item.name,
    caseNumber: hallCase.number,
  };
  const data: Record<string, string> = {};
  for (const field of type.fields) {
    const value = values[field.name];
    if (value) data[field.name] = value;
  }
  const certificate: CertificateToIssue = {
    identifier,
    typeCode: type.code,
    typeName: type.name,
    serial,
    version,
    number: task?.resultNumber ?? serial,
    holderName: task?.resultHolderName ?? applicant.name,
    holderIdType,
    holderIdNumber: applicant.idNumber,
    issuerName: issuer.name,
    issuerCode: issuer.code,
    issuedOn,
    validFrom: issuedOn,
    validTo: type.validityYears ? lastDayOfValidity(issuedOn, type.validityYears) : null,
    data,
    statusIndex: await allocateStatusIndex(tx),
  };
  const pdf = await services.blobs.putBytes(
    await renderCertificatePdf(certificate, type.fields, hallCase.hall.name),
    'application/pdf',
  );
  // Signed before anything is stored as issued; a failure here leaves nothing behind but the PDF blob.
  const { token, kid } = await services.signer.signCompact(
    certificateCredential(certificate, services.publicUrl, pdf.sha256, now),
    CREDENTIAL_TYP,
  );
  const stored = await services.blobs.putBytes(new TextEncoder().encode(token), TOKEN_MEDIA_TYPE);
  await recordBlob(tx, pdf);
  await recordBlob(tx, stored);
  const row = tx.create(Certificate, {
    identifier,
    type,
    serial,
    version,
    number: certificate.number,
    holderName: certificate.holderName,
    holderIdType,
    holderIdNumber: applicant.idNumber,
    issuerName: issuer.name,
    issuerCode: issuer.code,
    issuedOn,
    validFrom: certificate.validFrom,
    validTo: certificate.validTo,
    data,
    sourceCase: hallCase,
    sourceDepartment: type.departmentCode,
    status: 'issued',
    statusReason: null,
    statusChangedAt: null,
    statusChangedBy: null,
    statusIndex: certificate.statusIndex,
    pdfSha256: pdf.sha256,
    tokenSha256: stored.sha256,
    keyId: kid,
    signedAt: now,
  });
  if (previous) {
    previous.status = 'revoked';
    previous.statusReason = `换发：由第${version}版（${identifier}）取代`;
    previous.statusChangedAt = now;
    previous.statusChangedBy = SYSTEM_ACTOR.id;
    emitOutbox(tx, 'certificate.status_changed', previous.sourceCase?.id ?? hallCase.id, {
      certificateId: previous.id,
      status: 'revoked',
      event: 'revoked',
      changedAt: now.toISOString(),
    });
  }
  await tx.flush();
  emitOutbox(tx, 'certificate.issued', hallCase.id, {
    certificateId: row.id,
    status: 'issued',
    changedAt: now.toISOString(),
    typeCode: type.code,
    version,
  });
  await tx.flush();
  return { certificateId: row.id, identifier, supersededId: previous?.id ?? null };
}

/** Whether approving `itemCode` re-issues the holder's current certificate of the type (换发、变更). */
function reissues(typeCode: string, itemCode: string): boolean {
  return certificateTypes.some((t) => t.code === typeCode && t.reissueItemCodes.includes(itemCode));
}

/** `<year><7 digits>`, counted per type, issuer and year: 20260000001, 20260000002 … */
async function nextCertificateSerial(
  tx: HubEntityManager,
  typeCode: string,
  issuerCode: string,
  issuedOn: string,
): Promise<string> {
  const year = issuedOn.slice(0, 4);
  const n = await nextSerial(tx, `certificate:${typeCode}:${issuerCode}:${year}`);
  return `${year}${String(n).padStart(7, '0')}`;
}

/** The last day of validity: the day before the same date `years` later (29 February → 28 February). */
export function lastDayOfValidity(validFrom: string, years: number): string {
  const [y, m, d] = validFrom.split('-').map(Number) as [number, number, number];
  const year = y + years;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const day = m === 2 && d === 29 && !leap ? 28 : d;
  const anniversary = `${year}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return isoDate(dayNumber(anniversary) - 1);
}
