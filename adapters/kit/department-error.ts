import { GraphQLError } from 'graphql';

export type DepartmentErrorKind = 'transient' | 'permanent' | 'unavailable' | 'malformed';

/**
 * A failed call to a department. `permanent` (a 4xx-type rejection: the department said no) is never
 * retried and keeps the department's reason; `transient` (5xx, timeout, connection) may be retried;
 * `unavailable` means the circuit is open; `malformed` means the answer could not be read.
 */
export class DepartmentError extends Error {
  readonly department: string;
  readonly kind: DepartmentErrorKind;
  readonly status: number | null;
  readonly reason: string;

  constructor(department: string, kind: DepartmentErrorKind, reason: string, status: number | null = null) {
    super(`${department}: ${kind}${status ? ` (HTTP ${status})` : ''}: ${reason}`);
    this.name = 'DepartmentError';
    this.department = department;
    this.kind = kind;
    this.status = status;
    this.reason = reason;
  }

  get retryable(): boolean {
    return this.kind === 'transient' || this.kind === 'unavailable';
  }
}

/** What a front end sees on a department's fields while it is down: null plus this error. */
export function departmentUnavailable(department: string, reason: string): GraphQLError {
  return new GraphQLError(`${department} is unavailable: ${reason}`, {
    extensions: { code: 'DEPARTMENT_UNAVAILABLE', department },
  });
}
