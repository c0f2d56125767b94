import { z } from 'zod';

/**
 * The secret the simulator signs its callbacks with when nothing else is configured. Only for
 * development, the demo and tests: a real bureau's secret must be set (see the refinement below).
 */
export const DEVELOPMENT_CALLBACK_SECRET = 'public-security-simulator-callback-secret';

/** The public security adapter's settings (PUBLIC_SECURITY_*), parsed once where the registry is built. */
export const publicSecurityConfigSchema = z
  .object({
    PUBLIC_SECURITY_BASE_URL: z
      .url({ error: 'must be the http(s) URL of the public security approval system' })
      .optional(),
    /** Shared secret of the bureau's signed callbacks (Standard Webhooks). */
    PUBLIC_SECURITY_CALLBACK_SECRET: z
      .string()
      .min(16, { error: 'must be at least 16 characters' })
      .default(DEVELOPMENT_CALLBACK_SECRET),
    PUBLIC_SECURITY_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5000),
    PUBLIC_SECURITY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
    PUBLIC_SECURITY_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  })
  // Against a real bureau the development secret would let anyone who read this file forge decisions.
  .refine(
    (c) => !c.PUBLIC_SECURITY_BASE_URL || c.PUBLIC_SECURITY_CALLBACK_SECRET !== DEVELOPMENT_CALLBACK_SECRET,
    {
      error: 'PUBLIC_SECURITY_CALLBACK_SECRET must be set to the secret agreed with the bureau',
      path: ['PUBLIC_SECURITY_CALLBACK_SECRET'],
    },
  );

export type PublicSecurityConfig = z.infer<typeof publicSecurityConfigSchema>;
