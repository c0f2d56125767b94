import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks signatures: `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<raw body>">`, with the
 * id and timestamp (seconds) in `webhook-id` / `webhook-timestamp` headers, and a tolerance against
 * replays of old messages.
 */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

export function signWebhook(secret: string, id: string, timestamp: number, body: string | Buffer): string {
  const mac = createHmac('sha256', secret).update(`${id}.${timestamp}.`).update(body).digest('base64');
  return `v1,${mac}`;
}

export type WebhookVerdict = { ok: true } | { ok: false; reason: string };

export function verifyWebhook(
  secret: string,
  headers: { id?: string | undefined; timestamp?: string | undefined; signature?: string | undefined },
  body: Buffer,
  nowSeconds = Math.floor(Date.now() / 1000),
): WebhookVerdict {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature)
    return { ok: false, reason: 'webhook-id, webhook-timestamp and webhook-signature are required' };
  const ts = Number(timestamp);
  if (!Number.isInteger(ts)) return { ok: false, reason: 'webhook-timestamp is not a number of seconds' };
  if (Math.abs(nowSeconds - ts) > WEBHOOK_TOLERANCE_SECONDS)
    return { ok: false, reason: 'webhook-timestamp is outside the 5-minute tolerance' };
  const expected = Buffer.from(signWebhook(secret, id, ts, body));
  // Several signatures may be sent during a key rotation, separated by spaces.
  const matches = signature.split(' ').some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? { ok: true } : { ok: false, reason: 'the signature does not match' };
}
