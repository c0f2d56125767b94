import type { FilterQuery } from '@mikro-orm/core';
import type { Actor } from '../actor.ts';
import { requireRole } from '../cases/case-access.ts';
import { type AccessOutcome, CertificateAccess } from '../entities/sharing.ts';
import type { HubEntityManager } from '../orm.ts';
import { type AccessLogVerification, verifyAccessLog } from './access-log.ts';

export interface AccessLogFilter {
  consumerId?: string | null | undefined;
  certificateId?: string | null | undefined;
  outcome?: AccessOutcome | null | undefined;
}

export const MAX_ACCESS_PAGE = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The access log, newest first, for supervisors: `first` entries before `beforeSeq`, filtered. */
export async function listCertificateAccess(
  em: HubEntityManager,
  actor: Actor | null,
  filter: AccessLogFilter,
  beforeSeq: number | null | undefined,
  first: number,
): Promise<CertificateAccess[]> {
  requireRole(actor, ['supervisor'], 'reading the certificate access log');
  const where: FilterQuery<CertificateAccess> = {};
  if (filter.consumerId) where.consumerId = filter.consumerId;
  if (filter.certificateId) {
    if (!UUID.test(filter.certificateId)) return [];
    where.certificateId = filter.certificateId;
  }
  if (filter.outcome) where.outcome = filter.outcome;
  if (beforeSeq) where.seq = { $lt: beforeSeq };
  return em.find(CertificateAccess, where, {
    orderBy: { seq: 'desc' },
    limit: Math.min(Math.max(first, 1), MAX_ACCESS_PAGE),
  });
}

/** Verifies the access log's chain, for supervisors. */
export async function verifyAccessLogFor(
  em: HubEntityManager,
  actor: Actor | null,
): Promise<AccessLogVerification> {
  requireRole(actor, ['supervisor'], 'verifying the certificate access log');
  return verifyAccessLog(em);
}
