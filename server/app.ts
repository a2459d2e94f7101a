import fs from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import Fastify, { LogController } from 'fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '#server/platform/deps.ts';
import { registerErrorHandling, registerInputGuard, replyRouteNotFound } from '#server/platform/http.ts';
import type { App } from '#server/platform/http.ts';
import { registerSecurityHeaders } from '#server/platform/security-headers.ts';
import { requestIdGenerator } from '#server/platform/ids.ts';
import { registerIdempotency } from '#server/platform/idempotency.ts';
import { registerAuthHook } from '#server/modules/auth/auth.hook.ts';
import { registerAuthRoutes } from '#server/modules/auth/auth.routes.ts';
import { registerHealthRoutes } from '#server/modules/health/health.routes.ts';
import { registerOrgRoutes } from '#server/modules/org/org.routes.ts';
import { registerRoleRoutes } from '#server/modules/roles/roles.routes.ts';
import { registerUserRoutes } from '#server/modules/users/users.routes.ts';
import { registerAuditRoutes } from '#server/modules/audit/audit.routes.ts';
import { registerEnterpriseRoutes } from '#server/modules/enterprises/enterprises.routes.ts';
import { registerMonitoringRoutes } from '#server/modules/monitoring/monitoring.routes.ts';
import { registerImportRoutes } from '#server/modules/imports/imports.routes.ts';
import { registerMonitoringMetrics } from '#server/modules/monitoring/monitoring.metrics.ts';
import { refreshWarningsAfterRegistryChange } from '#server/modules/monitoring/monitoring.warnings.ts';
import { registerCultivationRoutes } from '#server/modules/cultivation/cultivation.routes.ts';
import { registerCultivationMetrics } from '#server/modules/cultivation/cultivation.metrics.ts';
import { provideMonitoringValues } from '#server/modules/cultivation/cultivation.output.ts';
import { listPeriodValues } from '#server/modules/monitoring/monitoring.repo.ts';
import { registerPlanRoutes } from '#server/modules/plans/plans.routes.ts';
import { reportingRateSource } from '#server/modules/plans/plans.service.ts';
import { registerTargetRoutes } from '#server/modules/targets/targets.routes.ts';
import { UPLOAD_LIMIT_BYTES } from '#server/platform/upload.ts';

/** Fastify logs a request twice, on arrival and on completion; one line with both says it all. */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = { method: request.method, url: request.url, ip: request.ip, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

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
    logger: options.logger ?? {
      level: deps.config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'],
      // Two lines per request written synchronously cost as much as the request itself; pino's
      // asynchronous destination buffers them and flushes at exit.
      stream: pino.destination({ dest: 1, sync: false }),
    },
    genReqId: requestIdGenerator(),
    logController: new OneLinePerRequest(),
    trustProxy: deps.config.trustProxy,
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();

  // Field messages a contract does not word itself come from zod: users read them, so Chinese.
  z.config(z.locales.zhCN());
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  registerInputGuard(app);

  // Every API route must say who may call it; a route without a declaration stops start-up.
  app.addHook('onRoute', (route) => {
    const url = route.url ?? '';
    if (!url.startsWith('/api/') || url.startsWith('/api/docs')) return;
    if (!route.config?.access) throw new Error(`route ${route.method} ${url} declares no access (config.access)`);
  });
  // Hooks on every request take a callback rather than being async: a promise per hook per
  // request shows in the throughput of cached answers (ADR 0011).
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', String(request.id));
    // API answers and downloads carry enterprises' figures: no browser or proxy may keep a copy
    // (ASVS 14.3.2). A route that knows better sets its own.
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    done(null, payload);
  });

  await app.register(cookie);
  registerSecurityHeaders(app, {
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
  // Upload limits (server/platform/upload.ts): one file of at most 20 MB; workbooks are then
  // inspected before anything is inflated.
  await app.register(multipart, { limits: { fileSize: UPLOAD_LIMIT_BYTES, files: 1, fields: 20, parts: 25 } });
  await app.register(swagger, {
    openapi: { info: { title: '科经信工作平台 API', version: deps.version }, servers: [] },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  registerAuthHook(app, deps);
  registerIdempotency(app, deps.db);
  registerHealthRoutes(app, deps);
  registerAuthRoutes(app, deps);
  registerOrgRoutes(app, deps);
  registerRoleRoutes(app, deps);
  registerUserRoutes(app, deps);
  registerAuditRoutes(app, deps);
  registerEnterpriseRoutes(app, deps);
  registerMonitoringRoutes(app, deps);
  registerImportRoutes(app);
  registerMonitoringMetrics(deps.metrics, deps.config.districtFile);
  deps.registryChanges.listen('monitoring.warnings', refreshWarningsAfterRegistryChange);
  registerCultivationRoutes(app, deps);
  registerCultivationMetrics(deps.metrics);
  // Cultivation reads monitoring figures (output for 亿元 enterprises, the annual form's offer) without importing monitoring (ADR 0006).
  provideMonitoringValues(deps.metrics, async (db, period, indicator, enterpriseId) =>
    (await listPeriodValues(db, period, indicator)).filter((v) => !enterpriseId || v.enterpriseId === enterpriseId).map((v) => ({ enterpriseId: v.enterpriseId, current: v.current })),
  );
  registerPlanRoutes(app, deps);
  registerTargetRoutes(app, deps);
  // Metric sources targets measure through (deps.metrics); modules that measure register here.
  deps.metrics.register(reportingRateSource);

  if (!(await serveWebApp(app, deps.config.webDist))) app.setNotFoundHandler(replyRouteNotFound);
  return app;
}

/** The built web app, with client-side routes falling back to index.html. False when not built. */
async function serveWebApp(app: App, dist: string): Promise<boolean> {
  const index = path.join(dist, 'index.html');
  if (!fs.existsSync(index)) return false;
  await app.register(fastifyStatic, { root: dist, wildcard: false, index: false, cacheControl: false });
  const html = fs.readFileSync(index);
  app.get('/assets/*', { config: { access: 'public' }, schema: { hide: true } }, (request, reply) => {
    const file = (request.params as { '*': string })['*'];
    return reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile(path.join('assets', file));
  });
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/') || request.method !== 'GET') return replyRouteNotFound(request, reply);
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
  });
  return true;
}
