import DataLoader from 'dataloader';
import { CaseDelivery } from '../entities/case-delivery.ts';
import { Certificate } from '../entities/certificate.ts';
import { Notification } from '../entities/notification.ts';
import type { HubEntityManager } from '../orm.ts';

/**
 * What a case view shows beside the case itself — its delivery, its text messages, its certificates —
 * read for every case of a page in one statement per kind, whatever the page size. One reader per
 * entity manager, i.e. per request (never shared between actors); batched, not cached, so a mutation
 * later in the same operation reads what the one before it wrote.
 */
export class CaseExtrasReader {
  readonly deliveries: DataLoader<string, CaseDelivery | null>;
  readonly notifications: DataLoader<string, Notification[]>;
  readonly certificates: DataLoader<string, Certificate[]>;

  constructor(em: HubEntityManager) {
    const batchOnly = { cache: false };
    this.deliveries = new DataLoader(async (caseIds) => {
      const rows = await em.find(CaseDelivery, { case: { $in: [...caseIds] } });
      return caseIds.map((id) => rows.find((d) => d.case.id === id) ?? null);
    }, batchOnly);
    this.notifications = new DataLoader(async (caseIds) => {
      const rows = await em.find(
        Notification,
        { case: { $in: [...caseIds] } },
        { orderBy: { sentAt: 'asc' } },
      );
      return caseIds.map((id) => rows.filter((n) => n.case.id === id));
    }, batchOnly);
    this.certificates = new DataLoader(async (caseIds) => {
      const rows = await em.find(
        Certificate,
        { sourceCase: { $in: [...caseIds] } },
        { populate: ['type'], orderBy: { createdAt: 'asc', version: 'asc' } },
      );
      return caseIds.map((id) => rows.filter((c) => c.sourceCase?.id === id));
    }, batchOnly);
  }
}

const readers = new WeakMap<HubEntityManager, CaseExtrasReader>();

/** The request's reader (its entity manager's). */
export function caseExtrasOf(em: HubEntityManager): CaseExtrasReader {
  let reader = readers.get(em);
  if (!reader) {
    reader = new CaseExtrasReader(em);
    readers.set(em, reader);
  }
  return reader;
}
