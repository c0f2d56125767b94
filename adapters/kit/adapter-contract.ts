import type { SubschemaConfig } from '@graphql-tools/delegate';

/**
 * The one interface every department adapter implements. The gateway and the jobs loop over the
 * registry of adapters and never name a department; everything department-specific lives in the
 * adapter's folder.
 */

/** A material as a department receives it: metadata and, for electronic ones, where to fetch the file. */
export interface PackageMaterial {
  code: string;
  name: string;
  medium: 'paper' | 'electronic';
  copies: number;
  sha256: string | null;
  mediaType: string | null;
}

/** What the hub sends a department for one case (one department task). */
export interface CasePackage {
  caseNumber: string;
  /** The catalogue department whose task this is. */
  departmentCode: string;
  /** Unique per department task; the department applies a package once per key. */
  idempotencyKey: string;
  itemCode: string;
  itemName: string;
  acceptedOn: string;
  applicant: { name: string; idType: 'citizen_id' | 'credit_code'; idNumber: string };
  materials: PackageMaterial[];
}

export type SubmitResult = { departmentRef: string; status: 'received' | 'duplicate' };

/** A department's decision, mapped to the hub's terms. */
export interface DepartmentDecision {
  departmentRef: string;
  caseNumber: string;
  outcome: 'approved' | 'rejected' | 'in_review';
  reasons: string[];
  decidedAt: string | null;
  /** Name and number of the result document or certificate, when approved. */
  result: DepartmentResult | null;
}

/**
 * The result a department issued, as it names it: the window checks it against the acceptance data
 * before handing it out (R-D2). `holder` is who the result is made out to, as the department wrote it.
 */
export interface DepartmentResult {
  name: string;
  number: string;
  /** The item the result is for, when the department states it. */
  itemCode?: string;
  holder?: { name: string; idNumber: string };
}

/** Which department application a feedback call is about. */
export interface ApplicationRef {
  departmentRef: string;
  caseNumber: string;
  idempotencyKey: string;
}

/** How a result reached the applicant, as the department is told after delivery (R-D5). */
export interface DeliveryReport {
  method: 'pickup' | 'post' | 'electronic';
  deliveredAt: string;
  /** Who received it: the applicant or an authorised agent (never their identity numbers). */
  recipient: 'applicant' | 'agent';
  /** Post: the waybill number. */
  waybillNo: string | null;
}

/**
 * What the window tells a department about its result. Both calls are idempotent per application:
 * telling the same thing twice changes nothing at the department.
 */
export interface ResultFeedback {
  /**
   * The result does not match the acceptance data (wrong holder, identity or item): it goes back to
   * the department with the reasons, and the department decides again (a new decision follows).
   */
  refuseResult(ref: ApplicationRef, reasons: string[]): Promise<void>;
  /** The result was delivered (R-D5). */
  reportDelivery(ref: ApplicationRef, report: DeliveryReport): Promise<void>;
}

/**
 * Materials the applicant supplied after acceptance (the owed materials of a deficiency-tolerant
 * case, 容缺补交), for an application the department already holds: the department adds them to it and
 * confirms its simulated approval. Idempotent per key: the same supplement twice is added once.
 */
export interface MaterialSupplements {
  supplyMaterials(ref: ApplicationRef, materials: PackageMaterial[], idempotencyKey: string): Promise<void>;
}

/** A result to carry to an applicant (R-D4). The phone and address are personal data: never logged. */
export interface Shipment {
  caseNumber: string;
  /** One shipment per key however often it is sent. */
  idempotencyKey: string;
  /** What the envelope holds, for the courier's manifest (e.g. 营业执照办理结果). */
  contents: string;
  recipient: { name: string; phone: string; address: string; postcode: string | null };
}

/** The postal service results are sent through; tracking comes back as `tracking` callback events. */
export interface Courier {
  ship(shipment: Shipment): Promise<{ waybillNo: string; status: 'received' | 'duplicate' }>;
}

/** A text message to an applicant through the SMS gateway (template + parameters, as gateways require). */
export interface SmsMessage {
  /** Mobile number: personal data, never logged, never in job payloads (read from the database when sent). */
  to: string;
  /** The gateway's registered template code, e.g. `OWH_ACCEPTED`. */
  template: string;
  /** Template parameters (case number, item name, dates — no identity numbers). */
  params: Record<string, string>;
  /** One message per key however often it is sent. */
  idempotencyKey: string;
}

/** The SMS gateway (短信平台) applicants are notified through. */
export interface SmsGateway {
  send(message: SmsMessage): Promise<{ messageId: string; status: 'accepted' | 'duplicate' }>;
}

