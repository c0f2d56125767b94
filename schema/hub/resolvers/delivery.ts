import { deliveryView } from '../../../db/cases/case-delivery.ts';
import { caseExtrasOf } from '../../../db/cases/case-extras.ts';
import { maskPhone } from '../../../db/identity/mask.ts';
import type {
  CaseDeliveryResolvers,
  CaseDepartmentTaskResolvers,
  CaseNotificationResolvers,
  CaseResolvers,
  DepartmentTaskResolvers,
  Resolvers,
} from '../../__generated__/resolvers-types.ts';

/** Unified delivery on the one schema: the delivery of a case, its messages, handovers and refusals. */

export const deliveryEnums = {
  DeliveryStatus: {
    AWAITING_RESULT: 'awaiting_result',
    READY: 'ready',
    SHIPPING: 'shipping',
    SHIPPED: 'shipped',
    DELIVERED: 'delivered',
    DELIVERY_FAILED: 'delivery_failed',
  },
  RecipientKind: { APPLICANT: 'applicant', AGENT: 'agent' },
} satisfies Resolvers;

export const CaseDeliveryFields: CaseResolvers = {
  delivery: async (c, _args, { em, actor }) => {
    const view = deliveryView(c, await caseExtrasOf(em).deliveries.load(c.id));
    // The address and the phone are the applicant's: in full for them (and the address for the hall's clerks).
    const own = actor?.role === 'applicant' && c.applicant.accountId === actor.id;
    const clerk = actor?.role === 'clerk';
    return {
      ...view,
      phone: view.phone && !own ? maskPhone(view.phone) : view.phone,
      address: view.address && !own && !clerk ? `${view.address.slice(0, 6)}****` : view.address,
    };
  },
  notifications: (c, _args, { em }) => caseExtrasOf(em).notifications.load(c.id),
};

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

export const CaseDelivery: CaseDeliveryResolvers = {
  readyAt: (d) => iso(d.readyAt),
  shippedAt: (d) => iso(d.shippedAt),
  deliveredAt: (d) => iso(d.deliveredAt),
  signatureFileId: (d) => d.signature ?? null,
};

export const CaseNotification: CaseNotificationResolvers = {
  sentAt: (n) => n.sentAt.toISOString(),
};

export const CaseTaskHandoverFields: CaseDepartmentTaskResolvers = {
  paperSignedAt: (t) => iso(t.paperSignedAt),
  deliveryReportedAt: (t) => iso(t.deliveryReportedAt),
  resultRefusals: (t) => (t.resultRefusals ?? []).map((r) => ({ at: r.at, reasons: r.reasons })),
};

export const DepartmentTaskRefusalFields: DepartmentTaskResolvers = {
  refusals: (t) => t.refusals ?? [],
};
