import { z } from 'zod';
import type { CallRecorder } from '../kit/adapter-contract.ts';
import { DepartmentError } from '../kit/department-error.ts';
import { DepartmentHttp, type HttpResilience, parseJson } from '../kit/department-http.ts';
import type {
  MaterialInput,
  RegistrationInput,
  RegistrationView,
  ResultDeliveryInput,
} from './real-estate.mapping.ts';

const DEPARTMENT = 'real_estate';

/** Error codes with which the registry refuses a request for good; repeating it cannot help. */
const FINAL_CODES = new Set(['BAD_USER_INPUT', 'CONFLICT', 'FORBIDDEN', 'NOT_FOUND']);

const graphqlErrorSchema = z.object({
  message: z.string(),
  path: z.array(z.union([z.string(), z.number()])).optional(),
  extensions: z.record(z.string(), z.unknown()).optional(),
});
const envelopeSchema = z.object({
  data: z.record(z.string(), z.unknown()).nullable().optional(),
  errors: z.array(graphqlErrorSchema).optional(),
});
export type GraphQLEnvelope = z.infer<typeof envelopeSchema>;

const registrationSchema = z
  .object({
    id: z.string().min(1),
    caseRef: z.string(),
    itemCode: z.string().min(1),
    status: z.enum(['RECEIVED', 'REVIEWING', 'REGISTERED', 'REJECTED']),
    rejectionReasons: z.array(z.string()),
    decidedAt: z.string().nullable(),
    certificateKind: z.enum(['TITLE_CERTIFICATE', 'REGISTRATION_PROOF', 'INQUIRY_RESULT']).nullable(),
    certificateNumber: z.string().nullable(),
    certificateHolder: z
      .object({
        name: z.string().min(1),
        idType: z.enum(['CITIZEN_ID', 'CREDIT_CODE']),
        idNumber: z.string().min(1),
      })
      .nullable(),
  })
  // Whatever the registry issues, it says whom to: a number without a holder is a garbled answer.
  .refine((r) => r.certificateNumber === null || r.certificateHolder !== null, {
    path: ['certificateHolder'],
  });
const REGISTRATION_FIELDS =
  'id caseRef itemCode status rejectionReasons decidedAt certificateKind certificateNumber certificateHolder { name idType idNumber }';

const submitSchema = z.object({
  submitRegistration: z.object({ registration: registrationSchema, replayed: z.boolean() }),
});
const changesSchema = z.object({
  registrationsChangedSince: z.object({
    registrations: z.array(registrationSchema),
    cursor: z.string().min(1),
    hasMore: z.boolean(),
  }),
});
const feedbackReceipt = z.object({
  registration: z.object({ id: z.string().min(1), status: registrationSchema.shape.status }),
  replayed: z.boolean(),
});
const refusalSchema = z.object({ refuseRegistrationResult: feedbackReceipt });
const deliverySchema = z.object({ reportResultDelivery: feedbackReceipt });
const supplementSchema = z.object({
  supplyRegistrationMaterials: z.object({
    supplementId: z.string().min(1),
    registration: z.object({ id: z.string().min(1) }),
    replayed: z.boolean(),
  }),
});
const pingSchema = z.object({ __typename: z.literal('Query') });

/** The registry's operations the adapter sends (checked against real-estate.department.v2.graphql by a test). */
export const DOCUMENTS = {
  submit: `mutation SubmitRegistration($input: RegistrationInput!, $idempotencyKey: String!) {
  submitRegistration(input: $input, idempotencyKey: $idempotencyKey) { replayed registration { ${REGISTRATION_FIELDS} } }
}`,
  changes: `query RegistrationsChangedSince($cursor: String, $first: Int) {
  registrationsChangedSince(cursor: $cursor, first: $first) { cursor hasMore registrations { ${REGISTRATION_FIELDS} } }
}`,
  refuseResult: `mutation RefuseRegistrationResult($registrationId: ID!, $reasons: [String!]!) {
  refuseRegistrationResult(registrationId: $registrationId, reasons: $reasons) { replayed registration { id status } }
}`,
  reportDelivery: `mutation ReportResultDelivery($registrationId: ID!, $delivery: ResultDeliveryInput!) {
  reportResultDelivery(registrationId: $registrationId, delivery: $delivery) { replayed registration { id status } }
}`,
  supplyMaterials: `mutation SupplyRegistrationMaterials($registrationId: ID!, $materials: [MaterialInput!]!, $idempotencyKey: String!) {
  supplyRegistrationMaterials(registrationId: $registrationId, materials: $materials, idempotencyKey: $idempotencyKey) { supplementId replayed registration { id } }
}`,
  ping: 'query Ping { __typename }',
};

/**
 * The only code that talks to the 不动产登记中心: its GraphQL API at POST /graphql, always through the
 * kit's DepartmentHttp (timeouts, retries, breaker, call records). The registry answers invalid input
 * with HTTP 400 (permanent in the kit) and a reused idempotency key with a 200 carrying a CONFLICT
 * error, which is made permanent here.
 */
export class RealEstateClient {
  readonly http: DepartmentHttp;

