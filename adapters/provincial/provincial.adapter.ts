import type {
  AdapterDeps,
  AdapterHealth,
  CasePackage,
  DepartmentAdapter,
  PlatformStatusChange,
  PlatformStatusResult,
  SubmitResult,
} from '../kit/adapter-contract.ts';
import { ProvincialClient } from './provincial.client.ts';
import type { ProvincialConfig } from './provincial.config.ts';
import {
  type PreAcceptanceResult,
  toAcceptanceRecord,
  toPreAcceptanceRecord,
  toStatusRecord,
} from './provincial.mapping.ts';

export type ProvincialAdapter = DepartmentAdapter & {
  client: ProvincialClient;
  /** Records an online pre-acceptance result on the platform (R-F5), once per idempotency key. */
  recordPreAcceptance(result: PreAcceptanceResult): Promise<SubmitResult>;
  /** Records a later step of an accepted case (退办, 办结, 送达, 容缺补齐), once per idempotency key. */
  recordStatusChange(change: PlatformStatusChange): Promise<PlatformStatusResult>;
};

/**
 * The provincial service platform (河南政务服务网): not a catalogue department and never decides;
 * the hall records every acceptance (R-F1) and online pre-acceptance result (R-F5) there, and each
 * later step of an accepted case. The platform takes those steps only for a case whose acceptance it
 * holds; that refusal is answered as `case_not_accepted`, for the hub to judge whether the acceptance
 * is merely still on its way.
 */
export function createProvincialAdapter(
  config: ProvincialConfig & { PROVINCIAL_BASE_URL: string },
  deps: AdapterDeps,
): ProvincialAdapter {
  const client = new ProvincialClient({
    baseUrl: config.PROVINCIAL_BASE_URL,
    token: config.PROVINCIAL_TOKEN,
    recorder: deps.recorder,
    resilience: {
      headersTimeoutMs: config.PROVINCIAL_TIMEOUT_MS,
      bodyTimeoutMs: config.PROVINCIAL_TIMEOUT_MS,
      maxAttempts: config.PROVINCIAL_MAX_ATTEMPTS,
      concurrency: config.PROVINCIAL_CONCURRENCY,
    },
  });

  const submit = async (pkg: CasePackage): Promise<SubmitResult> => {
    const answer = await client.recordAcceptance(toAcceptanceRecord(pkg), pkg.idempotencyKey);
    return { departmentRef: answer.recordId, status: answer.replayed ? 'duplicate' : 'received' };
  };
  const recordPreAcceptance = async (result: PreAcceptanceResult): Promise<SubmitResult> => {
    const answer = await client.recordPreAcceptance(toPreAcceptanceRecord(result), result.idempotencyKey);
    return { departmentRef: answer.recordId, status: answer.replayed ? 'duplicate' : 'received' };
  };
  const recordStatusChange = async (change: PlatformStatusChange): Promise<PlatformStatusResult> => {
    const answer = await client.recordStatusChange(toStatusRecord(change), change.idempotencyKey);
    if ('notAccepted' in answer) return { status: 'case_not_accepted', reason: answer.notAccepted };
    return { departmentRef: answer.recordId, status: answer.replayed ? 'duplicate' : 'received' };
  };
  return {
    name: 'provincial',
    departmentCodes: [],
    client,
    submit,
    recordPreAcceptance,
    recordStatusChange,
    platform: { acceptance: submit, preAcceptance: recordPreAcceptance, statusChange: recordStatusChange },
    async health(): Promise<AdapterHealth> {
      const checkedAt = new Date().toISOString();
      if (client.http.circuit === 'open')
        return { department: 'provincial', state: 'down', detail: 'circuit open after failures', checkedAt };
      try {
        await client.ping();
        return {
          department: 'provincial',
          state: client.http.circuit === 'closed' ? 'up' : 'degraded',
          detail: 'answers',
          checkedAt,
        };
      } catch (error) {
        return { department: 'provincial', state: 'down', detail: (error as Error).message, checkedAt };
      }
    },
  };
}
