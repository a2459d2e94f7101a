import { z } from 'zod';
import { idParamsSchema, okSchema } from '#common/contracts/auth.ts';
import {
  adverseRecordBodySchema,
  adverseRecordListSchema,
  adverseRecordSchema,
  annualDataBodySchema,
  annualDataListQuerySchema,
  annualDataSchema,
  cultivationImportResultSchema,
  eligibilityQuerySchema,
  eligibilityResponseSchema,
  enterpriseParamsSchema,
  evidenceFileListSchema,
  evidenceFileSchema,
  expiryQuerySchema,
  expiryReminderListSchema,
  LADDER_RUNG_LABELS,
  ladderSchema,
  monitoringOfferSchema,
  poolQuerySchema,
  poolSchema,
  qualificationBodySchema,
  qualificationListQuerySchema,
  qualificationSchema,
  qualificationUpdateBodySchema,
  revokeBodySchema,
  ruleSetRefSchema,
  rungParamsSchema,
  CULTIVATION_RULES,
} from '#common/contracts/cultivation.ts';
import { importQuerySchema } from '#common/contracts/enterprises.ts';
import { pageOf } from '#common/contracts/paging.ts';
import type { App } from '#server/platform/http.ts';
import type { Deps } from '#server/platform/deps.ts';
import { attachmentHeader, XLSX_MIME } from '#server/platform/excel.ts';
import { contextOf } from '#server/platform/request-context.ts';
import { readUploadedFile } from '#server/platform/upload.ts';
import { DOCX_MIME, exportPoolDocx, exportPoolXlsx } from '#server/modules/cultivation/cultivation.export.ts';
import { createAdverseRecord, deleteAdverseRecord, listAdverseRecords } from '#server/modules/cultivation/cultivation.adverse.ts';
import { attachEvidenceFile, deleteEvidenceFile, getEvidenceFile, listEvidenceFiles } from '#server/modules/cultivation/cultivation.evidence.ts';
import { annualTemplate, importAnnualData, importQualifications, qualificationTemplate } from '#server/modules/cultivation/cultivation.import.ts';
import {
  createQualification,
  defaultAsOf,
  evaluateEnterprise,
  getLadder,
  getPool,
  listAnnualData,
  listExpiryReminders,
  listQualifications,
  listRuleSets,
  monitoringOffer,
  revokeQualification,
  saveAnnualData,
  updateQualification,
} from '#server/modules/cultivation/cultivation.service.ts';

const fileSchema = z.any().describe('file');
const UPLOAD_NOTE = '上传一个 .xlsx 文件（multipart/form-data，字段名不限，≤ 20 MB）';
const asOfTown = z.object({ asOf: eligibilityQuerySchema.shape.asOf, town: z.string().max(64).optional() });

