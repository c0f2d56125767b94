import { z } from 'zod';
import { refuseDevelopmentCredentials } from '../kit/config-rules.ts';

/** The post adapter's settings (POST_*), parsed once where the registry is built. */
export const postConfigSchema = z
  .object({
    /** Read only to refuse development credentials in production. */
    NODE_ENV: z.string().optional(),
    POST_BASE_URL: z.url({ error: 'must be the http(s) URL of the EMS system' }).optional(),
    // Dev defaults are shared with the simulator so the all-in-one start needs no settings.
    POST_API_KEY: z.string().min(1).default('post-simulator-api-key'),
    POST_CALLBACK_SECRET: z.string().min(16).default('post-simulator-callback-secret'),
    POST_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5000),
    POST_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
    POST_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  })
  .superRefine(
    refuseDevelopmentCredentials({
      POST_API_KEY: 'post-simulator-api-key',
      POST_CALLBACK_SECRET: 'post-simulator-callback-secret',
    }),
  );

export type PostConfig = z.infer<typeof postConfigSchema>;
