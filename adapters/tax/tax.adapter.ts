import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SubschemaConfig } from '@graphql-tools/delegate';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { AdapterDeps, AdapterHealth, DepartmentAdapter } from '../kit/adapter-contract.ts';
import { DepartmentError, departmentUnavailable } from '../kit/department-error.ts';
import { TaxClient } from './tax.client.ts';
import type { TaxConfig } from './tax.config.ts';
import {
  fromTaxDecision,
  toTaxApplication,
  toTaxDeliveryReport,
  toTaxMaterialSupplement,
  toTaxpayerStatus,
  toTaxResultRefusal,
} from './tax.mapping.ts';

const SDL = readFileSync(path.join(import.meta.dirname, 'tax.subschema.graphql'), 'utf8');

/** The tax bureau (税务局): REST, pull decisions, taxpayer status merged onto applicants. */
export function createTaxAdapter(
  config: TaxConfig & { TAX_BASE_URL: string },
  deps: AdapterDeps,
): DepartmentAdapter & { client: TaxClient } {
  const client = new TaxClient({
    baseUrl: config.TAX_BASE_URL,
    clientId: config.TAX_CLIENT_ID,
    clientSecret: config.TAX_CLIENT_SECRET,
    recorder: deps.recorder,
    resilience: {
      headersTimeoutMs: config.TAX_TIMEOUT_MS,
      bodyTimeoutMs: config.TAX_TIMEOUT_MS,
      maxAttempts: config.TAX_MAX_ATTEMPTS,
      concurrency: config.TAX_CONCURRENCY,
    },
  });

  return {
    name: 'tax',
    departmentCodes: ['tax'],
    client,
    async submit(pkg) {
      const answer = await client.submit(toTaxApplication(pkg), pkg.idempotencyKey);
      return { departmentRef: answer.applicationId, status: 'received' };
    },
    async pullDecisions(cursor) {
      const page = await client.decisionsSince(cursor);
      return { decisions: page.decisions.map(fromTaxDecision), cursor: page.next };
    },
    // The bureau's Idempotency-Key, derived from the task's key: a repeat of the call is the same call.
    results: {
      async refuseResult(ref, reasons) {
        await client.refuseResult(
          ref.departmentRef,
          toTaxResultRefusal(ref, reasons),
          `${ref.idempotencyKey}:result-refusal`,
        );
      },
      async reportDelivery(ref, report) {
        await client.reportDelivery(
          ref.departmentRef,
          toTaxDeliveryReport(ref, report),
          `${ref.idempotencyKey}:delivery`,
        );
      },
    },
    // The caller's key is the bureau's Idempotency-Key: each supplement of a task has its own.
    supplements: {
      async supplyMaterials(ref, materials, idempotencyKey) {
        await client.supplyMaterials(
          ref.departmentRef,
          toTaxMaterialSupplement(ref, materials),
          idempotencyKey,
        );
      },
    },
    async health(): Promise<AdapterHealth> {
      const checkedAt = new Date().toISOString();
      if (client.http.circuit === 'open')
        return { department: 'tax', state: 'down', detail: 'circuit open after failures', checkedAt };
      try {
        await client.decisionsSince(String(Number.MAX_SAFE_INTEGER));
        return {
          department: 'tax',
          state: client.http.circuit === 'closed' ? 'up' : 'degraded',
          detail: 'answers',
          checkedAt,
        };
      } catch (error) {
        return { department: 'tax', state: 'down', detail: (error as Error).message, checkedAt };
      }
    },
    subschema(): SubschemaConfig {
      const schema = makeExecutableSchema({
        typeDefs: SDL,
        resolvers: {
          Query: {
            async taxApplicants(_root: unknown, { ids }: { ids: string[] }, context: unknown) {
              const identities = await deps.identities.resolve(context, ids, 'tax status');
              let records: Map<string, Awaited<ReturnType<TaxClient['lookupTaxpayers']>>[number]>;
              try {
                const found = await client.lookupTaxpayers([
                  ...new Set([...identities.values()].map((i) => i.idNumber)),
                ]);
                records = new Map(found.map((r) => [r.idNumber, r]));
              } catch (error) {
                if (error instanceof DepartmentError) throw departmentUnavailable('tax', error.reason);
                throw error;
              }
              const checkedAt = new Date();
              return ids.map((id) => {
                const identity = identities.get(id);
                const record = identity ? records.get(identity.idNumber) : undefined;
                return { id, taxStatus: record ? toTaxpayerStatus(record, checkedAt) : null };
              });
            },
          },
        },
      });
      return {
        schema,
        // Merge rule beside the subschema: applicants gain `taxStatus`, fetched for a whole list at once.
        merge: {
          Applicant: {
            selectionSet: '{ id }',
            fieldName: 'taxApplicants',
            key: ({ id }: { id: string }) => id,
            argsFromKeys: (ids: readonly string[]) => ({ ids }),
          },
        },
      };
    },
  };
}
