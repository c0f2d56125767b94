import { applyCallbacks } from './apply-callbacks.job.ts';
import { issueCertificate } from './issue-certificate.job.ts';
import type { JobDefinition } from './job-definition.ts';
import { notifyApplicant } from './notify-applicant.job.ts';
import { notifyConsumers } from './notify-consumers.job.ts';
import { prepareDelivery } from './prepare-delivery.job.ts';
import { recordOnPlatform } from './record-on-platform.job.ts';
import { refuseResult } from './refuse-result.job.ts';
import { reportDelivery } from './report-delivery.job.ts';
import { shipResult } from './ship-result.job.ts';
import { supplyMaterials } from './supply-materials.job.ts';
import { syncDecisions } from './sync-decisions.job.ts';
import { transferMaterials } from './transfer-materials.job.ts';
import { watchCommitments } from './watch-commitments.job.ts';
import { watchDeadlines } from './watch-deadlines.job.ts';

/** Every job the workers run; each is one file beside this one (name, payload schema, processor). */
export const jobDefinitions: JobDefinition<unknown>[] = [
  transferMaterials as JobDefinition<unknown>,
  supplyMaterials as JobDefinition<unknown>,
  syncDecisions as JobDefinition<unknown>,
  applyCallbacks as JobDefinition<unknown>,
  refuseResult as JobDefinition<unknown>,
  recordOnPlatform as JobDefinition<unknown>,
  prepareDelivery as JobDefinition<unknown>,
  issueCertificate as JobDefinition<unknown>,
  shipResult as JobDefinition<unknown>,
  reportDelivery as JobDefinition<unknown>,
  notifyApplicant as JobDefinition<unknown>,
  notifyConsumers as JobDefinition<unknown>,
  watchDeadlines as JobDefinition<unknown>,
  watchCommitments as JobDefinition<unknown>,
];
