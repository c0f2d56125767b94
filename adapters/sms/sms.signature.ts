import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Alibaba Cloud's RPC request signature (SignatureVersion 1.0, HMAC-SHA1), which Dysms (SendSms) and
 * the cloud SMS gateways modelled on it use. Every parameter but `Signature`, sorted by name and
 * percent-encoded (RFC 3986), is joined into `METHOD&%2F&<encoded query>` and signed with HMAC-SHA1
 * under `<AccessKeySecret>&`. Shared by the client and the simulator; the test checks it against the
 * vendor's published example, so both sides cannot drift into the same mistake.
 */

/** RFC 3986 percent-encoding as the signature requires: space is %20, `*` is %2A, `~` stays. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The parameters (without `Signature`) sorted and encoded as `a=1&b=2`: the signed query and the form body. */
export function canonicalQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((name) => name !== 'Signature')
    .sort()
    .map((name) => `${percentEncode(name)}=${percentEncode(params[name]!)}`)
    .join('&');
}

export function stringToSign(method: string, params: Record<string, string>): string {
  return `${method}&${percentEncode('/')}&${percentEncode(canonicalQuery(params))}`;
}

export function rpcSignature(secret: string, method: string, params: Record<string, string>): string {
  return createHmac('sha1', `${secret}&`).update(stringToSign(method, params)).digest('base64');
}

/** True when `params.Signature` is the signature of the other parameters under this secret. */
export function signatureMatches(secret: string, method: string, params: Record<string, string>): boolean {
  const given = Buffer.from(params.Signature ?? '', 'utf8');
  const expected = Buffer.from(rpcSignature(secret, method, params), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
