import { chooseDelivery as choose } from '../../../../db/cases/case-delivery.ts';
import type { MutationResolvers } from '../../../__generated__/resolvers-types.ts';

export const chooseDelivery: NonNullable<MutationResolvers['chooseDelivery']> = (
  _parent,
  { caseId, expectedVersion, delivery },
  { em, actor },
) => choose(em, actor, caseId, expectedVersion, delivery);
