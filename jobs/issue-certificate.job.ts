import { certificatesDue, issueCertificatesForCase } from '../db/certificates/issue-certificates.ts';
import { defineJob, outboxPayload } from './job-definition.ts';

/**
 * An approved case's certificates are issued, signed and archived (R-B5), on the case's conclusion
 * by its departments or on the spot. The processor re-reads the case and issues only what is not
 * issued yet, so it runs twice safely. Without keys, or when signing fails, it throws and BullMQ runs
 * it again (never an unsigned certificate, never a skipped one); out of retries it is a dead letter
 * a supervisor sends again.
 */
export const issueCertificate = defineJob({
  name: 'issue-certificate',
  queue: 'certificates',
  topics: ['case.concluded', 'case.decided'],
  payload: outboxPayload,
  async process({ caseId }, { em, certificates, now }) {
    // Most conclusions issue nothing (denied, or no certificate type): done without keys.
    if ((await certificatesDue(em.fork(), caseId)).length === 0) return { issued: [] };
    if (!certificates)
      throw new Error('this worker has no certificate signing keys (CERT_SIGNING_KEYS); it cannot issue');
    const issued = await issueCertificatesForCase(em, certificates, caseId, now());
    return { issued: issued.map((c) => c.certificateId) };
  },
});
