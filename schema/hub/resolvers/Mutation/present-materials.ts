import { presentMaterials as present } from '../../../../db/cases/case-intake.ts';
import type { MutationResolvers } from '../../../__generated__/resolvers-types.ts';
import { materialInputs } from './material-inputs.ts';

export const presentMaterials: NonNullable<MutationResolvers['presentMaterials']> = (
  _parent,
  { caseId, expectedVersion, materials },
  { em, actor },
) => present(em, actor, caseId, expectedVersion, materialInputs(materials));
