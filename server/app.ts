import fs from 'node:fs';
import path from 'node:path';
import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '#server/platform/deps.ts';
import { registerErrorHandling } from '#server/platform/http.ts';
import type { App } from '#server/platform/http.ts';
import { newId } from '#server/platform/ids.ts';
import { registerAuthHook } from '#server/modules/auth/auth.hook.ts';
import { registerAuthRoutes } from '#server/modules/auth/auth.routes.ts';
import { registerHealthRoutes } from '#server/modules/health/health.routes.ts';
import { registerOrgRoutes } from '#server/modules/org/org.routes.ts';
import { registerRoleRoutes } from '#server/modules/roles/roles.routes.ts';
import { registerUserRoutes } from '#server/modules/users/users.routes.ts';
import { registerAuditRoutes } from '#server/modules/audit/audit.routes.ts';

/** Upload limits: a zip bomb or an oversized file is refused before it costs anything. */
export const UPLOAD_LIMIT_BYTES = 20 * 1024 * 1024;

export type BuildOptions = {
  /** Pino logger options; tests pass false. */
  logger?: boolean | object;
};

/**
 * The composition root: platform plugins first, then each module's routes. It does not listen;
 * `main` does, and tests drive it through `app.inject`.
 */
export async function buildApp(deps: Deps, options: BuildOptions = {}): Promise<App> {
  const app = Fastify({
    logger: options.logger ?? { level: deps.config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'] },
    genReqId: () => newId(),
    trustProxy: deps.config.trustProxy,
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);

  // Every API route must say who may call it; a route without a declaration stops start-up.
  app.addHook('onRoute', (route) => {
    const url = route.url ?? '';
    if (!url.startsWith('/api/') || url.startsWith('/api/docs')) return;
    if (!route.config?.access) throw new Error(`route ${route.method} ${url} declares no access (config.access)`);
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', String(request.id));
  });

  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Ant Design injects its CSS-in-JS as <style> elements; scripts stay strictly 'self'.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(rateLimit, { global: false });
  await app.register(multipart, { limits: { fileSize: UPLOAD_LIMIT_BYTES, files: 1, fields: 20, parts: 25 } });
  await app.register(swagger, {
    openapi: { info: { title: '科经信工作平台 API', version: deps.version }, servers: [] },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  registerAuthHook(app, deps);
  registerHealthRoutes(app, deps);
  registerAuthRoutes(app, deps);
  registerOrgRoutes(app, deps);
  registerRoleRoutes(app, deps);
  registerUserRoutes(app, deps);
  registerAuditRoutes(app, deps);

  await serveWebApp(app, deps.config.webDist);
  return app;
}

/** The built web app, with client-side routes falling back to index.html. */
async function serveWebApp(app: App, dist: string): Promise<void> {
  const index = path.join(dist, 'index.html');
  if (!fs.existsSync(index)) return;
  await app.register(fastifyStatic, { root: dist, wildcard: false, index: false, cacheControl: false });
  const html = fs.readFileSync(index);
  app.get('/assets/*', { config: { access: 'public' }, schema: { hide: true } }, (request, reply) => {
    const file = (request.params as { '*': string })['*'];
    return reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile(path.join('assets', file));
  });
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/') || request.method !== 'GET') {
      return reply.status(404).send({ error: { code: 'NOT_FOUND', message: `接口不存在：${request.method} ${request.url.split('?')[0]}` } });
    }
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
  });
}
