import { ALL_PERMISSIONS, DEFAULT_ROLE_PERMISSIONS, PERMISSIONS, ROLES, ROLE_LABELS, isPermission } from '#common/permissions.ts';
import type { Permission, Role } from '#common/permissions.ts';
import type { Db } from '#server/db/client.ts';
import type { Actor } from '#server/platform/audit.ts';
import type { Deps } from '#server/platform/deps.ts';
import { badRequest } from '#server/platform/errors.ts';

/** Grants the default permissions to every role that has none yet (first migrate). */
export async function ensureDefaultRolePermissions(deps: Pick<Deps, 'db' | 'audit'>, actor: Actor): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const present = new Set((await trx.selectFrom('role_permissions').select('role').distinct().execute()).map((r) => r.role));
    for (const role of ROLES) {
      if (present.has(role)) continue;
      const permissions = DEFAULT_ROLE_PERMISSIONS[role];
      await trx.insertInto('role_permissions').values(permissions.map((permission) => ({ role, permission }))).execute();
      await deps.audit.append(trx, actor, { action: 'role.grant_defaults', entityType: 'role', entityId: role, after: permissions });
    }
  });
}

export async function permissionsOfRoles(db: Db, roles: readonly string[]): Promise<Set<Permission>> {
  if (roles.length === 0) return new Set();
  const rows = await db.selectFrom('role_permissions').select('permission').where('role', 'in', roles).execute();
  return new Set(rows.map((r) => r.permission).filter(isPermission));
}

export type RolePermissionTable = {
  roles: { role: Role; label: string; permissions: string[] }[];
  permissions: { id: string; label: string }[];
};

export async function getRolePermissionTable(db: Db): Promise<RolePermissionTable> {
  const rows = await db.selectFrom('role_permissions').selectAll().execute();
  return {
    roles: ROLES.map((role) => ({
      role,
      label: ROLE_LABELS[role],
      permissions: rows.filter((r) => r.role === role).map((r) => r.permission).filter(isPermission).sort(),
    })),
    permissions: ALL_PERMISSIONS.map((id) => ({ id, label: PERMISSIONS[id] })),
  };
}

/**
 * Replaces a role's grants. The administrator role keeps the permissions that manage roles and
 * users, so that no edit can lock every administrator out.
 */
export async function setRolePermissions(deps: Pick<Deps, 'db' | 'audit'>, actor: Actor, role: Role, permissions: string[]): Promise<RolePermissionTable> {
  const unknown = permissions.filter((p) => !isPermission(p));
  if (unknown.length) throw badRequest(`未知的权限：${unknown.join('、')}`);
  const wanted = [...new Set(permissions)] as Permission[];
  if (role === 'admin') {
    for (const kept of ['roles.manage', 'users.manage'] as const) if (!wanted.includes(kept)) wanted.push(kept);
  }
  await deps.db.transaction().execute(async (trx) => {
    const before = (await trx.selectFrom('role_permissions').select('permission').where('role', '=', role).execute()).map((r) => r.permission).sort();
    await trx.deleteFrom('role_permissions').where('role', '=', role).execute();
    if (wanted.length) await trx.insertInto('role_permissions').values(wanted.map((permission) => ({ role, permission }))).execute();
    await deps.audit.append(trx, actor, { action: 'role.update', entityType: 'role', entityId: role, before, after: [...wanted].sort() });
  });
  return getRolePermissionTable(deps.db);
}
