// What the demo shows of a case once its story is told: the timeline, every handover with who
// signed and when, the delivery, the departments' part and the text messages; the PDFs of its
// documents are saved beside.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Hall } from './hall.ts';

/** The fields of a case the demo reads after every step. */
export const CASE_FIELDS = `id number status version acceptedOn
  item { code name kind deliveryOptions }
  applicant { name }
  deadline { dueDate suspendedNow }
  commitment { materialCodes supplyBy }
  documents { id title number pdfUrl }
  timeline { seq at actorId actorRole type changes }
  departmentTasks { departmentCode adapter status departmentRef transferredAt decidedAt reasons resultName
    resultNumber paperCount paperSignedBy paperSignedAt deliveryReportedAt }
  delivery { method status readyAt waybillNo trackingStatus trackingLocation shippedAt deliveredAt receivedBy
    handedOverBy signatureFileId }
  notifications { kind template status phoneSuffix sentAt }`;

export interface TimelineEvent {
  seq: number;
  at: string;
  actorId: string;
  actorRole: string;
  type: string;
  changes: string;
}

export interface TaskView {
  departmentCode: string;
  adapter: string;
  status: string;
  departmentRef: string;
  transferredAt: string;
  decidedAt: string | null;
  reasons: string[];
  resultName: string | null;
  resultNumber: string | null;
  paperCount: number;
  paperSignedBy: string | null;
  paperSignedAt: string | null;
  deliveryReportedAt: string | null;
}

export interface DeliveryView {
  method: string;
  status: string;
  readyAt: string | null;
  waybillNo: string | null;
  trackingStatus: string | null;
  trackingLocation: string | null;
  shippedAt: string | null;
  deliveredAt: string | null;
  receivedBy: string | null;
  handedOverBy: string | null;
  signatureFileId: string | null;
}

export interface CaseView {
  id: string;
  number: string;
  status: string;
  version: number;
  acceptedOn: string | null;
  item: { code: string; name: string; kind: string; deliveryOptions: string[] };
  applicant: { name: string };
  deadline: { dueDate: string; suspendedNow: boolean } | null;
  commitment: { materialCodes: string[]; supplyBy: string } | null;
  documents: { id: string; title: string; number: string; pdfUrl: string }[];
  timeline: TimelineEvent[];
  departmentTasks: TaskView[];
  delivery: DeliveryView;
  notifications: {
    kind: string;
    template: string;
    status: string;
    phoneSuffix: string | null;
    sentAt: string;
  }[];
}

const beijing = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** `2026-11-25 09:30:12`, Beijing time (the hall's clock). */
export const hallTime = (iso: string | null): string => (iso ? beijing.format(new Date(iso)) : '—');

/** File ids and other hashes shortened for reading. */
const short = (value: unknown): string => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /^[0-9a-f]{64}$/.test(text) ? `${text.slice(0, 10)}…` : text;
};

/** `{ "status": ["registered", "accepted"], "receiver": [null, "孙丽"] }` → `status registered→accepted, receiver 孙丽`. */
export function readableChanges(changes: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(changes);
  } catch {
    return changes;
  }
  if (!parsed || typeof parsed !== 'object') return changes;
  return Object.entries(parsed as Record<string, unknown>)
    .map(([field, value]) => {
      if (Array.isArray(value) && value.length === 2) {
        const [from, to] = value;
        return from === null ? `${field} ${short(to)}` : `${field} ${short(from)}→${short(to)}`;
      }
      return `${field} ${short(value)}`;
    })
    .join(', ');
}

const changesOf = (event: TimelineEvent): Record<string, unknown> => {
  try {
    const parsed = JSON.parse(event.changes) as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(parsed).map(([k, v]) => [k, Array.isArray(v) && v.length === 2 ? v[1] : v]),
    );
  } catch {
    return {};
  }
};

/**
 * Every handover of the case, read from its timeline: the package going from the window to each
 * department, the paper signed for at the department, and the result reaching the applicant.
 */
