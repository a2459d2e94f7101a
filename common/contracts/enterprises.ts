import { z } from 'zod';
import { pagingQuerySchema } from '#common/contracts/paging.ts';
import { unitRefSchema } from '#common/contracts/org.ts';
import { isStorableText } from '#common/text.ts';

// The enterprise registry (一企一档), issue 3 §1: list, detail, form entry, import and export.

export const CHAIN_KINDS = ['pillar', 'emerging'] as const;
export type ChainKind = (typeof CHAIN_KINDS)[number];
export const CHAIN_KIND_LABELS: Record<ChainKind, string> = { pillar: '支柱产业', emerging: '新兴产业' };

export const chainSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(CHAIN_KINDS),
  aliases: z.array(z.string()),
  active: z.boolean(),
});
export type Chain = z.infer<typeof chainSchema>;
export const chainListSchema = z.object({ items: z.array(chainSchema) });
export const chainRefSchema = z.object({ id: z.string(), name: z.string() });
export type ChainRef = z.infer<typeof chainRefSchema>;

/** Why an enterprise entered the 规上 roster: the annual review (from 1–2月) or a monthly one. */
export const SCALE_ENTRY_REASONS = ['年度入库', '月度入库'] as const;
export type ScaleEntryReason = (typeof SCALE_ENTRY_REASONS)[number];
export const SCALE_EXIT_REASON = '退库';

/** Sort keys of the list; a leading '-' sorts descending. */
export const ENTERPRISE_SORTS = ['name', '-name', 'uscc', '-uscc', 'town', '-town', 'industryCode', '-industryCode', 'createdAt', '-createdAt', 'updatedAt', '-updatedAt'] as const;
export type EnterpriseSort = (typeof ENTERPRISE_SORTS)[number];

const id = z.string().max(64);

export const enterpriseFilterSchema = z.object({
  /** Part of the name or of the USCC. */
  search: z.string().trim().max(100).optional(),
  /** A unit id (镇街). */
  town: id.optional(),
  /** An industry chain id. */
  chain: id.optional(),
  /** A division (2 digits), group (3) or class (4) of GB/T 4754: every code starting with it. */
  industry: z.string().trim().regex(/^\d{2,4}$/, '行业代码应为 2–4 位数字（大类、中类或小类）').optional(),
  aboveScale: z.enum(['true', 'false']).optional(),
  tag: z.string().trim().max(20).optional(),
  sort: z.enum(ENTERPRISE_SORTS).optional(),
});
export type EnterpriseFilter = z.infer<typeof enterpriseFilterSchema>;

export const enterpriseListQuerySchema = pagingQuerySchema.extend(enterpriseFilterSchema.shape);
export type EnterpriseListQuery = z.infer<typeof enterpriseListQuerySchema>;

export const enterpriseListItemSchema = z.object({
  id: z.string(),
  uscc: z.string(),
  name: z.string(),
  town: unitRefSchema,
  industryCode: z.string(),
  chains: z.array(chainRefSchema),
  aboveScale: z.boolean(),
});
export type EnterpriseListItem = z.infer<typeof enterpriseListItemSchema>;
export const enterprisePageSchema = z.object({ items: z.array(enterpriseListItemSchema), total: z.number().int() });

/** One spell on the 规上 roster: first and last period counted ('YYYY-MM'; open while toPeriod is null). */
export const scaleSpellSchema = z.object({
  id: z.string(),
  fromPeriod: z.string(),
  fromReason: z.enum(SCALE_ENTRY_REASONS),
  toPeriod: z.string().nullable(),
  toReason: z.literal(SCALE_EXIT_REASON).nullable(),
});
export type ScaleSpell = z.infer<typeof scaleSpellSchema>;

/** A problem a person should look at, kept on the record (a USCC failing its check digit, an unlisted industry code). */
export const fieldWarningSchema = z.object({ field: z.string(), message: z.string() });
export type FieldWarning = z.infer<typeof fieldWarningSchema>;

export const industrySchema = z.object({
  code: z.string(),
  section: z.string().nullable(),
  divisionCode: z.string().nullable(),
  divisionName: z.string().nullable(),
  groupCode: z.string().nullable(),
  groupName: z.string().nullable(),
  className: z.string().nullable(),
});

