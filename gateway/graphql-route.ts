import { type ApolloServer, type BaseContext, HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import type express from 'express';

/**
 * Apollo Server on an Express 5 route: what `@as-integrations/express5` does — the request's method,
 * headers, query string and parsed JSON body to Apollo, its status, headers and body back — without
 * its per-request legacy `url.parse` (2–3 % of the gateway's CPU on a merged list): the query string
 * is what follows the first `?` of the path.
 */
export function graphqlRoute<Context extends BaseContext>(
  server: ApolloServer<Context>,
  context: (args: { req: express.Request; res: express.Response }) => Promise<Context>,
): express.RequestHandler {
  server.assertStarted('graphqlRoute()');
  return async (req, res) => {
    if (!('body' in req)) {
      // A setup error, not the caller's: the JSON body parser must run before this route.
      res.status(500).send('req.body is not set: the JSON body parser must come before the GraphQL route');
      return;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const at = req.url.indexOf('?');
    const httpGraphQLRequest: HTTPGraphQLRequest = {
      method: req.method.toUpperCase(),
      headers,
      search: at === -1 ? '' : req.url.slice(at),
      body: req.body,
    };
    const answer = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest,
      context: () => context({ req, res }),
    });
    for (const [key, value] of answer.headers) res.setHeader(key, value);
    res.statusCode = answer.status ?? 200;
    if (answer.body.kind === 'complete') {
      res.send(answer.body.string);
      return;
    }
    // Incremental delivery (@defer): each part as it comes.
    for await (const chunk of answer.body.asyncIterator) res.write(chunk);
    res.end();
  };
}
