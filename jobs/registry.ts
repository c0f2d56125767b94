import type { JobDefinition } from './job-definition.ts';

/**
 * Every job the workers run. Each job is one file beside this one (name, payload schema, processor);
 * adding a job means adding its definition here. Empty until the first pipeline lands.
 */
export const jobDefinitions: JobDefinition<unknown>[] = [];
