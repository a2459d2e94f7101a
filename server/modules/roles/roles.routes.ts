import { z } from 'zod';
import { ROLES } from '#common/permissions.ts';
import { rolePermissionsSchema, updateRolePermissionsBodySchema } from '#common/contracts/users.ts';
import type { App } from '#server/platform/http.ts';
import type { Deps } from '#server/platform/deps.ts';
import { contextOf } from '#server/platform/request-context.ts';
import { getRolePermissionTable, setRolePermissions } from '#server/modules/roles/roles.service.ts';

export function registerRoleRoutes(app: App, deps: Deps): void {
  app.get('/api/roles', {
    config: { access: 'roles.manage' },
    schema: { tags: ['roles'], summary: '角色与权限', response: { 200: rolePermissionsSchema } },
    handler: async () => getRolePermissionTable(deps.db),
  });

  app.put('/api/roles/:role', {
    config: { access: 'roles.manage' },
    schema: {
      tags: ['roles'],
      summary: '修改角色权限',
      params: z.object({ role: z.enum(ROLES) }),
      body: updateRolePermissionsBodySchema,
      response: { 200: rolePermissionsSchema },
    },
    handler: async (request) => setRolePermissions(deps, contextOf(request).actor, request.params.role, request.body.permissions),
  });
}