export const enterpriseDetailSchema = z.object({
  id: z.string(),
  uscc: z.string(),
  name: z.string(),
  town: unitRefSchema,
  industryCode: z.string(),
  industry: industrySchema,
  group: z.object({ id: z.string(), name: z.string() }).nullable(),
  chains: z.array(chainRefSchema),
  aboveScale: z.boolean(),
  /** First period of the current 规上 spell. */
  scaleSince: z.string().nullable(),
  scaleHistory: z.array(scaleSpellSchema),
  registrationDate: z.string().nullable(),
  address: z.string().nullable(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  tags: z.array(z.string()),
  warnings: z.array(fieldWarningSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type EnterpriseDetail = z.infer<typeof enterpriseDetailSchema>;

/** Free text that can be stored: no control characters, no broken Unicode (issue 6 §2). */
const text = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label}最多 ${max} 个字`)
    .refine(isStorableText, `${label}含有不可见的控制字符或无法识别的字符，请删除后重新填写`);

const optionalText = (max: number, label: string) => text(max, label).nullable().optional();

/**
 * The form. Codes arrive as typed; the service normalises and checks them (USCC, industry code,
 * periods) and answers field-level Chinese messages. Absent fields of an update stay as they are.
 */
export const enterpriseUpdateBodySchema = z.object({
  uscc: text(40, '统一社会信用代码').optional(),
  name: text(100, '企业名称').optional(),
  townId: id.optional(),
  industryCode: text(10, '国民经济行业代码').optional(),
  chainIds: z.array(id).max(20, '产业链最多选 20 个').optional(),
  aboveScale: z.boolean().optional(),
  /** First 规上 period: 2022-06, 202206, 2022年6月 …; needed when aboveScale turns true. */
  scaleSince: optionalText(20, '规上起始年月'),
  /** First period no longer 规上 (退库); defaults to the current period. */
  scaleExit: optionalText(20, '退库年月'),
  /** 'YYYY-MM-DD' or as typed (2015/6/30, 2015年6月30日). */
  registrationDate: optionalText(20, '成立日期'),
  address: optionalText(200, '地址'),
  contactName: optionalText(50, '联系人'),
  contactPhone: optionalText(30, '联系电话'),
  /** 集团 by name: an unknown name creates the group. */
  groupName: optionalText(100, '所属集团'),
  tags: z.array(text(20, '标签').pipe(z.string().min(1, '标签不能为空'))).max(20, '标签最多 20 个').optional(),
});
export type EnterpriseUpdateBody = z.infer<typeof enterpriseUpdateBodySchema>;

export const enterpriseCreateBodySchema = enterpriseUpdateBodySchema.extend({
  uscc: text(40, '统一社会信用代码').pipe(z.string().min(1, '请填写统一社会信用代码')),
  name: text(100, '企业名称').pipe(z.string().min(1, '请填写企业名称')),
  townId: id.min(1, '请选择所属镇街'),
  industryCode: text(10, '国民经济行业代码').pipe(z.string().min(1, '请填写国民经济行业代码')),
});
export type EnterpriseCreateBody = z.infer<typeof enterpriseCreateBodySchema>;

export const tagListSchema = z.object({ items: z.array(z.object({ tag: z.string(), count: z.number().int() })) });
export const groupListSchema = z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), count: z.number().int() })) });

// ---- Import ---------------------------------------------------------------------------------

export const importQuerySchema = z.object({ dryRun: z.enum(['true', 'false']).default('true') });

/** A problem of one cell (column set) or one row (column null), by the sheet's own row number. */
export const importProblemSchema = z.object({
  row: z.number().int().nullable(),
  column: z.string().nullable(),
  /** The cell's address in the uploaded sheet (C5), for the clerk looking at the file. */
  cell: z.string().nullable(),
  message: z.string(),
});
export type ImportProblem = z.infer<typeof importProblemSchema>;

export const IMPORT_ACTIONS = ['create', 'update', 'unchanged'] as const;

export const enterpriseImportPreviewSchema = z.object({
  fileName: z.string(),
  sheet: z.string(),
  /** Data rows read (blank rows, notes and totals rows left out). */
  rows: z.number().int(),
  creates: z.number().int(),
  updates: z.number().int(),
  unchanged: z.number().int(),
  errorCount: z.number().int(),
  warningCount: z.number().int(),
  /** The first 500 of each; the annotated workbook marks them all. */
  errors: z.array(importProblemSchema),
  warnings: z.array(importProblemSchema),
  /** Headers of the file the import does not use (ignored). */
  ignoredColumns: z.array(z.string()),
  /** Rows left out: totals (合计) and notes. */
  skippedRows: z.array(z.object({ row: z.number().int(), reason: z.string() })),
  changes: z.array(
    z.object({ row: z.number().int(), uscc: z.string(), name: z.string(), action: z.enum(IMPORT_ACTIONS), fields: z.array(z.string()) }),
  ),
  committed: z.boolean(),
});
export type EnterpriseImportPreview = z.infer<typeof enterpriseImportPreviewSchema>;

/**
 * The roster's columns, in template order: the contract of the import, the template and the
 * export (an export re-imports unchanged). `required`: the header must be present.
 */
export const ENTERPRISE_COLUMNS = [
  { key: 'uscc', header: '统一社会信用代码', required: true, aliases: ['社会信用代码', '信用代码', '统一信用代码'] },
  { key: 'name', header: '企业名称', required: true, aliases: ['单位名称', '企业全称', '单位详细名称'] },
  { key: 'town', header: '所属镇街', required: true, aliases: ['镇街', '所属镇（街道）', '所属乡镇街道', '镇街名称', '所在镇街'] },
  { key: 'industryCode', header: '国民经济行业代码', required: true, aliases: ['行业代码', '国民经济行业分类代码', '行业小类代码'] },
  { key: 'chains', header: '产业链', required: true, aliases: ['所属产业链'] },
  { key: 'aboveScale', header: '是否规上', required: true, aliases: ['是否规模以上', '规上企业', '是否规上企业'] },
  { key: 'scaleSince', header: '规上起始年月', required: true, aliases: ['入规年月', '入库年月', '规上起始时间'] },
  { key: 'scaleExit', header: '退库年月', required: false, aliases: ['退规年月'] },
  { key: 'registrationDate', header: '成立日期', required: false, aliases: ['成立时间', '注册日期'] },
  { key: 'address', header: '地址', required: false, aliases: ['企业地址', '详细地址', '注册地址'] },
  { key: 'contactName', header: '联系人', required: false, aliases: [] },
  { key: 'contactPhone', header: '联系电话', required: false, aliases: ['电话', '联系方式', '手机'] },
  { key: 'group', header: '所属集团', required: false, aliases: ['集团'] },
  { key: 'tags', header: '标签', required: false, aliases: [] },
] as const;
export type EnterpriseColumnKey = (typeof ENTERPRISE_COLUMNS)[number]['key'];
