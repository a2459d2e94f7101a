import { z } from 'zod';
import { idParamsSchema } from '#common/contracts/auth.ts';
import {
  chainListSchema,
  enterpriseCreateBodySchema,
  enterpriseDetailSchema,
  enterpriseFilterSchema,
  enterpriseImportPreviewSchema,
  enterpriseListQuerySchema,
  enterprisePageSchema,
  enterpriseUpdateBodySchema,
  groupListSchema,
  importQuerySchema,
  tagListSchema,
} from '#common/contracts/enterprises.ts';
import type { App } from '#server/platform/http.ts';
import type { Deps } from '#server/platform/deps.ts';
import { attachmentHeader, XLSX_MIME } from '#server/platform/excel.ts';
import { contextOf } from '#server/platform/request-context.ts';
import { readUploadedFile } from '#server/platform/upload.ts';
import { progressOf } from '#server/platform/import-progress.ts';
import { listChains } from '#server/modules/enterprises/enterprises.chains.ts';
import { annotateEnterpriseImport, importEnterprises } from '#server/modules/enterprises/enterprises.import.ts';
import {
  createEnterprise,
  enterpriseImportTemplate,
  exportEnterprises,
  getEnterprise,
  listEnterpriseGroups,
  listEnterpriseTags,
  listEnterprises,
  updateEnterprise,
} from '#server/modules/enterprises/enterprises.service.ts';

const fileSchema = z.any().describe('xlsx file');
const UPLOAD_NOTE = '上传一个 .xlsx 文件（multipart/form-data，字段名不限，≤ 20 MB）';

/** Beijing date for file names: 企业名录-20261127.xlsx. */
function stamp(deps: Deps): string {
  return new Date(deps.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
}

export function registerEnterpriseRoutes(app: App, deps: Deps): void {
  // Chains are district configuration: every reader of enterprises may see them.
  app.get('/api/chains', {
    config: { access: 'enterprises.read' },
    schema: { tags: ['enterprises'], summary: '产业链（辖区配置）', response: { 200: chainListSchema } },
    handler: async () => ({ items: await listChains(deps.db) }),
  });

  app.get('/api/enterprises', {
    config: { access: 'enterprises.read' },
    schema: { tags: ['enterprises'], summary: '企业列表（按数据范围）', querystring: enterpriseListQuerySchema, response: { 200: enterprisePageSchema } },
    handler: async (request) => listEnterprises(deps, contextOf(request).principal.scope, request.query),
  });

  app.get('/api/enterprises/export', {
    config: { access: 'enterprises.read' },
    schema: { tags: ['enterprises'], summary: '导出企业名录（xlsx，与导入模板同列，可直接重新导入）', querystring: enterpriseFilterSchema, response: { 200: fileSchema } },
    handler: async (request, reply) => {
      const file = await exportEnterprises(deps, contextOf(request).principal.scope, request.query);
      return reply.type(XLSX_MIME).header('content-disposition', attachmentHeader(`企业名录-${stamp(deps)}.xlsx`)).send(file);
    },
  });

  app.get('/api/enterprises/import-template', {
    config: { access: 'enterprises.write' },
    schema: { tags: ['enterprises'], summary: '企业名录导入模板（xlsx）', response: { 200: fileSchema } },
    handler: async (_request, reply) => {
      const file = await enterpriseImportTemplate(deps);
      return reply.type(XLSX_MIME).header('content-disposition', attachmentHeader('企业名录导入模板.xlsx')).send(file);
    },
  });

  app.get('/api/enterprises/tags', {
    config: { access: 'enterprises.read' },
    schema: { tags: ['enterprises'], summary: '企业标签（按数据范围计数）', response: { 200: tagListSchema } },
    handler: async (request) => listEnterpriseTags(deps, contextOf(request).principal.scope),
  });

  app.get('/api/enterprise-groups', {
    config: { access: 'enterprises.read' },
    schema: { tags: ['enterprises'], summary: '企业集团', response: { 200: groupListSchema } },
    handler: async (request) => listEnterpriseGroups(deps, contextOf(request).principal.scope),
  });

  app.get('/api/enterprises/:id', {
    config: { access: 'enterprises.read' },
    schema: { tags: ['enterprises'], summary: '企业档案（一企一档）', params: idParamsSchema, response: { 200: enterpriseDetailSchema } },
    handler: async (request) => getEnterprise(deps, contextOf(request).principal.scope, request.params.id),
  });

  app.post('/api/enterprises', {
    config: { access: 'enterprises.write' },
    schema: { tags: ['enterprises'], summary: '登记企业', body: enterpriseCreateBodySchema, response: { 200: enterpriseDetailSchema } },
    handler: async (request) => {
      const { principal, actor } = contextOf(request);
      return createEnterprise(deps, { scope: principal.scope, actor }, request.body);
    },
  });

  app.patch('/api/enterprises/:id', {
    config: { access: 'enterprises.write' },
    schema: { tags: ['enterprises'], summary: '修改企业档案', params: idParamsSchema, body: enterpriseUpdateBodySchema, response: { 200: enterpriseDetailSchema } },
    handler: async (request) => {
      const { principal, actor } = contextOf(request);
      return updateEnterprise(deps, { scope: principal.scope, actor }, request.params.id, request.body);
    },
  });

  app.post('/api/enterprises/import', {
    config: { access: 'enterprises.write' },
    schema: {
      tags: ['enterprises'],
      summary: '导入企业名录：dryRun=true 只校验并返回预览；dryRun=false 无错误时全部导入，有错误时一条也不导入',
      description: UPLOAD_NOTE,
      consumes: ['multipart/form-data'],
      querystring: importQuerySchema,
      response: { 200: enterpriseImportPreviewSchema },
    },
    handler: async (request) => {
      const { principal, actor } = contextOf(request);
      const file = await readUploadedFile(request);
      return importEnterprises(deps, { scope: principal.scope, actor }, file, { dryRun: request.query.dryRun !== 'false', progress: progressOf(request) });
    },
  });

  app.post('/api/enterprises/import/annotated', {
    config: { access: 'enterprises.write' },
    schema: {
      tags: ['enterprises'],
      summary: '下载标注了错误的导入文件（错误单元格标红并加批注，末列为错误说明）',
      description: UPLOAD_NOTE,
      consumes: ['multipart/form-data'],
      response: { 200: fileSchema },
    },
    handler: async (request, reply) => {
      const { principal, actor } = contextOf(request);
      const file = await readUploadedFile(request);
      const result = await annotateEnterpriseImport(deps, { scope: principal.scope, actor }, file);
      return reply.type(XLSX_MIME).header('content-disposition', attachmentHeader(result.fileName)).header('x-import-errors', String(result.errors)).send(result.buffer);
    },
  });
}
