// The demo's only way into the hub: GraphQL, POST /uploads and the document PDFs over HTTP, as any
// front end would use them, with development tokens signed by the key the running hub verifies with.
import { signActorToken } from '../auth/actor-token.ts';
import { DEMO_ACTORS, DEMO_HALL } from '../auth/demo-actors.ts';
import { loadOrCreateDevSigningKey } from '../auth/signing-keys.ts';
import type { HubConfig } from '../config.ts';

/** Something the demo expected did not happen; the message says what. */
export class DemoFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoFailure';
  }
}

/** The hub does not answer at all. */
export class HubUnreachable extends DemoFailure {}

export interface GraphQLErrorBody {
  message: string;
  extensions?: { code?: string; field?: string };
}

/** Who acts: a role, with a department for reviewers and chief representatives. */
export interface DemoActor {
  id: string;
  name: string;
  role: 'clerk' | 'department_reviewer' | 'chief_representative' | 'supervisor' | 'consumer';
  departmentCode: string | null;
  hallCode: string | null;
}

export const CLERK: DemoActor = {
  id: DEMO_ACTORS.clerk.id,
  name: DEMO_ACTORS.clerk.name ?? DEMO_ACTORS.clerk.id,
  role: 'clerk',
  departmentCode: null,
  hallCode: DEMO_HALL,
};

/** The hall's supervisor: manages data-sharing consumers, revokes certificates, audits the access log. */
export const SUPERVISOR: DemoActor = {
  id: DEMO_ACTORS.supervisor.id,
  name: DEMO_ACTORS.supervisor.name ?? DEMO_ACTORS.supervisor.id,
  role: 'supervisor',
  departmentCode: null,
  hallCode: DEMO_HALL,
};

/** The demo's data-sharing consumer (an organisation signing in with role `consumer`). */
export const CONSUMER: DemoActor = {
  id: DEMO_ACTORS.consumer.id,
  name: DEMO_ACTORS.consumer.name ?? DEMO_ACTORS.consumer.id,
  role: 'consumer',
  departmentCode: null,
  hallCode: null,
};

/** Someone of a department: its reviewers decide back-office tasks, its receivers sign for paper. */
export const reviewerOf = (departmentCode: string, name: string, id: string): DemoActor => ({
  id,
  name,
  role: 'department_reviewer',
  departmentCode,
  hallCode: null,
});

/** The chief representative (首席代表) a department keeps at the hall, who decides immediate items. */
export const chiefRepresentativeOf = (departmentCode: string, name: string, id: string): DemoActor => ({
  id,
  name,
  role: 'chief_representative',
  departmentCode,
  hallCode: DEMO_HALL,
});

const POLL_MS = 300;

export interface HubClient {
  base: string;
  /** Runs a GraphQL operation as the actor; any error fails the demo with the hub's message. */
  gql<T>(query: string, variables: Record<string, unknown>, as: DemoActor): Promise<T>;
  /** Runs an operation whose refusal is part of the story: the errors come back as data. */
  attempt<T>(
    query: string,
    variables: Record<string, unknown>,
    as: DemoActor,
  ): Promise<{ data: T | null; errors: GraphQLErrorBody[] }>;
  /** Stores a file through POST /uploads (as the clerk) and answers its id. */
  upload(bytes: Uint8Array, fileName: string): Promise<{ id: string; mediaType: string }>;
  /** Fetches a path of the hub (a document PDF) as the clerk. */
  download(path: string): Promise<Uint8Array>;
  /** GETs a path of the hub as the actor, or without a token (null): the response, whatever its status. */
  get(path: string, as: DemoActor | null, accept?: string): Promise<Response>;
  /**
   * Polls until `probe` answers something; after `seconds` the demo fails naming `what` did not
   * happen. Most of what the demo waits for is done by the hub's workers.
   */
  waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, seconds?: number): Promise<T>;
}

export async function connectToHub(config: HubConfig, base: string): Promise<HubClient> {
  const key = await loadOrCreateDevSigningKey(config.DATA_DIR);
  const tokens = new Map<string, Promise<string>>();
  const tokenOf = (actor: DemoActor) => {
    const cacheKey = `${actor.role}:${actor.id}`;
    let token = tokens.get(cacheKey);
    if (!token) {
      token = signActorToken(actor, {
        key: key.privateKey,
        kid: key.kid,
        issuer: config.AUTH_ISSUER,
        audience: config.AUTH_AUDIENCE,
        expiresIn: '1h',
      });
      tokens.set(cacheKey, token);
    }
    return token;
  };

  const request = async (path: string, init: RequestInit, as: DemoActor | null): Promise<Response> => {
    const headers = new Headers(init.headers);
    if (as) headers.set('authorization', `Bearer ${await tokenOf(as)}`);
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, { ...init, headers });
    } catch {
      throw new HubUnreachable(
        `no hub answers at ${base}; start it with \`npm start\` (same DATA_DIR and PORT), or set HUB_URL`,
      );
    }
    if (response.status === 401) {
      const text = await response.text();
      let reason = text.slice(0, 200);
      try {
        const body = JSON.parse(text) as { errors?: { message: string }[]; message?: string };
        reason = body.errors?.[0]?.message ?? body.message ?? reason;
      } catch {
        // not JSON: the text itself
      }
      throw new DemoFailure(
        `the hub at ${base} refused the demo's token: ${reason}; ` +
          'run the demo with the DATA_DIR the hub was started with, so both use the same development key',
      );
    }
    return response;
  };

  const attempt = async <T>(query: string, variables: Record<string, unknown>, as: DemoActor) => {
    const response = await request(
      '/graphql',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      },
      as,
    );
    const body = (await response.json()) as { data?: T | null; errors?: GraphQLErrorBody[] };
    return { data: body.data ?? null, errors: body.errors ?? [] };
  };

  return {
    base,
    attempt,
    async gql<T>(query: string, variables: Record<string, unknown>, as: DemoActor): Promise<T> {
      const { data, errors } = await attempt<T>(query, variables, as);
      if (errors.length > 0 || data === null) {
        const operation = /\{\s*(\w+)/.exec(query)?.[1] ?? 'query';
        throw new DemoFailure(
          `${operation} as ${as.role} ${as.id} failed: ${errors.map((e) => `${e.message}${e.extensions?.code ? ` [${e.extensions.code}]` : ''}`).join('; ')}`,
        );
      }
      return data;
    },
    async upload(bytes: Uint8Array, fileName: string) {
      const form = new FormData();
      form.append('file', new File([new Uint8Array(bytes)], fileName));
      const response = await request('/uploads', { method: 'POST', body: form }, CLERK);
      const body = (await response.json()) as { id?: string; mediaType?: string; message?: string };
      if (response.status !== 201 || !body.id)
        throw new DemoFailure(`POST /uploads of ${fileName} answered ${response.status}: ${body.message}`);
      return { id: body.id, mediaType: body.mediaType ?? '?' };
    },
    async download(path: string) {
      const response = await request(path, { method: 'GET' }, CLERK);
      if (!response.ok) throw new DemoFailure(`GET ${path} answered ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    },
    get(path: string, as: DemoActor | null, accept?: string) {
      return request(path, { method: 'GET', headers: accept ? { accept } : {} }, as);
    },
    async waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, seconds = 60) {
      const until = Date.now() + seconds * 1000;
      for (;;) {
        const value = await probe();
        if (value) return value;
        if (Date.now() > until)
          throw new DemoFailure(
            `${what} did not happen within ${seconds} s (are the hub's workers running?)`,
          );
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    },
  };
}
