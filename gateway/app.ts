import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ApolloServer, type ApolloServerPlugin, HeaderMap } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import express, { type ErrorRequestHandler } from 'express';
import { GraphQLError } from 'graphql';
import type { Redis } from 'ioredis';
import type { DepartmentAdapter } from '../adapters/kit/adapter-contract.ts';
import type { Logger } from '../adapters/kit/logger.ts';
import { DiskBlobStore } from '../db/blobs/blob-store.ts';
import type { CertificateServices } from '../db/certificates/certificate-services.ts';
import type { HubOrm } from '../db/orm.ts';
import { loadCertificateSetup } from '../jobs/config.ts';
import { HubQueues } from '../jobs/queues.ts';
import type { HubContext } from '../schema/context.ts';
import { gatewaySubschemas, type SubschemaContribution } from '../schema/subschemas.ts';
import { AuthenticationError, actorFromAuthorization, type TokenVerifier } from './auth/actor-token.ts';
import { callbacksRouter } from './callbacks.ts';
import { certificatesRouter } from './certificates-routes.ts';
import { type HubConfig, isProduction } from './config.ts';
import { documentsRouter } from './documents-route.ts';
import { createErrorFormatter } from './errors.ts';
import { graphiqlRouter } from './graphiql.ts';
import { graphqlRoute } from './graphql-route.ts';
import { healthRouter } from './health.ts';
import { loadPersistedDocuments, persistedDocumentsRoute } from './persisted-documents.ts';
import { planningGateway } from './plan/plan-executor.ts';
import { queueDashboardRouter } from './queue-dashboard.ts';
import { RequestContext } from './request-context.ts';
import { stitchGatewaySchema } from './stitch.ts';
import { uploadsRouter } from './uploads.ts';

export interface GatewayDeps {
  config: HubConfig;
  orm: HubOrm;
  redis: Redis;
  verifier: TokenVerifier;
  logger: Logger;
  /** Department adapters: their subschemas are stitched in and their health reported. */
  adapters?: DepartmentAdapter[];
  /** Defaults to the hub's and the adapters' subschemas; tests pass their own. */
  subschemas?: SubschemaContribution[];
  /**
   * Certificate keys and archive. The process entry loads them from the config (and refuses
   * production without CERT_SIGNING_KEYS); without them (tests, benches) the gateway uses
   * CERT_SIGNING_KEYS if set, else the development key set under DATA_DIR.
   */
  certificates?: CertificateServices;
}

