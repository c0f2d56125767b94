import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import type { CallRecorder } from '../kit/adapter-contract.ts';
import { DepartmentError } from '../kit/department-error.ts';
import { DepartmentHttp, type HttpResilience, parseJson } from '../kit/department-http.ts';
import type {
  ApplicationStatusView,
  CallbackEventView,
  HouseholdRecord,
  RefuseResultFields,
  ReportDeliveryFields,
  SubmitApplicationFields,
  SupplyMaterialsFields,
} from './public-security.mapping.ts';

const DEPARTMENT = 'public_security';
const SOAP_ENVELOPE_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
/** The bureau's approval service namespace; SOAPActions are `<namespace>/<operation>`. */
export const APPROVAL_NS = 'http://gat.henan.gov.cn/approval/v1';
export const APPROVAL_PATH = '/ws/approval';
/** The bureau answers at most this many people per QueryHouseholdRegistrations. */
const HOUSEHOLD_BATCH = 200;

type SoapOperation =
  | 'SubmitApplication'
  | 'GetApplicationStatus'
  | 'QueryHouseholdRegistrations'
  | 'RefuseResult'
  | 'ReportDelivery'
  | 'SupplyMaterials';

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_' });
/**
 * Prefixes are dropped: a SOAP stack may call the envelope `soap:`, `S:` or `SOAP-ENV:` and the
 * bureau's namespace anything; values stay strings, so identity numbers keep their leading zeros.
 */
const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false,
  isArray: (name) => name === 'reason' || name === 'registration',
});
const wsdlParser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  isArray: (name) => name === 'operation' || name === 'port' || name === 'portType',
});

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const count = z
  .string()
  .regex(/^\d+$/)
  .transform((v) => Number(v));
const applicationStatus = z.enum(['RECEIVED', 'IN_REVIEW', 'APPROVED', 'REJECTED']);

/** A decision document as the bureau writes it, in SOAP answers and callbacks alike: whom it is made out to. */
const certificateSchema = z.object({
  name: z.string().min(1),
  number: z.string().min(1),
  itemCode: z.string().min(1),
  holder: z.object({
    idType: z.enum(['111', '001']),
    idNumber: z.string().min(1),
    name: z.string().min(1),
  }),
});

const submitSchema = z.object({
  applicationId: z.string().min(1),
  status: applicationStatus,
  replayed: flag,
});
const statusSchema = z.object({
  applicationId: z.string().min(1),
  caseRef: z.string(),
  status: applicationStatus,
  reason: z.array(z.string()).optional(),
  decidedAt: z.string().optional(),
  certificate: certificateSchema.optional(),
  sequence: count,
});
const refuseResultSchema = z.object({
  applicationId: z.string().min(1),
  status: applicationStatus,
  replayed: flag,
});
const reportDeliverySchema = z.object({ applicationId: z.string().min(1), replayed: flag });
const supplyMaterialsSchema = z.object({
  applicationId: z.string().min(1),
  supplementId: z.string().min(1),
  replayed: flag,
});
const householdSchema = z.object({
  registration: z
    .array(
      z.discriminatedUnion('found', [
        z.object({
          found: z.literal('true'),
          idNumber: z.string(),
          address: z.string().min(1),
          relationToHead: z.string().min(1),
          policeStation: z.string().min(1),
          status: z.enum(['NORMAL', 'MIGRATED_OUT', 'DECEASED']),
        }),
        z.object({ found: z.literal('false'), idNumber: z.string() }),
      ]),
    )
    .optional(),
});

const eventBase = {
  applicationId: z.string().min(1),
  caseRef: z.string().min(1),
  sequence: z.number().int().nonnegative(),
  occurredAt: z.iso.datetime({ offset: true }),
};
const decisionEventSchema = z.object({
  ...eventBase,
  status: z.enum(['approved', 'rejected']),
  reasons: z.array(z.string()),
  certificate: certificateSchema.nullable(),
});
const progressEventSchema = z.object({ ...eventBase, stage: z.string() });
const callbackSchema = z.object({
  events: z.array(z.looseObject({ type: z.string().min(1), ...eventBase })).min(1),
});

