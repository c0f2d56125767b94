import { changeCertificateStatus } from '../../../../db/certificates/certificate-status.ts';
import type { MutationResolvers } from '../../../__generated__/resolvers-types.ts';
import { toCertificateStatusResult } from '../certificates.ts';

export const revokeCertificate: NonNullable<MutationResolvers['revokeCertificate']> = async (
  _parent,
  { id, reason },
  { em, actor },
) => toCertificateStatusResult(await changeCertificateStatus(em, actor, id, 'revoke', reason));
