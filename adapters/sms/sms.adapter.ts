import type { AdapterDeps, AdapterHealth, DepartmentAdapter, SmsGateway } from '../kit/adapter-contract.ts';
import { DepartmentError } from '../kit/department-error.ts';
import { SmsClient } from './sms.client.ts';
import type { SmsConfig } from './sms.config.ts';
import { caseNumberOf, toSendSms } from './sms.mapping.ts';

/** The SMS adapter: always has its gateway. */
export type SmsAdapter = DepartmentAdapter & { client: SmsClient; sms: SmsGateway };

const SIGN_STATES: Record<number, string> = { 0: 'awaiting approval', 1: 'approved', 2: 'refused' };

/**
 * The SMS gateway (短信平台) applicants are notified through: accepted, correction required, decided,
 * ready for pickup, shipped, returned. Not a catalogue department: it carries no department tasks.
 * Phone numbers go to the gateway in the signed request body only; they are never logged, and the
 * kit's call records keep path, status and case number, not bodies.
 */
export function createSmsAdapter(
  config: SmsConfig & { SMS_BASE_URL: string },
  deps: AdapterDeps,
): SmsAdapter {
  const client = new SmsClient({
    baseUrl: config.SMS_BASE_URL,
    accessKeyId: config.SMS_ACCESS_KEY_ID,
    accessKeySecret: config.SMS_ACCESS_KEY_SECRET,
    recorder: deps.recorder,
    resilience: {
      headersTimeoutMs: config.SMS_TIMEOUT_MS,
      bodyTimeoutMs: config.SMS_TIMEOUT_MS,
      maxAttempts: config.SMS_MAX_ATTEMPTS,
      concurrency: config.SMS_CONCURRENCY,
    },
  });

  return {
    name: 'sms',
    departmentCodes: [],
    client,
    sms: {
      async send(message) {
        // Dysms takes a comma-separated list in PhoneNumbers: one message must never reach several people.
        if (/[,，]/.test(message.to))
          throw new DepartmentError('sms', 'permanent', 'one mobile number per message, not a list');
        const answer = await client.sendSms(toSendSms(message, config.SMS_SIGN_NAME), caseNumberOf(message));
        return { messageId: answer.bizId, status: answer.replayed ? 'duplicate' : 'accepted' };
      },
    },
    async submit() {
      throw new DepartmentError(
        'sms',
        'permanent',
        'the SMS gateway carries no department tasks; notifications go through its `sms` gateway',
      );
    },
    async health(): Promise<AdapterHealth> {
      const checkedAt = new Date().toISOString();
      if (client.http.circuit === 'open')
        return { department: 'sms', state: 'down', detail: 'circuit open after failures', checkedAt };
      try {
        const sign = await client.querySign(config.SMS_SIGN_NAME);
        const detail = `answers; signature ${SIGN_STATES[sign.status] ?? `in state ${sign.status}`}`;
        // Messages under a signature that is not approved are refused: no notification can go out.
        if (sign.status !== 1)
          return { department: 'sms', state: 'down', detail: `${detail} ${sign.reason}`.trim(), checkedAt };
        return {
          department: 'sms',
          state: client.http.circuit === 'closed' ? 'up' : 'degraded',
          detail,
          checkedAt,
        };
      } catch (error) {
        return { department: 'sms', state: 'down', detail: (error as Error).message, checkedAt };
      }
    },
  };
}
