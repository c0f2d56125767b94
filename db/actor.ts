/** Roles the hub knows; every request and every recorded step acts as one actor with one role. */
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