export function registerCultivationRoutes(app: App, deps: Deps): void {
  // The contract of issue 5 §3: one evaluation per rule, as of a Beijing date.
  app.get('/api/enterprises/:id/eligibility', {
    config: { access: 'cultivation.read' },
    schema: {
      tags: ['cultivation'],
      summary: '资格评估：企业对照各项认定标准（按 asOf 选用当时有效的标准，数据年度为 asOf 上一年）',
      params: enterpriseParamsSchema,
      querystring: eligibilityQuerySchema,
      response: { 200: eligibilityResponseSchema },
    },
    handler: async (request) => evaluateEnterprise(deps, contextOf(request).principal.scope, request.params.id, request.query.asOf),
  });

  app.get('/api/cultivation/rule-sets', {
    config: { access: 'cultivation.read' },
    schema: { tags: ['cultivation'], summary: '已录入的认定标准（版本、来源文件、有效期）', response: { 200: z.object({ items: z.array(ruleSetRefSchema.extend({ rule: z.enum(CULTIVATION_RULES) })) }) } },
    handler: async () => ({ items: listRuleSets() }),
  });

  app.get('/api/cultivation/ladder', {
    config: { access: 'cultivation.read' },
    schema: { tags: ['cultivation'], summary: '培育梯队：各梯级现有数、年初数、当年增减与候选数（汇总数据）', querystring: asOfTown, response: { 200: ladderSchema } },
    handler: async (request) => getLadder(deps, request.query.asOf ?? defaultAsOf(deps), request.query.town ?? null),
  });

  app.get('/api/cultivation/pools/:rung', {
    config: { access: 'cultivation.read' },
    schema: { tags: ['cultivation'], summary: '培育库：尚未进入该梯级的企业，按接近程度排序并列出差距（按数据范围）', params: rungParamsSchema, querystring: poolQuerySchema, response: { 200: poolSchema } },
    handler: async (request) => getPool(deps, contextOf(request).principal.scope, request.params.rung, request.query),
  });

  app.get('/api/cultivation/pools/:rung/export', {
    config: { access: 'cultivation.read' },
    schema: { tags: ['cultivation'], summary: '导出培育库（xlsx）', params: rungParamsSchema, querystring: asOfTown, response: { 200: fileSchema } },
    handler: async (request, reply) => {
      const asOf = request.query.asOf ?? defaultAsOf(deps);
      const file = await exportPoolXlsx(deps, contextOf(request).principal.scope, request.params.rung, asOf, request.query.town);
      return reply.type(XLSX_MIME).header('content-disposition', attachmentHeader(`${LADDER_RUNG_LABELS[request.params.rung]}培育库-${asOf.replaceAll('-', '')}.xlsx`)).send(file);
    },
  });

  app.get('/api/cultivation/pools/:rung/list', {
    config: { access: 'cultivation.read' },
    schema: { tags: ['cultivation'], summary: '培育对象清单（一页 Word）', params: rungParamsSchema, querystring: asOfTown, response: { 200: fileSchema } },
    handler: async (request, reply) => {
      const asOf = request.query.asOf ?? defaultAsOf(deps);
      const file = await exportPoolDocx(deps, contextOf(request).principal.scope, request.params.rung, asOf, request.query.town);
      return reply.type(DOCX_MIME).header('content-disposition', attachmentHeader(`${LADDER_RUNG_LABELS[request.params.rung]}培育对象清单-${asOf.replaceAll('-', '')}.docx`)).send(file);
    },
  });

  // ---- Qualifications -------------------------------------------------------------------------

  app.get('/api/cultivation/qualifications', {
    config: { access: 'cultivation.read' },
    schema: { tags: ['cultivation'], summary: '企业资质登记（按数据范围；enterpriseId 为一家企业的资质历史）', querystring: qualificationListQuerySchema, response: { 200: pageOf(qualificationSchema) } },
    handler: async (request) => listQualifications(deps, contextOf(request).principal.scope, request.query),
  });

  app.get('/api/cultivation/qualifications/expiring', {
    config: { access: 'cultivation.read' },
    schema: { tags: ['cultivation'], summary: '到期提醒：90 天、30 天内到期的资质', querystring: expiryQuerySchema, response: { 200: expiryReminderListSchema } },
    handler: async (request) => listExpiryReminders(deps, contextOf(request).principal.scope, request.query.asOf ?? defaultAsOf(deps)),
  });

  app.post('/api/cultivation/qualifications', {
    config: { access: 'cultivation.write' },
    schema: { tags: ['cultivation'], summary: '登记资质', body: qualificationBodySchema, response: { 200: qualificationSchema } },
    handler: async (request) => {
      const { principal, actor } = contextOf(request);
      return createQualification(deps, { scope: principal.scope, actor }, request.body);
    },
  });

  app.patch('/api/cultivation/qualifications/:id', {
    config: { access: 'cultivation.write' },
    schema: { tags: ['cultivation'], summary: '修改资质', params: idParamsSchema, body: qualificationUpdateBodySchema, response: { 200: qualificationSchema } },
    handler: async (request) => {
      const { principal, actor } = contextOf(request);
      return updateQualification(deps, { scope: principal.scope, actor }, request.params.id, request.body);
    },
  });

  app.post('/api/cultivation/qualifications/:id/revoke', {
    config: { access: 'cultivation.write' },
    schema: { tags: ['cultivation'], summary: '撤销资质', params: idParamsSchema, body: revokeBodySchema, response: { 200: qualificationSchema } },
    handler: async (request) => {
      const { principal, actor } = contextOf(request);
      return revokeQualification(deps, { scope: principal.scope, actor }, request.params.id, request.body);
    },
  });

  registerWorkbookImport(app, deps, {
    path: '/api/cultivation/qualifications',
    templateSummary: '资质导入模板（xlsx）',
    templateName: '企业资质导入模板.xlsx',
    template: qualificationTemplate,
    importSummary: '导入资质：dryRun=true 只校验；dryRun=false 无错误时全部导入，有错误时一条也不导入',
    importFile: importQualifications,
  });

  // ---- Evidence files (scoped like the qualification they prove) -------------------------------

  app.get('/api/cultivation/qualifications/:id/files', {
    config: { access: 'cultivation.read' },
    schema: { tags: ['cultivation'], summary: '资质的证明材料列表', params: idParamsSchema, response: { 200: evidenceFileListSchema } },
    handler: async (request) => listEvidenceFiles(deps, contextOf(request).principal.scope, request.params.id),
  });

  app.post('/api/cultivation/qualifications/:id/files', {
    config: { access: 'cultivation.write' },
    schema: {
      tags: ['cultivation'],
      summary: '上传证明材料（PDF、JPG、PNG、OFD；按文件内容校验类型）',
      description: '上传一个文件（multipart/form-data，字段名不限，≤ 20 MB）',
      consumes: ['multipart/form-data'],
      params: idParamsSchema,
      response: { 200: evidenceFileSchema },
    },
    handler: async (request) => {
      const { principal, actor } = contextOf(request);
      const file = await readUploadedFile(request);
      return attachEvidenceFile(deps, { scope: principal.scope, actor }, request.params.id, file);
    },
  });

  app.get('/api/cultivation/files/:id', {
    config: { access: 'cultivation.read' },
    schema: { tags: ['cultivation'], summary: '下载证明材料', params: idParamsSchema, response: { 200: fileSchema } },
    handler: async (request, reply) => {
      const file = await getEvidenceFile(deps, contextOf(request).principal.scope, request.params.id);
      return reply.type(file.mime).header('content-disposition', attachmentHeader(file.fileName)).header('x-content-type-options', 'nosniff').send(file.buffer);
    },
  });

  app.delete('/api/cultivation/files/:id', {
    config: { access: 'cultivation.write' },
    schema: { tags: ['cultivation'], summary: '删除证明材料', params: idParamsSchema, response: { 200: okSchema } },
    handler: async (request) => {
      const { principal, actor } = contextOf(request);
      await deleteEvidenceFile(deps, { scope: principal.scope, actor }, request.params.id);
      return { ok: true as const };
    },
  });

  // ---- Adverse records (what turns a default-met compliance condition unmet) -------------------

  app.get('/api/enterprises/:id/adverse-records', {
    config: { access: 'cultivation.read' },
    schema: { tags: ['cultivation'], summary: '企业不良记录（重大事故、严重违法、异常名录、失信名单等）', params: enterpriseParamsSchema, response: { 200: adverseRecordListSchema } },
    handler: async (request) => listAdverseRecords(deps, contextOf(request).principal.scope, request.params.id),
  });

  app.post('/api/enterprises/:id/adverse-records', {
    config: { access: 'cultivation.write' },
    schema: { tags: ['cultivation'], summary: '登记不良记录（资格评估据此判定合规条件）', params: enterpriseParamsSchema, body: adverseRecordBodySchema, response: { 200: adverseRecordSchema } },
    handler: async (request) => {
      const { principal, actor } = contextOf(request);
      return createAdverseRecord(deps, { scope: principal.scope, actor }, request.params.id, request.body);
    },
  });

  app.delete('/api/cultivation/adverse-records/:id', {
    config: { access: 'cultivation.write' },
    schema: { tags: ['cultivation'], summary: '删除不良记录（误录或已被发布机关移出）', params: idParamsSchema, response: { 200: okSchema } },
    handler: async (request) => {
      const { principal, actor } = contextOf(request);
      await deleteAdverseRecord(deps, { scope: principal.scope, actor }, request.params.id);
      return { ok: true as const };
    },
  });

  // ---- Annual data ----------------------------------------------------------------------------

  app.get('/api/cultivation/annual-data', {
    config: { access: 'cultivation.read' },
    schema: { tags: ['cultivation'], summary: '企业年度数据（按数据范围）', querystring: annualDataListQuerySchema, response: { 200: pageOf(annualDataSchema) } },
    handler: async (request) => listAnnualData(deps, contextOf(request).principal.scope, request.query),
  });

  app.put('/api/cultivation/annual-data', {
    config: { access: 'cultivation.write' },
    schema: { tags: ['cultivation'], summary: '填报或修改一家企业一个年度的数据（未提交的字段不变，null 表示未知）', body: annualDataBodySchema, response: { 200: annualDataSchema } },
    handler: async (request) => {
      const { principal, actor } = contextOf(request);
      return saveAnnualData(deps, { scope: principal.scope, actor }, request.body);
    },
  });

  app.get('/api/enterprises/:id/annual-offer', {
    config: { access: 'cultivation.read' },
    schema: {
      tags: ['cultivation'],
      summary: '月报已有的当年数据（12月累计营业收入、研发费用，万元），供填报年度数据时参考采用；year 默认为评估数据年度',
      params: enterpriseParamsSchema,
      querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }),
      response: { 200: monitoringOfferSchema },
    },
    handler: async (request) => monitoringOffer(deps, contextOf(request).principal.scope, request.params.id, request.query.year),
  });

  registerWorkbookImport(app, deps, {
    path: '/api/cultivation/annual-data',
    templateSummary: '年度数据导入模板（xlsx）',
    templateName: '企业年度数据导入模板.xlsx',
    template: annualTemplate,
    importSummary: '导入年度数据：表头单位（元/千元/万元/亿元）按实换算；dryRun=false 有任何错误时一条也不导入',
    importFile: importAnnualData,
  });
}

