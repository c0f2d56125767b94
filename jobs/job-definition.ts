import { z } from 'zod';
import type { DepartmentAdapter } from '../adapters/kit/adapter-contract.ts';
import type { Logger } from '../adapters/kit/logger.ts';
import type { CertificateServices } from '../db/certificates/certificate-services.ts';
import type { HubEntityManager } from '../db/orm.ts';

/** What a processor gets besides its payload: a fresh entity manager for this run only. */
export interface JobContext {
  em: HubEntityManager;
  logger: Logger;
  jobId: string;
  /** 1 on the first run, 2 on the first retry, … */
  attempt: number;
  /** The department adapters of the registry. */
  adapters: readonly DepartmentAdapter[];
  /** The current time (tests move it). */
  now(): Date;
  /** Certificate signing keys and archive; absent in a worker started without them. */
  certificates?: CertificateServices | null;
}

/**
 * One job: its name, the queue it runs on, the payload schema (ids only: job data sits in Redis in
 * clear text, so personal data never goes in), retry policy and processor. A processor re-reads
 * state, returns early when the work is already done, and is safe to run twice.
 */
export interface JobDefinition<Payload = unknown> {
  name: string;
  queue: string;
  payload: z.ZodType<Payload>;
  /** Total runs before the job is dead-lettered (default 8). */
  attempts?: number;
  /** First retry delay in ms; doubles each retry, with jitter (default 2000). */
  backoffMs?: number;
  /** Outbox topics that start this job (the relay enqueues it with an {@link OutboxPayload}). */
  topics?: string[];
  process(payload: Payload, context: JobContext): Promise<unknown>;
}

export function defineJob<Payload>(definition: JobDefinition<Payload>): JobDefinition<Payload> {
  if (!/^[a-z][a-z0-9-]*$/.test(definition.name)) {
    throw new Error(`job name "${definition.name}" must be kebab-case`);
  }
  if (!/^[a-z][a-z0-9-]*$/.test(definition.queue)) {
    throw new Error(`queue name "${definition.queue}" must be kebab-case`);
  }
  return definition;
}

/** What the relay puts in a job started by an outbox event: ids and the topic, nothing personal. */
export const outboxPayload = z
  .object({ outboxId: z.number().int(), caseId: z.uuid(), topic: z.string().regex(/^[a-z_]+\.[a-z_]+$/) })
  .strict();
export type OutboxPayload = z.infer<typeof outboxPayload>;
