import type { FastifyRequest } from 'fastify';
import type { App } from '#server/platform/http.ts';
import type { Deps } from '#server/platform/deps.ts';
import { AppError } from '#server/platform/errors.ts';
import { resolveApiToken, resolveSession } from '#server/modules/auth/auth.service.ts';
import { SESSION_COOKIE } from '#server/modules/auth/auth.tokens.ts';
import { timingSafeEqual } from 'node:crypto';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Authenticates every /api request before its body is validated, then enforces the route's
 * declared access: a session cookie or a Bearer API token; CSRF token on cookie-authenticated
 * changes; a pending password change blocks everything but the routes that resolve it; and
 * the route's permission.
 */
export function registerAuthHook(app: App, deps: Deps): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('dataVersions', null);
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (!access || access === 'public') return;
    const authenticated = await authenticate(deps, request);
    request.principal = authenticated?.principal ?? null;
    request.dataVersions = authenticated?.versions ?? null;
    const principal = request.principal;
    if (!principal) throw new AppError('UNAUTHENTICATED', '登录已过期或未登录，请重新登录');
    if (principal.via.kind === 'session' && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !sameSecret(sent, principal.via.csrfToken)) {
        throw new AppError('CSRF', '请求校验失败（缺少或错误的 CSRF 令牌），请刷新页面后重试');
      }
    }
    if (access === 'authenticated') return;
    if (principal.mustChangePassword) throw new AppError('PASSWORD_CHANGE_REQUIRED', '首次登录或密码被重置，请先修改密码');
    if (!principal.permissions.has(access)) throw new AppError('FORBIDDEN', '您没有执行此操作的权限');
  });
}

async function authenticate(deps: Deps, request: FastifyRequest) {
  const authorization = request.headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    return match ? resolveApiToken(deps, match[1]!) : null;
  }
  const token = request.cookies[SESSION_COOKIE];
  return token ? resolveSession(deps, token) : null;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
