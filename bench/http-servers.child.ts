import Fastify from 'fastify';
import { loadConfig } from '#server/config.ts';
import { buildApp } from '#server/app.ts';
import { createDeps } from '#server/bootstrap.ts';
import type { Deps } from '#server/platform/deps.ts';
import { systemActor } from '#server/platform/audit.ts';
import { createUser } from '#server/modules/users/users.service.ts';

/**
 * The HTTP throughput benchmark's two servers, each in its own process, run as shipped
 * (bench/shipped.ts), so that neither shares a heap or an event loop with the benchmark:
 *   app DATABASE KEYFILE   the real app over a prepared database, with a Bearer token made
 *                          through the real routes (login, then POST /api/auth/tokens)
 *   bare                   a bare Fastify route answering { ok, at }
 * Prints one JSON line { port, token } once listening; stops on SIGTERM.
 */

const [mode, database, keyFile] = process.argv.slice(2);

async function benchToken(deps: Deps, app: Awaited<ReturnType<typeof buildApp>>): Promise<string> {
  const bureau = await deps.db.selectFrom('units').select('id').where('kind', '=', 'bureau').executeTakeFirstOrThrow();
  const password = 'Bench-Passw0rd-2026';
  const username = `bench${process.pid}`;
  await createUser(deps, systemActor('bench'), { username, displayName: '基准测试', roles: ['admin'], unitIds: [bureau.id], password, mustChangePassword: false, skipPasswordPolicy: true });
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (login.statusCode !== 200) throw new Error(`login: ${login.body}`);
  const cookie = login.cookies.find((c) => c.name === 'kejing_session')!;
  const created = await app.inject({
    method: 'POST',
    url: '/api/auth/tokens',
    headers: { cookie: `kejing_session=${cookie.value}`, 'x-csrf-token': login.json<{ csrfToken: string }>().csrfToken },
    payload: { name: 'bench' },
  });
  if (created.statusCode !== 200) throw new Error(`token: ${created.body}`);
  return created.json<{ token: string }>().token;
}

async function serve(): Promise<{ port: number; token: string | null; close: () => Promise<void> }> {
  if (mode === 'bare') {
    const bare = Fastify({ logger: false });
    bare.get('/ping', async () => ({ ok: true, at: 'bare' }));
    await bare.listen({ port: 0, host: '127.0.0.1' });
    return { port: (bare.server.address() as { port: number }).port, token: null, close: () => bare.close() };
  }
  const config = loadConfig({ DATABASE_URL: database!, AUDIT_KEY_FILE: keyFile!, LOG_LEVEL: 'silent', WEB_DIST: '/nonexistent', LOGIN_RATE_LIMIT_PER_MINUTE: '100000' });
  const deps = createDeps(config);
  const app = await buildApp(deps, { logger: false });
  const token = await benchToken(deps, app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    port: (app.server.address() as { port: number }).port,
    token,
    close: async () => {
      await app.close();
      await deps.close();
    },
  };
}

const server = await serve();
process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
process.stdout.write(`${JSON.stringify({ port: server.port, token: server.token })}\n`);
