import type { CatalogueReader } from '../db/catalogue/catalogue-queries.ts';
import type { HubEntityManager } from '../db/orm.ts';

export const ROLES = [
  'clerk',
  'chief_representative',
  'department_reviewer',
  'supervisor',
  'applicant',
  'consumer',
] as const;
export type Role = (typeof ROLES)[number];

/** The authenticated caller of one request, taken from its signed bearer token. */
export interface Actor {
  id: string;
  name: string | null;
  role: Role;
  departmentCode: string | null;
  hallCode: string | null;
}

/** What every resolver of every subschema receives for one request. */
export interface HubContext {
  /** null for an anonymous caller (the catalogue is public). */
  actor: Actor | null;
  /** A fresh entity manager for this request only. */
  em: HubEntityManager;
  catalogue: CatalogueReader;
  /** Correlates log lines and department calls of this request. */
  requestId: string;
}