export interface RunningGateway {
  url: string;
  server: http.Server;
  close(): Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Builds the gateway (Express 5 + Apollo Server 5 on the stitched schema) and starts listening. */
export async function startGateway(
  deps: GatewayDeps,
  listen: { host: string; port: number },
): Promise<RunningGateway> {
  const { config, logger } = deps;
  const production = isProduction(config);
  const adapters = deps.adapters ?? [];
  const schema = await stitchGatewaySchema(deps.subschemas ?? gatewaySubschemas(adapters));
  const certificates = deps.certificates ?? loadCertificateSetup({ ...config, NODE_ENV: 'development' });
  const persisted =
    config.GRAPHQL_PERSISTED_DOCUMENTS.length > 0
      ? loadPersistedDocuments(config.GRAPHQL_PERSISTED_DOCUMENTS, schema)
      : null;
  const persistedOnly = config.GRAPHQL_PERSISTED_ONLY === 'true';
  if (persisted)
    logger.info(
      { documents: persisted.byId.size, files: persisted.files, only: persistedOnly },
      'persisted documents loaded',
    );

  const app = express();
  app.disable('x-powered-by');
  // No hash of every answer for a weak ETag: GraphQL answers are `no-store`, and the routes whose
  // files are worth caching (documents, certificates) set a strong ETag of their content hash.
  app.set('etag', false);
  app.set('trust proxy', false);
  const httpServer = http.createServer(app);

  // Limits reject a document during parsing and validation, before any resolver runs.
  const armor = new ApolloArmor({
    maxDepth: { n: config.GRAPHQL_MAX_DEPTH },
    maxAliases: { n: config.GRAPHQL_MAX_ALIASES },
    maxDirectives: { n: config.GRAPHQL_MAX_DIRECTIVES },
    maxTokens: { n: config.GRAPHQL_MAX_TOKENS },
    costLimit: { maxCost: config.GRAPHQL_MAX_COST },
    blockFieldSuggestion: { enabled: production },
  }).protect();

  const queues = new HubQueues(deps.redis, config.QUEUE_PREFIX);
  const apollo = new ApolloServer<HubContext>({
    gateway: planningGateway(schema, {
      enabled: config.GATEWAY_PLANNER === 'on',
      onUnplannable: (reason, operationName, fault) => {
        if (fault) logger.warn({ reason, operationName }, 'operation runs through stitching');
        else logger.debug({ reason, operationName }, 'operation runs through stitching');
      },
    }),
    // armor's types come from Apollo's CommonJS build; the plugins are the same objects.
    plugins: [
      ...(armor.plugins as unknown as ApolloServerPlugin<HubContext>[]),
      ApolloServerPluginLandingPageDisabled(),
      // No field carries a cache hint, so every answer is uncacheable: the default cache-control
      // plugin wrapped every field resolver (15 % of a merged list's CPU) only to say `no-store`.
      ApolloServerPluginCacheControlDisabled(),
      noStorePlugin,
      // Nothing is reported to Apollo's cloud, even if an APOLLO_KEY happens to be in the environment.
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginDrainHttpServer({ httpServer }),
    ],
    // Plain JSON, as every other GraphQL server answers: Apollo's default appends a newline.
    stringifyResult: (result) => JSON.stringify(result),
    validationRules: armor.validationRules,
    allowBatchedHttpRequests: false,
    // Where only persisted documents may run, no client may register one of its own through Apollo's
    // automatic persisted queries.
    ...(persistedOnly ? { persistedQueries: false as const } : {}),
    // The entry point owns signals: it stops workers, the gateway and connections in order.
    stopOnTerminationSignals: false,
    csrfPrevention: true,
    introspection: !production,
    hideSchemaDetailsFromClientErrors: production,
    includeStacktraceInErrorResponses: !production,
    formatError: createErrorFormatter(logger, production),
    logger: {
      debug: () => {},
      info: () => {},
      warn: (m) => logger.warn(String(m)),
      error: (m) => logger.error(String(m)),
    },
  });
  await apollo.start();

  app.use((req, res, next) => {
    const given = req.get('x-request-id');
    const id = given && REQUEST_ID.test(given) ? given : randomUUID();
    res.locals.requestId = id;
    res.set('x-request-id', id);
    next();
  });
  app.use(
    '/graphql',
    express.json({ limit: config.GRAPHQL_BODY_LIMIT }),
    ...(persisted ? [persistedDocumentsRoute(persisted, { only: persistedOnly })] : []),
    graphqlRoute(apollo, async ({ req, res }) => {
      let actor: HubContext['actor'];
      try {
        actor = await actorFromAuthorization(req.headers.authorization, deps.verifier);
      } catch (error) {
        if (!(error instanceof AuthenticationError)) throw error;
        // Apollo's `http` extension (status, headers) — typed loosely: other GraphQL servers'
        // types (the bench loads one) declare `http` in their own shape for every program.
        const extensions: Record<string, unknown> = {
          code: 'UNAUTHENTICATED',
          http: {
            status: 401,
            headers: new HeaderMap([['www-authenticate', 'Bearer error="invalid_token"']]),
          },
        };
        throw new GraphQLError(error.message, { extensions });
      }
      return new RequestContext(deps.orm, {
        actor,
        certificates,
        requestId: String(res.locals.requestId),
        requeue: (queue, name, data, jobId) => queues.requeue(queue, name, data, jobId),
      });
    }),
  );
  // The GraphQL endpoint comes first, so its requests pass no other router on the way.
  app.use(healthRouter({ orm: deps.orm, redis: deps.redis, adapters }));
  const blobs = new DiskBlobStore(
    config.BLOB_DIR ?? path.join(config.DATA_DIR, 'blobs'),
    config.UPLOAD_MAX_BYTES,
  );
  app.use(uploadsRouter({ orm: deps.orm, blobs, verifier: deps.verifier }));
  app.use(documentsRouter({ orm: deps.orm, blobs, verifier: deps.verifier }));
  app.use(certificatesRouter({ orm: deps.orm, certificates, verifier: deps.verifier }));
  app.use(queueDashboardRouter({ queues, redis: deps.redis, orm: deps.orm, verifier: deps.verifier }));
  app.use(callbacksRouter({ orm: deps.orm, adapters, logger }));
  app.use('/graphiql', graphiqlRouter('/graphql'));
  app.get('/', (_req, res) => res.redirect(302, '/graphiql'));
  app.use(bodyErrorHandler(config.GRAPHQL_BODY_LIMIT, logger));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(listen.port, listen.host, () => resolve());
  });
  const address = httpServer.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    server: httpServer,
    async close() {
      await apollo.stop();
      await queues.close();
    },
  };
}

/** Every GraphQL answer may carry personal data: `no-store`, as the cache-control plugin said without hints. */
const noStorePlugin: ApolloServerPlugin<HubContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (!response.http.headers.has('cache-control'))
          response.http.headers.set('cache-control', 'no-store');
      },
    };
  },
};

/** Errors raised before GraphQL sees the request (body too large, not JSON) as GraphQL-shaped JSON. */
function bodyErrorHandler(limit: number, logger: Logger): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) return next(error);
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') {
      res.status(413).json({
        errors: [
          {
            message: `request body exceeds the limit of ${limit} bytes`,
            extensions: { code: 'PAYLOAD_TOO_LARGE' },
          },
        ],
      });
      return;
    }
    if (type === 'entity.parse.failed') {
      res.status(400).json({
        errors: [{ message: 'request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }],
      });
      return;
    }
    const status = Number((error as { status?: number }).status) || 500;
    if (status >= 500) logger.error({ err: error }, 'request failed');
    res.status(status).json({
      errors: [
        {
          message: status >= 500 ? 'internal error' : String((error as Error).message),
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    });
  };
}
