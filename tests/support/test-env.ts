import type { LightMyRequestResponse } from 'fastify';
import { loadConfig } from '#server/config.ts';
import type { Config } from '#server/config.ts';
import { buildApp } from '#server/app.ts';
import { createDeps } from '#server/bootstrap.ts';
import type { Dialect } from '#server/db/client.ts';
import type { Deps } from '#server/platform/deps.ts';
import type { App } from '#server/platform/http.ts';
import { DEMO_PASSWORD } from '#server/demo/demo.accounts.ts';
import { cloneTemplate } from '#tests/support/databases.ts';

export type Client = {
  csrfToken: string | null;
  cookie: string | null;
  get: (url: string) => Promise<LightMyRequestResponse>;
  post: (url: string, body?: unknown) => Promise<LightMyRequestResponse>;
  put: (url: string, body?: unknown) => Promise<LightMyRequestResponse>;
  patch: (url: string, body?: unknown) => Promise<LightMyRequestResponse>;
  delete: (url: string) => Promise<LightMyRequestResponse>;
};

/** What a hand-made client sends: any mix of cookie, CSRF token, Authorization header and client IP. */
export type ClientOptions = { cookie?: string | null; csrfToken?: string | null; authorization?: string | null; remoteAddress?: string };

export type TestEnv = {
  dialect: Dialect;
  deps: Deps;
  app: App;
  config: Config;
  /** Moves the injected clock forward (sessions, lockouts) without sleeping. */
  advance: (ms: number) => void;
  /** Signs in through the real login route; the client then sends the cookie and CSRF token. */
  login: (username: string, password?: string) => Promise<Client>;
  /** A client with no session at all. */
  anonymous: () => Client;
  /** A client sending exactly the credentials given (for CSRF, Bearer and IP tests). */
  client: (options: ClientOptions) => Client;
  /** One login attempt through the real route, whatever its outcome. */
  attemptLogin: (username: string, password: string, remoteAddress?: string) => Promise<LightMyRequestResponse>;
  close: () => Promise<void>;
};

/**
 * A real app on a fresh copy of the migrated database (demo accounts included), driven through
 * `app.inject`: no mocks of our own HTTP or database layers.
 */
export async function createTestEnv(dialect: Dialect, env: Record<string, string> = {}): Promise<TestEnv> {
  const database = await cloneTemplate(dialect);
  const config = loadConfig({ DATABASE_URL: database.url, AUDIT_KEY_FILE: database.auditKeyFile, LOG_LEVEL: 'silent', WEB_DIST: '/nonexistent', ...env });
  let offset = 0;
  const deps = { ...createDeps(config), now: () => new Date(Date.now() + offset) };
  const app = await buildApp(deps, { logger: false });
  await app.ready();

  const client = (cookie: string | null, csrfToken: string | null, authorization: string | null = null, remoteAddress?: string): Client => {
    const send = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
      app.inject({
        method,
        url,
        headers: {
          ...(cookie ? { cookie } : {}),
          ...(csrfToken && method !== 'GET' ? { 'x-csrf-token': csrfToken } : {}),
          ...(authorization ? { authorization } : {}),
        },
        ...(remoteAddress ? { remoteAddress } : {}),
        ...(body === undefined ? {} : { payload: body as object }),
      });
    return {
      csrfToken,
      cookie,
      get: (url) => send('GET', url),
      post: (url, body) => send('POST', url, body ?? {}),
      put: (url, body) => send('PUT', url, body ?? {}),
      patch: (url, body) => send('PATCH', url, body ?? {}),
      delete: (url) => send('DELETE', url),
    };
  };

  return {
    dialect,
    deps,
    app,
    config,
    advance: (ms) => {
      offset += ms;
    },
    login: async (username, password = DEMO_PASSWORD) => {
      const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
      if (response.statusCode !== 200) throw new Error(`login ${username} failed: ${response.statusCode} ${response.body}`);
      const set = response.cookies.find((c) => c.name === 'kejing_session');
      return client(`kejing_session=${set!.value}`, response.json<{ csrfToken: string }>().csrfToken);
    },
    anonymous: () => client(null, null),
    client: (o) => client(o.cookie ?? null, o.csrfToken ?? null, o.authorization ?? null, o.remoteAddress),
    attemptLogin: (username, password, remoteAddress) =>
      app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, ...(remoteAddress ? { remoteAddress } : {}) }),
    close: async () => {
      await app.close();
      await deps.close();
      await database.drop();
    },
  };
}

/** The id of a district unit by its name, as the database holds it. */
export async function unitIdOf(env: Pick<TestEnv, 'deps'>, name: string): Promise<string> {
  const row = await env.deps.db.selectFrom('units').select('id').where('name', '=', name).executeTakeFirstOrThrow();
  return row.id;
}

/** The id of an account by its username. */
export async function userIdOf(env: Pick<TestEnv, 'deps'>, username: string): Promise<string> {
  const row = await env.deps.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow();
  return row.id;
}
