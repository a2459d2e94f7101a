import { z } from 'zod';
import { idParamsSchema } from '#common/contracts/auth.ts';
import {
  bindingBodySchema,
  bulletinBodySchema,
  bulletinFileQuerySchema,
  bulletinListQuerySchema,
  bulletinListSchema,
  bulletinSchema,
  manualValueBodySchema,
  metricSourceListSchema,
  myQuotasSchema,
  quotasBodySchema,
  quotaViewSchema,
  rankingBodySchema,
  rankingListSchema,
  rankingResultSchema,
  rankingSchema,
  targetCreateBodySchema,
  targetDetailSchema,
  targetListQuerySchema,
  targetListSchema,
  targetPeriodQuerySchema,
  targetSchema,
  targetSettingsBodySchema,
  targetSettingsSchema,
  targetUpdateBodySchema,
} from '#common/contracts/targets.ts';
import type { Deps } from '#server/platform/deps.ts';
import { attachmentHeader } from '#server/platform/excel.ts';
import type { App } from '#server/platform/http.ts';
import { DOCX_MIME, PDF_MIME } from '#server/platform/pdf.ts';
import { contextOf } from '#server/platform/request-context.ts';
import {
  addManualValue,
  bindTarget,
  bulletinDocx,
  bulletinPdf,
  computeRanking,
  createRanking,
  createTarget,
  generateBulletin,
  getQuotas,
  getTarget,
  listBulletins,
  listMetricSources,
  listMyQuotas,
  listRankings,
  listTargets,
  readTargetSettings,
  setQuotas,
  updateRanking,
  updateTarget,
  updateTargetSettings,
} from '#server/modules/targets/targets.service.ts';

const fileSchema = z.any().describe('file');
const tags = ['targets'];

