import type { SmsMessage } from '../kit/adapter-contract.ts';

/** Pure mappings between the hub's messages and the SMS gateway's SendSms (Dysms style). */

/**
 * The templates the hub registered with the gateway (模板), with the parameters each takes. The gateway
 * holds the text (approved by the carrier) and refuses a message that lacks a parameter; each value
 * may be at most 35 characters, so long item names must be shortened by the caller.
 */
export const SMS_TEMPLATE_PARAMS = {
  /** 受理: the case was accepted. */
  OWH_ACCEPTED: ['item', 'caseNumber'],
  /** 补正: materials to be corrected, as the correction notice (补正告知书) `documentNumber` says. */
  OWH_CORRECTION: ['item', 'caseNumber', 'documentNumber'],
  /** 办结: the case was decided; `outcome` in words (准予许可 …). */
  OWH_DECIDED: ['item', 'caseNumber', 'outcome'],
  /** 待领取: the result can be picked up at `place`. */
  OWH_READY_FOR_PICKUP: ['item', 'caseNumber', 'place'],
  /** 已寄出: the result was sent by EMS under `waybillNo`. */
  OWH_SHIPPED: ['item', 'caseNumber', 'waybillNo'],
  /** 邮件退回: the post could not deliver; the result waits at `place`. */
  OWH_RETURNED: ['item', 'caseNumber', 'place'],
} as const satisfies Record<string, readonly string[]>;

export type SmsTemplateCode = keyof typeof SMS_TEMPLATE_PARAMS;

/** SendSms's own parameters; the common ones (AccessKeyId, Timestamp, Signature …) are the client's. */
export interface SendSmsParams {
  PhoneNumbers: string;
  SignName: string;
  TemplateCode: string;
  /** The template parameters as a JSON object of strings. */
  TemplateParam: string;
  /** The hub's idempotency key: the gateway sends one message per OutId. */
  OutId: string;
}

export function toSendSms(message: SmsMessage, signName: string): SendSmsParams {
  return {
    PhoneNumbers: message.to,
    SignName: signName,
    TemplateCode: message.template,
    TemplateParam: JSON.stringify(message.params),
    OutId: message.idempotencyKey,
  };
}

/** The case a message is about, for the call record (never the phone). */
export function caseNumberOf(message: SmsMessage): string | null {
  return message.params.caseNumber ?? null;
}

/** Gateway codes that may pass (flow control, the gateway's own faults); every other code is a refusal. */
const TRANSIENT_CODES = new Set([
  'isv.BUSINESS_LIMIT_CONTROL',
  'isp.SYSTEM_ERROR',
  'Throttling',
  'Throttling.User',
  'ServiceUnavailable',
  'InternalError',
]);

export function errorKindOf(code: string): 'transient' | 'permanent' {
  return TRANSIENT_CODES.has(code) ? 'transient' : 'permanent';
}

const MOBILE_NUMBER = /(?<!\d)(?:86)?1[3-9]\d{9}(?!\d)/g;

/**
 * Masks mainland mobile numbers (139****0000) in a gateway's text: a reason ends up in job failures and
 * logs, and some gateways echo the request (Dysms's SignatureDoesNotMatch carries its string-to-sign).
 */
export function maskMobileNumbers(text: string): string {
  return text.replace(MOBILE_NUMBER, (n) => `${n.slice(0, -8)}****${n.slice(-4)}`);
}

/** The gateway's reason as `Code: Message`, with any mobile number masked. */
export function describeRefusal(code: string, message: string | undefined): string {
  const text = maskMobileNumbers(message ?? '');
  return text ? `${code}: ${text}` : code;
}
