import type { CasePackage, DepartmentEvent } from '../kit/adapter-contract.ts';

/** Pure mappings between the hub's model and the post's (EMS). */

/**
 * Where a result is to be delivered. The hub's CasePackage does not carry it yet: the jobs issue that
 * sends results by post will add it from the applicant's delivery choice. The courier needs the real
 * phone and address (a masked number cannot be called), so they go to the post unmasked and must
 * never be logged; the kit's call records keep no bodies.
 */
export interface PostDelivery {
  phone: string;
  address: string;
  postcode?: string;
}

/** A case package as the post adapter takes it: the delivery is optional until the jobs pass it. */
export type PostCasePackage = CasePackage & { delivery?: PostDelivery };

export interface PostShipmentRequest {
  caseRef: string;
  /** What the envelope holds, for the courier's manifest. */
  contents: string;
  recipient: { name: string; phone?: string; address?: string; postcode?: string };
}

export type PostTrackingStatus = '收寄' | '运输中' | '派送中' | '已签收' | '投递失败' | '退回';

/** The post's tracking statuses in the hub's terms. */
export const TRACKING_STATUS = {
  收寄: 'collected',
  运输中: 'in_transit',
  派送中: 'out_for_delivery',
  已签收: 'delivered',
  投递失败: 'delivery_failed',
  退回: 'returned',
} as const satisfies Record<PostTrackingStatus, string>;

export type HubTrackingStatus = (typeof TRACKING_STATUS)[PostTrackingStatus];

export interface PostTrackingEventView {
  type: 'tracking';
  waybillNo: string;
  caseRef: string;
  status: PostTrackingStatus;
  location: string;
  sequence: number;
  occurredAt: string;
}

/**
 * The recipient is the applicant. Only the name comes from the package today; identity numbers are not
 * sent, as the post has no use for them.
 */
export function toShipment(pkg: PostCasePackage): PostShipmentRequest {
  const recipient: PostShipmentRequest['recipient'] = { name: pkg.applicant.name };
  if (pkg.delivery) {
    recipient.phone = pkg.delivery.phone;
    recipient.address = pkg.delivery.address;
    if (pkg.delivery.postcode) recipient.postcode = pkg.delivery.postcode;
  }
  return { caseRef: pkg.caseNumber, contents: `${pkg.itemName}办理结果`, recipient };
}

export function fromTrackingEvent(view: PostTrackingEventView): DepartmentEvent {
  return {
    type: 'tracking',
    departmentRef: view.waybillNo,
    caseNumber: view.caseRef,
    occurredAt: view.occurredAt,
    sequence: view.sequence,
    data: { status: TRACKING_STATUS[view.status], location: view.location },
  };
}
