import type { Actor } from '../actor.ts';
import { Blob } from '../entities/blob.ts';
import { Case } from '../entities/case.ts';
import { CaseDelivery, type RecipientKind } from '../entities/case-delivery.ts';
import { CaseDepartmentTask } from '../entities/case-department-task.ts';
import type { DeliveryOption } from '../entities/service-item-version.ts';
import { badInput, HubError } from '../errors.ts';
import type { HubEntityManager } from '../orm.ts';
import { requireRole } from './case-access.ts';
import { changeCase } from './case-change.ts';
import { emitOutbox, recordEvent, SYSTEM_ACTOR } from './case-events.ts';
import { findCaseFor } from './case-queries.ts';

/**
 * Unified delivery (统一窗口出件, R-D1…R-D5): every result leaves through the window — handed over at
 * the desk against an identity check and a signature, sent by post with tracking until delivered, or
 * made available electronically — and each department then learns how its result was delivered.
 */

export interface DeliveryChoice {
  method: DeliveryOption;
  recipientName?: string | null;
  phone?: string | null;
  address?: string | null;
  postcode?: string | null;
}

const MOBILE = /^1[3-9]\d{9}$/;
const POSTCODE = /^\d{6}$/;

/** Statuses from which the result has not left the window yet, so the method may still change. */
const CHANGEABLE = new Set(['awaiting_result', 'ready', 'delivery_failed']);

/** Pickup at the window, unless the item does not offer it (then its first option). */
export function defaultMethod(options: readonly DeliveryOption[]): DeliveryOption {
  return options.includes('pickup') ? 'pickup' : (options[0] ?? 'pickup');
}

/** The case's delivery, or the default when none was chosen. */
export async function deliveryOf(em: HubEntityManager, hallCase: Case): Promise<CaseDelivery> {
  const existing = await em.findOne(CaseDelivery, { case: hallCase.id });
  if (existing) return existing;
  await em.populate(hallCase, ['itemVersion']);
  return em.create(CaseDelivery, {
    case: hallCase,
    method: defaultMethod(hallCase.itemVersion.deliveryOptions),
    status: 'awaiting_result',
    recipientName: null,
    phone: null,
    address: null,
    postcode: null,
  });
}

/**
 * The applicant's (or the clerk's, for them) choice of how to receive the result, among the item's
 * options; post needs an address and a mobile number the courier can call. Allowed until the result
 * has left the window.
 */
export async function chooseDelivery(
  em: HubEntityManager,
  actor: Actor | null,
  caseId: string,
  expectedVersion: number,
  choice: DeliveryChoice,
): Promise<Case> {
  requireRole(actor, ['clerk', 'applicant'], 'choosing how a result is delivered');
  return changeCase(em, actor, caseId, expectedVersion, async (tx, hallCase, who) => {
    const options = hallCase.itemVersion.deliveryOptions;
    if (!options.includes(choice.method)) {
      throw badInput(
        'delivery.method',
        `${hallCase.item.code} delivers its result by ${options.join(', ')}; ${choice.method} is not offered`,
      );
    }
    const delivery = await deliveryOf(tx, hallCase);
    if (!CHANGEABLE.has(delivery.status)) {
      throw new HubError(
        'CONFLICT',
        `the result has already left the window (${delivery.status}); the delivery can no longer change`,
      );
    }
    const post = choice.method === 'post' ? postDetails(choice) : null;
    const from = delivery.method;
    delivery.method = choice.method;
    delivery.recipientName = post?.recipientName ?? null;
    delivery.phone = post?.phone ?? null;
    delivery.address = post?.address ?? null;
    delivery.postcode = post?.postcode ?? null;
    recordEvent(tx, hallCase, who, 'delivery_chosen', { method: [from, choice.method] });
    // A result already waiting at the window goes out by the new method at once.
    if (delivery.status !== 'awaiting_result') await release(tx, hallCase, delivery);
    return hallCase;
  });
}

