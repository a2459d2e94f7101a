import type { z } from 'zod';
import type { auditQuerySchema, auditRecordSchema, loginLogQuerySchema, loginRecordSchema } from '#common/contracts/audit.ts';
import { downloadFile, http } from '#web/lib/http.ts';

/** Server calls of the audit log and the login log, and their xlsx exports. */

export type AuditRecord = z.infer<typeof auditRecordSchema>;
export type AuditQuery = Partial<z.infer<typeof auditQuerySchema>>;
export type LoginRecord = z.infer<typeof loginRecordSchema>;
export type LoginLogQuery = Partial<z.infer<typeof loginLogQuerySchema>>;
type Page<T> = { items: T[]; total: number };

export const AUDIT_KEY = ['audit'] as const;
export const LOGIN_LOG_KEY = ['login-log'] as const;

export function listAudit(query: AuditQuery, signal?: AbortSignal): Promise<Page<AuditRecord>> {
  return http.get<Page<AuditRecord>>('/api/audit', query, signal);
}

export function exportAudit(query: AuditQuery): Promise<void> {
  return downloadFile('/api/audit/export', withoutPaging(query), '审计日志.xlsx');
}

export function listLoginLog(query: LoginLogQuery, signal?: AbortSignal): Promise<Page<LoginRecord>> {
  return http.get<Page<LoginRecord>>('/api/login-log', query, signal);
}

export function exportLoginLog(query: LoginLogQuery): Promise<void> {
  return downloadFile('/api/login-log/export', withoutPaging(query), '登录日志.xlsx');
}

/** An export takes the filters, not the page being looked at. */
function withoutPaging<Q extends { page?: unknown; pageSize?: unknown }>(query: Q): Omit<Q, 'page' | 'pageSize'> {
  const { page: _page, pageSize: _pageSize, ...filters } = query;
  return filters;
}
