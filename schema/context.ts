import type { CatalogueReader } from '../db/catalogue/catalogue-queries.ts';
import type { CertificateServices } from '../db/certificates/certificate-services.ts';
import type { HubEntityManager } from '../db/orm.ts';

export { type Actor, ROLES, type Role } from '../db/actor.ts';

import type { Actor } from '../db/actor.ts';

/** What every resolver of every subschema receives for one request. */
export interface HubContext {
  /** null for an anonymous caller (the catalogue is public). */
  actor: Actor | null;
  /** A fresh entity manager for this request only. */
  em: HubEntityManager;
  catalogue: CatalogueReader;
  /** Correlates log lines and department calls of this request. */
  requestId: string;
  /** Certificate keys (JWKS, status list signing) and archive. */
  certificates: CertificateServices;
  /** Sends a job again (dead letters), on the hub's queues. */
  requeue(queue: string, name: string, data: Record<string, unknown>, jobId: string): Promise<void>;
}