export function handovers(hall: Hall, c: CaseView): string[] {
  const lines: string[] = [];
  for (const e of c.timeline) {
    const x = changesOf(e);
    const at = hallTime(e.at);
    const by = `${e.actorRole} ${e.actorId}`;
    switch (e.type) {
      case 'handed_over':
        lines.push(
          `${at}  window → ${hall.departmentName(String(x.department))} via ${x.via} (ref ${x.departmentRef}): ${x.materials} materials, ${x.paperAwaitingSignature} on paper to sign for  [${by}]`,
        );
        break;
      case 'paper_handover_signed':
        lines.push(
          `${at}  paper (${x.paperMaterials}) signed for at ${hall.departmentName(String(x.department))} by its receiver ${x.receiver}, signature ${short(x.signature)}  [${by}]`,
        );
        break;
      case 'handover_refused':
        lines.push(`${at}  result NOT handed over: ${x.reason} (${x.recipient} at the window)  [${by}]`);
        break;
      case 'result_handed_over':
        lines.push(
          `${at}  result → ${x.recipient === 'agent' ? 'the agent' : `the applicant ${c.applicant.name}`} at the window, identity checked, signed ${short(x.signature)}  [${by}]`,
        );
        break;
      case 'handed_to_post':
        lines.push(`${at}  result → the post (EMS) for delivery  [${by}]`);
        break;
      case 'shipped':
        lines.push(`${at}  the post takes the result: waybill ${x.waybillNo}  [${by}]`);
        break;
      case 'delivered_by_post':
        lines.push(
          `${at}  result → the applicant ${c.applicant.name} by post, waybill ${x.waybillNo}  [${by}]`,
        );
        break;
      case 'delivered_electronically':
        lines.push(`${at}  result → the applicant ${c.applicant.name} electronically  [${by}]`);
        break;
    }
  }
  return lines;
}

/** Prints the case as the hall sees it at the end of its story and saves its documents as PDFs. */
export async function printCase(hall: Hall, c: CaseView, extra: string[] = []): Promise<void> {
  const out: string[] = [];
  out.push(
    '',
    `  Case ${c.number} — ${c.item.code} ${c.item.name} — ${c.status}${c.deadline ? `, due ${c.deadline.dueDate}` : ''}`,
  );
  out.push('  Timeline (Beijing time)');
  const roleWidth = Math.max(...c.timeline.map((e) => e.actorRole.length));
  const actorWidth = Math.max(...c.timeline.map((e) => e.actorId.length));
  const typeWidth = Math.max(...c.timeline.map((e) => e.type.length));
  for (const e of c.timeline) {
    out.push(
      `    ${String(e.seq).padStart(2)}  ${hallTime(e.at)}  ${e.actorRole.padEnd(roleWidth)}  ${e.actorId.padEnd(actorWidth)}  ${e.type.padEnd(typeWidth)}  ${readableChanges(e.changes)}`,
    );
  }
  out.push('  Handovers (who, when)');
  for (const line of handovers(hall, c)) out.push(`    ${line}`);
  const d = c.delivery;
  out.push(
    `  Delivery  ${d.method} ${d.status}` +
      (d.waybillNo ? `, waybill ${d.waybillNo} (${d.trackingStatus} at ${d.trackingLocation})` : '') +
      (d.deliveredAt ? `, delivered ${hallTime(d.deliveredAt)} to ${d.receivedBy}` : '') +
      (d.handedOverBy ? ` by ${d.handedOverBy}, signature ${short(d.signatureFileId)}` : ''),
  );
  out.push('  Departments');
  if (c.departmentTasks.length === 0) out.push('    none: decided at the window');
  for (const t of c.departmentTasks) {
    const decision = !t.decidedAt
      ? `${t.status}, not decided`
      : t.status === 'approved'
        ? `${t.status} ${hallTime(t.decidedAt)} — ${t.resultName} ${t.resultNumber}`
        : `${t.status} ${hallTime(t.decidedAt)} — ${t.reasons.join('; ')}`;
    out.push(
      `    ${hall.departmentName(t.departmentCode)} via ${t.adapter} (ref ${t.departmentRef}): ${decision}`,
      `      paper ${t.paperCount}${t.paperSignedBy ? ` signed for by ${t.paperSignedBy} ${hallTime(t.paperSignedAt)}` : ' not signed for'}; ` +
        (t.deliveryReportedAt
          ? `told of the delivery ${hallTime(t.deliveryReportedAt)}`
          : 'not told of the delivery'),
    );
  }
  for (const line of extra) out.push(`  ${line}`);
  out.push('  Text messages');
  if (c.notifications.length === 0) out.push('    none');
  for (const n of c.notifications)
    out.push(
      `    ${hallTime(n.sentAt)}  ${n.kind.padEnd(17)} ${n.template.padEnd(21)} ${n.status} ${n.phoneSuffix ? `to …${n.phoneSuffix}` : ''}`,
    );
  out.push('  Documents');
  for (const doc of c.documents) {
    const file = path.join(hall.outDir, `${c.number}-${doc.title}.pdf`);
    writeFileSync(file, await hall.hub.download(doc.pdfUrl));
    out.push(`    ${doc.title} ${doc.number} → ${file}`);
  }
  console.log(out.join('\n'));
}
