import { z } from 'zod';
import { baseConfigSchema, ConfigError, parseEnv } from '../jobs/config.ts';

export { ConfigError };

const portSchema = z.coerce.number().int().min(0).max(65535);

/** The gateway's settings: the common ones plus HTTP, tokens and GraphQL limits. */
export const configSchema = baseConfigSchema.extend({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: portSchema.default(4000),
  /** JSON Web Key Set (JSON text) with the public keys that verify bearer tokens. Required in production. */
  AUTH_JWKS: z.string().optional(),
  AUTH_ISSUER: z.string().min(1).default('onewindow-hub'),
  AUTH_AUDIENCE: z.string().min(1).default('onewindow-hub'),
  /** Largest accepted GraphQL request body, in bytes. */
  GRAPHQL_BODY_LIMIT: z.coerce
    .number()
    .int()
    .min(1024)
    .max(10 * 1024 * 1024)
    .default(100 * 1024),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).max(50).default(12),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).max(1000).default(30),
  GRAPHQL_MAX_DIRECTIVES: z.coerce.number().int().min(0).max(1000).default(50),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(100).max(100_000).default(5000),
  GRAPHQL_MAX_COST: z.coerce.number().int().min(100).max(1_000_000).default(60_000),
  /**
   * `on`: queries run by their cached plan (gateway/plan/); `off`: every operation runs through
   * stitching, as a way back should a plan ever answer differently.
   */
  GATEWAY_PLANNER: z.enum(['on', 'off']).default('on'),
  /**
   * Persisted documents: manifest files (comma-separated paths), each `{ "<sha256>": "<document>" }`
   * or an Apollo persisted query manifest. Clients may then send a `documentId` instead of the text.
   */
  GRAPHQL_PERSISTED_DOCUMENTS: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((f) => f.trim())
        .filter(Boolean),
    ),
  /** `true`: only persisted documents run (a safelist); needs GRAPHQL_PERSISTED_DOCUMENTS. */
  GRAPHQL_PERSISTED_ONLY: z.enum(['true', 'false']).default('false'),
});

export type HubConfig = z.infer<typeof configSchema>;

export function loadConfig(env: Record<string, string | undefined>): HubConfig {
  const config = parseEnv(configSchema, env);
  if (config.NODE_ENV === 'production' && !config.AUTH_JWKS) {
    throw new ConfigError([
      'AUTH_JWKS: required in production (the public JSON Web Key Set that verifies bearer tokens)',
    ]);
  }
  if (config.GRAPHQL_PERSISTED_ONLY === 'true' && config.GRAPHQL_PERSISTED_DOCUMENTS.length === 0) {
    throw new ConfigError([
      'GRAPHQL_PERSISTED_ONLY: needs GRAPHQL_PERSISTED_DOCUMENTS (the manifests of the documents that may run)',
    ]);
  }
  return config;
}

export function isProduction(config: HubConfig): boolean {
  return config.NODE_ENV === 'production';
}
