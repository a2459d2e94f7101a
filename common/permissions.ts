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
  'monitoring.read': '查看工业经济运行监测（汇总数据、图表、预警）',
  'monitoring.import': '导入或填报企业月度报表、处理预警',
  'monitoring.manage': '录入统计局公布指标、设置预警规则',
  'plans.read': '查看工作要点与督办',
  'plans.write': '维护工作要点、审核进展与督办',
  'plans.report': '填报本单位承担工作要点的进展',
  'targets.read': '查看目标、分解与排序通报',
  'targets.manage': '管理目标绑定、任务分解与排序通报',
  'cultivation.read': '查看培育梯队、资质与年度数据、资格评估（企业仅本企业）',
  'cultivation.write': '维护企业资质、年度数据及其导入',
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

const READ_ALL: Permission[] = ['org.read', 'enterprises.read', 'monitoring.read', 'plans.read', 'targets.read', 'cultivation.read'];

/** The default grants, written into `role_permissions` by `migrate` when a role has none. */
export const DEFAULT_ROLE_PERMISSIONS: Record<Role, Permission[]> = {
  admin: [...ALL_PERMISSIONS],
  leader: [...READ_ALL, 'users.read', 'audit.read'],
  section: [...READ_ALL, 'enterprises.write', 'monitoring.import', 'monitoring.manage', 'plans.write', 'plans.report', 'targets.manage', 'cultivation.write'],
  innovation: [...READ_ALL, 'plans.report'],
  town: [...READ_ALL, 'enterprises.write', 'monitoring.import', 'plans.report', 'cultivation.write'],
  // An enterprise fills its own monthly form (scope: its own enterprise) and sees the aggregates.
  enterprise: ['enterprises.read', 'monitoring.read', 'monitoring.import', 'cultivation.read'],
};

/** The widest scope among a user's roles wins: an admin who is also a town user sees all. */
export function scopeOfRoles(roles: readonly Role[]): ScopeKind {
  const kinds = roles.map((r) => ROLE_SCOPE[r]);
  if (kinds.includes('all')) return 'all';
  if (kinds.includes('town')) return 'town';
  return 'enterprise';
}
