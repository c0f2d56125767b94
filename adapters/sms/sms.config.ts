import { z } from 'zod';

// Dev credentials, shared with the simulator so the all-in-one start needs no settings; refused in production.
const DEVELOPMENT_ACCESS_KEY_ID = 'sms-simulator-access-key-id';
const DEVELOPMENT_ACCESS_KEY_SECRET = 'sms-simulator-access-key-secret';

/**
 * The SMS gateway adapter's settings (SMS_*), parsed once where the registry is built. NODE_ENV is read
 * only to refuse the development credentials in production, and is not part of the result.
 */
export const smsConfigSchema = z
  .object({
    NODE_ENV: z.string().optional(),
    SMS_BASE_URL: z.url({ error: 'must be the http(s) URL of the SMS gateway (短信平台)' }).optional(),
    /** The gateway's AccessKey pair (AccessKeyId / AccessKeySecret): requests are HMAC-signed with it. */
    SMS_ACCESS_KEY_ID: z.string().min(1).default(DEVELOPMENT_ACCESS_KEY_ID),
    SMS_ACCESS_KEY_SECRET: z.string().min(1).default(DEVELOPMENT_ACCESS_KEY_SECRET),
    /** The approved signature (短信签名) every message is sent under; gateways allow 2–12 characters. */
    SMS_SIGN_NAME: z.string().min(2).max(12).default('濮阳市政务服务'),
    SMS_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5000),
    SMS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
    SMS_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  })
  .superRefine((config, ctx) => {
    if (config.NODE_ENV !== 'production') return;
    if (config.SMS_ACCESS_KEY_ID === DEVELOPMENT_ACCESS_KEY_ID)
      ctx.addIssue({
        code: 'custom',
        path: ['SMS_ACCESS_KEY_ID'],
        message:
          'required in production: the development key id is refused (set the AccessKeyId of the SMS gateway)',
      });
    if (config.SMS_ACCESS_KEY_SECRET === DEVELOPMENT_ACCESS_KEY_SECRET)
      ctx.addIssue({
        code: 'custom',
        path: ['SMS_ACCESS_KEY_SECRET'],
        message:
          'required in production: the development secret is refused (set the AccessKeySecret of the SMS gateway)',
      });
  })
  .transform(({ NODE_ENV: _, ...config }) => config);

export type SmsConfig = z.output<typeof smsConfigSchema>;
