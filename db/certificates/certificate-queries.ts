import type { Actor } from '../actor.ts';
import { chinaDate } from '../calendar/index.ts';
import { Certificate } from '../entities/certificate.ts';
import { badInput, HubError } from '../errors.ts';
import { maskIdNumber } from '../identity/mask.ts';
import type { HubEntityManager } from '../orm.ts';
import { checkIdentifier } from './certificate-identifier.ts';

/** What access to a certificate depends on: its source case's hall and applicant, its department. */
export interface CertificateScope {
  hallCode: string | null;
  holderAccountId: string | null;
  sourceDepartment: string | null;
}

/**
 * Who sees a certificate through the hub: its holder (the applicant of the case it came from), clerks
 * and supervisors of that case's hall, supervisors of any hall (they may revoke it) and the issuing
 * department's reviewers. Data-sharing consumers fetch certificates under their grants elsewhere.
 */
export function canSeeCertificate(actor: Actor | null, scope: CertificateScope): boolean {
  if (!actor) return false;
  switch (actor.role) {
    case 'supervisor':
      return true;
    case 'clerk':
      return scope.hallCode !== null && actor.hallCode === scope.hallCode;
    case 'applicant':
      return scope.holderAccountId !== null && scope.holderAccountId === actor.id;
    case 'department_reviewer':
      return actor.departmentCode !== null && actor.departmentCode === scope.sourceDepartment;
    case 'chief_representative':
    case 'consumer':
      return false;
  }
}

/** Who may download the PDF and token: the holder and the hall's clerks (and its supervisors). */
export function canDownloadCertificate(actor: Actor | null, scope: CertificateScope): boolean {
  if (!actor) return false;
  if (actor.role === 'applicant') return scope.holderAccountId !== null && scope.holderAccountId === actor.id;
  if (actor.role === 'clerk' || actor.role === 'supervisor')
    return scope.hallCode !== null && actor.hallCode === scope.hallCode;
  return false;
}

/** The identity number in full for those who see the certificate as holder, hall or issuer; else masked. */
export function holderIdNumberFor(
  actor: Actor | null,
  certificate: Certificate,
  scope: CertificateScope,
): string {
  return canSeeCertificate(actor, scope)
    ? certificate.holderIdNumber
    : maskIdNumber(certificate.holderIdNumber);
}

export async function scopeOfCertificate(
  em: HubEntityManager,
  certificate: Certificate,
): Promise<CertificateScope> {
  if (!certificate.sourceCase)
    return { hallCode: null, holderAccountId: null, sourceDepartment: certificate.sourceDepartment ?? null };
  await em.populate(certificate, ['sourceCase.applicant', 'sourceCase.hall']);
  const source = certificate.sourceCase;
  return {
    hallCode: source.hall.code,
    holderAccountId: source.applicant.accountId ?? null,
    sourceDepartment: certificate.sourceDepartment ?? null,
  };
}

/**
 * A certificate by its identifier, for those who may see it (null otherwise, as for one that does not
 * exist). A malformed identifier is BAD_USER_INPUT with what is wrong.
 */
export async function findCertificateByIdentifier(
  em: HubEntityManager,
  actor: Actor | null,
  identifier: string,
): Promise<Certificate | null> {
  const check = checkIdentifier(identifier);
  if (!check.ok) throw badInput('identifier', check.reason);
  const certificate = await em.findOne(Certificate, { identifier: check.identifier }, { populate: ['type'] });
  if (!certificate) return null;
  return canSeeCertificate(actor, await scopeOfCertificate(em, certificate)) ? certificate : null;
}

/** The certificate for a download, or FORBIDDEN (the same for one that does not exist). */
export async function findCertificateForDownload(
  em: HubEntityManager,
  actor: Actor | null,
  id: string,
): Promise<Certificate> {
  const certificate = /^[0-9a-f-]{36}$/i.test(id) ? await em.findOne(Certificate, { id }) : null;
  if (!certificate || !canDownloadCertificate(actor, await scopeOfCertificate(em, certificate)))
    throw new HubError('FORBIDDEN', 'no such certificate, or it is not yours to fetch');
  return certificate;
}

/** Past its last day of validity, in China time. */
export function isExpired(certificate: Pick<Certificate, 'validTo'>, now = new Date()): boolean {
  return (
    certificate.validTo !== null && certificate.validTo !== undefined && certificate.validTo < chinaDate(now)
  );
}
