import { z } from 'zod';
import { idParamsSchema } from '#common/contracts/auth.ts';
import {
  milestoneBodySchema,
  milestoneUpdateBodySchema,
  myItemsSchema,
  noteBodySchema,
  planCreateBodySchema,
  planDetailSchema,
  planItemCreateBodySchema,
  planItemDetailSchema,
  planItemUpdateBodySchema,
  planListSchema,
  planParseBodySchema,
  planParseResultSchema,
  planPeriodQuerySchema,
  planSourceSchema,
  progressReportBodySchema,
  remindResultSchema,
  reportReviewBodySchema,
  unreportedSchema,
} from '#common/contracts/plans.ts';
import type { Deps } from '#server/platform/deps.ts';
import { attachmentHeader } from '#server/platform/excel.ts';
import type { App } from '#server/platform/http.ts';
import { contextOf } from '#server/platform/request-context.ts';
import { readUploadedFile } from '#server/platform/upload.ts';
import {
  addMilestone,
  addNote,
  attachReportFile,
  createItem,
  createPlan,
  deleteMilestone,
  deletePlan,
  getItem,
  getPlan,
  getPlanSource,
  getReportFile,
  listMyItems,
  listPlans,
  listUnreported,
  parsePlanFromFile,
  parsePlanFromText,
  remindUnreported,
  reviewReport,
  submitReport,
  updateItem,
  updateMilestone,
} from '#server/modules/plans/plans.service.ts';

const tags = ['plans'];
const fileSchema = z.any().describe('file');

