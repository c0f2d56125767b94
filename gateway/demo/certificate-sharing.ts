// Story 5 — the ending: an electronic certificate (电子证照) issued on one of the demo's approved cases
// is shared with a registered data-sharing consumer under a grant, fetched with a reason (申请事由),
// verified OFFLINE with the hub's published keys and status lists, revoked by a supervisor, and seen
// as revoked offline and online; the supervisor then checks the hash-chained access log.
import { bitAt, decodeBitstring } from '../../db/certificates/bitstring.ts';
import { checkIdentifier } from '../../db/certificates/certificate-identifier.ts';
import {
  type CertificateCredential,
  type OfflineVerifierInputs,
  type PublicJwk,
  type StatusListCredential,
  StatusListUnavailable,
  type Verification,
  verifyCertificateOffline,
} from '../../db/certificates/verify-offline.ts';
import { maskIdNumber, maskName } from '../../db/identity/mask.ts';
import { type CaseView, hallTime } from './case-report.ts';
import { type Hall, step, tell } from './hall.ts';
import { CLERK, CONSUMER, DemoFailure, SUPERVISOR } from './hub-client.ts';

const CERTIFICATE_FIELDS = `id identifier serial version number holderName holderIdType holderIdNumber
  issuerName issuerCode issuedOn validFrom validTo status statusReason statusChangedAt statusIndex keyId
  signedAt tokenUrl type { code name }`;

interface CertificateView {
  id: string;
  identifier: string;
  serial: string;
  version: number;
  number: string;
  holderName: string;
  holderIdType: 'CITIZEN_ID' | 'CREDIT_CODE';
  holderIdNumber: string;
  issuerName: string;
  issuerCode: string;
  issuedOn: string;
  validFrom: string;
  validTo: string | null;
  status: string;
  statusReason: string | null;
  statusChangedAt: string | null;
  statusIndex: number;
  keyId: string | null;
  signedAt: string | null;
  tokenUrl: string;
  type: { code: string; name: string };
}

interface CertificateType {
  code: string;
  name: string;
  itemCodes: string[];
}

interface AccessEntry {
  seq: number;
  at: string;
  consumerId: string;
  typeCode: string | null;
  certificateId: string | null;
  holder: string | null;
  reason: string;
  outcome: 'ALLOWED' | 'DENIED';
  detail: string | null;
  hash: string;
}

/** What the ending shows, for the demo's closing summary. */
export interface SharingOutcome {
  caseNumber: string;
  identifier: string;
  typeName: string;
  before: string;
  after: string;
  online: string;
  accessLog: string;
}

/** Waits (bounded) until the certificate of an approved case is issued by the workers. */
async function issuedCertificate(hall: Hall, c: CaseView, type: CertificateType): Promise<CertificateView> {
  return hall.hub.waitFor(
    `the issue of the electronic certificate (${type.name}) of ${c.number}`,
    async () => {
      const { case: found } = await hall.hub.gql<{ case: { certificates: CertificateView[] } | null }>(
        `query($id: ID!) { case(id: $id) { certificates { ${CERTIFICATE_FIELDS} } } }`,
        { id: c.id },
        CLERK,
      );
      return found?.certificates.find((cert) => cert.type.code === type.code);
    },
    60,
  );
}

const holderOf = (cert: CertificateView) =>
  `${maskName(cert.holderName)} (${cert.holderIdType === 'CITIZEN_ID' ? '111' : '001'}:${maskIdNumber(cert.holderIdNumber)})`;

/** The last day of next year (China date), for the end of a grant. */
function endOfNextYear(): string {
  const year = Number(
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(),
  );
  return `${year + 1}-12-31`;
}

const SHARED = `query($r: SharedCertificateRequest!) { sharedCertificates(request: $r) { ${CERTIFICATE_FIELDS} } }`;

/** A status list token as downloaded, under the name the certificate token gives it. */
interface StatusListDownload {
  name: string;
  token: string;
}

