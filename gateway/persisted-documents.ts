import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type express from 'express';
import { type GraphQLSchema, parse, validate } from 'graphql';
import { ConfigError } from './config.ts';

/**
 * Persisted documents: the operations front-end teams register ahead of time, each known by the
 * SHA-256 of its text. A client sends the id instead of the text (`documentId`, or Apollo's
 * `extensions.persistedQuery.sha256Hash`); with `GRAPHQL_PERSISTED_ONLY` the gateway runs nothing else
 * (a safelist: no ad-hoc query reaches the departments' data).
 */
export interface PersistedDocuments {
  /** The document's text, by its SHA-256 (64 lowercase hex digits). */
  byId: ReadonlyMap<string, string>;
  /** Where they came from, for the start-up log. */
  files: readonly string[];
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Entries of one manifest: `{ "<sha256>": "<document>" }` or Apollo's `apollo-persisted-query-manifest`. */
function entriesOf(file: string, manifest: unknown): [string, unknown][] {
  if (manifest && typeof manifest === 'object' && !Array.isArray(manifest)) {
    const m = manifest as Record<string, unknown>;
    if (m.format === 'apollo-persisted-query-manifest') {
      if (!Array.isArray(m.operations))
        throw new ConfigError([`${file}: an Apollo manifest needs an "operations" array`]);
      return m.operations.map((op, i) => {
        const { id, body } = (op ?? {}) as { id?: unknown; body?: unknown };
        return [typeof id === 'string' ? id : `operations[${i}] (no id)`, body];
      });
    }
    return Object.entries(m);
  }
  throw new ConfigError([
    `${file}: a persisted-documents manifest is a JSON object of "<sha256>": "<document>" or an Apollo persisted query manifest`,
  ]);
}

/**
 * Reads the manifests and checks every entry before the gateway takes a request: its id is the
 * SHA-256 of its text, and the text is a document the gateway's schema accepts. A list that would fail
 * at request time fails at start-up instead, naming the file and the entry.
 */
export function loadPersistedDocuments(files: readonly string[], schema: GraphQLSchema): PersistedDocuments {
  const byId = new Map<string, string>();
  const problems: string[] = [];
  for (const file of files) {
    let manifest: unknown;
    try {
      manifest = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ConfigError([`${file}: cannot read the persisted documents (${(error as Error).message})`]);
    }
    for (const [id, text] of entriesOf(file, manifest)) {
      const at = `${file}: document ${id}`;
      if (typeof text !== 'string' || text.trim() === '') {
        problems.push(`${at}: the document is not a non-empty string`);
        continue;
      }
      if (!SHA256_HEX.test(id)) {
        problems.push(`${at}: an id is the SHA-256 of the document, 64 lowercase hex digits`);
        continue;
      }
      const hash = sha256(text);
      if (hash !== id) {
        problems.push(`${at}: the id is not the SHA-256 of the document (it is ${hash})`);
        continue;
      }
      try {
        const errors = validate(schema, parse(text));
        if (errors.length > 0) {
          problems.push(`${at}: the gateway's schema refuses it: ${errors.map((e) => e.message).join('; ')}`);
          continue;
        }
      } catch (error) {
        problems.push(`${at}: not a GraphQL document: ${(error as Error).message}`);
        continue;
      }
      byId.set(id, text);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { byId, files };
}

interface GraphQLBody {
  query?: unknown;
  documentId?: unknown;
  extensions?: { persistedQuery?: { sha256Hash?: unknown } } & Record<string, unknown>;
  [key: string]: unknown;
}

function refuse(res: express.Response, code: string, message: string) {
  res.status(400).json({ errors: [{ message, extensions: { code } }] });
}

/**
 * Resolves a request's persisted document id to its text before Apollo sees the request (POST bodies
 * and GET query strings alike). Without `only`, an unknown Apollo hash goes on to Apollo's own
 * automatic persisted queries (the client is told to send the text once); with `only`, an unknown id
 * or a text that is not registered is refused.
 */
export function persistedDocumentsRoute(
  documents: PersistedDocuments,
  options: { only: boolean },
): express.RequestHandler {
  const resolve = (body: GraphQLBody, res: express.Response): 'resolved' | 'unchanged' | 'refused' => {
    const extensions = body.extensions && typeof body.extensions === 'object' ? body.extensions : null;
    const apqHash = extensions?.persistedQuery?.sha256Hash;
    const given = body.documentId ?? apqHash;
    if (given !== undefined) {
      const id = typeof given === 'string' ? given.replace(/^sha256:/, '') : '';
      const text = documents.byId.get(id);
      if (text === undefined) {
        // An unregistered Apollo hash is Apollo's to answer (its automatic persisted queries), unless
        // only registered documents may run.
        if (body.documentId === undefined && !options.only) return 'unchanged';
        refuse(
          res,
          'PERSISTED_DOCUMENT_NOT_FOUND',
          `no persisted document has the id "${String(given).slice(0, 80)}": send the id of a registered document (its SHA-256), or register the document with the gateway (GRAPHQL_PERSISTED_DOCUMENTS)`,
        );
        return 'refused';
      }
      if (typeof body.query === 'string' && body.query !== text) {
        refuse(res, 'BAD_REQUEST', 'the request carries both a document id and a different query text');
        return 'refused';
      }
      body.query = text;
      delete body.documentId;
      if (extensions?.persistedQuery) {
        const { persistedQuery: _, ...rest } = extensions;
        body.extensions = rest;
      }
      return 'resolved';
    }
    if (options.only) {
      if (typeof body.query === 'string' && documents.byId.has(sha256(body.query))) return 'unchanged';
      refuse(
        res,
        'PERSISTED_DOCUMENT_REQUIRED',
        'this gateway runs registered documents only: send the documentId (SHA-256) of a persisted document',
      );
      return 'refused';
    }
    return 'unchanged';
  };

  return (req, res, next) => {
    if (req.method === 'GET') {
      const at = req.url.indexOf('?');
      if (at === -1 && !options.only) return next();
      const params = new URLSearchParams(at === -1 ? '' : req.url.slice(at + 1));
      const body: GraphQLBody = {};
      for (const key of ['query', 'documentId'] as const) {
        const value = params.get(key);
        if (value !== null) body[key] = value;
      }
      const ext = params.get('extensions');
      if (ext !== null) {
        try {
          body.extensions = JSON.parse(ext) as GraphQLBody['extensions'];
        } catch {
          // Apollo answers an unreadable `extensions` itself, but where only registered documents may
          // run, a request this step cannot read goes no further.
          if (!options.only) return next();
          refuse(res, 'BAD_REQUEST', 'the `extensions` parameter is not JSON');
          return;
        }
      }
      const outcome = resolve(body, res);
      if (outcome !== 'resolved') return outcome === 'refused' ? undefined : next();
      params.set('query', body.query as string);
      params.delete('documentId');
      if (body.extensions && Object.keys(body.extensions).length > 0)
        params.set('extensions', JSON.stringify(body.extensions));
      else params.delete('extensions');
      req.url = `${at === -1 ? req.url : req.url.slice(0, at)}?${params}`;
      return next();
    }
    const body = req.body as unknown;
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      // Apollo answers a body that is not a JSON object itself; where only registered documents may
      // run, such a request goes no further.
      if (!options.only) return next();
      refuse(res, 'BAD_REQUEST', 'the request body is not a JSON object with a documentId');
      return;
    }
    if (resolve(body as GraphQLBody, res) !== 'refused') next();
  };
}