function postDetails(choice: DeliveryChoice) {
  const address = choice.address?.trim() ?? '';
  if (address.length < 6)
    throw badInput('delivery.address', 'post needs the full delivery address (省市区、街道门牌)');
  const phone = choice.phone?.replace(/[\s-]/g, '') ?? '';
  if (!MOBILE.test(phone))
    throw badInput('delivery.phone', 'post needs a mainland mobile number of 11 digits starting with 1');
  const postcode = choice.postcode?.trim() || null;
  if (postcode && !POSTCODE.test(postcode)) throw badInput('delivery.postcode', 'a postcode has 6 digits');
  const recipientName = choice.recipientName?.trim() || null;
  return { address, phone, postcode, recipientName };
}

/**
 * Once a case is decided (approved or denied, by the departments or on the spot), its result goes to
 * the delivery the applicant chose: ready at the window, handed to the post, or available online.
 * Idempotent: a delivery already under way is left as it is.
 */
export async function prepareDelivery(em: HubEntityManager, caseId: string): Promise<string | null> {
  return em.transactional(async (tx) => {
    const hallCase = await tx.findOne(Case, { id: caseId }, { populate: ['item'] });
    if (!hallCase || !['approved', 'denied'].includes(hallCase.status)) return null;
    const delivery = await deliveryOf(tx, hallCase);
    if (delivery.status !== 'awaiting_result') return null;
    await release(tx, hallCase, delivery);
    return delivery.status;
  });
}

/** Sends a checked result on its way by the chosen method. */
async function release(tx: HubEntityManager, hallCase: Case, delivery: CaseDelivery): Promise<void> {
  const now = new Date();
  delivery.readyAt ??= now;
  switch (delivery.method) {
    case 'pickup':
      delivery.status = 'ready';
      recordEvent(tx, hallCase, SYSTEM_ACTOR, 'ready_for_pickup', { delivery: [null, 'ready'] });
      emitOutbox(tx, 'delivery.ready', hallCase.id, { caseNumber: hallCase.number, method: 'pickup' });
      break;
    case 'post':
      delivery.status = 'shipping';
      recordEvent(tx, hallCase, SYSTEM_ACTOR, 'handed_to_post', { delivery: [null, 'shipping'] });
      emitOutbox(tx, 'delivery.ship', hallCase.id, { caseNumber: hallCase.number });
      break;
    case 'electronic':
      // The result is on the case for the applicant to download at once: delivered.
      delivery.status = 'delivered';
      delivery.deliveredAt = now;
      delivery.receivedBy = 'applicant';
      recordEvent(tx, hallCase, SYSTEM_ACTOR, 'delivered_electronically', { delivery: [null, 'delivered'] });
      emitOutbox(tx, 'delivery.delivered', hallCase.id, {
        caseNumber: hallCase.number,
        method: 'electronic',
      });
      break;
  }
}

export interface HandOverInput {
  recipient: RecipientKind;
  /** The identity number on the card the recipient shows (checked, never stored or logged). */
  idNumber: string;
  /** The recipient's signature on the handover (an uploaded image's file id). */
  signatureFileId: string;
}

/**
 * Hands a result over at the window (R-D3): the recipient proves to be the applicant or the authorised
 * agent recorded on the case by the identity number of the card they show, and signs for it.
 */
export async function handOverResult(
  em: HubEntityManager,
  actor: Actor | null,
  caseId: string,
  expectedVersion: number,
  input: HandOverInput,
): Promise<Case> {
  requireRole(actor, ['clerk'], 'handing over a result');
  // The identity check comes first, outside the handover's transaction: a failed check is recorded
  // (without the number shown) even though nothing is handed over.
  const peek = await findCaseFor(em.fork(), actor, { id: caseId });
  await handoverPossible(em.fork(), peek);
  const expected = input.recipient === 'applicant' ? peek.applicant.idNumber : (peek.agent?.idNumber ?? null);
  if (input.recipient === 'agent' && !expected) {
    throw badInput(
      'recipient',
      'no agent is recorded on this case; an agent needs the applicant’s authorisation recorded at the window first',
    );
  }
  if (input.idNumber.trim().toUpperCase() !== expected!.toUpperCase()) {
    await refuseHandover(em, caseId, actor!, input.recipient);
    throw badInput(
      'idNumber',
      `the identity number does not match the ${input.recipient === 'applicant' ? 'applicant' : 'authorised agent'} of this case; the result can only be handed to them`,
    );
  }
  return changeCase(em, actor, caseId, expectedVersion, async (tx, hallCase, who) => {
    const delivery = await handoverPossible(tx, hallCase);
    const signature = await tx.findOne(Blob, { sha256: input.signatureFileId });
    if (!signature || !['image/png', 'image/jpeg'].includes(signature.mediaType)) {
      throw badInput(
        'signatureFileId',
        'the handover needs the recipient’s signature as an uploaded PNG or JPEG image (POST /uploads)',
      );
    }
    const from = delivery.status;
    delivery.status = 'delivered';
    delivery.deliveredAt = new Date();
    delivery.receivedBy = input.recipient;
    delivery.handedOverBy = who.id;
    delivery.signature = signature.sha256;
    recordEvent(tx, hallCase, who, 'result_handed_over', {
      delivery: [from, 'delivered'],
      recipient: [null, input.recipient],
      signature: [null, signature.sha256],
    });
    emitOutbox(tx, 'delivery.delivered', hallCase.id, { caseNumber: hallCase.number, method: 'pickup' });
    return hallCase;
  });
}

