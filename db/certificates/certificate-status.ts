import { LockMode } from '@mikro-orm/core';
import type { Actor } from '../actor.ts';
import { requireRole } from '../cases/case-access.ts';
import { emitOutbox } from '../cases/case-events.ts';
import { Certificate, type CertificateStatus } from '../entities/certificate.ts';
import { HubError } from '../errors.ts';
import type { HubEntityManager } from '../orm.ts';

export type StatusAction = 'revoke' | 'suspend' | 'reinstate';

export type StatusChangeErrorCode =
  | 'ALREADY_REVOKED'
  | 'ALREADY_SUSPENDED'
  | 'NOT_SUSPENDED'
  | 'REASON_REQUIRED';

export type StatusChangeOutcome =
  | { kind: 'changed'; certificate: Certificate }
  | { kind: 'not_changed'; errorCode: StatusChangeErrorCode; message: string; certificate: Certificate };

/** The event consumers are told, by action (the sharing side's notices use the same words). */
const EVENT: Record<StatusAction, 'revoked' | 'suspended' | 'reinstated'> = {
  revoke: 'revoked',
  suspend: 'suspended',
  reinstate: 'reinstated',
};

const TARGET: Record<StatusAction, CertificateStatus> = {
  revoke: 'revoked',
  suspend: 'suspended',
  reinstate: 'issued',
};

/**
 * Revokes (final), suspends (reversible) or reinstates a certificate, with a reason (required):
 * supervisors of any hall, or a department reviewer of the issuing department. The status lists show
 * the change at once (they are built from the rows), and `certificate.status_changed` tells the
 * sharing side in the same transaction. A change that does not apply is data, not an error.
 */
export async function changeCertificateStatus(
  em: HubEntityManager,
  actor: Actor | null,
  certificateId: string,
  action: StatusAction,
  reason: string,
  now = new Date(),
): Promise<StatusChangeOutcome> {
  const who = requireRole(
    actor,
    ['supervisor', 'department_reviewer'],
    'changing the status of a certificate',
  );
  return em.transactional(async (tx) => {
    const certificate = /^[0-9a-f-]{36}$/i.test(certificateId)
      ? await tx.findOne(Certificate, { id: certificateId }, { lockMode: LockMode.PESSIMISTIC_WRITE })
      : null;
    // The same answer for a certificate that does not exist and one of another department.
    if (
      !certificate ||
      (who.role === 'department_reviewer' && who.departmentCode !== certificate.sourceDepartment)
    )
      throw new HubError('FORBIDDEN', 'no such certificate, or its status is not yours to change');
    const notChanged = (errorCode: StatusChangeErrorCode, message: string): StatusChangeOutcome => ({
      kind: 'not_changed',
      errorCode,
      message,
      certificate,
    });
    const why = reason.trim();
    if (why === '')
      return notChanged(
        'REASON_REQUIRED',
        'give the reason: it is kept with the status and told to consumers',
      );
    if (certificate.status === 'revoked')
      return notChanged('ALREADY_REVOKED', 'the certificate is revoked, and a revocation is final');
    if (action === 'suspend' && certificate.status === 'suspended')
      return notChanged(
        'ALREADY_SUSPENDED',
        'the certificate is suspended already; reinstate it to lift the suspension',
      );
    if (action === 'reinstate' && certificate.status !== 'suspended')
      return notChanged('NOT_SUSPENDED', 'only a suspended certificate can be reinstated');
    certificate.status = TARGET[action];
    certificate.statusReason = why;
    certificate.statusChangedAt = now;
    certificate.statusChangedBy = who.id;
    emitOutbox(tx, 'certificate.status_changed', certificate.sourceCase?.id ?? null, {
      certificateId: certificate.id,
      status: certificate.status,
      event: EVENT[action],
      changedAt: now.toISOString(),
    });
    await tx.flush();
    return { kind: 'changed', certificate };
  });
}
