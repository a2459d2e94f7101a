import { idParamsSchema } from '#common/contracts/auth.ts';
import { pageOf } from '#common/contracts/paging.ts';
import {
  createUserBodySchema,
  resetPasswordBodySchema,
  updateUserBodySchema,
  userListQuerySchema,
  userSchema,
  userWithPasswordSchema,
} from '#common/contracts/users.ts';
import type { App } from '#server/platform/http.ts';
import type { Deps } from '#server/platform/deps.ts';
import { contextOf } from '#server/platform/request-context.ts';
import { createUser, getUser, listUsers, resetUserPassword, updateUser } from '#server/modules/users/users.service.ts';

export function registerUserRoutes(app: App, deps: Deps): void {
  app.get('/api/users', {
    config: { access: 'users.read' },
    schema: { tags: ['users'], summary: '用户列表', querystring: userListQuerySchema, response: { 200: pageOf(userSchema) } },
    handler: async (request) => listUsers(deps, request.query),
  });

  app.get('/api/users/:id', {
    config: { access: 'users.read' },
    schema: { tags: ['users'], summary: '用户详情', params: idParamsSchema, response: { 200: userSchema } },
    handler: async (request) => getUser(deps, request.params.id),
  });

  app.post('/api/users', {
    config: { access: 'users.manage' },
    schema: { tags: ['users'], summary: '新建用户', body: createUserBodySchema, response: { 200: userWithPasswordSchema } },
    handler: async (request) => createUser(deps, contextOf(request).actor, request.body),
  });

  app.patch('/api/users/:id', {
    config: { access: 'users.manage' },
    schema: { tags: ['users'], summary: '修改用户', params: idParamsSchema, body: updateUserBodySchema, response: { 200: userSchema } },
    handler: async (request) => updateUser(deps, contextOf(request).actor, request.params.id, request.body),
  });

  app.post('/api/users/:id/reset-password', {
    config: { access: 'users.manage' },
    schema: { tags: ['users'], summary: '重置密码', params: idParamsSchema, body: resetPasswordBodySchema, response: { 200: userWithPasswordSchema } },
    handler: async (request) => resetUserPassword(deps, contextOf(request).actor, request.params.id, request.body.password),
  });
}