export function registerPlanRoutes(app: App, deps: Deps): void {
  // ---- reading a notice: nothing is saved until the reviewed plan is posted ----
  app.post('/api/plans/parse', {
    config: { access: 'plans.write' },
    // A notice pasted in full can exceed the default 1 MB body limit.
    bodyLimit: 4 * 1024 * 1024,
    schema: { tags, summary: '解析粘贴的通知全文（只预览，不保存）', body: planParseBodySchema, response: { 200: planParseResultSchema } },
    handler: async (request) => parsePlanFromText(request.body.text),
  });

  app.post('/api/plans/parse-file', {
    config: { access: 'plans.write' },
    schema: {
      tags,
      summary: '上传通知（.docx 或 .txt）并解析（只预览，不保存）',
      description: '上传一个 .docx 或 .txt 文件（multipart/form-data，≤ 20 MB）',
      consumes: ['multipart/form-data'],
      response: { 200: planParseResultSchema },
    },
    handler: async (request) => parsePlanFromFile(await readUploadedFile(request)),
  });

  app.post('/api/plans', {
    config: { access: 'plans.write' },
    bodyLimit: 8 * 1024 * 1024,
    schema: { tags, summary: '保存审核后的工作要点（保留原文，目标候选转为目标）', body: planCreateBodySchema, response: { 200: planDetailSchema } },
    handler: async (request) => createPlan(deps, contextOf(request), request.body),
  });

  app.get('/api/plans', {
    config: { access: 'plans.read' },
    schema: { tags, summary: '工作要点列表', response: { 200: planListSchema } },
    handler: async () => ({ items: await listPlans(deps) }),
  });

  app.get('/api/plans/my-items', {
    config: { access: 'plans.read' },
    schema: { tags, summary: '我的工作要点（本单位牵头或配合）', querystring: planPeriodQuerySchema, response: { 200: myItemsSchema } },
    handler: async (request) => listMyItems(deps, contextOf(request), request.query.period),
  });

  app.get('/api/plans/:id', {
    config: { access: 'plans.read' },
    schema: { tags, summary: '工作要点树（进度汇总、红黄绿灯、未报送单位）', params: idParamsSchema, querystring: planPeriodQuerySchema, response: { 200: planDetailSchema } },
    handler: async (request) => getPlan(deps, contextOf(request), request.params.id, request.query.period),
  });

  app.get('/api/plans/:id/source', {
    config: { access: 'plans.read' },
    schema: { tags, summary: '通知原文', params: idParamsSchema, response: { 200: planSourceSchema } },
    handler: async (request) => getPlanSource(deps, request.params.id),
  });

  app.delete('/api/plans/:id', {
    config: { access: 'plans.write' },
    schema: { tags, summary: '删除工作要点（连同其事项、进展和目标）', params: idParamsSchema, response: { 204: z.null() } },
    handler: async (request, reply) => {
      await deletePlan(deps, contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  });

  app.get('/api/plans/:id/unreported', {
    config: { access: 'plans.read' },
    schema: { tags, summary: '未报送进展的单位与逾期节点', params: idParamsSchema, querystring: planPeriodQuerySchema, response: { 200: unreportedSchema } },
    handler: async (request) => listUnreported(deps, contextOf(request), request.params.id, request.query.period),
  });

  app.post('/api/plans/:id/remind', {
    config: { access: 'plans.write' },
    schema: { tags, summary: '向未报送的单位发出催报', params: idParamsSchema, querystring: planPeriodQuerySchema, response: { 200: remindResultSchema } },
    handler: async (request) => remindUnreported(deps, contextOf(request), request.params.id, request.query.period),
  });

  // ---- items ----
  app.post('/api/plans/items', {
    config: { access: 'plans.write' },
    schema: { tags, summary: '新增下级事项', body: planItemCreateBodySchema, response: { 200: planItemDetailSchema } },
    handler: async (request) => createItem(deps, contextOf(request), request.body),
  });

  app.get('/api/plans/items/:id', {
    config: { access: 'plans.read' },
    schema: { tags, summary: '工作要点详情：节点、进展、督办、时间线', params: idParamsSchema, querystring: planPeriodQuerySchema, response: { 200: planItemDetailSchema } },
    handler: async (request) => getItem(deps, contextOf(request), request.params.id, request.query.period),
  });

  app.patch('/api/plans/items/:id', {
    config: { access: 'plans.write' },
    schema: { tags, summary: '分配单位、修改状态与进度', params: idParamsSchema, body: planItemUpdateBodySchema, response: { 200: planItemDetailSchema } },
    handler: async (request) => updateItem(deps, contextOf(request), request.params.id, request.body),
  });

  app.post('/api/plans/items/:id/milestones', {
    config: { access: 'plans.write' },
    schema: { tags, summary: '新增节点', params: idParamsSchema, body: milestoneBodySchema, response: { 200: planItemDetailSchema } },
    handler: async (request) => addMilestone(deps, contextOf(request), request.params.id, request.body),
  });

  app.patch('/api/plans/milestones/:id', {
    config: { access: 'plans.write' },
    schema: { tags, summary: '修改节点（含填写完成日期）', params: idParamsSchema, body: milestoneUpdateBodySchema, response: { 200: planItemDetailSchema } },
    handler: async (request) => updateMilestone(deps, contextOf(request), request.params.id, request.body),
  });

  app.delete('/api/plans/milestones/:id', {
    config: { access: 'plans.write' },
    schema: { tags, summary: '删除节点', params: idParamsSchema, response: { 200: planItemDetailSchema } },
    handler: async (request) => deleteMilestone(deps, contextOf(request), request.params.id),
  });

  app.post('/api/plans/items/:id/reports', {
    config: { access: 'plans.report' },
    schema: { tags, summary: '报送月度进展（牵头或配合单位）', params: idParamsSchema, body: progressReportBodySchema, response: { 200: planItemDetailSchema } },
    handler: async (request) => submitReport(deps, contextOf(request), request.params.id, request.body),
  });

  app.post('/api/plans/reports/:id/review', {
    config: { access: 'plans.write' },
    schema: { tags, summary: '审核进展（通过或退回）', params: idParamsSchema, body: reportReviewBodySchema, response: { 200: planItemDetailSchema } },
    handler: async (request) => reviewReport(deps, contextOf(request), request.params.id, request.body),
  });

  app.post('/api/plans/reports/:id/files', {
    config: { access: 'plans.report' },
    schema: {
      tags,
      summary: '为进展上传附件或照片（≤ 10 MB）',
      consumes: ['multipart/form-data'],
      params: idParamsSchema,
      response: { 200: planItemDetailSchema },
    },
    handler: async (request) => attachReportFile(deps, contextOf(request), request.params.id, await readUploadedFile(request)),
  });

  app.get('/api/plans/files/:id', {
    config: { access: 'plans.read' },
    schema: { tags, summary: '下载附件', params: idParamsSchema, response: { 200: fileSchema } },
    handler: async (request, reply) => {
      const file = await getReportFile(deps, contextOf(request), request.params.id);
      return reply.type(file.mime).header('content-disposition', attachmentHeader(file.fileName)).header('x-content-type-options', 'nosniff').send(file.buffer);
    },
  });

  app.post('/api/plans/items/:id/notes', {
    config: { access: 'plans.write' },
    schema: { tags, summary: '督办或催报', params: idParamsSchema, body: noteBodySchema, response: { 200: planItemDetailSchema } },
    handler: async (request) => addNote(deps, contextOf(request), request.params.id, request.body),
  });
}
