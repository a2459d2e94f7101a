/**
 * The authorization policy, written by hand as plain data so a reviewer can read it and the
 * matrix in `authorization.test.ts` can fail: nothing here is imported from the code under
 * test. When a route is added, the matrix fails until the route has an entry below.
 *
 * Scope kinds (ADR 0003):
 * - `public`: no session.
 * - `own-user`: acts on the caller's own account, session or tokens; every signed-in user.
 * - `district`: district configuration and administration (units, users, roles, audit, settings,
 *   templates): not records of a town, so not narrowed by scope — the permission is the gate.
 * - `aggregate`: district and town totals, rankings, targets: visible to every holder of the
 *   permission by design (drill-downs are scoped again).
 * - `scoped-list`: a list, export or document of records: each row must lie in the caller's
 *   scope (checked row by row: no enterprise outside the scope may appear).
 * - `record`: one record named by a path id: out of scope answers 404.
 * - `scoped-write`: creates or writes a record named in the body (enterprise, town, unit): a
 *   target outside the scope is refused and nothing is written.
 */

export type Role = 'admin' | 'leader' | 'section' | 'town' | 'enterprise' | 'innovation';

export type Grant =
  | 'org.read' | 'org.manage' | 'users.read' | 'users.manage' | 'roles.manage' | 'sessions.manage' | 'audit.read'
  | 'enterprises.read' | 'enterprises.write'
  | 'monitoring.read' | 'monitoring.import' | 'monitoring.manage'
  | 'plans.read' | 'plans.write' | 'plans.report'
  | 'targets.read' | 'targets.manage'
  | 'cultivation.read' | 'cultivation.write';

const READ_ALL: Grant[] = ['org.read', 'enterprises.read', 'monitoring.read', 'plans.read', 'targets.read', 'cultivation.read'];

/** Role × permission: the intended default grants (docs/security.md shows the same table). */
export const GRANTS: Record<Role, readonly Grant[]> = {
  admin: [
    'org.read', 'org.manage', 'users.read', 'users.manage', 'roles.manage', 'sessions.manage', 'audit.read',
    'enterprises.read', 'enterprises.write', 'monitoring.read', 'monitoring.import', 'monitoring.manage',
    'plans.read', 'plans.write', 'plans.report', 'targets.read', 'targets.manage', 'cultivation.read', 'cultivation.write',
  ],
  leader: [...READ_ALL, 'users.read', 'audit.read'],
  section: [...READ_ALL, 'enterprises.write', 'monitoring.import', 'monitoring.manage', 'plans.write', 'plans.report', 'targets.manage', 'cultivation.write'],
  innovation: [...READ_ALL, 'plans.report'],
  town: [...READ_ALL, 'enterprises.write', 'monitoring.import', 'plans.report', 'cultivation.write'],
  enterprise: ['enterprises.read', 'monitoring.read', 'monitoring.import', 'cultivation.read'],
};

/** Who a scope-checked user is: the demo accounts, by the records they may reach. */
export type Reach = 'all' | 'hedian' | 'xicheng' | 'xihe' | 'qiye';

/** The demo accounts (password kejing-demo), their roles and the records they reach. */
export const ACCOUNTS: Record<string, { roles: Role[]; reach: Reach }> = {
  admin: { roles: ['admin'], reach: 'all' },
  leader: { roles: ['leader'], reach: 'all' },
  yunxing: { roles: ['section'], reach: 'all' },
  hedian: { roles: ['town'], reach: 'hedian' },
  xicheng: { roles: ['town'], reach: 'xicheng' },
  // Seconded official: town + section, working in 淅河镇 (the first unit) by default.
  jiediao: { roles: ['town', 'section'], reach: 'xihe' },
  qiye: { roles: ['enterprise'], reach: 'qiye' },
  chuangxin: { roles: ['innovation'], reach: 'all' },
};

/** Who owns a record used as a probe: the enterprise of qiye is a 何店镇 enterprise. */
export type Owner = 'hedian' | 'xicheng' | 'xihe' | 'qiye';

