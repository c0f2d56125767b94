import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from '../adapters/kit/logger.ts';
import { HubError, type HubErrorCode } from '../db/errors.ts';

/** HTTP status a whole-request failure of each code maps to (for errors outside resolvers). */
const HTTP_STATUS: Record<HubErrorCode, number> = {
  BAD_USER_INPUT: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
};

/** Codes a client may see as they are; anything else is an internal fault. */
const PUBLIC_CODES = new Set<string>([
  ...Object.keys(HTTP_STATUS),
  'UNAUTHENTICATED',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'DEPARTMENT_UNAVAILABLE',
]);

export function hubErrorToGraphQL(error: HubError): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: {
      code: error.code,
      ...(error.field ? { field: error.field } : {}),
      http: { status: HTTP_STATUS[error.code] },
    },
    originalError: error,
  });
}

/** Finds a HubError anywhere in the chain of wrapped errors (delegation wraps them). */
function findHubError(error: unknown): HubError | null {
  let current: unknown = error;
  for (let depth = 0; current && depth < 8; depth++) {
    if (current instanceof HubError) return current;
    current = (current as { originalError?: unknown }).originalError;
  }
  return null;
}

/**
 * The one place faults become what a client sees. Known codes pass with their message; any other
 * error is logged and, in production, answered with a reference instead of its message.
 */
export function createErrorFormatter(logger: Logger, production: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const hub = findHubError(unwrapResolverError(error));
    if (hub) {
      return {
        ...formatted,
        message: hub.message,
        extensions: { code: hub.code, ...(hub.field ? { field: hub.field } : {}) },
      };
    }
    const code = String(formatted.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
    if (PUBLIC_CODES.has(code)) return formatted;
    const reference = Math.random().toString(36).slice(2, 10);
    logger.error({ reference, err: error, path: formatted.path }, 'unexpected error in a GraphQL request');
    if (!production)
      return {
        ...formatted,
        extensions: { ...formatted.extensions, code: 'INTERNAL_SERVER_ERROR', reference },
      };
    return {
      message: `internal error (reference ${reference})`,
      ...(formatted.path ? { path: formatted.path } : {}),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR', reference },
    };
  };
}
