import type { Actor } from '../actor.ts';
import { requireRole } from '../cases/case-access.ts';
import { Applicant, type IdentityType } from '../entities/applicant.ts';
import { Certificate, type HolderIdType } from '../entities/certificate.ts';
import { SharingConsumer, SharingGrant } from '../entities/sharing.ts';
import { badInput, HubError } from '../errors.ts';
import { checkIdentity } from '../identity/identity.ts';
import { maskIdNumber } from '../identity/mask.ts';
import type { HubEntityManager } from '../orm.ts';
import { type AccessRecord, appendAccess } from './access-log.ts';

/** 申请事由: every request says why, in at most this many characters. */
export const MAX_REASON_LENGTH = 200;
/** At most this many certificates (versions included) in one answer. */
const MAX_ANSWER = 20;

export interface SharedCertificateRequest {
  holderIdType: HolderIdType;
  holderIdNumber: string;
  typeCode: string;
  reason?: string | null;
}

const IDENTITY_OF_HOLDER: Record<HolderIdType, IdentityType> = { '111': 'citizen_id', '001': 'credit_code' };
/** The holder id type (GB/T 36903) of an applicant's identity. */
export const HOLDER_OF_IDENTITY: Record<IdentityType, HolderIdType> = {
  citizen_id: '111',
  credit_code: '001',
};

interface Decision {
  records: AccessRecord[];
  certificates: Certificate[];
  /** A request the consumer must correct: logged as denied, then answered with this error. */
  error: HubError | null;
}

/**
 * A consumer's request for the certificates of one holder and type (R-B5: results are shared), with
 * its reason. Every request is written to the hash-chained access log in the same transaction as
 * the read — allowed or denied — and when the log cannot be written nothing is answered. A consumer
 * learns nothing outside its grants: a type it holds no live grant for answers `[]`, exactly as a
 * holder with no certificate does; only a malformed request (no reason, a holder id that fails its
 * check digit) is an error, which says nothing about any certificate.
 */
export async function fetchSharedCertificates(
  em: HubEntityManager,
  actor: Actor | null,
  request: SharedCertificateRequest,
  now = new Date(),
): Promise<Certificate[]> {
  const consumer = requireRole(actor, ['consumer'], 'fetching shared certificates');
  let decision: Decision;
  try {
    decision = await em.transactional(async (tx) => {
      const decided = await decide(tx, consumer.id, request, now);
      await appendAccess(tx, decided.records, now);
      return decided;
    });
  } catch (error) {
    if (error instanceof HubError) throw error;
    const denied = new HubError(
      'FORBIDDEN',
      'the access could not be written to the access log, so it is denied; try again later',
    );
    denied.cause = error;
    throw denied;
  }
  if (decision.error) throw decision.error;
  return decision.certificates;
}

async function decide(
  tx: HubEntityManager,
  consumerId: string,
  request: SharedCertificateRequest,
  now: Date,
): Promise<Decision> {
  const reason = (request.reason ?? '').trim();
  const typeCode = request.typeCode.trim();
  const identity = IDENTITY_OF_HOLDER[request.holderIdType]
    ? checkIdentity(IDENTITY_OF_HOLDER[request.holderIdType], request.holderIdNumber)
    : ({ ok: false, reason: 'the holder id type is 111 or 001' } as const);
  const holderNumber = identity.ok ? identity.value : request.holderIdNumber.trim().toUpperCase();
  const base = {
    consumerId,
    typeCode: typeCode || null,
    holder: `${request.holderIdType}:${maskIdNumber(holderNumber)}`,
    reason: reason.slice(0, 1000),
  };
  const denied = (detail: string, error: HubError | null = null): Decision => ({
    records: [{ ...base, certificateId: null, outcome: 'denied', detail }],
    certificates: [],
    error,
  });

  if (!reason)
    return denied('no reason given', badInput('reason', 'say why (申请事由): a reason is required'));
  if (reason.length > MAX_REASON_LENGTH) {
    return denied(
      `reason longer than ${MAX_REASON_LENGTH} characters`,
      badInput('reason', `the reason (申请事由) is at most ${MAX_REASON_LENGTH} characters`),
    );
  }
  if (!identity.ok) {
    return denied(
      'holder id not valid',
      badInput('holderIdNumber', `the holder's id number is not valid: ${identity.reason}`),
    );
  }
  const consumer = await tx.findOne(SharingConsumer, { id: consumerId });
  if (!consumer) return denied('not a registered sharing consumer');
  if (!consumer.active) return denied('consumer deactivated');
  const grants = await tx.find(
    SharingGrant,
    { consumer: consumerId, typeCode },
    { orderBy: { validUntil: 'desc' } },
  );
  const grant = grants[0];
  if (!grant) return denied('certificate type not granted');
  if (grant.validUntil <= now) return denied(`grant ${grant.id} expired ${grant.validUntil.toISOString()}`);

  const certificates = (await tx.find(
    Certificate,
    { type: typeCode, holderIdType: request.holderIdType, holderIdNumber: holderNumber },
    { populate: ['type'], orderBy: { issuedOn: 'desc', version: 'desc' }, limit: MAX_ANSWER },
  )) as Certificate[];
  const detail = `grant ${grant.id}: ${grant.purpose}`.slice(0, 1000);
  const records: AccessRecord[] =
    certificates.length === 0
      ? [{ ...base, certificateId: null, outcome: 'allowed', detail: `${detail} (none found)` }]
      : certificates.map((c) => ({ ...base, certificateId: c.id, outcome: 'allowed', detail }));
  return { records, certificates, error: null };
}

/** The certificates an applicant holds, by the identity of the applicant their account is linked to. */
export async function certificatesOfApplicant(
  em: HubEntityManager,
  actor: Actor | null,
): Promise<Certificate[]> {
  const applicant = requireRole(actor, ['applicant'], 'listing your certificates');
  const identity = await em.findOne(Applicant, { accountId: applicant.id });
  if (!identity) return [];
  return (await em.find(
    Certificate,
    { holderIdType: HOLDER_OF_IDENTITY[identity.idType], holderIdNumber: identity.idNumber },
    { populate: ['type'], orderBy: { issuedOn: 'desc', version: 'desc' }, limit: 200 },
  )) as Certificate[];
}