/** Wraps an operation's fields, all in the bureau's namespace, in a SOAP 1.1 envelope. */
function envelope(operation: SoapOperation, fields: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="utf-8"?>${builder.build({
    'soapenv:Envelope': {
      '@_xmlns:soapenv': SOAP_ENVELOPE_NS,
      '@_xmlns:gat': APPROVAL_NS,
      'soapenv:Body': { [`gat:${operation}`]: qualified(fields) },
    },
  })}`;
}

/** Element names in the bureau's namespace (elementFormDefault="qualified"); absent values are left out. */
function qualified(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(qualified);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => [`gat:${k}`, qualified(v)]),
  );
}

const malformed = (what: string, reason: string) =>
  new DepartmentError(DEPARTMENT, 'malformed', `${what}: ${reason}`);

/** The SOAP Body of an answer, or `malformed` when the answer is not a well-formed SOAP envelope. */
function soapBody(text: string, what: string): Record<string, unknown> {
  if (XMLValidator.validate(text) !== true) throw malformed(what, 'the answer is not well-formed XML');
  const document = parser.parse(text) as { Envelope?: { Body?: unknown } };
  const body = document.Envelope?.Body;
  if (body === '') return {};
  if (!body || typeof body !== 'object') throw malformed(what, 'the answer is not a SOAP envelope');
  return body as Record<string, unknown>;
}

interface SoapFault {
  /** Local part of the faultcode (`Client`, `Server`, or a dotted refinement such as `Client.Auth`). */
  code: string;
  message: string;
}

function faultOf(body: Record<string, unknown>): SoapFault | null {
  const fault = body.Fault as { faultcode?: unknown; faultstring?: unknown } | undefined;
  if (!fault || typeof fault !== 'object') return null;
  const code = typeof fault.faultcode === 'string' ? (fault.faultcode.split(':').pop() ?? '') : '';
  const message = typeof fault.faultstring === 'string' ? fault.faultstring : '';
  return { code, message: message || `SOAP fault ${code || 'without a code'}` };
}

/** The faultstring of a failed answer, read up to where it ends if the envelope is cut short or broken. */
function faultstringOf(text: string): string | null {
  try {
    const fault = faultOf(soapBody(text, 'fault'));
    if (fault) return fault.message;
  } catch {
    // cut short or not XML: look for the element itself
  }
  const open = /<(?:[\w.-]+:)?faultstring(?:\s[^>]*)?>([^<]*)/.exec(text)?.[1];
  if (open === undefined) return null;
  const decoded = (parser.parse(`<f>${open.replace(/&[^;]*$/, '')}</f>`) as { f?: unknown }).f;
  return typeof decoded === 'string' && decoded.length > 0 ? decoded : null;
}

/**
 * A failed answer read as the SOAP 1.1 binding defines it: a Client fault (the request is wrong) is
 * permanent, a Server fault (the bureau failed) is retried — whatever the HTTP status a strict or a
 * sloppy stack sends it with — and either way the bureau's faultstring is the reason.
 */
export function classifyFault(
  status: number,
  text: string,
): { kind: 'transient' | 'permanent'; reason: string } | null {
  let fault: SoapFault | null = null;
  try {
    fault = faultOf(soapBody(text, 'fault'));
  } catch {
    // not a readable envelope: the faultstring may still be found in the text below
  }
  const code =
    fault?.code ?? /<(?:[\w.-]+:)?faultcode(?:\s[^>]*)?>(?:[\w.-]+:)?([^<]*)/.exec(text)?.[1] ?? null;
  const reason = fault?.message ?? faultstringOf(text);
  if (!code && !reason) return null;
  const kind = code
    ? code.startsWith('Server')
      ? 'transient'
      : 'permanent'
    : status >= 500
      ? 'transient'
      : 'permanent';
  return { kind, reason: reason ?? `SOAP fault ${code}` };
}

/**
 * The only code that talks to the public security bureau: SOAP 1.1 over HTTP (document/literal,
 * `text/xml`, a SOAPAction per operation), through the kit's resilient HTTP. Client faults come as
 * HTTP 400 and are permanent with the bureau's faultstring; Server faults come as HTTP 5xx and are
 * retried, then transient.
 */
export class PublicSecurityClient {
  readonly http: DepartmentHttp;

  constructor(options: { baseUrl: string; recorder: CallRecorder; resilience?: Partial<HttpResilience> }) {
    this.http = new DepartmentHttp({
      department: DEPARTMENT,
      baseUrl: options.baseUrl,
      recorder: options.recorder,
      ...(options.resilience ? { resilience: options.resilience } : {}),
      classify: classifyFault,
    });
  }

  async #call<T>(
    operation: SoapOperation,
    recordAs: string,
    fields: Record<string, unknown>,
    schema: z.ZodType<T>,
    caseNumber: string | null = null,
  ): Promise<T> {
    const response = await this.http.send({
      operation: recordAs,
      method: 'POST',
      path: APPROVAL_PATH,
      headers: {
        'content-type': 'text/xml; charset=utf-8',
        soapaction: `"${APPROVAL_NS}/${operation}"`,
        accept: 'text/xml',
      },
      body: envelope(operation, fields),
      caseNumber,
    });
    const text = response.text;
    const body = soapBody(text, operation);
    const fault = faultOf(body);
    if (fault) {
      // A fault with HTTP 200 breaks the SOAP 1.1 binding, but some stacks send it; it is not retried.
      const kind = fault.code.startsWith('Server') ? 'transient' : 'permanent';
      throw new DepartmentError(DEPARTMENT, kind, fault.message);
    }
    const result = body[`${operation}Response`];
    const parsed = schema.safeParse(result === '' ? {} : result);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
      throw malformed(operation, `the answer lacks or garbles ${fields || `${operation}Response`}`);
    }
    return parsed.data;
  }

  /** SubmitApplication: the bureau applies one application per idempotency key. */
  async submit(
    application: SubmitApplicationFields,
  ): Promise<{ applicationId: string; status: string; replayed: boolean }> {
    const { materials, ...rest } = application;
    return this.#call(
      'SubmitApplication',
      'submit',
      { ...rest, material: materials },
      submitSchema,
      application.caseRef,
    );
  }

  async applicationStatus(applicationId: string): Promise<ApplicationStatusView> {
    const view = await this.#call(
      'GetApplicationStatus',
      'application-status',
      { applicationId },
      statusSchema,
    );
    return {
      applicationId: view.applicationId,
      caseRef: view.caseRef,
      status: view.status,
      reasons: view.reason ?? [],
      decidedAt: view.decidedAt || null,
      certificate: view.certificate ?? null,
      sequence: view.sequence,
    };
  }

  /**
   * RefuseResult: the window sends an issued result back; the bureau reviews the application again and
   * pushes a new decision. The bureau keeps one refusal per application (a repeat is `replayed`).
   */
  async refuseResult(fields: RefuseResultFields): Promise<{ status: string; replayed: boolean }> {
    const answer = await this.#call(
      'RefuseResult',
      'result-refusal',
      { ...fields },
      refuseResultSchema,
      fields.caseRef,
    );
    return { status: answer.status, replayed: answer.replayed };
  }

  /** ReportDelivery: how the result reached the applicant; kept once per application. */
  async reportDelivery(fields: ReportDeliveryFields): Promise<{ replayed: boolean }> {
    const answer = await this.#call(
      'ReportDelivery',
      'delivery-report',
      { ...fields },
      reportDeliverySchema,
      fields.caseRef,
    );
    return { replayed: answer.replayed };
  }

  /**
   * SupplyMaterials: materials the applicant owed at acceptance (容缺补交), added to the application
   * once per idempotency key (a repeat is `replayed`; the key with other materials is a Client fault).
   */
  async supplyMaterials(fields: SupplyMaterialsFields): Promise<{ supplementId: string; replayed: boolean }> {
    const { materials, ...rest } = fields;
    const answer = await this.#call(
      'SupplyMaterials',
      'material-supplement',
      { ...rest, material: materials },
      supplyMaterialsSchema,
      fields.caseRef,
    );
    return { supplementId: answer.supplementId, replayed: answer.replayed };
  }

  /** Household registrations of a list of citizens: one call per 200 people; those not registered are left out. */
  async queryHouseholdRegistrations(idNumbers: readonly string[]): Promise<HouseholdRecord[]> {
    const records: HouseholdRecord[] = [];
    for (let start = 0; start < idNumbers.length; start += HOUSEHOLD_BATCH) {
      const answer = await this.#call(
        'QueryHouseholdRegistrations',
        'household-lookup',
        { idNumber: idNumbers.slice(start, start + HOUSEHOLD_BATCH) },
        householdSchema,
      );
      for (const r of answer.registration ?? []) {
        if (r.found === 'true') {
          records.push({
            idNumber: r.idNumber,
            address: r.address,
            relationToHead: r.relationToHead,
            policeStation: r.policeStation,
            status: r.status,
          });
        }
      }
    }
    return records;
  }

  /** Reads the service's WSDL: its namespace, operations and endpoint (also the health probe). */
  async describeService(): Promise<{
    targetNamespace: string;
    operations: string[];
    endpoint: string | null;
  }> {
    const response = await this.http.send({
      operation: 'wsdl',
      method: 'GET',
      path: `${APPROVAL_PATH}?wsdl`,
      headers: { accept: 'text/xml' },
    });
    if (XMLValidator.validate(response.text) !== true)
      throw malformed('wsdl', 'the WSDL is not well-formed XML');
    const wsdl = wsdlParser.parse(response.text) as {
      definitions?: {
        targetNamespace?: string;
        portType?: { operation?: { name?: string }[] }[];
        service?: { port?: { address?: { location?: string } }[] };
      };
    };
    const definitions = wsdl.definitions;
    if (!definitions?.targetNamespace) throw malformed('wsdl', 'the answer is not a WSDL 1.1 document');
    return {
      targetNamespace: definitions.targetNamespace,
      operations: (definitions.portType ?? []).flatMap((p) =>
        (p.operation ?? []).flatMap((o) => o.name ?? []),
      ),
      endpoint: definitions.service?.port?.[0]?.address?.location ?? null,
    };
  }
}

/** Reads a callback body the hub has verified; unknown event types pass with their common fields only. */
export function parseCallbackBody(body: Buffer): CallbackEventView[] {
  const { events } = parseJson(DEPARTMENT, body.toString('utf8'), callbackSchema, 'callback');
  return events.map((event, index): CallbackEventView => {
    if (event.type === 'decision')
      return { type: 'decision', ...checkedEvent(decisionEventSchema, event, index) };
    if (event.type === 'progress')
      return { type: 'progress', ...checkedEvent(progressEventSchema, event, index) };
    const { applicationId, caseRef, sequence, occurredAt } = event;
    return { type: 'other', name: event.type, applicationId, caseRef, sequence, occurredAt };
  });
}

function checkedEvent<T>(schema: z.ZodType<T>, event: { type: string }, index: number): T {
  const parsed = schema.safeParse(event);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
  throw malformed('callback', `event ${index} (${event.type}) lacks or garbles ${fields}`);
}
