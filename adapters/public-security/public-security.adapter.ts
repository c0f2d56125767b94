import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SubschemaConfig } from '@graphql-tools/delegate';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { AdapterDeps, AdapterHealth, DepartmentAdapter } from '../kit/adapter-contract.ts';
import { DepartmentError, departmentUnavailable } from '../kit/department-error.ts';
import { PublicSecurityClient, parseCallbackBody } from './public-security.client.ts';
import type { PublicSecurityConfig } from './public-security.config.ts';
import {
  fromCallbackEvents,
  type HouseholdRecord,
  toHouseholdRegistration,
  toRefuseResult,
  toReportDelivery,
  toSubmitApplication,
  toSupplyMaterials,
} from './public-security.mapping.ts';

const SDL = readFileSync(path.join(import.meta.dirname, 'public-security.subschema.graphql'), 'utf8');
const NAME = 'public_security';
const OPERATIONS = [
  'SubmitApplication',
  'GetApplicationStatus',
  'QueryHouseholdRegistrations',
  'RefuseResult',
  'ReportDelivery',
  'SupplyMaterials',
];

/**
 * The public security bureau (公安局): SOAP 1.1, decisions pushed as signed callbacks, household
 * registrations merged onto applicants.
 */
export function createPublicSecurityAdapter(
  config: PublicSecurityConfig & { PUBLIC_SECURITY_BASE_URL: string },
  deps: AdapterDeps,
): DepartmentAdapter & { client: PublicSecurityClient } {
  const client = new PublicSecurityClient({
    baseUrl: config.PUBLIC_SECURITY_BASE_URL,
    recorder: deps.recorder,
    resilience: {
      headersTimeoutMs: config.PUBLIC_SECURITY_TIMEOUT_MS,
      bodyTimeoutMs: config.PUBLIC_SECURITY_TIMEOUT_MS,
      maxAttempts: config.PUBLIC_SECURITY_MAX_ATTEMPTS,
      concurrency: config.PUBLIC_SECURITY_CONCURRENCY,
    },
  });

  return {
    name: NAME,
    departmentCodes: ['public_security'],
    client,
    async submit(pkg) {
      const answer = await client.submit(toSubmitApplication(pkg));
      return { departmentRef: answer.applicationId, status: answer.replayed ? 'duplicate' : 'received' };
    },
    results: {
      async refuseResult(ref, reasons) {
        await client.refuseResult(toRefuseResult(ref, reasons));
      },
      async reportDelivery(ref, report) {
        await client.reportDelivery(toReportDelivery(ref, report));
      },
    },
    supplements: {
      async supplyMaterials(ref, materials, idempotencyKey) {
        await client.supplyMaterials(toSupplyMaterials(ref, materials, idempotencyKey));
      },
    },
    callbacks: {
      secret: config.PUBLIC_SECURITY_CALLBACK_SECRET,
      parse: (body) => fromCallbackEvents(parseCallbackBody(body)),
    },
    async health(): Promise<AdapterHealth> {
      const checkedAt = new Date().toISOString();
      if (client.http.circuit === 'open')
        return { department: NAME, state: 'down', detail: 'circuit open after failures', checkedAt };
      try {
        // The WSDL is the cheapest answer that involves no personal data and no application.
        const service = await client.describeService();
        const missing = OPERATIONS.filter((op) => !service.operations.includes(op));
        if (missing.length > 0)
          return {
            department: NAME,
            state: 'degraded',
            detail: `the service no longer offers ${missing.join(', ')}`,
            checkedAt,
          };
        return {
          department: NAME,
          state: client.http.circuit === 'closed' ? 'up' : 'degraded',
          detail: 'answers',
          checkedAt,
        };
      } catch (error) {
        return { department: NAME, state: 'down', detail: (error as Error).message, checkedAt };
      }
    },
    subschema(): SubschemaConfig {
      const schema = makeExecutableSchema({
        typeDefs: SDL,
        resolvers: {
          Query: {
            async householdRegistrations(_root: unknown, { ids }: { ids: string[] }, context: unknown) {
              const identities = await deps.identities.resolve(context, ids, 'household registration');
              // Organisations have no household registration: only citizens are asked about.
              const citizens = [
                ...new Set(
                  [...identities.values()].filter((i) => i.idType === 'citizen_id').map((i) => i.idNumber),
                ),
              ];
              let records: Map<string, HouseholdRecord>;
              try {
                const found = await client.queryHouseholdRegistrations(citizens);
                records = new Map(found.map((r) => [r.idNumber, r]));
              } catch (error) {
                if (error instanceof DepartmentError) throw departmentUnavailable(NAME, error.reason);
                throw error;
              }
              const checkedAt = new Date();
              return ids.map((id) => {
                const identity = identities.get(id);
                const record = identity?.idType === 'citizen_id' ? records.get(identity.idNumber) : undefined;
                return {
                  id,
                  householdRegistration: record ? toHouseholdRegistration(record, checkedAt) : null,
                };
              });
            },
          },
        },
      });
      return {
        schema,
        // Merge rule beside the subschema: applicants gain `householdRegistration`, one SOAP call per list.
        merge: {
          Applicant: {
            selectionSet: '{ id }',
            fieldName: 'householdRegistrations',
            key: ({ id }: { id: string }) => id,
            argsFromKeys: (ids: readonly string[]) => ({ ids }),
          },
        },
      };
    },
  };
}
