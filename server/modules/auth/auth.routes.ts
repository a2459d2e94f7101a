import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  apiTokenListSchema,
  changePasswordBodySchema,
  createApiTokenBodySchema,
  createdApiTokenSchema,
  idParamsSchema,
  loginBodySchema,
  meSchema,
  okSchema,
  sessionListSchema,
  switchUnitBodySchema,
} from '#common/contracts/auth.ts';
import type { App } from '#server/platform/http.ts';
import type { Deps } from '#server/platform/deps.ts';
import { contextOf } from '#server/platform/request-context.ts';
import { presentMe } from '#server/modules/auth/auth.principal.ts';
import {
  changeOwnPassword,
  createApiToken,
  endSession,
  forceSignOut,
  listActiveSessions,
  listOwnApiTokens,
  login,
  revokeApiToken,
  switchActiveUnit,
} from '#server/modules/auth/auth.service.ts';
import { SESSION_COOKIE } from '#server/modules/auth/auth.tokens.ts';
import { loadPrincipal } from '#server/modules/auth/auth.principal.ts';
import { notFound } from '#server/platform/errors.ts';

export function registerAuthRoutes(app: App, deps: Deps): void {
  const setSessionCookie = (request: FastifyRequest, reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https' });

  app.post('/api/auth/login', {
    config: { access: 'public', rateLimit: { max: deps.config.login.rateLimitPerMinute, timeWindow: '1 minute' } },
    schema: { tags: ['auth'], summary: '登录', body: loginBodySchema, response: { 200: meSchema } },
    handler: async (request, reply) => {
      const { token, principal } = await login(deps, request.body.username, request.body.password, {
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        requestId: String(request.id),
      });
      setSessionCookie(request, reply, token);
      return presentMe(deps.db, principal, deps.config.demoMode, deps.config.passwordPolicy);
    },
  });

  app.post('/api/auth/logout', {
    config: { access: 'authenticated' },
    schema: { tags: ['auth'], summary: '退出登录', response: { 200: okSchema } },
    handler: async (request, reply) => {
      const { principal } = contextOf(request);
      if (principal.via.kind === 'session') await endSession(deps, principal.via.sessionId, 'logout');
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  });

  app.get('/api/auth/me', {
    config: { access: 'authenticated' },
    schema: { tags: ['auth'], summary: '当前用户', response: { 200: meSchema } },
    handler: async (request) => presentMe(deps.db, contextOf(request).principal, deps.config.demoMode, deps.config.passwordPolicy),
  });

  app.post('/api/auth/password', {
    config: { access: 'authenticated' },
    schema: { tags: ['auth'], summary: '修改本人密码', body: changePasswordBodySchema, response: { 200: okSchema } },
    handler: async (request) => {
      const { principal, actor } = contextOf(request);
      await changeOwnPassword(deps, principal, actor, request.body.currentPassword, request.body.newPassword);
      return { ok: true as const };
    },
  });

  app.post('/api/auth/active-unit', {
    config: { access: 'authenticated' },
    schema: { tags: ['auth'], summary: '切换工作单位', body: switchUnitBodySchema, response: { 200: meSchema } },
    handler: async (request) => {
      const { principal, actor } = contextOf(request);
      await switchActiveUnit(deps, principal, actor, request.body.unitId);
      const next = await loadPrincipal(deps.db, principal.userId, request.body.unitId, principal.via, deps.config.demoMode);
      if (!next) throw notFound('用户');
      return presentMe(deps.db, next, deps.config.demoMode, deps.config.passwordPolicy);
    },
  });

  app.get('/api/auth/tokens', {
    config: { access: 'authenticated' },
    schema: { tags: ['auth'], summary: '我的 API 令牌', response: { 200: apiTokenListSchema } },
    handler: async (request) => ({ items: await listOwnApiTokens(deps, contextOf(request).principal) }),
  });

  app.post('/api/auth/tokens', {
    config: { access: 'authenticated' },
    schema: { tags: ['auth'], summary: '创建 API 令牌（仅显示一次）', body: createApiTokenBodySchema, response: { 200: createdApiTokenSchema } },
    handler: async (request) => {
      const { principal, actor } = contextOf(request);
      return createApiToken(deps, principal, actor, request.body.name);
    },
  });

  app.delete('/api/auth/tokens/:id', {
    config: { access: 'authenticated' },
    schema: { tags: ['auth'], summary: '吊销 API 令牌', params: idParamsSchema, response: { 200: okSchema } },
    handler: async (request) => {
      const { principal, actor } = contextOf(request);
      await revokeApiToken(deps, principal, actor, request.params.id);
      return { ok: true as const };
    },
  });

  app.get('/api/sessions', {
    config: { access: 'sessions.manage' },
    schema: { tags: ['auth'], summary: '在线用户', response: { 200: sessionListSchema } },
    handler: async (request) => ({ items: await listActiveSessions(deps, contextOf(request).principal) }),
  });

  app.delete('/api/sessions/:id', {
    config: { access: 'sessions.manage' },
    schema: { tags: ['auth'], summary: '强制下线', params: idParamsSchema, response: { 200: okSchema } },
    handler: async (request) => {
      await forceSignOut(deps, contextOf(request).actor, request.params.id);
      return { ok: true as const };
    },
  });
}
