import { decideAcceptance } from '../../db/cases/case-decisions.ts';
import { registerCase } from '../../db/cases/case-intake.ts';
import { forkEm, type HubOrm } from '../../db/orm.ts';
import { catalogue } from '../../db/seed/catalogue/index.ts';
import { DEMO_ACTORS } from '../../gateway/auth/demo-actors.ts';
import { citizenId } from './front-desk.ts';

/** BDC-001 (首次登记) goes to one department only, the real-estate registry (adapter `real_estate`). */
export const ONE_DEPARTMENT_ITEM = 'BDC-001';

/** Every required material of an item, on paper. */
export function paperMaterials(itemCode: string) {
  const item = catalogue.items.find((i) => i.code === itemCode);
  if (!item) throw new Error(`the catalogue has no item ${itemCode}`);
  return item.materials
    .filter((m) => m.required)
    .map((m) => ({ checklistCode: m.code, medium: 'paper' as const }));
}

/**
 * Registers and accepts a case at the window, as a clerk does; each step commits its own transaction
 * (the acceptance writes the `case.accepted` outbox event the relay turns into jobs).
 */
export async function acceptCase(
  orm: HubOrm,
  serial: number,
  itemCode = ONE_DEPARTMENT_ITEM,
): Promise<{ id: string; number: string }> {
  const registered = await registerCase(forkEm(orm), DEMO_ACTORS.clerk, {
    itemCode,
    channel: 'window',
    applicant: { type: 'person', name: '故障测试', idNumber: citizenId(serial) },
    materials: paperMaterials(itemCode),
  });
  const outcome = await decideAcceptance(forkEm(orm), DEMO_ACTORS.clerk, registered.id, registered.version, {
    type: 'accept',
  });
  if (outcome.kind !== 'accepted')
    throw new Error(`case ${registered.number} was not accepted: ${outcome.kind}`);
  return { id: registered.id, number: registered.number };
}
