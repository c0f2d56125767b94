import { Hall } from '../entities/hall.ts';
import type { HubEntityManager } from '../orm.ts';
import { HALLS } from './halls.ts';

/** Writes the halls idempotently; returns how many rows it created or changed. */
export async function seedHalls(em: HubEntityManager): Promise<number> {
  return em.transactional(async (tx) => {
    const existing = new Map((await tx.findAll(Hall)).map((h) => [h.code, h]));
    let changed = 0;
    for (const hall of HALLS) {
      const row = existing.get(hall.code);
      if (!row) {
        tx.create(Hall, { ...hall });
        changed++;
      } else if (row.name !== hall.name || row.documentPrefix !== hall.documentPrefix) {
        tx.assign(row, { name: hall.name, documentPrefix: hall.documentPrefix });
        changed++;
      }
    }
    await tx.flush();
    return changed;
  });
}
