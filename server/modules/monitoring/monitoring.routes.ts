import { z } from 'zod';
import {
  drilldownQuerySchema,
  drilldownSchema,
  figuresQuerySchema,
  figuresSchema,
  forecastQuerySchema,
  forecastSchema,
  formBodySchema,
  formQuerySchema,
  formSchema,
  importPreviewSchema,
  monitoringSettingsSchema,
  periodsSchema,
  reportListQuerySchema,
  reportListSchema,
  reportedBodySchema,
  reportedImportSchema,
  reportedListQuerySchema,
  reportedListSchema,
  summaryQuerySchema,
  summarySchema,
  trendQuerySchema,
  trendSchema,
  warningListQuerySchema,
  warningListSchema,
  warningSchema,
  warningUpdateSchema,
} from '#common/contracts/monitoring.ts';
import type { Summary } from '#common/contracts/monitoring.ts';
import { idParamsSchema } from '#common/contracts/auth.ts';
import { acceptsGzip } from '#server/platform/http.ts';
import type { App } from '#server/platform/http.ts';
import type { Deps } from '#server/platform/deps.ts';
import { contextOf } from '#server/platform/request-context.ts';
import { attachmentHeader, XLSX_MIME } from '#server/platform/excel.ts';
import { readUploadedFile } from '#server/platform/upload.ts';
import { progressOf } from '#server/platform/import-progress.ts';
import {
  addReported,
  exportDrilldown,
  exportFigures,
  exportTrend,
  getDrilldown,
  getFigures,
  getForecast,
  getForm,
  getPeriods,
  getSettings,
  getSummaryAnswer,
  getTrend,
  listReported,
  listReports,
  listWarningsFor,
  updateSettings,
  updateWarningStatus,
} from '#server/modules/monitoring/monitoring.service.ts';
import { annotateMonthlyWorkbook, importMonthlyReports, monthlyTemplate, submitMonthlyForm } from '#server/modules/monitoring/monitoring.import.ts';
import { buildAnalysisReport } from '#server/modules/monitoring/monitoring.report.ts';
import { importReportedValues } from '#server/modules/monitoring/monitoring.reported-import.ts';

const fileSchema = z.any().describe('file');
const UPLOAD_NOTE = '上传一个 .xlsx 文件（multipart/form-data，字段名不限，≤ 20 MB）';
const importQuerySchema = z.object({ dryRun: z.enum(['true', 'false']).default('true') });
const analysisQuerySchema = summaryQuerySchema.extend({ format: z.enum(['docx', 'pdf']).default('docx') });

