/**
 * The platform's permissions and roles. A permission names one capability; roles get
 * permissions through a default table that an administrator can edit (stored in
 * `role_permissions`). The web hides what a user may not do; the server refuses it.
 */

export const ROLES = ['admin', 'leader', 'section', 'town', 'enterprise', 'innovation'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: '管理员',
  leader: '局领导',
  section: '股室',
  town: '镇街经发办',
  enterprise: '企业',
  innovation: '创新中心',
};

export const PERMISSIONS = {
  'org.read': '查看组织机构',
  'org.manage': '管理组织机构',
  'users.read': '查看用户',
  'users.manage': '管理用户',
  'roles.manage': '管理角色权限',
  'sessions.manage': '管理在线用户',
  'audit.read': '查看审计日志与登录日志',
  'enterprises.read': '查看企业档案',
  'enterprises.write': '维护企业档案',
} as const;
export type Permission = keyof typeof PERMISSIONS;
export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSIONS, value);
}

/**
 * Which records a role reaches: every town, its own town (and the units below it), or
 * its own enterprise. Aggregates are visible to all by design; records are not.
 */
export type ScopeKind = 'all' | 'town' | 'enterprise';

export const ROLE_SCOPE: Record<Role, ScopeKind> = {
  admin: 'all',
  leader: 'all',
  section: 'all',
  innovation: 'all',
  town: 'town',
  enterprise: 'enterprise',
};

const READ_ALL: Permission[] = ['org.read', 'enterprises.read'];

/** The default grants, written into `role_permissions` by `migrate` when a role has none. */
export const DEFAULT_ROLE_PERMISSIONS: Record<Role, Permission[]> = {
  admin: [...ALL_PERMISSIONS],
  leader: [...READ_ALL, 'users.read', 'audit.read'],
  section: [...READ_ALL, 'enterprises.write'],
  innovation: [...READ_ALL],
  town: [...READ_ALL, 'enterprises.write'],
  enterprise: ['enterprises.read'],
};

/** The widest scope among a user's roles wins: an admin who is also a town user sees all. */
export function scopeOfRoles(roles: readonly Role[]): ScopeKind {
  const kinds = roles.map((r) => ROLE_SCOPE[r]);
  if (kinds.includes('all')) return 'all';
  if (kinds.includes('town')) return 'town';
  return 'enterprise';
}
