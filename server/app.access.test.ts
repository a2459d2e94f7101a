import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type fastify from 'fastify';
import { isPermission } from '#common/permissions.ts';
import { buildApp } from '#server/app.ts';
import { createTestEnv } from '#tests/support/test-env.ts';
import type { TestEnv } from '#tests/support/test-env.ts';

type SeenRoute = { method: string; url: string; access: unknown; hasResponseSchema: boolean };

// Every route the composition root registers, seen through an onRoute hook installed on the
// Fastify instance before any plugin or module adds a route — so routes added by modules that
// land later are checked without this test naming them.
const seen = vi.hoisted(() => [] as SeenRoute[]);
vi.mock('fastify', async (importOriginal) => {
  const actual = await importOriginal<{ default: typeof fastify }>();
  const create = (options?: object) => {
    const app = (actual.default as (o?: object) => FastifyInstance)(options);
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        seen.push({ method, url: route.url, access: route.config?.access, hasResponseSchema: !!(route.schema as { response?: unknown } | undefined)?.response });
      }
    });
    return app;
  };
  return { ...actual, default: Object.assign(create, actual.default) };
});

describe('every API route declares who may call it', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv('sqlite');
  });
  afterAll(async () => {
    await env.close();
  });

  const apiRoutes = () => seen.filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs') && r.method !== 'HEAD');

  it('sees the whole route table', () => {
    const names = apiRoutes().map((r) => `${r.method} ${r.url}`);
    expect(names).toEqual(expect.arrayContaining(['GET /api/health', 'POST /api/auth/login', 'GET /api/users', 'PUT /api/roles/:role', 'GET /api/audit']));
  });

  it('gives each /api route an access of public, authenticated or a known permission', () => {
    const undeclared = apiRoutes().filter((r) => !(r.access === 'public' || r.access === 'authenticated' || (typeof r.access === 'string' && isPermission(r.access))));
    expect(undeclared).toEqual([]);
  });

  it('keeps the public routes to signing in, the health check and what the login page shows', () => {
    const open = apiRoutes().filter((r) => r.access === 'public').map((r) => `${r.method} ${r.url}`);
    expect(open.sort()).toEqual(['GET /api/health', 'GET /api/platform/info', 'POST /api/auth/login']);
  });

  it('gives each /api route a response schema, so unknown fields never leak', () => {
    expect(apiRoutes().filter((r) => !r.hasResponseSchema).map((r) => `${r.method} ${r.url}`)).toEqual([]);
  });

  it('refuses to start when a plugin registers an /api route without an access declaration', async () => {
    const app = await buildApp(env.deps, { logger: false });
    try {
      void app.register(async (plugin) => {
        plugin.get('/api/forgotten', async () => ({ ok: true }));
      });
      await expect(app.ready()).rejects.toThrow('route GET /api/forgotten declares no access (config.access)');
    } finally {
      await app.close().catch(() => undefined);
    }
  });
});
