import type { DocumentKind } from '../entities/case-document.ts';
import type { HubEntityManager } from '../orm.ts';

/**
 * Next serial within a scope, atomically: one upsert, so two clerks registering at the same instant
 * get different numbers, and a rolled-back transaction gives its number back.
 */
export async function nextSerial(em: HubEntityManager, scope: string): Promise<number> {
  const rows = await em.execute<{ last: number }[]>(
    `insert into sequence_counter (scope, last) values (?, 1)
     on conflict (scope) do update set last = sequence_counter.last + 1
     returning last`,
    [scope],
  );
  return Number(rows[0]!.last);
}

/** 410900-20261125-000123: hall division code, China date of receipt, serial of that hall and day. */
export async function nextCaseNumber(
  em: HubEntityManager,
  hallCode: string,
  chinaDate: string,
): Promise<string> {
  const day = chinaDate.replaceAll('-', '');
  const serial = await nextSerial(em, `case:${hallCode}:${day}`);
  return `${hallCode}-${day}-${String(serial).padStart(6, '0')}`;
}

/** The character a document's number carries for its kind (受理 → 受, 补正 → 补 …). */
const KIND_MARK: Record<DocumentKind, string> = {
  acceptance_notice: '受',
  correction_notice: '补',
  refusal_decision: '不受',
  deficiency_acceptance_notice: '容',
  pre_acceptance_result: '预',
  immediate_decision: '即',
  return_notice: '退',
};

/** 濮政服受字〔2026〕第000123号: hall prefix, kind, year, serial of that hall, kind and year. */
export async function nextDocumentNumber(
  em: HubEntityManager,
  hall: { code: string; documentPrefix: string },
  kind: DocumentKind,
  year: number,
): Promise<string> {
  const serial = await nextSerial(em, `doc:${hall.code}:${kind}:${year}`);
  return `${hall.documentPrefix}${KIND_MARK[kind]}字〔${year}〕第${String(serial).padStart(6, '0')}号`;
}