export function registerTargetRoutes(app: App, deps: Deps): void {
  app.get('/api/targets/metric-sources', {
    config: { access: 'targets.read' },
    schema: { tags, summary: '可绑定的数据源（各模块在启动时注册）', response: { 200: metricSourceListSchema } },
    handler: async () => ({ items: listMetricSources(deps) }),
  });

  app.get('/api/targets', {
    config: { access: 'targets.read' },
    schema: { tags, summary: '目标列表：实际、时序进度要求、年底预测、状态', querystring: targetListQuerySchema, response: { 200: targetListSchema } },
    handler: async (request) => listTargets(deps, contextOf(request), request.query),
  });

  app.post('/api/targets', {
    config: { access: 'targets.manage' },
    schema: { tags, summary: '新增目标（不来自工作要点的）', body: targetCreateBodySchema, response: { 200: targetSchema } },
    handler: async (request) => createTarget(deps, contextOf(request), request.body),
  });

  app.get('/api/targets/settings', {
    config: { access: 'targets.read' },
    schema: { tags, summary: '状态阈值（正常 / 滞后 / 预警）与“左右”的容差', response: { 200: targetSettingsSchema } },
    handler: async () => readTargetSettings(deps.db),
  });

  app.put('/api/targets/settings', {
    config: { access: 'targets.manage' },
    schema: { tags, summary: '修改状态阈值', body: targetSettingsBodySchema, response: { 200: targetSettingsSchema } },
    handler: async (request) => updateTargetSettings(deps, contextOf(request), request.body),
  });

  app.get('/api/targets/quotas/mine', {
    config: { access: 'targets.read' },
    schema: { tags, summary: '本镇街的分解任务及完成情况', querystring: targetListQuerySchema.pick({ year: true, period: true }), response: { 200: myQuotasSchema } },
    handler: async (request) => listMyQuotas(deps, contextOf(request), request.query),
  });

  app.get('/api/targets/rankings', {
    config: { access: 'targets.read' },
    schema: { tags, summary: '排序方案', querystring: z.object({ year: z.coerce.number().int().optional() }), response: { 200: rankingListSchema } },
    handler: async (request) => ({ items: await listRankings(deps, request.query.year) }),
  });

  app.post('/api/targets/rankings', {
    config: { access: 'targets.manage' },
    schema: { tags, summary: '新建排序方案', body: rankingBodySchema, response: { 200: rankingSchema } },
    handler: async (request) => createRanking(deps, contextOf(request), request.body),
  });

  app.put('/api/targets/rankings/:id', {
    config: { access: 'targets.manage' },
    schema: { tags, summary: '修改排序方案', params: idParamsSchema, body: rankingBodySchema, response: { 200: rankingSchema } },
    handler: async (request) => updateRanking(deps, contextOf(request), request.params.id, request.body),
  });

  app.get('/api/targets/rankings/:id/result', {
    config: { access: 'targets.read' },
    schema: { tags, summary: '某月镇街排序（并列同名次，其后顺延）', params: idParamsSchema, querystring: targetPeriodQuerySchema, response: { 200: rankingResultSchema } },
    handler: async (request) => computeRanking(deps, request.params.id, request.query.period),
  });

  app.get('/api/targets/bulletins', {
    config: { access: 'targets.read' },
    schema: { tags, summary: '已生成的排序通报（按月保存，可重新生成）', querystring: bulletinListQuerySchema, response: { 200: bulletinListSchema } },
    handler: async (request) => ({ items: await listBulletins(deps, request.query) }),
  });

  app.post('/api/targets/bulletins', {
    config: { access: 'targets.manage' },
    schema: { tags, summary: '生成（或重新生成）某月排序通报', body: bulletinBodySchema, response: { 200: bulletinSchema } },
    handler: async (request) => generateBulletin(deps, contextOf(request), request.body),
  });

  app.get('/api/targets/bulletins/:id/docx', {
    config: { access: 'targets.read' },
    schema: { tags, summary: '下载通报（Word；townId：某镇街版本）', params: idParamsSchema, querystring: bulletinFileQuerySchema, response: { 200: fileSchema } },
    handler: async (request, reply) => {
      const file = await bulletinDocx(deps, request.params.id, request.query.townId);
      return reply.type(DOCX_MIME).header('content-disposition', attachmentHeader(file.fileName)).send(file.buffer);
    },
  });

  app.get('/api/targets/bulletins/:id/pdf', {
    config: { access: 'targets.read' },
    schema: { tags, summary: '下载通报（PDF，由 LibreOffice 转换）', params: idParamsSchema, querystring: bulletinFileQuerySchema, response: { 200: fileSchema } },
    handler: async (request, reply) => {
      const file = await bulletinPdf(deps, request.params.id, request.query.townId);
      return reply.type(PDF_MIME).header('content-disposition', attachmentHeader(file.fileName)).send(file.buffer);
    },
  });

  app.get('/api/targets/:id', {
    config: { access: 'targets.read' },
    schema: { tags, summary: '目标详情：逐月历史、手工填报记录、任务分解、同一事项的相关目标', params: idParamsSchema, querystring: targetPeriodQuerySchema, response: { 200: targetDetailSchema } },
    handler: async (request) => getTarget(deps, contextOf(request), request.params.id, request.query.period),
  });

  app.patch('/api/targets/:id', {
    config: { access: 'targets.manage' },
    schema: { tags, summary: '修改目标（指标、比较方式、目标值、单位、容差、基数、责任单位）', params: idParamsSchema, body: targetUpdateBodySchema, response: { 200: targetDetailSchema } },
    handler: async (request) => updateTarget(deps, contextOf(request), request.params.id, request.body),
  });

  app.put('/api/targets/:id/binding', {
    config: { access: 'targets.manage' },
    schema: { tags, summary: '绑定数据来源（数据源 / 手工填报 / 不绑定）', params: idParamsSchema, body: bindingBodySchema, response: { 200: targetDetailSchema } },
    handler: async (request) => bindTarget(deps, contextOf(request), request.params.id, request.body),
  });

  app.post('/api/targets/:id/values', {
    // District figures need targets.manage; a town reports its own figure against its quota.
    config: { access: 'targets.read' },
    schema: { tags, summary: '手工填报数值（附依据，保留历史）', params: idParamsSchema, body: manualValueBodySchema, response: { 200: targetDetailSchema } },
    handler: async (request) => addManualValue(deps, contextOf(request), request.params.id, request.body),
  });

  app.get('/api/targets/:id/quotas', {
    config: { access: 'targets.read' },
    schema: { tags, summary: '任务分解（镇街只见本镇街）与合计校验', params: idParamsSchema, querystring: targetPeriodQuerySchema, response: { 200: quotaViewSchema } },
    handler: async (request) => getQuotas(deps, contextOf(request), request.params.id, request.query.period),
  });

  app.put('/api/targets/:id/quotas', {
    config: { access: 'targets.manage' },
    schema: { tags, summary: '设置任务分解：数量、总量须与区目标合计一致；增速按基数校验并提示', params: idParamsSchema, body: quotasBodySchema, response: { 200: quotaViewSchema } },
    handler: async (request) => setQuotas(deps, contextOf(request), request.params.id, request.body),
  });
}
