import { correctionNoticeDeadline, hallCalendar } from '../../../db/calendar/index.ts';
import { itemsOf } from '../../../db/cases/case-queries.ts';
import { deadlineOf, materialCheckOf } from '../../../db/cases/case-view.ts';
import { maskIdNumber, maskPhone } from '../../../db/identity/mask.ts';
import type {
  ApplicantResolvers,
  CaseDepartmentTaskResolvers,
  CaseDocumentResolvers,
  CaseEventResolvers,
  CaseMaterialResolvers,
  CaseResolvers,
  MaterialCheckEntryResolvers,
} from '../../__generated__/resolvers-types.ts';

export const Case: CaseResolvers = {
  checklistVersion: (c) => c.itemVersion.version,
  agent: (c) =>
    c.agent
      ? { name: c.agent.name, idNumber: maskIdNumber(c.agent.idNumber), authorisation: c.agent.authorisation }
      : null,
  hallCode: (c) => c.hall.code,
  hallName: (c) => c.hall.name,
  receivedAt: (c) => c.receivedAt.toISOString(),
  correctionDeadline: (c) => correctionNoticeDeadline(hallCalendar(), c.receivedOn),
  deadline: (c) => {
    const deadline = deadlineOf(c);
    return deadline ? { ...deadline, suspensions: c.suspensions.getItems() } : null;
  },
  commitment: (c) =>
    c.commitment ? { materialCodes: c.commitment.materialCodes, supplyBy: c.commitment.supplyBy } : null,
  refusalReasons: (c) => c.refusalReasons ?? null,
  materials: (c) => c.materials.getItems(),
  materialCheck: (c) => materialCheckOf(c),
  documents: (c) => itemsOf(c.documents),
  timeline: (c) => itemsOf(c.events),
  departmentTasks: (c) => itemsOf(c.tasks),
};

/** Identity numbers and phones in full only to the applicant themself. */
export const Applicant: ApplicantResolvers = {
  idNumber: (a, _args, { actor }) =>
    actor?.role === 'applicant' && a.accountId === actor.id ? a.idNumber : maskIdNumber(a.idNumber),
  phone: (a, _args, { actor }) => {
    if (!a.phone) return null;
    return actor?.role === 'applicant' && a.accountId === actor.id ? a.phone : maskPhone(a.phone);
  },
};

export const CaseMaterial: CaseMaterialResolvers = {
  file: (m) =>
    m.blob
      ? {
          sha256: m.blob.sha256,
          size: m.blob.size,
          mediaType: m.blob.mediaType,
          fileName: m.fileName ?? null,
        }
      : null,
  presentedAt: (m) => m.presentedAt.toISOString(),
};

export const CaseDocument: CaseDocumentResolvers = {
  pdfUrl: (d) => `/documents/${d.id}.pdf`,
};

export const CaseEvent: CaseEventResolvers = {
  at: (e) => e.at.toISOString(),
  changes: (e) => JSON.stringify(e.changes),
  documentId: (e) => e.documentId ?? null,
};

export const MaterialCheckEntry: MaterialCheckEntryResolvers = {
  material: (entry) => entry.entry,
};

export const CaseDepartmentTask: CaseDepartmentTaskResolvers = {
  transferredAt: (t) => t.transferredAt.toISOString(),
  decidedAt: (t) => t.decidedAt?.toISOString() ?? null,
  reasons: (t) => t.reasons ?? [],
  resultName: (t) => t.resultName ?? null,
  resultNumber: (t) => t.resultNumber ?? null,
};