/** Whether an account reaches a record owned by `owner`. */
export function reaches(reach: Reach, owner: Owner): boolean {
  if (reach === 'all') return true;
  if (reach === 'hedian') return owner === 'hedian' || owner === 'qiye';
  return reach === owner;
}

export type ScopeKind = 'public' | 'own-user' | 'district' | 'aggregate' | 'scoped-list' | 'record' | 'scoped-write';

/** Record kinds a path id can name; the fixtures find one per owner in the demo data. */
export type RecordKind = 'enterprise' | 'qualification' | 'warning' | 'planItem' | 'planReport' | 'milestone';

export type RoutePolicy = {
  access: Grant | 'authenticated' | 'public';
  scope: ScopeKind;
  /** For `record`: what the `:id` names. */
  record?: RecordKind;
  /** For probes: a query string (placeholders `{period}`, `{year}`, `{asOf}`) so a permitted GET answers 200. */
  query?: string;
  /** For `record` writes: a body that passes validation, so the scope check is what answers. */
  body?: unknown;
  /** The route ends the caller's session or changes it: probe it with a throwaway session. */
  throwaway?: boolean;
  /** Answers a file (xlsx / docx / pdf). */
  file?: 'xlsx' | 'docx' | 'pdf';
};

const P = '?period={period}';
export const ROUTES: Record<string, RoutePolicy> = {
  // ---- platform and sign-in
  'GET /api/health': { access: 'public', scope: 'public' },
  'GET /api/platform/info': { access: 'public', scope: 'public' },
  'POST /api/auth/login': { access: 'public', scope: 'public' },
  'POST /api/auth/logout': { access: 'authenticated', scope: 'own-user', throwaway: true },
  'GET /api/auth/me': { access: 'authenticated', scope: 'own-user' },
  'POST /api/auth/password': { access: 'authenticated', scope: 'own-user' },
  'POST /api/auth/active-unit': { access: 'authenticated', scope: 'own-user', throwaway: true },
  'GET /api/auth/tokens': { access: 'authenticated', scope: 'own-user' },
  'POST /api/auth/tokens': { access: 'authenticated', scope: 'own-user' },
  'DELETE /api/auth/tokens/:id': { access: 'authenticated', scope: 'own-user' },
  'GET /api/sessions': { access: 'sessions.manage', scope: 'district' },
  'DELETE /api/sessions/:id': { access: 'sessions.manage', scope: 'district' },
  // ---- organisation, accounts, roles, audit
  'GET /api/units': { access: 'org.read', scope: 'district' },
  'GET /api/roles': { access: 'roles.manage', scope: 'district' },
  'PUT /api/roles/:role': { access: 'roles.manage', scope: 'district' },
  'GET /api/users': { access: 'users.read', scope: 'district' },
  'GET /api/users/:id': { access: 'users.read', scope: 'district' },
  'POST /api/users': { access: 'users.manage', scope: 'district' },
  'PATCH /api/users/:id': { access: 'users.manage', scope: 'district' },
  'POST /api/users/:id/reset-password': { access: 'users.manage', scope: 'district' },
  'GET /api/audit': { access: 'audit.read', scope: 'district' },
  'GET /api/audit/export': { access: 'audit.read', scope: 'district', file: 'xlsx' },
  'GET /api/audit/verify': { access: 'audit.read', scope: 'district' },
  'GET /api/login-log': { access: 'audit.read', scope: 'district' },
  'GET /api/login-log/export': { access: 'audit.read', scope: 'district', file: 'xlsx' },
  // ---- enterprises
  'GET /api/chains': { access: 'enterprises.read', scope: 'district' },
  'GET /api/enterprises': { access: 'enterprises.read', scope: 'scoped-list', query: '?pageSize=200' },
  'GET /api/enterprises/export': { access: 'enterprises.read', scope: 'scoped-list', file: 'xlsx' },
  'GET /api/enterprises/import-template': { access: 'enterprises.write', scope: 'district', file: 'xlsx' },
  'GET /api/enterprises/tags': { access: 'enterprises.read', scope: 'scoped-list' },
  'GET /api/enterprise-groups': { access: 'enterprises.read', scope: 'scoped-list' },
  'GET /api/enterprises/:id': { access: 'enterprises.read', scope: 'record', record: 'enterprise' },
  'POST /api/enterprises': { access: 'enterprises.write', scope: 'scoped-write' },
  'PATCH /api/enterprises/:id': { access: 'enterprises.write', scope: 'record', record: 'enterprise', body: { address: '矩阵探针地址' } },
  'POST /api/enterprises/import': { access: 'enterprises.write', scope: 'scoped-write' },
  'POST /api/enterprises/import/annotated': { access: 'enterprises.write', scope: 'scoped-write' },
  // ---- monitoring
  'GET /api/monitoring/summary': { access: 'monitoring.read', scope: 'aggregate', query: P },
  'GET /api/monitoring/periods': { access: 'monitoring.read', scope: 'aggregate' },
  'GET /api/monitoring/figures': { access: 'monitoring.read', scope: 'aggregate', query: P },
  'GET /api/monitoring/figures/export': { access: 'monitoring.read', scope: 'aggregate', query: P, file: 'xlsx' },
  'GET /api/monitoring/drilldown': { access: 'monitoring.read', scope: 'scoped-list', query: `${P}&dimension=district` },
  'GET /api/monitoring/drilldown/export': { access: 'monitoring.read', scope: 'scoped-list', query: `${P}&dimension=district`, file: 'xlsx' },
  'GET /api/monitoring/trend': { access: 'monitoring.read', scope: 'aggregate', query: '?year={year}' },
  'GET /api/monitoring/trend/export': { access: 'monitoring.read', scope: 'aggregate', query: '?year={year}', file: 'xlsx' },
  'GET /api/monitoring/forecast': { access: 'monitoring.read', scope: 'aggregate', query: P },
  'GET /api/monitoring/reports': { access: 'monitoring.read', scope: 'scoped-list', query: `${P}&pageSize=200` },
  'GET /api/monitoring/form': { access: 'monitoring.import', scope: 'scoped-list', query: `${P}&enterpriseId={ownEnterprise}` },
  'POST /api/monitoring/form': { access: 'monitoring.import', scope: 'scoped-write' },
  'POST /api/monitoring/imports': { access: 'monitoring.import', scope: 'scoped-write' },
  'GET /api/imports/progress/:id': { access: 'authenticated', scope: 'own-user' },
  'POST /api/monitoring/imports/annotated': { access: 'monitoring.import', scope: 'scoped-write' },
  'GET /api/monitoring/imports/template': { access: 'monitoring.read', scope: 'district', file: 'xlsx' },
  'GET /api/monitoring/reported': { access: 'monitoring.read', scope: 'aggregate', query: '?year={year}' },
  'POST /api/monitoring/reported': { access: 'monitoring.manage', scope: 'district' },
  'POST /api/monitoring/reported/import': { access: 'monitoring.manage', scope: 'district' },
  'GET /api/monitoring/warnings': { access: 'monitoring.read', scope: 'scoped-list', query: '?pageSize=200' },
  'PATCH /api/monitoring/warnings/:id': { access: 'monitoring.import', scope: 'record', record: 'warning', body: { status: 'acknowledged', note: '矩阵探针' } },
  'GET /api/monitoring/settings': { access: 'monitoring.read', scope: 'district' },
  'PUT /api/monitoring/settings': { access: 'monitoring.manage', scope: 'district' },
  'GET /api/monitoring/analysis-report': { access: 'monitoring.read', scope: 'aggregate', query: P, file: 'docx' },
  // ---- cultivation
  'GET /api/enterprises/:id/eligibility': { access: 'cultivation.read', scope: 'record', record: 'enterprise' },
  'GET /api/enterprises/:id/annual-offer': { access: 'cultivation.read', scope: 'record', record: 'enterprise', query: '?year={year}' },
  'GET /api/cultivation/rule-sets': { access: 'cultivation.read', scope: 'district' },
  'GET /api/cultivation/ladder': { access: 'cultivation.read', scope: 'aggregate' },
  'GET /api/cultivation/pools/:rung': { access: 'cultivation.read', scope: 'scoped-list', query: '?pageSize=200' },
  'GET /api/cultivation/pools/:rung/export': { access: 'cultivation.read', scope: 'scoped-list', file: 'xlsx' },
  'GET /api/cultivation/pools/:rung/list': { access: 'cultivation.read', scope: 'scoped-list', file: 'docx' },
  'GET /api/cultivation/qualifications': { access: 'cultivation.read', scope: 'scoped-list', query: '?pageSize=200' },
  'GET /api/cultivation/qualifications/expiring': { access: 'cultivation.read', scope: 'scoped-list' },
  'POST /api/cultivation/qualifications': { access: 'cultivation.write', scope: 'scoped-write' },
  'PATCH /api/cultivation/qualifications/:id': { access: 'cultivation.write', scope: 'record', record: 'qualification', body: { note: '矩阵探针' } },
  'POST /api/cultivation/qualifications/:id/revoke': { access: 'cultivation.write', scope: 'record', record: 'qualification', body: { revokedOn: '2026-01-05', reason: '矩阵探针' } },
  'GET /api/cultivation/qualifications/import-template': { access: 'cultivation.write', scope: 'district', file: 'xlsx' },
  'POST /api/cultivation/qualifications/import': { access: 'cultivation.write', scope: 'scoped-write' },
  'GET /api/cultivation/annual-data': { access: 'cultivation.read', scope: 'scoped-list', query: '?pageSize=200' },
  'PUT /api/cultivation/annual-data': { access: 'cultivation.write', scope: 'scoped-write' },
  'GET /api/cultivation/annual-data/import-template': { access: 'cultivation.write', scope: 'district', file: 'xlsx' },
  'POST /api/cultivation/annual-data/import': { access: 'cultivation.write', scope: 'scoped-write' },
  'GET /api/cultivation/qualifications/:id/files': { access: 'cultivation.read', scope: 'record', record: 'qualification' },
  'POST /api/cultivation/qualifications/:id/files': { access: 'cultivation.write', scope: 'record', record: 'qualification' },
  'GET /api/cultivation/files/:id': { access: 'cultivation.read', scope: 'record' },
  'DELETE /api/cultivation/files/:id': { access: 'cultivation.write', scope: 'record' },
  'GET /api/enterprises/:id/adverse-records': { access: 'cultivation.read', scope: 'record', record: 'enterprise' },
  'POST /api/enterprises/:id/adverse-records': { access: 'cultivation.write', scope: 'record', record: 'enterprise', body: { kind: 'safety_accident', occurredOn: '2022-06-01', description: '矩阵探针', source: '矩阵探针' } },
  'DELETE /api/cultivation/adverse-records/:id': { access: 'cultivation.write', scope: 'record' },
  // ---- plans (work points): a town sees the items it leads or cooperates on
  'POST /api/plans/parse': { access: 'plans.write', scope: 'district' },
  'POST /api/plans/parse-file': { access: 'plans.write', scope: 'district' },
  'POST /api/plans': { access: 'plans.write', scope: 'district' },
  'GET /api/plans': { access: 'plans.read', scope: 'aggregate' },
  'GET /api/plans/my-items': { access: 'plans.read', scope: 'scoped-list' },
  'GET /api/plans/:id': { access: 'plans.read', scope: 'scoped-list' },
  'GET /api/plans/:id/source': { access: 'plans.read', scope: 'aggregate' },
  'DELETE /api/plans/:id': { access: 'plans.write', scope: 'district' },
  'GET /api/plans/:id/unreported': { access: 'plans.read', scope: 'scoped-list' },
  'POST /api/plans/:id/remind': { access: 'plans.write', scope: 'district' },
  'POST /api/plans/items': { access: 'plans.write', scope: 'district' },
  'GET /api/plans/items/:id': { access: 'plans.read', scope: 'record', record: 'planItem' },
  'PATCH /api/plans/items/:id': { access: 'plans.write', scope: 'record', record: 'planItem', body: { responsiblePerson: '矩阵探针' } },
  'POST /api/plans/items/:id/milestones': { access: 'plans.write', scope: 'record', record: 'planItem', body: { title: '矩阵探针', dueDate: '2026-12-31' } },
  'PATCH /api/plans/milestones/:id': { access: 'plans.write', scope: 'record', record: 'milestone', body: { title: '矩阵探针' } },
  'DELETE /api/plans/milestones/:id': { access: 'plans.write', scope: 'record', record: 'milestone' },
  'POST /api/plans/items/:id/reports': { access: 'plans.report', scope: 'record', record: 'planItem', body: { period: '2026-10', progress: 10, text: '矩阵探针' } },
  'POST /api/plans/reports/:id/review': { access: 'plans.write', scope: 'record', record: 'planReport', body: { decision: 'return', note: '矩阵探针' } },
  'POST /api/plans/reports/:id/files': { access: 'plans.report', scope: 'record', record: 'planReport' },
  'GET /api/plans/files/:id': { access: 'plans.read', scope: 'record' },
  'POST /api/plans/items/:id/notes': { access: 'plans.write', scope: 'record', record: 'planItem', body: { kind: 'supervision', text: '矩阵探针' } },
  // ---- targets: district targets, town quotas and rankings are aggregates
  'GET /api/targets/metric-sources': { access: 'targets.read', scope: 'district' },
  'GET /api/targets': { access: 'targets.read', scope: 'aggregate' },
  'POST /api/targets': { access: 'targets.manage', scope: 'district' },
  'GET /api/targets/settings': { access: 'targets.read', scope: 'district' },
  'PUT /api/targets/settings': { access: 'targets.manage', scope: 'district' },
  'GET /api/targets/quotas/mine': { access: 'targets.read', scope: 'aggregate' },
  'GET /api/targets/rankings': { access: 'targets.read', scope: 'aggregate' },
  'POST /api/targets/rankings': { access: 'targets.manage', scope: 'district' },
  'PUT /api/targets/rankings/:id': { access: 'targets.manage', scope: 'district' },
  'GET /api/targets/rankings/:id/result': { access: 'targets.read', scope: 'aggregate' },
  'GET /api/targets/bulletins': { access: 'targets.read', scope: 'aggregate' },
  'POST /api/targets/bulletins': { access: 'targets.manage', scope: 'district' },
  'GET /api/targets/bulletins/:id/docx': { access: 'targets.read', scope: 'aggregate', file: 'docx' },
  'GET /api/targets/bulletins/:id/pdf': { access: 'targets.read', scope: 'aggregate', file: 'pdf' },
  'GET /api/targets/:id': { access: 'targets.read', scope: 'aggregate' },
  'PATCH /api/targets/:id': { access: 'targets.manage', scope: 'district' },
  'PUT /api/targets/:id/binding': { access: 'targets.manage', scope: 'district' },
  // A town reports its own value towards a district target (the body names the town).
  'POST /api/targets/:id/values': { access: 'targets.read', scope: 'scoped-write' },
  'GET /api/targets/:id/quotas': { access: 'targets.read', scope: 'aggregate' },
  'PUT /api/targets/:id/quotas': { access: 'targets.manage', scope: 'district' },
};

/** The permissions an account holds: the union of its roles' grants. */
export function grantsOf(username: string): Set<string> {
  const account = ACCOUNTS[username];
  if (!account) throw new Error(`unknown demo account ${username}`);
  return new Set(account.roles.flatMap((r) => GRANTS[r]));
}

/** Whether the policy lets an account past a route's gate. */
export function mayCall(username: string, policy: RoutePolicy): boolean {
  if (policy.access === 'public' || policy.access === 'authenticated') return true;
  return grantsOf(username).has(policy.access);
}