/** The JSON of one part of a compact JWS (read for display only: the verifier has checked it). */
function jwsPart<T>(token: string, index: 0 | 1): T {
  return JSON.parse(Buffer.from(token.split('.')[index] ?? '', 'base64url').toString('utf8')) as T;
}

const lastSegment = (url: string) => url.split(/[/#?]/).filter(Boolean).at(-1) ?? url;

/** The status lists a certificate token points at: their URLs and names (`revocation-1`, `suspension-1`). */
function statusListsOf(token: string): { names: string[]; urls: string[] } {
  let credential: CertificateCredential;
  try {
    credential = jwsPart<CertificateCredential>(token, 1);
  } catch {
    throw new DemoFailure('the presented token is not a compact JWS with a JSON payload');
  }
  const urls = [...new Set((credential.credentialStatus ?? []).map((s) => s.statusListCredential))];
  if (urls.length === 0) throw new DemoFailure('the presented token names no status list');
  return { names: urls.map(lastSegment), urls };
}

/**
 * What the offline verification looked at, one line each: the signature and its key, the
 * identifier's check character, the validity window, and the certificate's bit in each status list.
 */
function describeChecks(
  token: string,
  inputs: { jwks: OfflineVerifierInputs['jwks']; lists: StatusListDownload[] },
  verification: Verification,
): string[] {
  if (!verification.claims) return [];
  const header = jwsPart<{ alg: string; kid: string; typ?: string }>(token, 0);
  const credential = jwsPart<CertificateCredential>(token, 1);
  const identifier = checkIdentifier(verification.claims.identifier);
  const bits = credential.credentialStatus.map((entry) => {
    const download = inputs.lists.find((l) => l.name === lastSegment(entry.statusListCredential));
    const list = download && jwsPart<StatusListCredential>(download.token, 1);
    const bit = list
      ? bitAt(decodeBitstring(list.credentialSubject.encodedList), Number(entry.statusListIndex))
        ? 1
        : 0
      : '?';
    return `${lastSegment(entry.statusListCredential)}[${entry.statusListIndex}] = ${bit}`;
  });
  return [
    `signature ${header.alg} (${header.typ}) by key ${header.kid}, one of ${inputs.jwks.keys.length} published: holds`,
    identifier.ok
      ? `identifier check character ${identifier.checkChar} (ISO 7064 MOD 37,36 over type, issuer, serial, version): holds`
      : `identifier: ${identifier.reason}`,
    `validity ${credential.validFrom} – ${credential.validUntil ?? 'no end (长期)'}: ` +
      `${verification.verdict === 'EXPIRED' ? 'outside' : 'inside'} it at ${hallTime(new Date().toISOString())}`,
    `status bits ${bits.join(', ')} (each list's own signature verified with the same keys)`,
  ];
}

/** The consumer's downloads, over HTTP and without an account: the keys and the status lists. */
async function downloadVerifierInputs(
  hall: Hall,
  names: string[],
  jwks?: OfflineVerifierInputs['jwks'],
): Promise<{ jwks: OfflineVerifierInputs['jwks']; lists: StatusListDownload[] }> {
  let keys = jwks;
  if (!keys) {
    const response = await hall.hub.get('/certificates/jwks.json', null);
    if (!response.ok) throw new DemoFailure(`GET /certificates/jwks.json answered ${response.status}`);
    keys = (await response.json()) as { keys: PublicJwk[] };
  }
  const lists: StatusListDownload[] = [];
  for (const name of names) {
    const response = await hall.hub.get(`/certificates/status/${name}`, null, 'application/vc+jwt');
    if (!response.ok) throw new DemoFailure(`GET /certificates/status/${name} answered ${response.status}`);
    lists.push({ name, token: (await response.text()).trim() });
  }
  return { jwks: keys, lists };
}

/**
 * The offline verification: one synchronous call with what was downloaded. `fetch` is switched off
 * while it runs, so a network call would fail the demo rather than go unnoticed.
 */
function verifyOffline(token: string, inputs: OfflineVerifierInputs): Verification {
  const realFetch = globalThis.fetch;
  globalThis.fetch = () => {
    throw new DemoFailure('the offline verifier tried to use the network');
  };
  try {
    return verifyCertificateOffline(token, inputs);
  } catch (error) {
    if (error instanceof StatusListUnavailable)
      throw new DemoFailure(`the offline verification had no usable status list: ${error.message}`);
    throw error;
  } finally {
    globalThis.fetch = realFetch;
  }
}

export async function certificateSharingStory(hall: Hall, cases: CaseView[]): Promise<SharingOutcome> {
  const { certificateTypes } = await hall.hub.gql<{ certificateTypes: CertificateType[] }>(
    '{ certificateTypes { code name itemCodes } }',
    {},
    CONSUMER,
  );
  const typeOf = (c: CaseView) => certificateTypes.find((t) => t.itemCodes.includes(c.item.code));
  const certifying = cases.filter((c) => c.status === 'APPROVED' && typeOf(c));
  const [source, other] = certifying;
  const type = source && typeOf(source);
  if (!source || !type)
    throw new DemoFailure(
      `none of the demo's approved cases (${cases.map((c) => c.item.code).join(', ')}) issues an electronic certificate`,
    );
  tell(
    `5. Electronic certificate shared and verified offline (电子证照共享、离线核验): ${type.name} of ${source.number}`,
    'A supervisor registers a data-sharing consumer and grants it the type → the consumer fetches the',
    'holder’s certificate with a reason → verifies the token offline with the downloaded keys and status',
    'lists: VALID → a supervisor revokes it → offline again: REVOKED → the access log is checked.',
  );

  // 1. The certificate the workers issued on the approved case.
  const cert = await issuedCertificate(hall, source, type);
  step(
    'hub',
    `issued on ${source.number} (${source.item.code}), signed ${hallTime(cert.signedAt)} with key ${cert.keyId}:`,
  );
  step('', `${cert.type.name} ${cert.number}, identifier ${cert.identifier}`);
  step(
    '',
    `holder ${holderOf(cert)}, issuer ${cert.issuerName} (${cert.issuerCode}), valid ${cert.validFrom} – ${cert.validTo ?? '长期'}, ${cert.status}`,
  );

  // 2. The supervisor registers the consumer and grants it the type.
  const { certificateAccessLog: lastBefore } = await hall.hub.gql<{
    certificateAccessLog: { seq: number }[];
  }>('{ certificateAccessLog(first: 1) { seq } }', {}, SUPERVISOR);
  const seqBefore = lastBefore[0]?.seq ?? 0;
  const { registerSharingConsumer: consumer } = await hall.hub.gql<{
    registerSharingConsumer: { id: string; name: string; active: boolean; webhookUrl: string | null };
  }>(
    'mutation($i: SharingConsumerInput!) { registerSharingConsumer(input: $i) { id name active webhookUrl } }',
    { i: { id: CONSUMER.id, name: CONSUMER.name, active: true } },
    SUPERVISOR,
  );
  step(
    'supervisor',
    `${SUPERVISOR.name} registers the data-sharing consumer ${consumer.name} (signs in as ${consumer.id}), ${consumer.active ? 'active' : 'INACTIVE'}, no webhook`,
  );
  const purpose = `一网通办业务受理中核验申请人的${type.name}`;
  const grantUntil = endOfNextYear();
  const { grantCertificateSharing: grant } = await hall.hub.gql<{
    grantCertificateSharing: { id: string; validUntil: string; live: boolean; grantedBy: string };
  }>(
    'mutation($i: SharingGrantInput!) { grantCertificateSharing(input: $i) { id validUntil live grantedBy } }',
    { i: { consumerId: consumer.id, typeCode: type.code, purpose, validUntil: grantUntil } },
    SUPERVISOR,
  );
  if (!grant.live)
    throw new DemoFailure(`grant ${grant.id} to ${consumer.id} is not live right after it was made`);
  step(
    'supervisor',
    `grants it ${type.name} (${type.code}) for “${purpose}” through ${grantUntil} (grant ${grant.id}, live)`,
  );

  // 3. The consumer asks: with a reason, without one, and for a type outside its grant.
  const holderIdType = cert.holderIdType;
  const reasonFor = (typeName: string) =>
    `为市住房公积金管理中心受理住房公积金提取（业务号 GJJ-${source.number.slice(-6)}），核验申请人的${typeName}`;
  const reason = reasonFor(type.name);
  const { sharedCertificates: answered } = await hall.hub.gql<{ sharedCertificates: CertificateView[] }>(
    SHARED,
    { r: { holderIdType, holderIdNumber: cert.holderIdNumber, typeCode: type.code, reason } },
    CONSUMER,
  );
  const shared = answered.find((c) => c.identifier === cert.identifier);
  if (!shared)
    throw new DemoFailure(
      `the consumer's request under grant ${grant.id} did not answer ${cert.identifier} (answered ${answered.length})`,
    );
  step(
    'consumer',
    `${consumer.name} asks for ${holderOf(cert)}'s ${type.name}, reason “${reason}”: ` +
      `${answered.map((c) => `${c.serial}.${String(c.version).padStart(3, '0')} ${c.status}`).join(', ')} ` +
      `(every certificate of the type the holder has), holder shown as ${shared.holderIdNumber}`,
  );

  const noReason = await hall.hub.attempt<{ sharedCertificates: CertificateView[] }>(
    SHARED,
    { r: { holderIdType, holderIdNumber: cert.holderIdNumber, typeCode: type.code } },
    CONSUMER,
  );
  const refusal = noReason.errors[0];
  if (!refusal || (noReason.data?.sharedCertificates.length ?? 0) > 0)
    throw new DemoFailure('a request without a reason (申请事由) was answered');
  step('consumer', `asks again without a reason: refused — ${refusal.message} [${refusal.extensions?.code}]`);

  // Outside the grant: another demo certificate (which exists), else the same holder under another type.
  const otherType = (other && typeOf(other)?.code !== type.code && typeOf(other)) || undefined;
  const outside = other && otherType ? await issuedCertificate(hall, other, otherType) : null;
  const fallbackType = certificateTypes.find((t) => t.code !== type.code);
  const outsideType = outside ? outside.type : fallbackType;
  if (!outsideType) throw new DemoFailure('the catalogue has only one certificate type');
  const outsideHolder = outside ?? cert;
  const { sharedCertificates: notGranted } = await hall.hub.gql<{ sharedCertificates: CertificateView[] }>(
    SHARED,
    {
      r: {
        holderIdType: outsideHolder.holderIdType,
        holderIdNumber: outsideHolder.holderIdNumber,
        typeCode: outsideType.code,
        reason: reasonFor(outsideType.name),
      },
    },
    CONSUMER,
  );
  if (notGranted.length > 0)
    throw new DemoFailure(`the consumer got ${outsideType.name} certificates without a grant for the type`);
  step(
    'consumer',
    `asks for ${holderOf(outsideHolder)}'s ${outsideType.name}` +
      `${outside ? ` (issued on ${other?.number})` : ''}, not granted: [] — the same answer as no certificate`,
  );

  // The signed token is the holder's credential: the hub hands it to the holder and the hall, not to consumers.
  const denied = await hall.hub.get(cert.tokenUrl, CONSUMER);
  if (denied.ok) throw new DemoFailure(`the consumer downloaded ${cert.tokenUrl} itself`);
  const deniedBody = (await denied.json().catch(() => ({}))) as { message?: string };
  step(
    'consumer',
    `GET ${cert.tokenUrl} (the signed token) → ${denied.status}: ${deniedBody.message ?? ''}; the token is the holder's to present`,
  );
  const tokenResponse = await hall.hub.get(cert.tokenUrl, CLERK);
  if (!tokenResponse.ok)
    throw new DemoFailure(`GET ${cert.tokenUrl} as the clerk answered ${tokenResponse.status}`);
  const token = (await tokenResponse.text()).trim();
  step(
    'holder',
    `${maskName(cert.holderName)} presents the signed token of ${cert.type.name} to the consumer: ` +
      `${token.length} characters of ${tokenResponse.headers.get('content-type')} (here the hall's copy, fetched as ${CLERK.role} ${CLERK.name})`,
  );

  // 4. Offline: the keys and the lists the token names, downloaded once; then no more calls.
  const { names, urls } = statusListsOf(token);
  const first = await downloadVerifierInputs(hall, names);
  // The token names its lists under HUB_PUBLIC_URL; the verifier matches them by name when that differs.
  const elsewhere = urls.filter((url) => !url.startsWith(`${hall.hub.base}/`));
  step(
    'consumer',
    `downloads, without an account, GET /certificates/jwks.json (${first.jwks.keys.length} key${first.jwks.keys.length === 1 ? '' : 's'}) ` +
      `and the status lists the token names: ${first.lists.map((l) => `GET /certificates/status/${l.name} (${l.token.length} characters, signed)`).join(', ')}` +
      (elsewhere.length > 0 ? `; the token says ${elsewhere[0]}, fetched by name from ${hall.hub.base}` : ''),
  );
  const before = verifyOffline(token, { jwks: first.jwks, statusLists: first.lists.map((l) => l.token) });
  step('offline', `${before.verdict} — ${before.reason}`);
  for (const line of describeChecks(token, first, before)) step('', line);
  if (before.verdict !== 'VALID')
    throw new DemoFailure(`the fresh certificate verified ${before.verdict} offline: ${before.reason}`);
  if (before.claims?.identifier !== cert.identifier)
    throw new DemoFailure(
      `the presented token is ${before.claims?.identifier}, not the shared ${cert.identifier}`,
    );
  step(
    'consumer',
    `the token's identifier is the one fetched under grant ${grant.id}: the holder presented that certificate`,
  );

  // 5. The supervisor revokes it; the consumer refreshes the lists only.
  const revokeReason = '登记事项有误，依法更正登记，原证书作废';
  const { revokeCertificate: revoked } = await hall.hub.gql<{
    revokeCertificate: {
      __typename: string;
      certificate?: { status: string; statusReason: string | null; statusChangedAt: string | null };
      errorCode?: string;
      message?: string;
    };
  }>(
    `mutation($id: ID!, $r: String!) { revokeCertificate(id: $id, reason: $r) { __typename
       ... on CertificateStatusChanged { certificate { status statusReason statusChangedAt } }
       ... on CertificateStatusNotChanged { errorCode message } } }`,
    { id: cert.id, r: revokeReason },
    SUPERVISOR,
  );
  if (revoked.__typename !== 'CertificateStatusChanged' || revoked.certificate?.status !== 'REVOKED')
    throw new DemoFailure(`revoking ${cert.identifier} failed: ${revoked.errorCode} ${revoked.message}`);
  step(
    'supervisor',
    `${SUPERVISOR.name} revokes it at ${hallTime(revoked.certificate.statusChangedAt)}: “${revoked.certificate.statusReason}” → ${revoked.certificate.status}`,
  );
  const refreshed = await downloadVerifierInputs(hall, names, first.jwks);
  step(
    'consumer',
    `refreshes the status lists: ${refreshed.lists.map((l) => l.name).join(', ')} (keys kept)`,
  );
  const after = verifyOffline(token, {
    jwks: refreshed.jwks,
    statusLists: refreshed.lists.map((l) => l.token),
  });
  step('offline', `${after.verdict} — ${after.reason}`);
  for (const line of describeChecks(token, refreshed, after).slice(-1)) step('', line);
  if (after.verdict !== 'REVOKED')
    throw new DemoFailure(
      `after revocation the certificate verified ${after.verdict} offline: ${after.reason}`,
    );
  const { verifyCertificate: online } = await hall.hub.gql<{
    verifyCertificate: { verdict: string; reason: string };
  }>('query($t: String!) { verifyCertificate(token: $t) { verdict reason } }', { t: token }, CONSUMER);
  if (online.verdict !== after.verdict)
    throw new DemoFailure(`the hub verifies ${online.verdict} online, the offline verifier ${after.verdict}`);
  step('online', `verifyCertificate → ${online.verdict} — ${online.reason}: agrees with the offline verdict`);

  // 6. The supervisor checks the access log's chain and reads the consumer's entries.
  const { verifyCertificateAccessLog: chain } = await hall.hub.gql<{
    verifyCertificateAccessLog: {
      intact: boolean;
      entriesChecked: number;
      firstBadSeq: number | null;
      problem: string | null;
      headSeq: number | null;
      headHash: string | null;
    };
  }>(
    '{ verifyCertificateAccessLog { intact entriesChecked firstBadSeq problem headSeq headHash } }',
    {},
    SUPERVISOR,
  );
  if (!chain.intact)
    throw new DemoFailure(`the access log is broken at seq ${chain.firstBadSeq}: ${chain.problem}`);
  step(
    'supervisor',
    `verifies the access log: intact, ${chain.entriesChecked} entries checked, head seq ${chain.headSeq} hash ${chain.headHash?.slice(0, 12)}…`,
  );
  const { certificateAccessLog } = await hall.hub.gql<{ certificateAccessLog: AccessEntry[] }>(
    `query($c: ID!) { certificateAccessLog(filter: { consumerId: $c }, first: 50) {
       seq at consumerId typeCode certificateId holder reason outcome detail hash } }`,
    { c: consumer.id },
    SUPERVISOR,
  );
  const entries = certificateAccessLog.filter((e) => e.seq > seqBefore).sort((a, b) => a.seq - b.seq);
  const typeName = (code: string | null) =>
    certificateTypes.find((t) => t.code === code)?.name ?? code ?? '—';
  step('supervisor', `reads ${consumer.name}'s entries of this run:`);
  for (const e of entries)
    step(
      '',
      `#${e.seq} ${hallTime(e.at)} ${e.outcome.padEnd(7)} ${typeName(e.typeCode)} of ${e.holder}` +
        `${e.certificateId === cert.id ? ` → ${cert.identifier.slice(-5)}` : ''}, ` +
        `${e.reason ? `reason “${e.reason}”` : 'no reason'} — ${e.detail ?? ''}`,
    );
  const expected: [string, (e: AccessEntry) => boolean][] = [
    ['the allowed request', (e) => e.outcome === 'ALLOWED' && e.certificateId === cert.id],
    ['the request without a reason', (e) => e.outcome === 'DENIED' && e.detail === 'no reason given'],
    [
      'the request outside the grant',
      (e) =>
        e.outcome === 'DENIED' &&
        e.typeCode === outsideType.code &&
        e.detail === 'certificate type not granted',
    ],
  ];
  const missing = expected.filter(([, matches]) => !entries.some(matches)).map(([what]) => what);
  if (missing.length > 0) throw new DemoFailure(`the access log has no entry for ${missing.join(', ')}`);

  return {
    caseNumber: source.number,
    identifier: cert.identifier,
    typeName: type.name,
    before: before.verdict,
    after: after.verdict,
    online: online.verdict,
    accessLog: `access log intact to seq ${chain.headSeq}, ${entries.length} entries of ${consumer.id}`,
  };
}