/** A result waits at the window for pickup (ready, or back from a failed postal delivery). */
async function handoverPossible(em: HubEntityManager, hallCase: Case): Promise<CaseDelivery> {
  const delivery = await deliveryOf(em, hallCase);
  if (delivery.status === 'ready' || delivery.status === 'delivery_failed') return delivery;
  const why =
    delivery.status === 'awaiting_result'
      ? 'the result is not back from the departments yet'
      : delivery.status === 'delivered'
        ? 'the result was already delivered'
        : `it is with the post (${delivery.status})`;
  throw new HubError('CONFLICT', `nothing to hand over at the window: ${why}`);
}

/** Records a failed identity check at handover on the case's timeline. */
async function refuseHandover(
  em: HubEntityManager,
  caseId: string,
  who: Actor,
  recipient: RecipientKind,
): Promise<void> {
  await em.transactional(async (tx) => {
    const hallCase = await tx.findOneOrFail(Case, { id: caseId });
    recordEvent(tx, hallCase, who, 'handover_refused', {
      recipient: [null, recipient],
      reason: [null, 'identity number does not match'],
    });
  });
}

/** The post accepted the shipment: its waybill number is on the delivery. Idempotent. */
export async function recordShipment(em: HubEntityManager, caseId: string, waybillNo: string): Promise<void> {
  await em.transactional(async (tx) => {
    const hallCase = await tx.findOneOrFail(Case, { id: caseId });
    const delivery = await deliveryOf(tx, hallCase);
    if (delivery.status !== 'shipping') return;
    delivery.status = 'shipped';
    delivery.waybillNo = waybillNo;
    delivery.shippedAt = new Date();
    recordEvent(tx, hallCase, SYSTEM_ACTOR, 'shipped', {
      delivery: ['shipping', 'shipped'],
      waybillNo: [null, waybillNo],
    });
    emitOutbox(tx, 'delivery.shipped', hallCase.id, { caseNumber: hallCase.number, waybillNo });
  });
}

/** A tracking event of the post, in the hub's terms (the kit's DepartmentEvent, structurally). */
export interface TrackingEvent {
  departmentRef: string;
  sequence: number;
  occurredAt: string;
  data: Record<string, unknown>;
}

/**
 * Applies the post's tracking events to the deliveries they concern, in sequence: an older or
 * repeated event changes nothing; `delivered` completes the delivery (and tells the departments),
 * `delivery_failed` / `returned` bring the result back to the window for pickup. Events for a waybill
 * not recorded yet are returned to be applied later.
 */
