import { z } from 'zod';
import { auditQuerySchema, auditRecordSchema, auditVerificationSchema, loginLogQuerySchema, loginRecordSchema } from '#common/contracts/audit.ts';
import { pageOf } from '#common/contracts/paging.ts';
import type { App } from '#server/platform/http.ts';
import type { Deps } from '#server/platform/deps.ts';
import { attachmentHeader, XLSX_MIME } from '#server/platform/excel.ts';
import { exportAudit, exportLoginLog, listAudit, listLoginLog } from '#server/modules/audit/audit.service.ts';

const fileSchema = z.any().describe('xlsx file');

export function registerAuditRoutes(app: App, deps: Deps): void {
  app.get('/api/audit', {
    config: { access: 'audit.read' },
    schema: { tags: ['audit'], summary: '审计日志', querystring: auditQuerySchema, response: { 200: pageOf(auditRecordSchema) } },
    handler: async (request) => listAudit(deps, request.query),
  });

  app.get('/api/audit/export', {
    config: { access: 'audit.read' },
    schema: { tags: ['audit'], summary: '导出审计日志（xlsx）', querystring: auditQuerySchema.omit({ page: true, pageSize: true }), response: { 200: fileSchema } },
    handler: async (request, reply) => {
      const file = await exportAudit(deps, request.query);
      return reply.type(XLSX_MIME).header('content-disposition', attachmentHeader('审计日志.xlsx')).send(file);
    },
  });

  app.get('/api/audit/verify', {
    config: { access: 'audit.read' },
    schema: { tags: ['audit'], summary: '校验审计链完整性', response: { 200: auditVerificationSchema } },
    handler: async () => deps.audit.verify(deps.db),
  });

  app.get('/api/login-log', {
    config: { access: 'audit.read' },
    schema: { tags: ['audit'], summary: '登录日志', querystring: loginLogQuerySchema, response: { 200: pageOf(loginRecordSchema) } },
    handler: async (request) => listLoginLog(deps, request.query),
  });

  app.get('/api/login-log/export', {
    config: { access: 'audit.read' },
    schema: { tags: ['audit'], summary: '导出登录日志（xlsx）', querystring: loginLogQuerySchema.omit({ page: true, pageSize: true }), response: { 200: fileSchema } },
    handler: async (request, reply) => {
      const file = await exportLoginLog(deps, request.query);
      return reply.type(XLSX_MIME).header('content-disposition', attachmentHeader('登录日志.xlsx')).send(file);
    },
  });
}
