import { handOverResult as handOver } from '../../../../db/cases/case-delivery.ts';
import type { MutationResolvers } from '../../../__generated__/resolvers-types.ts';

export const handOverResult: NonNullable<MutationResolvers['handOverResult']> = (
  _parent,
  { caseId, expectedVersion, handover },
  { em, actor },
) => handOver(em, actor, caseId, expectedVersion, handover);
