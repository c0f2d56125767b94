import type { Actor } from '../actor.ts';
import { requireRole } from '../cases/case-access.ts';
import { CertificateType } from '../entities/certificate-type.ts';
import { SharingConsumer, SharingGrant } from '../entities/sharing.ts';
import { badInput, HubError } from '../errors.ts';
import type { HubEntityManager } from '../orm.ts';

export interface SharingConsumerInput {
  /** The actor id the consumer signs in with (role `consumer`). */
  id: string;
  name: string;
  /** Where status changes of certificates it fetched are sent; null unsubscribes. */
  webhookUrl?: string | null;
  /** Standard Webhooks signing secret; kept when omitted and one is on record. */
  webhookSecret?: string | null;
  active?: boolean | null;
}

export interface SharingGrantInput {
  consumerId: string;
  typeCode: string;
  purpose: string;
  /** ISO date-time, or a China date (YYYY-MM-DD) meaning through the end of that day. */
  validUntil: string;
}

const CONSUMER_ID = /^[a-z0-9][a-z0-9-]{2,63}$/;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function supervisor(actor: Actor | null, what: string): Actor {
  return requireRole(actor, ['supervisor'], what);
}

/** https anywhere; plain http only to this machine (a consumer's local relay, tests). */
function webhookUrlOf(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw badInput('webhookUrl', 'the webhook URL is not a URL');
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  if (!secure) throw badInput('webhookUrl', 'the webhook URL must use https (http only to localhost)');
  if (url.username || url.password)
    throw badInput('webhookUrl', 'the webhook URL may not carry credentials; the signature authenticates');
  return url.toString();
}

/** Registers a data-sharing consumer, or changes one already registered (supervisors). */
export async function registerSharingConsumer(
  em: HubEntityManager,
  actor: Actor | null,
  input: SharingConsumerInput,
): Promise<ConsumerWithGrants> {
  supervisor(actor, 'registering a sharing consumer');
  const id = input.id.trim();
  if (!CONSUMER_ID.test(id))
    throw badInput('id', 'the consumer id is 3 to 64 lower-case letters, digits and hyphens');
  const name = input.name.trim();
  if (name.length < 2 || name.length > 100) throw badInput('name', 'the name must be 2 to 100 characters');
  const existing = await em.findOne(SharingConsumer, { id });
  const webhookUrl = input.webhookUrl?.trim() ? webhookUrlOf(input.webhookUrl) : null;
  const givenSecret = input.webhookSecret?.trim() || null;
  if (givenSecret && (givenSecret.length < 24 || givenSecret.length > 256))
    throw badInput('webhookSecret', 'the webhook secret must be 24 to 256 characters');
  if (givenSecret && !webhookUrl) throw badInput('webhookSecret', 'a secret without a webhook URL is unused');
  const webhookSecret = webhookUrl ? (givenSecret ?? existing?.webhookSecret ?? null) : null;
  if (webhookUrl && !webhookSecret)
    throw badInput('webhookSecret', 'a webhook needs a secret to sign its notifications with');
  const consumer = existing ?? em.create(SharingConsumer, { id, name, active: true });
  consumer.name = name;
  consumer.webhookUrl = webhookUrl;
  consumer.webhookSecret = webhookSecret;
  if (input.active !== undefined && input.active !== null) consumer.active = input.active;
  await em.flush();
  const grants = await em.find(
    SharingGrant,
    { consumer: id },
    { orderBy: { createdAt: 'desc', id: 'desc' } },
  );
  return { consumer, grants };
}

function validUntilOf(value: string, now: Date): Date {
  const text = value.trim();
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text)
    ? new Date(new Date(`${text}T00:00:00+08:00`).getTime() + 24 * 3600_000)
    : /^\d{4}-\d{2}-\d{2}T/.test(text)
      ? new Date(text)
      : null;
  if (!date || Number.isNaN(date.getTime()))
    throw badInput('validUntil', 'give an ISO date-time or a date (YYYY-MM-DD)');
  if (date <= now) throw badInput('validUntil', 'a grant must run until a time in the future');
  return date;
}

/** Grants a consumer one certificate type for one purpose until a time (supervisors). */
export async function grantSharing(
  em: HubEntityManager,
  actor: Actor | null,
  input: SharingGrantInput,
  now = new Date(),
): Promise<SharingGrant> {
  const who = supervisor(actor, 'granting certificate sharing');
  const consumer = await em.findOne(SharingConsumer, { id: input.consumerId });
  if (!consumer) throw badInput('consumerId', `no sharing consumer is registered as ${input.consumerId}`);
  const type = await em.findOne(CertificateType, { code: input.typeCode });
  if (!type) throw badInput('typeCode', `no certificate type has the code ${input.typeCode}`);
  const purpose = input.purpose.trim();
  if (purpose.length < 2 || purpose.length > 500)
    throw badInput('purpose', 'the purpose must be 2 to 500 characters');
  const grant = em.create(SharingGrant, {
    consumer,
    typeCode: type.code,
    purpose,
    validUntil: validUntilOf(input.validUntil, now),
    grantedBy: who.id,
  });
  await em.flush();
  return grant;
}

/** Ends a grant now (supervisors); the consumer's next request for that type is denied. */
export async function endSharingGrant(
  em: HubEntityManager,
  actor: Actor | null,
  id: string,
  now = new Date(),
): Promise<SharingGrant> {
  supervisor(actor, 'ending a sharing grant');
  const grant = /^\d{1,9}$/.test(id) ? await em.findOne(SharingGrant, { id: Number(id) }) : null;
  if (!grant) throw new HubError('NOT_FOUND', `no sharing grant has the id ${id}`);
  if (grant.validUntil > now) grant.validUntil = now;
  await em.flush();
  return grant;
}

export interface ConsumerWithGrants {
  consumer: SharingConsumer;
  grants: SharingGrant[];
}

/** Every registered consumer with its grants, newest grant first (supervisors). */
export async function listSharingConsumers(
  em: HubEntityManager,
  actor: Actor | null,
): Promise<ConsumerWithGrants[]> {
  supervisor(actor, 'listing sharing consumers');
  const consumers = await em.find(SharingConsumer, {}, { orderBy: { id: 'asc' } });
  const grants = await em.find(
    SharingGrant,
    { consumer: { $in: consumers.map((c) => c.id) } },
    { orderBy: { createdAt: 'desc', id: 'desc' } },
  );
  const byConsumer = Map.groupBy(grants, (g) => g.consumer.id);
  return consumers.map((consumer) => ({ consumer, grants: byConsumer.get(consumer.id) ?? [] }));
}
