import { checkIdentifier } from '../../../../db/certificates/certificate-identifier.ts';
import type { QueryResolvers } from '../../../__generated__/resolvers-types.ts';

export const checkCertificateIdentifier: NonNullable<QueryResolvers['checkCertificateIdentifier']> = (
  _parent,
  { identifier },
) => {
  const check = checkIdentifier(identifier);
  const parts = check.parts;
  return {
    valid: check.ok,
    reason: check.ok ? null : check.reason,
    typeCode: parts.typeCode ?? null,
    issuerCode: parts.issuerCode ?? null,
    serial: parts.serial ?? null,
    version: parts.version ?? null,
    expectedCheckChar: check.ok ? check.checkChar : check.expectedCheckChar,
  };
};
