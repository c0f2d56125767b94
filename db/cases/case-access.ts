import type { Actor } from '../actor.ts';
import { HubError } from '../errors.ts';

/** What access rules need to know about a case. */
export interface CaseScope {
  hallCode: string;
  applicantAccountId: string | null;
  itemKind: string;
  itemDepartmentCodes: string[];
}

/**
 * Who sees a case: clerks and supervisors of its hall; the applicant whose account it is; the chief
 * representative of an owning department, for immediate items of their hall. Nobody else.
 */
export function canSeeCase(actor: Actor | null, scope: CaseScope): boolean {
  if (!actor) return false;
  switch (actor.role) {
    case 'clerk':
    case 'supervisor':
      return actor.hallCode === scope.hallCode;
    case 'applicant':
      return scope.applicantAccountId !== null && scope.applicantAccountId === actor.id;
    case 'chief_representative':
      return (
        actor.hallCode === scope.hallCode &&
        scope.itemKind === 'immediate' &&
        actor.departmentCode !== null &&
        scope.itemDepartmentCodes.includes(actor.departmentCode)
      );
    case 'department_reviewer':
    case 'consumer':
      return false;
  }
}

/** One answer for "not yours" and "does not exist", so a caller learns nothing about other cases. */
export function caseForbidden(): HubError {
  return new HubError('FORBIDDEN', 'no such case, or it is not yours to see');
}

export function requireRole(actor: Actor | null, roles: readonly Actor['role'][], what: string): Actor {
  if (!actor) throw new HubError('FORBIDDEN', `${what} needs a signed-in ${roles.join(' or ')}`);
  if (!roles.includes(actor.role))
    throw new HubError('FORBIDDEN', `${what} is for ${roles.join(' or ')}, not ${actor.role}`);
  return actor;
}