export async function applyTrackingEvents(
  em: HubEntityManager,
  events: readonly TrackingEvent[],
): Promise<{ applied: number; ignored: number; unknown: number }> {
  let applied = 0;
  let ignored = 0;
  let unknown = 0;
  for (const event of [...events].sort((a, b) => a.sequence - b.sequence)) {
    const outcome = await em.transactional(async (tx) => {
      const delivery = await tx.findOne(
        CaseDelivery,
        { waybillNo: event.departmentRef },
        { populate: ['case'] },
      );
      if (!delivery) return 'unknown';
      if (event.sequence <= delivery.trackingSequence || delivery.status === 'delivered') return 'ignored';
      const status = String(event.data.status ?? '');
      const hallCase = await tx.findOneOrFail(Case, { id: delivery.case.id });
      delivery.trackingSequence = event.sequence;
      delivery.trackingStatus = status;
      delivery.trackingLocation = typeof event.data.location === 'string' ? event.data.location : null;
      if (status === 'delivered') {
        delivery.status = 'delivered';
        delivery.deliveredAt = new Date(event.occurredAt);
        delivery.receivedBy = 'applicant';
        recordEvent(tx, hallCase, SYSTEM_ACTOR, 'delivered_by_post', {
          delivery: ['shipped', 'delivered'],
          waybillNo: [null, delivery.waybillNo],
        });
        emitOutbox(tx, 'delivery.delivered', hallCase.id, { caseNumber: hallCase.number, method: 'post' });
      } else if (status === 'delivery_failed' || status === 'returned') {
        delivery.status = 'delivery_failed';
        recordEvent(tx, hallCase, SYSTEM_ACTOR, 'post_delivery_failed', {
          delivery: ['shipped', 'delivery_failed'],
          tracking: [null, status],
        });
        emitOutbox(tx, 'delivery.post_failed', hallCase.id, {
          caseNumber: hallCase.number,
          tracking: status,
        });
      }
      return 'applied';
    });
    if (outcome === 'applied') applied++;
    else if (outcome === 'ignored') ignored++;
    else unknown++;
  }
  return { applied, ignored, unknown };
}

/** What a department is told about the delivery of its result (R-D5). */
export interface DeliveryReportView {
  method: DeliveryOption;
  deliveredAt: string;
  recipient: RecipientKind;
  waybillNo: string | null;
}

/** The delivered case's tasks whose department has not been told yet, with what to tell them. */
export async function pendingDeliveryReports(
  em: HubEntityManager,
  caseId: string,
): Promise<{ tasks: CaseDepartmentTask[]; report: DeliveryReportView | null; caseNumber: string | null }> {
  const delivery = await em.findOne(CaseDelivery, { case: caseId }, { populate: ['case'] });
  if (delivery?.status !== 'delivered' || !delivery.deliveredAt)
    return { tasks: [], report: null, caseNumber: null };
  const tasks = await em.find(CaseDepartmentTask, {
    case: caseId,
    status: { $in: ['approved', 'rejected'] },
    deliveryReportedAt: null,
  });
  return {
    tasks,
    caseNumber: delivery.case.number,
    report: {
      method: delivery.method,
      deliveredAt: delivery.deliveredAt.toISOString(),
      recipient: delivery.receivedBy ?? 'applicant',
      waybillNo: delivery.waybillNo ?? null,
    },
  };
}

/** The department confirmed it was told: on the task and the case's timeline. Idempotent. */
export async function recordDeliveryReported(em: HubEntityManager, taskId: string): Promise<void> {
  await em.transactional(async (tx) => {
    const task = await tx.findOneOrFail(CaseDepartmentTask, { id: taskId });
    if (task.deliveryReportedAt) return;
    task.deliveryReportedAt = new Date();
    const hallCase = await tx.findOneOrFail(Case, { id: task.case.id });
    recordEvent(tx, hallCase, SYSTEM_ACTOR, 'delivery_reported', { department: [null, task.departmentCode] });
  });
}

/** A case's delivery as shown: the stored one, or the default (pickup, awaiting the result). */
export type DeliveryView = Pick<
  CaseDelivery,
  | 'method'
  | 'status'
  | 'recipientName'
  | 'phone'
  | 'address'
  | 'readyAt'
  | 'waybillNo'
  | 'trackingStatus'
  | 'trackingLocation'
  | 'shippedAt'
  | 'deliveredAt'
  | 'receivedBy'
  | 'handedOverBy'
  | 'signature'
>;

export function deliveryView(hallCase: Case, stored: CaseDelivery | null): DeliveryView {
  return (
    stored ?? {
      method: defaultMethod(hallCase.itemVersion.deliveryOptions),
      status: 'awaiting_result',
      recipientName: null,
      phone: null,
      address: null,
      readyAt: null,
      waybillNo: null,
      trackingStatus: null,
      trackingLocation: null,
      shippedAt: null,
      deliveredAt: null,
      receivedBy: null,
      handedOverBy: null,
      signature: null,
    }
  );
}
