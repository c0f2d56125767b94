/**
 * The material check the clerk sees (R-F1): for every checklist entry of the case's item version,
 * whether what was presented conforms, is missing or is defective, and whether every gap may be
 * owed under deficiency-tolerant acceptance.
 */

export interface ChecklistEntry {
  code: string;
  name: string;
  required: boolean;
  tolerable: boolean;
  reviewPoints: string[];
}

export interface PresentedMaterial {
  checklistCode: string;
  failedReviewPoints: string[];
  presentedAt: Date;
  /** On file (免提交): the applicant's valid electronic certificate standing for the material. */
  certificateId?: string | null;
}

export type MaterialState = 'conforming' | 'missing' | 'defective' | 'not_presented';

export interface MaterialCheckEntry<E extends ChecklistEntry = ChecklistEntry> {
  entry: E;
  state: MaterialState;
  /** The latest material presented for this entry, if any. */
  latest: PresentedMaterial | null;
  /** Review points the latest material fails (defective only). */
  failedReviewPoints: string[];
  /** Conforming because an electronic certificate on file stands for it (免提交), not presented. */
  onFile: boolean;
}

export interface MaterialGap {
  code: string;
  name: string;
  state: 'missing' | 'defective';
  /** Why: the failed review points, or that a required material was not presented. */
  reasons: string[];
  tolerable: boolean;
}

export interface MaterialCheck<E extends ChecklistEntry = ChecklistEntry> {
  entries: MaterialCheckEntry<E>[];
  gaps: MaterialGap[];
  complete: boolean;
  /** True when there are gaps and every one may be owed (容缺). */
  allGapsTolerable: boolean;
}

export function checkMaterials<E extends ChecklistEntry>(
  checklist: readonly E[],
  presented: readonly PresentedMaterial[],
): MaterialCheck<E> {
  const latestByCode = new Map<string, PresentedMaterial>();
  for (const m of presented) {
    const current = latestByCode.get(m.checklistCode);
    if (!current || m.presentedAt >= current.presentedAt) latestByCode.set(m.checklistCode, m);
  }
  const entries: MaterialCheckEntry<E>[] = checklist.map((entry) => {
    const latest = latestByCode.get(entry.code) ?? null;
    if (!latest)
      return {
        entry,
        state: entry.required ? 'missing' : 'not_presented',
        latest,
        failedReviewPoints: [],
        onFile: false,
      };
    const failed = latest.failedReviewPoints;
    return {
      entry,
      state: failed.length > 0 ? 'defective' : 'conforming',
      latest,
      failedReviewPoints: failed,
      onFile: Boolean(latest.certificateId),
    };
  });
  const gaps: MaterialGap[] = entries
    .filter((e) => e.state === 'missing' || e.state === 'defective')
    .map((e) => ({
      code: e.entry.code,
      name: e.entry.name,
      state: e.state as 'missing' | 'defective',
      reasons: e.state === 'missing' ? ['未提交（必要材料）'] : e.failedReviewPoints,
      tolerable: e.entry.tolerable,
    }));
  return {
    entries,
    gaps,
    complete: gaps.length === 0,
    allGapsTolerable: gaps.length > 0 && gaps.every((g) => g.tolerable),
  };
}

/** Keys identifying a gap with its reasons; a second correction notice may not repeat one unchanged. */
export function gapKey(gap: MaterialGap): string {
  return `${gap.code}|${gap.state}|${[...gap.reasons].sort().join('；')}`;
}