export interface AdapterHealth {
  department: string;
  state: 'up' | 'degraded' | 'down';
  detail: string;
  checkedAt: string;
}

/** One call to a department system, as recorded (no personal data: ids, paths, outcomes). */
export interface DepartmentCallRecord {
  department: string;
  caseNumber: string | null;
  operation: string;
  method: string;
  path: string;
  requestBytes: number;
  status: number | null;
  outcome: 'ok' | 'transient' | 'permanent' | 'unavailable' | 'malformed';
  error: string | null;
  startedAt: Date;
  durationMs: number;
  attempt: number;
}

export interface CallRecorder {
  record(call: DepartmentCallRecord): void;
}

/** Who an applicant is, for a department query the actor may make (checked and audited by the hub). */
export interface IdentityResolver {
  resolve(
    context: unknown,
    applicantIds: readonly string[],
    purpose: string,
  ): Promise<Map<string, { idType: 'citizen_id' | 'credit_code'; idNumber: string }>>;
}

/**
 * The hub's own back office, for departments without an approval system: their tasks are kept by
 * the hub and decided by their reviewers through the gateway.
 */
export interface BackOfficeStore {
  /** Creates the task once per idempotency key. */
  createTask(pkg: CasePackage): Promise<{ taskId: string; created: boolean }>;
  /** Tasks decided since the cursor, in decision order. */
  decisionsSince(cursor: string | null): Promise<{ decisions: DepartmentDecision[]; cursor: string | null }>;
  /** The window refused the task's result: it goes back to the reviewers. */
  refuseResult(taskId: string, reasons: string[]): Promise<void>;
  /** How the task's result was delivered. */
  recordDelivery(taskId: string, report: DeliveryReport): Promise<void>;
  /** Materials supplied after acceptance, added to the task once per key. */
  supplyMaterials(taskId: string, materials: PackageMaterial[], idempotencyKey: string): Promise<void>;
}

export interface AdapterDeps {
  recorder: CallRecorder;
  identities: IdentityResolver;
  /** Present where the hub runs its back office (the gateway and the workers). */
  backOffice?: BackOfficeStore;
}

/** Something a department pushed to the hub (a decision, a tracking event …), parsed from a callback. */
export interface DepartmentEvent {
  /** e.g. `decision`, `tracking`. */
  type: string;
  /** The department's reference of the application or shipment. */
  departmentRef: string;
  caseNumber: string | null;
  occurredAt: string;
  /** Department sequence or version, so an out-of-date event can be told from a newer one. */
  sequence: number;
  /** For `decision` events: the decision in the hub's terms. */
  decision?: DepartmentDecision;
  /** Other facts of the event, in the hub's terms (never identity numbers). */
  data: Record<string, unknown>;
}

/** Push adapters: how the hub verifies and reads the department's signed callbacks. */
export interface CallbackSpec {
  /** Shared secret of the Standard Webhooks signatures (webhook-id, webhook-timestamp, webhook-signature). */
  secret: string;
  /** Reads a verified body; throws DepartmentError('malformed') when it cannot. */
  parse(body: Buffer): DepartmentEvent[];
}

/** An online application's pre-acceptance result as the provincial platform records it (R-F5). */
export interface PreAcceptanceRecord extends Omit<CasePackage, 'departmentCode' | 'acceptedOn'> {
  outcome: 'accepted' | 'correction_required' | 'refused';
  reasons: string[];
  decidedAt: string;
}

/**
 * A later step of a case the hall accepted, as the provincial platform's 办件过程/办结 records take
 * it (R-F1, R-F5): references and facts only — never identity numbers or other personal data.
 * `returned` (退办) says why; `concluded` (办结) whether approved or denied, the results issued (name
 * and number) and a denial's reasons; `delivered` (送达) how the result reached the applicant;
 * `materials_supplied` (容缺补齐) which owed materials arrived.
 */
export type PlatformStatusChange = {
  caseNumber: string;
  /** One record per key however often it is sent; the same step always goes under the same key. */
  idempotencyKey: string;
  itemCode: string;
  itemName: string;
  /** ISO date-time of the step. */
  occurredAt: string;
  /** The handling department(s); for a conclusion, those that decided. */
  departments: { code: string; name: string }[];
} & (
  | { status: 'returned'; reasons: string[] }
  | {
      status: 'concluded';
      outcome: 'approved' | 'denied';
      reasons: string[];
      results: { name: string; number: string }[];
    }
  | { status: 'delivered'; delivery: Omit<DeliveryReport, 'deliveredAt'> }
  | { status: 'materials_supplied'; materials: { code: string; name: string }[] }
);

/**
 * The platform's answer to a status change: recorded (or a repeat), or — an expected answer, not a
 * fault — it holds no acceptance for the case, so it cannot take later steps (yet).
 */
