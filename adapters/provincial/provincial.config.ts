import { z } from 'zod';
import { refuseDevelopmentCredentials } from '../kit/config-rules.ts';

/** The provincial platform adapter's settings (PROVINCIAL_*), parsed once where the registry is built. */
export const provincialConfigSchema = z
  .object({
    /** Read only to refuse development credentials in production. */
    NODE_ENV: z.string().optional(),
    PROVINCIAL_BASE_URL: z
      .url({ error: 'must be the http(s) URL of the provincial service platform' })
      .optional(),
    // Dev default shared with the simulator so the all-in-one start needs no settings.
    PROVINCIAL_TOKEN: z.string().min(1).default('provincial-simulator-token'),
    PROVINCIAL_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5000),
    PROVINCIAL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
    PROVINCIAL_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  })
  .superRefine(refuseDevelopmentCredentials({ PROVINCIAL_TOKEN: 'provincial-simulator-token' }));

export type ProvincialConfig = z.infer<typeof provincialConfigSchema>;
