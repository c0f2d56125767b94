import { createHash } from 'node:crypto';
import type { Case } from '../entities/case.ts';

/** A department's result as the hub receives it (the kit's DepartmentResult, structurally). */
export interface ReturnedResult {
  name: string;
  number: string;
  itemCode?: string;
  holder?: { name: string; idNumber: string };
}

/**
 * The window's check of a returned result against the acceptance data (R-D2): made out to the
 * applicant (name and identity number) and for the item applied for. Returns the reasons it does not
 * match, in the words the department receives; empty when it matches. The reasons name the field,
 * never the identity number itself.
 */
export function resultMismatches(hallCase: Case, result: ReturnedResult): string[] {
  const reasons: string[] = [];
  if (result.holder) {
    if (result.holder.name.trim() !== hallCase.applicant.name.trim())
      reasons.push('结果文书载明的持证人姓名（名称）与受理登记的申请人不一致');
    if (result.holder.idNumber.trim().toUpperCase() !== hallCase.applicant.idNumber.toUpperCase())
      reasons.push('结果文书载明的持证人证件号码与受理登记的申请人证件号码不一致');
  }
  if (result.itemCode && result.itemCode !== hallCase.item.code)
    reasons.push(`结果所属事项（${result.itemCode}）与受理事项（${hallCase.item.code}）不一致`);
  if (!result.number.trim()) reasons.push('结果文书缺少文号或证照编号');
  return reasons;
}

/** Identifies one issued result, so a refused result sent again is recognised without keeping its holder's number. */
export function resultFingerprint(result: ReturnedResult): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        result.name,
        result.number,
        result.itemCode ?? null,
        result.holder?.name ?? null,
        result.holder?.idNumber ?? null,
      ]),
    )
    .digest('hex');
}