  constructor(options: { baseUrl: string; recorder: CallRecorder; resilience?: Partial<HttpResilience> }) {
    this.http = new DepartmentHttp({
      department: DEPARTMENT,
      baseUrl: options.baseUrl,
      recorder: options.recorder,
      ...(options.resilience ? { resilience: options.resilience } : {}),
    });
  }

  /**
   * Sends one GraphQL request and answers the registry's envelope as it came. A 4xx answer's reason is
   * taken from its GraphQL errors (the kit keeps the raw body otherwise).
   */
  async forward(
    operation: string,
    request: { query: string; variables?: Record<string, unknown>; operationName?: string },
    caseNumber: string | null = null,
  ): Promise<GraphQLEnvelope> {
    let text: string;
    try {
      const response = await this.http.send({
        operation,
        method: 'POST',
        path: '/graphql',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
        caseNumber,
      });
      text = response.text;
    } catch (error) {
      if (error instanceof DepartmentError && error.kind === 'permanent') {
        throw new DepartmentError(DEPARTMENT, 'permanent', reasonOf(error.reason), error.status);
      }
      throw error;
    }
    return parseJson(DEPARTMENT, text, envelopeSchema, operation);
  }

  /** Runs one of the adapter's own operations and reads its data, or fails as a DepartmentError. */
  async #run<T>(
    operation: string,
    request: { query: string; variables?: Record<string, unknown> },
    schema: z.ZodType<T>,
    caseNumber: string | null = null,
  ): Promise<T> {
    const envelope = await this.forward(operation, request, caseNumber);
    if (envelope.errors?.length) {
      const reason = envelope.errors.map((e) => e.message).join('; ');
      const final = envelope.errors.some((e) => FINAL_CODES.has(String(e.extensions?.code)));
      // Other execution errors are faults on the registry's side: worth trying again later.
      throw new DepartmentError(DEPARTMENT, final ? 'permanent' : 'transient', reason);
    }
    const parsed = schema.safeParse(envelope.data);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
      throw new DepartmentError(
        DEPARTMENT,
        'malformed',
        `${operation}: the answer lacks or garbles ${fields}`,
      );
    }
    return parsed.data;
  }

  async submit(
    input: RegistrationInput,
    idempotencyKey: string,
  ): Promise<{ registration: RegistrationView; replayed: boolean }> {
    const data = await this.#run(
      'submit',
      { query: DOCUMENTS.submit, variables: { input, idempotencyKey } },
      submitSchema,
      input.caseRef,
    );
    return data.submitRegistration;
  }

  async changesSince(
    cursor: string | null,
    first = 100,
  ): Promise<{ registrations: RegistrationView[]; cursor: string; hasMore: boolean }> {
    const data = await this.#run(
      'decisions',
      { query: DOCUMENTS.changes, variables: { cursor, first } },
      changesSchema,
    );
    return data.registrationsChangedSince;
  }

  /** Sends an issued result back; the registry reviews the registration again (once per registration). */
  async refuseResult(
    registrationId: string,
    reasons: string[],
    caseNumber: string,
  ): Promise<{ status: string; replayed: boolean }> {
    const data = await this.#run(
      'result-refusal',
      { query: DOCUMENTS.refuseResult, variables: { registrationId, reasons } },
      refusalSchema,
      caseNumber,
    );
    return {
      status: data.refuseRegistrationResult.registration.status,
      replayed: data.refuseRegistrationResult.replayed,
    };
  }

  /** Tells the registry how its result was delivered (kept once per registration). */
  async reportDelivery(
    registrationId: string,
    delivery: ResultDeliveryInput,
    caseNumber: string,
  ): Promise<{ replayed: boolean }> {
    const data = await this.#run(
      'delivery-report',
      { query: DOCUMENTS.reportDelivery, variables: { registrationId, delivery } },
      deliverySchema,
      caseNumber,
    );
    return { replayed: data.reportResultDelivery.replayed };
  }

  /**
   * Adds materials owed at acceptance (容缺补交) to a registration, once per idempotency key; the key
   * with other materials is a CONFLICT (permanent).
   */
  async supplyMaterials(
    registrationId: string,
    materials: MaterialInput[],
    idempotencyKey: string,
    caseNumber: string,
  ): Promise<{ supplementId: string; replayed: boolean }> {
    const data = await this.#run(
      'material-supplement',
      { query: DOCUMENTS.supplyMaterials, variables: { registrationId, materials, idempotencyKey } },
      supplementSchema,
      caseNumber,
    );
    return {
      supplementId: data.supplyRegistrationMaterials.supplementId,
      replayed: data.supplyRegistrationMaterials.replayed,
    };
  }

  /** The cheapest question the registry answers: proves it is there and speaks GraphQL. */
  async ping(): Promise<void> {
    await this.#run('health', { query: DOCUMENTS.ping }, pingSchema);
  }
}

/** The messages of a GraphQL errors body, or the text as the kit kept it. */
function reasonOf(text: string): string {
  try {
    const body = envelopeSchema.safeParse(JSON.parse(text));
    const messages = body.success ? (body.data.errors ?? []).map((e) => e.message) : [];
    if (messages.length > 0) return messages.join('; ');
  } catch {
    // not JSON: keep the text
  }
  return text;
}
