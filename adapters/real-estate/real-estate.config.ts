import { z } from 'zod';

/** The real-estate registry adapter's settings (REAL_ESTATE_*), parsed once where the registry is built. */
export const realEstateConfigSchema = z.object({
  REAL_ESTATE_BASE_URL: z
    .url({ error: 'must be the http(s) URL of the real-estate registration system' })
    .optional(),
  REAL_ESTATE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5000),
  REAL_ESTATE_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  REAL_ESTATE_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
});

export type RealEstateConfig = z.infer<typeof realEstateConfigSchema>;
