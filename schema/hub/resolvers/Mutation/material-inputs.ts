import type { PresentedMaterialInput } from '../../../../db/cases/case-intake.ts';
import type { PresentedMaterialInput as MaterialArg } from '../../../__generated__/resolvers-types.ts';

export function materialInputs(materials: readonly MaterialArg[]): PresentedMaterialInput[] {
  return materials.map((m) => ({
    checklistCode: m.checklistCode,
    medium: m.medium,
    copies: m.copies ?? null,
    blobId: m.fileId ?? null,
    fileName: m.fileName ?? null,
    failedReviewPoints: m.failedReviewPoints ?? [],
    note: m.note ?? null,
  }));
}
