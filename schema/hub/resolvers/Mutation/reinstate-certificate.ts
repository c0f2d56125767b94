import { changeCertificateStatus } from '../../../../db/certificates/certificate-status.ts';
import type { MutationResolvers } from '../../../__generated__/resolvers-types.ts';
import { toCertificateStatusResult } from '../certificates.ts';

export const reinstateCertificate: NonNullable<MutationResolvers['reinstateCertificate']> = async (
  _parent,
  { id, reason },
  { em, actor },
) => toCertificateStatusResult(await changeCertificateStatus(em, actor, id, 'reinstate', reason));
