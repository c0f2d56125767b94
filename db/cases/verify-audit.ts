import { Case } from '../entities/case.ts';
import { CaseEvent } from '../entities/case-event.ts';
import type { HubEntityManager } from '../orm.ts';
import { type ChainBreak, verifyChain } from './case-audit.ts';

export interface AuditReport {
  casesChecked: number;
  eventsChecked: number;
  broken: { caseId: string; caseNumber: string; breaks: ChainBreak[] }[];
}

/** Verifies the hash chain of every case (or one), in batches so memory stays flat. */
export async function verifyAuditTrail(
  em: HubEntityManager,
  options: { caseId?: string; batch?: number } = {},
): Promise<AuditReport> {
  const report: AuditReport = { casesChecked: 0, eventsChecked: 0, broken: [] };
  const batch = options.batch ?? 200;
  let after = '';
  for (;;) {
    const fork = em.fork({ clear: true });
    const cases = await fork.find(
      Case,
      options.caseId
        ? { id: options.caseId }
        : { id: { $gt: after || '00000000-0000-0000-0000-000000000000' } },
      { orderBy: { id: 'asc' }, limit: batch, fields: ['id', 'number', 'auditHead', 'eventCount'] },
    );
    if (cases.length === 0) break;
    const events = await fork.find(
      CaseEvent,
      { case: { $in: cases.map((c) => c.id) } },
      { orderBy: { case: 'asc', seq: 'asc' } },
    );
    const byCase = Map.groupBy(events, (e) => e.case.id);
    for (const c of cases) {
      const chain = (byCase.get(c.id) ?? []).map((e) => ({
        caseId: c.id,
        seq: e.seq,
        at: e.at,
        actorId: e.actorId,
        actorRole: e.actorRole,
        type: e.type,
        changes: e.changes,
        documentId: e.documentId ?? null,
        note: e.note ?? null,
        prevHash: e.prevHash,
        hash: e.hash,
      }));
      const breaks = verifyChain(chain, c.auditHead ?? null, c.eventCount);
      report.casesChecked++;
      report.eventsChecked += chain.length;
      if (breaks.length > 0) report.broken.push({ caseId: c.id, caseNumber: c.number, breaks });
    }
    if (options.caseId || cases.length < batch) break;
    after = cases.at(-1)!.id;
  }
  return report;
}
