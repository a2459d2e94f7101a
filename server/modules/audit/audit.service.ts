import { sql } from 'kysely';
import type { Deps } from '#server/platform/deps.ts';
import { writeXlsx } from '#server/platform/excel.ts';
import { textStartsWith } from '#server/db/text-match.ts';

export type AuditQuery = {
  actor?: string | undefined;
  action?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  page: number;
  pageSize: number;
};

/** Beijing calendar dates to the UTC instants that bound them (instants are stored in UTC). */
export function beijingDayStartUtc(date: string): string {
  return new Date(`${date}T00:00:00+08:00`).toISOString();
}
function beijingDayEndUtc(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00+08:00`) + 86_400_000).toISOString();
}

function auditBase(deps: Deps, q: Omit<AuditQuery, 'page' | 'pageSize'>) {
  let base = deps.db.selectFrom('audit_log as a').leftJoin('units as u', 'u.id', 'a.active_unit_id');
  if (q.actor) base = base.where('a.actor_name', '=', q.actor);
  if (q.action) base = base.where(textStartsWith('a.action', q.action));
  if (q.entityType) base = base.where('a.entity_type', '=', q.entityType);
  if (q.entityId) base = base.where('a.entity_id', '=', q.entityId);
  if (q.from) base = base.where('a.at', '>=', beijingDayStartUtc(q.from));
  if (q.to) base = base.where('a.at', '<', beijingDayEndUtc(q.to));
  return base;
}

const parse = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

/** The audit log, newest first. */
export async function listAudit(deps: Deps, q: AuditQuery) {
  const base = auditBase(deps, q);
  const total = Number((await base.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  const rows = await base
    .selectAll('a')
    .select(['u.name as unit_name'])
    .orderBy('a.seq', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return {
    total,
    items: rows.map((r) => ({
      seq: Number(r.seq),
      at: r.at,
      actorKind: r.actor_kind,
      actorName: r.actor_name,
      activeUnit: r.active_unit_id ? { id: r.active_unit_id, name: r.unit_name ?? '' } : null,
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      before: parse(r.before_json),
      after: parse(r.after_json),
      ip: r.ip,
      requestId: r.request_id,
    })),
  };
}

const EXPORT_LIMIT = 100_000;

export async function exportAudit(deps: Deps, q: Omit<AuditQuery, 'page' | 'pageSize'>): Promise<Buffer> {
  const { items } = await listAudit(deps, { ...q, page: 1, pageSize: EXPORT_LIMIT });
  return writeXlsx([
    {
      name: '审计日志',
      rows: items,
      columns: [
        { header: '序号', value: (r) => r.seq, width: 8 },
        { header: '时间（UTC）', value: (r) => r.at, width: 26 },
        { header: '操作人', value: (r) => r.actorName, width: 14 },
        { header: '身份类型', value: (r) => r.actorKind, width: 10 },
        { header: '工作单位', value: (r) => r.activeUnit?.name ?? '', width: 20 },
        { header: '操作', value: (r) => r.action, width: 24 },
        { header: '对象类型', value: (r) => r.entityType, width: 14 },
        { header: '对象编号', value: (r) => r.entityId ?? '', width: 38 },
        { header: '变更前', value: (r) => (r.before === null ? '' : JSON.stringify(r.before)), width: 40 },
        { header: '变更后', value: (r) => (r.after === null ? '' : JSON.stringify(r.after)), width: 40 },
        { header: 'IP', value: (r) => r.ip ?? '', width: 16 },
        { header: '请求编号', value: (r) => r.requestId ?? '', width: 38 },
      ],
    },
  ]);
}

export type LoginLogQuery = { username?: string | undefined; success?: 'true' | 'false' | undefined; from?: string | undefined; to?: string | undefined; page: number; pageSize: number };

const LOGIN_REASONS: Record<string, string> = {
  ok: '登录成功',
  unknown_user: '用户名不存在',
  bad_password: '密码错误',
  bad_password_locked: '密码错误，账号被锁定',
  locked: '账号锁定中',
  disabled: '账号已停用',
  no_unit: '未分配单位',
};

/** Sign-in attempts, successful and failed, with IP — newest first. */
export async function listLoginLog(deps: Deps, q: LoginLogQuery) {
  let base = deps.db.selectFrom('login_log');
  if (q.username) base = base.where('username', '=', q.username);
  if (q.success) base = base.where('success', '=', q.success === 'true' ? 1 : 0);
  if (q.from) base = base.where('at', '>=', beijingDayStartUtc(q.from));
  if (q.to) base = base.where('at', '<', beijingDayEndUtc(q.to));
  const total = Number((await base.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  const rows = await base.selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute();
  return {
    total,
    items: rows.map((r) => ({ id: r.id, at: r.at, username: r.username, success: r.success === 1, reason: LOGIN_REASONS[r.reason] ?? r.reason, ip: r.ip, userAgent: r.user_agent })),
  };
}

export async function exportLoginLog(deps: Deps, q: Omit<LoginLogQuery, 'page' | 'pageSize'>): Promise<Buffer> {
  const { items } = await listLoginLog(deps, { ...q, page: 1, pageSize: EXPORT_LIMIT });
  return writeXlsx([
    {
      name: '登录日志',
      rows: items,
      columns: [
        { header: '时间（UTC）', value: (r) => r.at, width: 26 },
        { header: '用户名', value: (r) => r.username, width: 16 },
        { header: '结果', value: (r) => (r.success ? '成功' : '失败'), width: 8 },
        { header: '说明', value: (r) => r.reason, width: 22 },
        { header: 'IP', value: (r) => r.ip ?? '', width: 16 },
        { header: '浏览器', value: (r) => r.userAgent ?? '', width: 50 },
      ],
    },
  ]);
}
