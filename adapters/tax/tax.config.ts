import { z } from 'zod';
import { refuseDevelopmentCredentials } from '../kit/config-rules.ts';

/** The tax adapter's settings (TAX_*), parsed once where the registry is built. */
export const taxConfigSchema = z
  .object({
    /** Read only to refuse development credentials in production. */
    NODE_ENV: z.string().optional(),
    TAX_BASE_URL: z.url({ error: 'must be the http(s) URL of the tax bureau system' }).optional(),
    TAX_CLIENT_ID: z.string().min(1).default('onewindow-hub'),
    TAX_CLIENT_SECRET: z.string().min(1).default('tax-simulator-secret'),
    TAX_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5000),
    TAX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
    TAX_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  })
  .superRefine(refuseDevelopmentCredentials({ TAX_CLIENT_SECRET: 'tax-simulator-secret' }));

export type TaxConfig = z.infer<typeof taxConfigSchema>;
