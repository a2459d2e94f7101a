import type { FastifyRequest } from 'fastify';
import type { Actor } from '#server/platform/audit.ts';
import { AppError } from '#server/platform/errors.ts';
import { claimOf } from '#server/platform/idempotency.ts';
import type { Principal } from '#server/platform/scope.ts';

/** A signed-in caller as services receive it: who (for scope) and the audit actor. */
export type RequestContext = { principal: Principal; actor: Actor };

export function actorOf(principal: Principal, request: Pick<FastifyRequest, 'ip' | 'id' | 'headers' | 'method' | 'url'>): Actor {
  return {
    kind: principal.via.kind === 'token' ? 'token' : 'user',
    userId: principal.userId,
    name: principal.username,
    activeUnitId: principal.activeUnitId,
    ip: request.ip,
    requestId: String(request.id),
    idempotency: claimOf(request),
  };
}

export function contextOf(request: FastifyRequest): RequestContext {
  const principal = request.principal;
  if (!principal) throw new AppError('UNAUTHENTICATED', '请先登录');
  return { principal, actor: actorOf(principal, request) };
}