export function registerMonitoringRoutes(app: App, deps: Deps): void {
  const tags = ['monitoring'];

  app.get('/api/monitoring/summary', {
    config: { access: 'monitoring.read' },
    schema: { tags, summary: '一期的全区、各镇街、各产业链汇总（同口径增速、拉动）', querystring: summaryQuerySchema, response: { 200: summarySchema } },
    // The JSON is checked against summarySchema when it is made (getSummaryAnswer), once per data
    // version; Fastify sends bytes as they are, without the schema's serialiser, which the type
    // provider cannot know — hence the cast.
    handler: async (request, reply) => {
      const answer = await getSummaryAnswer(deps, request.query.period, request.dataVersions?.monitoring);
      reply.type('application/json; charset=utf-8').header('vary', 'accept-encoding');
      if (acceptsGzip(request.headers['accept-encoding'])) return reply.header('content-encoding', 'gzip').send(answer.gzip as unknown as Summary);
      return reply.send(answer.json as unknown as Summary);
    },
  });

  app.get('/api/monitoring/periods', {
    config: { access: 'monitoring.read' },
    schema: { tags, summary: '已有月报的报告期', response: { 200: periodsSchema } },
    handler: async () => getPeriods(deps),
  });

  app.get('/api/monitoring/figures', {
    config: { access: 'monitoring.read' },
    schema: { tags, summary: '一个指标按镇街、产业链、行业、规模、新入库等分组的数据', querystring: figuresQuerySchema, response: { 200: figuresSchema } },
    handler: async (request) => getFigures(deps, request.query),
  });

  app.get('/api/monitoring/figures/export', {
    config: { access: 'monitoring.read' },
    schema: { tags, summary: '导出分组数据（xlsx）', querystring: figuresQuerySchema, response: { 200: fileSchema } },
    handler: async (request, reply) => {
      const file = await exportFigures(deps, request.query);
      return reply.type(XLSX_MIME).header('content-disposition', attachmentHeader(file.fileName)).send(file.buffer);
    },
  });

  app.get('/api/monitoring/drilldown', {
    config: { access: 'monitoring.read' },
    schema: { tags, summary: '数字背后的企业明细（仅本人管辖范围内的企业）', querystring: drilldownQuerySchema, response: { 200: drilldownSchema } },
    handler: async (request) => getDrilldown(deps, contextOf(request).principal.scope, request.query),
  });

  app.get('/api/monitoring/drilldown/export', {
    config: { access: 'monitoring.read' },
    schema: { tags, summary: '导出企业明细（xlsx）', querystring: drilldownQuerySchema, response: { 200: fileSchema } },
    handler: async (request, reply) => {
      const file = await exportDrilldown(deps, contextOf(request).principal.scope, request.query);
      return reply.type(XLSX_MIME).header('content-disposition', attachmentHeader(file.fileName)).send(file.buffer);
    },
  });

  app.get('/api/monitoring/trend', {
    config: { access: 'monitoring.read' },
    schema: { tags, summary: '逐月累计增速（本年与上年）及当月值', querystring: trendQuerySchema, response: { 200: trendSchema } },
    handler: async (request) => getTrend(deps, request.query),
  });

  app.get('/api/monitoring/trend/export', {
    config: { access: 'monitoring.read' },
    schema: { tags, summary: '导出逐月累计增速（xlsx）', querystring: trendQuerySchema, response: { 200: fileSchema } },
    handler: async (request, reply) => {
      const file = await exportTrend(deps, request.query);
      return reply.type(XLSX_MIME).header('content-disposition', attachmentHeader(file.fileName)).send(file.buffer);
    },
  });

  app.get('/api/monitoring/forecast', {
    config: { access: 'monitoring.read' },
    schema: { tags, summary: '全年预测与完成目标所需增速', querystring: forecastQuerySchema, response: { 200: forecastSchema } },
    handler: async (request) => getForecast(deps, request.query),
  });

  app.get('/api/monitoring/reports', {
    config: { access: 'monitoring.read' },
    schema: { tags, summary: '一期的企业月报（仅管辖范围内）', querystring: reportListQuerySchema, response: { 200: reportListSchema } },
    handler: async (request) => listReports(deps, contextOf(request).principal.scope, request.query),
  });

  app.get('/api/monitoring/form', {
    config: { access: 'monitoring.import' },
    schema: { tags, summary: '企业月报填报表单的当前数据', querystring: formQuerySchema, response: { 200: formSchema } },
    handler: async (request) => getForm(deps, contextOf(request).principal.scope, request.query.enterpriseId, request.query.period),
  });

  app.post('/api/monitoring/form', {
    config: { access: 'monitoring.import' },
    schema: { tags, summary: '企业在线填报月报（与导入相同的校验；dryRun 只校验）', body: formBodySchema, response: { 200: importPreviewSchema } },
    handler: async (request) => {
      const { principal, actor } = contextOf(request);
      return submitMonthlyForm(deps, { scope: principal.scope, actor }, request.body);
    },
  });

  app.post('/api/monitoring/imports', {
    config: { access: 'monitoring.import' },
    schema: {
      tags,
      summary: '导入月度报表：dryRun=true 只校验并返回预览；dryRun=false 无错误时全部导入，有错误时一条也不导入',
      description: UPLOAD_NOTE,
      consumes: ['multipart/form-data'],
      querystring: importQuerySchema,
      response: { 200: importPreviewSchema },
    },
    handler: async (request) => {
      const { principal, actor } = contextOf(request);
      const file = await readUploadedFile(request);
      return importMonthlyReports(deps, { scope: principal.scope, actor }, file, { dryRun: request.query.dryRun !== 'false', source: 'upload', progress: progressOf(request) });
    },
  });

  app.post('/api/monitoring/imports/annotated', {
    config: { access: 'monitoring.import' },
    schema: { tags, summary: '下载标注了错误和提示的月报文件', description: UPLOAD_NOTE, consumes: ['multipart/form-data'], response: { 200: fileSchema } },
    handler: async (request, reply) => {
      const { principal } = contextOf(request);
      const file = await readUploadedFile(request);
      const buffer = await annotateMonthlyWorkbook(deps, principal.scope, file);
      const name = file.fileName.replace(/\.xlsx$/i, '');
      return reply.type(XLSX_MIME).header('content-disposition', attachmentHeader(`${name}_检查结果.xlsx`)).send(buffer);
    },
  });

  app.get('/api/monitoring/imports/template', {
    config: { access: 'monitoring.read' },
    schema: { tags, summary: '月度报表导入模板（xlsx）', response: { 200: fileSchema } },
    handler: async (_request, reply) => reply.type(XLSX_MIME).header('content-disposition', attachmentHeader('月度报表导入模板.xlsx')).send(await monthlyTemplate()),
  });

  app.get('/api/monitoring/reported', {
    config: { access: 'monitoring.read' },
    schema: { tags, summary: '统计局公布的指标（增加值增速等），含修改历史', querystring: reportedListQuerySchema, response: { 200: reportedListSchema } },
    handler: async (request) => listReported(deps, request.query.year),
  });

  app.post('/api/monitoring/reported', {
    config: { access: 'monitoring.manage' },
    schema: { tags, summary: '录入统计局公布的指标（保留历史）', body: reportedBodySchema, response: { 200: reportedListSchema } },
    handler: async (request) => addReported(deps, contextOf(request).actor, request.body),
  });

  app.post('/api/monitoring/reported/import', {
    config: { access: 'monitoring.manage' },
    schema: {
      tags,
      summary: '从工作簿导入统计局公布的指标（表头：指标、报告期、数值、来源、备注）：dryRun=true 只校验；dryRun=false 无错误时全部录入',
      description: UPLOAD_NOTE,
      consumes: ['multipart/form-data'],
      querystring: importQuerySchema,
      response: { 200: reportedImportSchema },
    },
    handler: async (request) => importReportedValues(deps, contextOf(request).actor, await readUploadedFile(request), { dryRun: request.query.dryRun !== 'false' }),
  });

  app.get('/api/monitoring/warnings', {
    config: { access: 'monitoring.read' },
    schema: { tags, summary: '预警列表', querystring: warningListQuerySchema, response: { 200: warningListSchema } },
    handler: async (request) => listWarningsFor(deps, contextOf(request).principal.scope, request.query),
  });

  app.patch('/api/monitoring/warnings/:id', {
    config: { access: 'monitoring.import' },
    schema: { tags, summary: '处理预警：已知悉、关闭（须填说明）或重新打开', params: idParamsSchema, body: warningUpdateSchema, response: { 200: warningSchema } },
    handler: async (request) => {
      const { principal, actor } = contextOf(request);
      return updateWarningStatus(deps, principal.scope, actor, request.params.id, request.body);
    },
  });

  app.get('/api/monitoring/settings', {
    config: { access: 'monitoring.read' },
    schema: { tags, summary: '预警阈值与全区目标增速', response: { 200: monitoringSettingsSchema } },
    handler: async () => getSettings(deps),
  });

  app.put('/api/monitoring/settings', {
    config: { access: 'monitoring.manage' },
    schema: { tags, summary: '修改预警阈值与全区目标增速（随即重新评估本年预警）', body: monitoringSettingsSchema, response: { 200: monitoringSettingsSchema } },
    handler: async (request) => updateSettings(deps, contextOf(request).actor, request.body),
  });

  app.get('/api/monitoring/analysis-report', {
    config: { access: 'monitoring.read' },
    schema: { tags, summary: '月度工业经济运行分析（Word 或 PDF）', querystring: analysisQuerySchema, response: { 200: fileSchema } },
    handler: async (request, reply) => {
      const file = await buildAnalysisReport(deps, contextOf(request).principal.scope, request.query.period, request.query.format);
      return reply.type(file.mime).header('content-disposition', attachmentHeader(file.fileName)).send(file.buffer);
    },
  });
}