/** A workbook's template download (`PATH/import-template`) and its all-or-nothing import (`PATH/import`). */
function registerWorkbookImport(
  app: App,
  deps: Deps,
  workbook: {
    path: string;
    templateSummary: string;
    templateName: string;
    template: () => Promise<Buffer>;
    importSummary: string;
    importFile: typeof importQualifications;
  },
): void {
  app.get(`${workbook.path}/import-template`, {
    config: { access: 'cultivation.write' },
    schema: { tags: ['cultivation'], summary: workbook.templateSummary, response: { 200: fileSchema } },
    handler: async (_request, reply) => reply.type(XLSX_MIME).header('content-disposition', attachmentHeader(workbook.templateName)).send(await workbook.template()),
  });

  app.post(`${workbook.path}/import`, {
    config: { access: 'cultivation.write' },
    schema: {
      tags: ['cultivation'],
      summary: workbook.importSummary,
      description: UPLOAD_NOTE,
      consumes: ['multipart/form-data'],
      querystring: importQuerySchema,
      response: { 200: cultivationImportResultSchema },
    },
    handler: async (request) => {
      const { principal, actor } = contextOf(request);
      const file = await readUploadedFile(request);
      return workbook.importFile(deps, { scope: principal.scope, actor }, file, { dryRun: request.query.dryRun !== 'false' });
    },
  });
}
