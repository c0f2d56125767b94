import type { Applicant } from '../entities/applicant.ts';
import { Certificate } from '../entities/certificate.ts';
import type { ChecklistMaterial } from '../entities/checklist-material.ts';
import type { HubEntityManager } from '../orm.ts';
import { HOLDER_OF_IDENTITY } from './shared-certificates.ts';

/**
 * The checklist entries an electronic certificate may stand for (免提交): required materials the
 * checklist accepts in electronic form. A material that must be seen on paper (electronicAccepted
 * false) is still presented, and an optional one is simply not needed.
 */
export function replaceableByCertificate(entry: Pick<ChecklistMaterial, 'required' | 'electronicAccepted'>) {
  return entry.required && entry.electronicAccepted;
}

/** Valid on a China date: issued (not suspended or revoked), in force and not expired. */
export function validOn(
  certificate: Pick<Certificate, 'status' | 'validFrom' | 'validTo'>,
  today: string,
): boolean {
  return (
    certificate.status === 'issued' &&
    certificate.validFrom <= today &&
    (certificate.validTo == null || certificate.validTo >= today)
  );
}

export interface CertificateOnFile {
  entry: ChecklistMaterial;
  certificate: Certificate;
}

/**
 * For each replaceable entry the applicant presented nothing for, the newest valid certificate held
 * by the applicant (same holder id) whose type stands for that material (by its exact name).
 */
export async function certificatesOnFile(
  em: HubEntityManager,
  applicant: Applicant,
  checklist: readonly ChecklistMaterial[],
  presentedCodes: ReadonlySet<string>,
  today: string,
): Promise<CertificateOnFile[]> {
  const open = checklist.filter((e) => replaceableByCertificate(e) && !presentedCodes.has(e.code));
  if (open.length === 0) return [];
  const held = (await em.find(
    Certificate,
    {
      holderIdType: HOLDER_OF_IDENTITY[applicant.idType],
      holderIdNumber: applicant.idNumber,
      status: 'issued',
    },
    { populate: ['type'], orderBy: { issuedOn: 'desc', version: 'desc' } },
  )) as Certificate[];
  const valid = held.filter((c) => validOn(c, today));
  const found: CertificateOnFile[] = [];
  for (const entry of open) {
    const certificate = valid.find((c) => c.type.standsFor.includes(entry.name));
    if (certificate) found.push({ entry, certificate });
  }
  return found;
}

/** A certificate on file of a case material (the case's own access rules have been applied). */
export async function certificateOnFile(em: HubEntityManager, id: string): Promise<Certificate | null> {
  return (await em.findOne(Certificate, { id }, { populate: ['type'] })) as Certificate | null;
}
