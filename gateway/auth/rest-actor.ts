import type { RequestHandler } from 'express';
import type { Actor, Role } from '../../db/actor.ts';
import { AuthenticationError, actorFromAuthorization, type TokenVerifier } from './actor-token.ts';

/**
 * For the hub's plain HTTP endpoints (uploads, document PDFs): the same bearer tokens as GraphQL.
 * A bad token is 401 with the reason; a role not in `roles` is 403.
 */
export function requireActor(verifier: TokenVerifier, roles: readonly Role[]): RequestHandler {
  return async (req, res, next) => {
    let actor: Actor | null;
    try {
      actor = await actorFromAuthorization(req.get('authorization'), verifier);
    } catch (error) {
      if (!(error instanceof AuthenticationError)) return next(error);
      res
        .status(401)
        .set('www-authenticate', 'Bearer error="invalid_token"')
        .json({ error: 'UNAUTHENTICATED', message: error.message });
      return;
    }
    if (!actor) {
      res
        .status(401)
        .set('www-authenticate', 'Bearer')
        .json({ error: 'UNAUTHENTICATED', message: 'this needs a bearer token' });
      return;
    }
    if (!roles.includes(actor.role)) {
      res
        .status(403)
        .json({ error: 'FORBIDDEN', message: `this is for ${roles.join(' or ')}, not ${actor.role}` });
      return;
    }
    res.locals.actor = actor;
    next();
  };
}
