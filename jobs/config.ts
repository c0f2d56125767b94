import { z } from 'zod';
import { CertificateKeyError } from '../db/certificates/certificate-keys.ts';
import {
  type CertificateServices,
  loadCertificateServices,
} from '../db/certificates/certificate-services.ts';

/**
 * Settings every process of the hub reads (database, Redis, queues, logging). The gateway's settings
 * extend these (gateway/config.ts). Parsed once at start-up; nothing deeper reads process.env.
 */
export const baseConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' })
    .optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  /** Where uploaded materials and rendered documents are kept (content-addressed); default DATA_DIR/blobs. */
  BLOB_DIR: z.string().min(1).optional(),
  /** Largest accepted upload, in bytes (default 20 MiB). */
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .default(20 * 1024 * 1024),
  REDIS_URL: z
    .url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' })
    .default('redis://127.0.0.1:6379'),
  /** Prefix of every BullMQ key, so several hubs (or test runs) can share one Redis. */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only')
    .default('owh'),
  /** Jobs a worker runs at once per queue. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(4),
  /** Per-queue overrides, e.g. `transfers=8,decisions=2`. */
  WORKER_QUEUE_CONCURRENCY: z
    .string()
    .regex(/^([a-z][a-z0-9-]*=\d{1,3})(,[a-z][a-z0-9-]*=\d{1,3})*$/, 'a list like transfers=8,decisions=2')
    .transform((text) =>
      Object.fromEntries(text.split(',').map((pair) => [pair.split('=')[0]!, Number(pair.split('=')[1])])),
    )
    .optional(),
  /**
   * How long a worker's hold on a running job lasts without being renewed: a worker that dies (kill -9,
   * power loss) gives its jobs back to the others after about this long.
   */
  WORKER_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** JWK set (JSON text or a file path) with the keys that sign electronic certificates. Required in production. */
  CERT_SIGNING_KEYS: z.string().optional(),
  /** Which algorithm signs certificates: Ed25519 (`EdDSA`) or `SM2` (SM2 with SM3). */
  CERT_SIGNING_ALG: z.enum(['EdDSA', 'SM2']).default('EdDSA'),
  /** The hub's URL as consumers reach it: certificate tokens link their status lists under it. */
  /** Unset: the hub on this machine at PORT (development); required in production. */
  HUB_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  /** The gateway's port, read here so that tokens name the hub's own address by default. */
  PORT: z.coerce.number().int().min(0).max(65_535).optional(),
});

export type BaseConfig = z.infer<typeof baseConfigSchema>;

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Parses the environment with a schema; throws ConfigError naming every bad variable at once. */
export function parseEnv<T extends z.ZodType>(
  schema: T,
  env: Record<string, string | undefined>,
): z.infer<T> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`),
    );
  }
  return parsed.data;
}

export function loadWorkerConfig(env: Record<string, string | undefined>): BaseConfig {
  return parseEnv(baseConfigSchema, env);
}

/**
 * The certificate keys and archive of a process; a key problem (none in production, an unusable
 * key) stops the start as a ConfigError naming CERT_SIGNING_KEYS.
 */
export function loadCertificateSetup(config: BaseConfig): CertificateServices {
  try {
    return loadCertificateServices(config);
  } catch (error) {
    if (error instanceof CertificateKeyError) throw new ConfigError([error.message]);
    throw error;
  }
}
