import { registerCase as register } from '../../../../db/cases/case-intake.ts';
import type { MutationResolvers } from '../../../__generated__/resolvers-types.ts';
import { materialInputs } from './material-inputs.ts';

export const registerCase: NonNullable<MutationResolvers['registerCase']> = (
  _parent,
  { input },
  { em, actor },
) =>
  register(em, actor, {
    itemCode: input.itemCode,
    channel: input.channel,
    hallCode: input.hallCode ?? null,
    applicant: {
      type: input.applicant.type,
      name: input.applicant.name,
      idNumber: input.applicant.idNumber,
      phone: input.applicant.phone ?? null,
      address: input.applicant.address ?? null,
      legalRepresentative: input.applicant.legalRepresentative ?? null,
      accountId: input.applicant.accountId?.trim() || null,
    },
    agent: input.agent
      ? {
          name: input.agent.name,
          idNumber: input.agent.idNumber,
          phone: input.agent.phone ?? null,
          authorisation: input.agent.authorisation,
        }
      : null,
    materials: materialInputs(input.materials),
    expressPackageId: input.expressPackageId ?? null,
  });