export type PlatformStatusResult = SubmitResult | { status: 'case_not_accepted'; reason: string };

/** The provincial service platform's records of the hall's work (R-F1, R-F5). */
export interface PlatformRecorder {
  acceptance(pkg: CasePackage): Promise<SubmitResult>;
  preAcceptance(record: PreAcceptanceRecord): Promise<SubmitResult>;
  /** A later step of an accepted case (退办, 办结, 送达, 容缺补齐), once per key. */
  statusChange(record: PlatformStatusChange): Promise<PlatformStatusResult>;
}

export interface DepartmentAdapter {
  /** Short name, e.g. `tax`; also its subschema's name. */
  name: string;
  /** Catalogue department codes whose tasks this adapter carries. */
  departmentCodes: string[];
  /** Carries the tasks of every department no other adapter names (the hub's back office). */
  fallback?: boolean;
  submit(pkg: CasePackage): Promise<SubmitResult>;
  /** Pull adapters: decisions changed since the cursor (and the next cursor). */
  pullDecisions?(cursor: string | null): Promise<{ decisions: DepartmentDecision[]; cursor: string | null }>;
  health(): Promise<AdapterHealth>;
  /** The department's part of the one schema, with its merge rules. */
  subschema?(): SubschemaConfig;
  /** Push adapters: callbacks arrive at POST /callbacks/<name>. */
  callbacks?: CallbackSpec;
  /** The platform the hall records acceptances and pre-acceptance results on. */
  platform?: PlatformRecorder;
  /** Departments that issue results: how the window refuses one back and reports its delivery. */
  results?: ResultFeedback;
  /** Departments that take materials supplied after acceptance (容缺补交). */
  supplements?: MaterialSupplements;
  /** The SMS gateway applicants are notified through. */
  sms?: SmsGateway;
  /** The postal service results are sent through. */
  courier?: Courier;
}

/** Faults every simulator can be switched into, per run (the conformance suite drives them). */
export interface SimulatorFaults {
  /** Added to every answer. */
  latencyMs: number;
  /** Every request answered 503. */
  down: boolean;
  /** Requests never answered. */
  hang: boolean;
  /** Answers that cannot be parsed. */
  malformed: boolean;
  /** Submissions rejected as invalid (a 4xx-type answer). */
  rejectSubmissions: boolean;
  /** Results made out to someone else than the applicant (a wrong holder), until refused back. */
  misattributeResults?: boolean;
}

/** A running simulated department system (ours, for development, the demo and tests). */
export interface RunningSimulator {
  url: string;
  setFaults(faults: Partial<SimulatorFaults>): void;
  /** Applications the system holds, one per idempotency key however often it was sent. */
  submissions(): { idempotencyKey: string; departmentRef: string; caseNumber: string }[];
  /** Requests received per route. */
  calls(): Record<string, number>;
  /** Push simulators: where to send callbacks (the hub's POST /callbacks/<name>). */
  setCallbackUrl?(url: string): void;
  /** Push simulators: a correctly signed callback carrying these events, for the conformance suite. */
  signedCallback?(
    events: {
      departmentRef: string;
      caseNumber: string;
      type: string;
      sequence: number;
      /** Decisions: who and what the result is for, when the system does not hold the application. */
      result?: { itemCode: string; holder: { name: string; idNumber: string } };
    }[],
  ): {
    headers: Record<string, string>;
    body: string;
  };
  /**
   * Simulators of departments that issue results: what the window told them about their results, in
   * the hub's terms — one entry per application however often it was told.
   */
  feedback?(): SimulatorFeedback;
  /** Simulators of departments that take supplements: the materials added per application, once per key. */
  supplements?(): { departmentRef: string; idempotencyKey: string; materialCodes: string[] }[];
  close(): Promise<void>;
}

/** What a simulated department holds of the window's result feedback (`RunningSimulator.feedback`). */
export interface SimulatorFeedback {
  refusals: { departmentRef: string; reasons: string[] }[];
  deliveries: { departmentRef: string; method: string; recipient: string; waybillNo: string | null }[];
}

/**
 * How the registry builds an adapter: its settings (parsed from the environment), the variable that
 * holds its system's URL, and its simulator, started instead when that variable is unset.
 */
export interface AdapterDefinition<Config> {
  name: string;
  config: { parse(env: Record<string, string | undefined>): Config };
  /** null for the hub's own back office, which is no remote system. */
  baseUrlVariable: string | null;
  create(config: Config, baseUrl: string, deps: AdapterDeps): DepartmentAdapter;
  startSimulator: (() => Promise<RunningSimulator>) | null;
}
