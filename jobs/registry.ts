import { applyCallbacks } from './apply-callbacks.job.ts';
import type { JobDefinition } from './job-definition.ts';
import { recordOnPlatform } from './record-on-platform.job.ts';
import { syncDecisions } from './sync-decisions.job.ts';
import { transferMaterials } from './transfer-materials.job.ts';
import { watchCommitments } from './watch-commitments.job.ts';
import { watchDeadlines } from './watch-deadlines.job.ts';

/** Every job the workers run; each is one file beside this one (name, payload schema, processor). */
export const jobDefinitions: JobDefinition<unknown>[] = [
  transferMaterials as JobDefinition<unknown>,
  syncDecisions as JobDefinition<unknown>,
  applyCallbacks as JobDefinition<unknown>,
  recordOnPlatform as JobDefinition<unknown>,
  watchDeadlines as JobDefinition<unknown>,
  watchCommitments as JobDefinition<unknown>,
];
