import { z } from 'zod';
import { TARGET_COMPARATORS, TARGET_KINDS } from '#common/contracts/plans.ts';

// Targets bound to data, decomposition to towns, rankings and bulletins (issue 4 §3–§4).
// Values are canonical decimal strings in the target's unit, as written in the plan (12 for
// 12%, 100 for 100 亿元); percentages computed for display (completion, time progress) are
// numbers rounded to one decimal. Periods are `YYYY-MM` (1–2月 = `YYYY-02`).

const id = z.string().min(1).max(64);
const unitRef = z.object({ id: z.string(), name: z.string() });
const period = z.string().regex(/^\d{4}-(0[2-9]|1[0-2])$/, '报告期格式应为 YYYY-MM（1–2月合并为 YYYY-02）');
const decimal = z.string().trim().regex(/^-?\d+(\.\d+)?$/, '请填写数字');
const storable = (label: string, max: number) =>
  z
    .string()
    .max(max, `${label}不能超过 ${max} 个字`)
    // eslint-disable-next-line no-control-regex -- matching control characters is the point of this check
    .refine((value) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(value), `${label}含有不可见的控制字符，请删除后重新填写`);

/** 达标 (the annual target is already met), 正常 (on pace), 滞后 (behind), 预警 (far behind), 无数据. */
export const TARGET_STATUSES = ['met', 'normal', 'lagging', 'warning', 'no_data'] as const;
export type TargetStatus = (typeof TARGET_STATUSES)[number];
export const TARGET_STATUS_LABELS: Record<TargetStatus, string> = { met: '达标', normal: '正常', lagging: '滞后', warning: '预警', no_data: '无数据' };

/** Where the actual comes from: a registered metric source, manual reports, or nothing yet. */
export const BINDING_KINDS = ['none', 'metric', 'manual'] as const;
export type BindingKind = (typeof BINDING_KINDS)[number];
export const BINDING_KIND_LABELS: Record<BindingKind, string> = { none: '未绑定', metric: '数据源', manual: '手工填报' };

export const METRIC_ORIGIN_LABELS = {
  computed: '监测计算指标',
  reported: '统计局公布指标',
  register: '登记库计数',
  work: '平台工作数据',
} as const;

export const metricSourceSchema = z.object({
  id: z.string(),
  label: z.string(),
  unit: z.string(),
  kind: z.enum(['growth', 'count', 'amount', 'share']),
  origin: z.enum(['computed', 'reported', 'register', 'work']),
  byTown: z.boolean(),
  stock: z.boolean().optional(),
  note: z.string().optional(),
  forecasts: z.boolean(),
});
export type MetricSourceInfo = z.infer<typeof metricSourceSchema>;
export const metricSourceListSchema = z.object({ items: z.array(metricSourceSchema) });

/**
 * A target's standing for one period. `expected` is where it should be by now (time progress:
 * the annual value × months elapsed for counts and amounts; the rate itself for growth and
 * shares, which are cumulative); `completionPct` compares the actual with the annual value
 * (growth: on the increment, see targets.evaluate.ts).
 */
export const evaluationSchema = z.object({
  period: z.string(),
  actual: z.string().nullable(),
  expected: z.string().nullable(),
  forecast: z.string().nullable(),
  forecastMethod: z.string().nullable(),
  completionPct: z.number().nullable(),
  timeProgressPct: z.number(),
  status: z.enum(TARGET_STATUSES),
  /** Why there is no figure, or what the figure means (`数据源未注册`, `按区间下限`). */
  note: z.string().nullable(),
});
export type Evaluation = z.infer<typeof evaluationSchema>;

export const bindingSchema = z.object({
  kind: z.enum(BINDING_KINDS),
  sourceId: z.string().nullable(),
  sourceLabel: z.string().nullable(),
  /** False when the bound source is not registered in this installation. */
  registered: z.boolean(),
});

export const targetSchema = z.object({
  id: z.string(),
  year: z.number().int(),
  planId: z.string().nullable(),
  planItemId: z.string().nullable(),
  /** The item's numbering (`18`) or null for a main target. */
  itemLabel: z.string().nullable(),
  origin: z.enum(['main', 'item', 'manual']),
  subject: z.string(),
  text: z.string(),
  comparator: z.enum(TARGET_COMPARATORS),
  value: z.string().nullable(),
  unit: z.string().nullable(),
  kind: z.enum(TARGET_KINDS),
  /**
   * A level at the period's end (有效高新技术企业总数), not a quantity accumulated through the
   * year: its expected value is the annual value itself, not a share of it by time progress.
   */
  stock: z.boolean(),
  /** ± percentage points (growth, share) or units that `≈` (左右) tolerates. */
  tolerance: z.string(),
  /** The district base for growth (last year's value), used by the decomposition check. */
  base: z.string().nullable(),
  /** Targets with the same related key measure one subject (shown side by side). */
  relatedKey: z.string().nullable(),
  ownerUnit: unitRef.nullable(),
  binding: bindingSchema,
  hasQuotas: z.boolean(),
  evaluation: evaluationSchema,
});
export type Target = z.infer<typeof targetSchema>;
export const targetListSchema = z.object({ period: z.string(), items: z.array(targetSchema) });

export const targetListQuerySchema = z.object({
  year: z.coerce.number().int().min(2000).max(2099).optional(),
  planId: id.optional(),
  period: period.optional(),
});

export const manualValueSchema = z.object({
  id: z.string(),
  period: z.string(),
  town: unitRef.nullable(),
  value: z.string(),
  evidence: z.string(),
  enteredBy: z.string(),
  enteredAt: z.string(),
});
export type ManualValue = z.infer<typeof manualValueSchema>;

export const quotaRowSchema = z.object({
  id: z.string(),
  town: unitRef,
  value: z.string(),
  base: z.string().nullable(),
  note: z.string().nullable(),
  actual: z.string().nullable(),
  completionPct: z.number().nullable(),
  status: z.enum(TARGET_STATUSES),
});
export type QuotaRow = z.infer<typeof quotaRowSchema>;

/**
 * Whether the quotas agree with the district target: counts and amounts must add up to it;
 * growth quotas must satisfy Σ base × (1 + quota) ≥ district base × (1 + target).
 */
export const quotaCheckSchema = z.object({
  ok: z.boolean(),
  sum: z.string().nullable(),
  target: z.string().nullable(),
  messages: z.array(z.string()),
});
export type QuotaCheck = z.infer<typeof quotaCheckSchema>;

export const quotaViewSchema = z.object({
  targetId: z.string(),
  period: z.string(),
  /** The caller's scope: a town sees its own row only; the check is an aggregate everyone sees. */
  rows: z.array(quotaRowSchema),
  check: quotaCheckSchema,
});
export type QuotaView = z.infer<typeof quotaViewSchema>;

export const targetDetailSchema = targetSchema.extend({
  history: z.array(evaluationSchema),
  manualValues: z.array(manualValueSchema),
  quotas: quotaViewSchema,
  related: z.array(targetSchema.pick({ id: true, subject: true, text: true, comparator: true, value: true, unit: true, kind: true, itemLabel: true })),
});
export type TargetDetail = z.infer<typeof targetDetailSchema>;

export const targetCreateBodySchema = z.object({
  year: z.number().int().min(2000).max(2099),
  subject: storable('指标名称', 100).pipe(z.string().trim().min(1, '请填写指标名称')),
  text: storable('原文', 2000).optional().default(''),
  comparator: z.enum(TARGET_COMPARATORS),
  value: decimal.nullable(),
  unit: storable('单位', 20).nullable(),
  kind: z.enum(TARGET_KINDS),
  stock: z.boolean().optional().default(false),
});

export const targetUpdateBodySchema = z.object({
  subject: storable('指标名称', 100).pipe(z.string().trim().min(1, '请填写指标名称')).optional(),
  comparator: z.enum(TARGET_COMPARATORS).optional(),
  value: decimal.nullable().optional(),
  unit: storable('单位', 20).nullable().optional(),
  kind: z.enum(TARGET_KINDS).optional(),
  stock: z.boolean().optional(),
  tolerance: decimal.optional(),
  base: decimal.nullable().optional(),
  ownerUnitId: id.nullable().optional(),
});

export const bindingBodySchema = z.object({
  kind: z.enum(BINDING_KINDS),
  sourceId: z.string().max(100).nullable().optional(),
});

export const manualValueBodySchema = z.object({
  period,
  /** A town's value against its quota; absent for the district figure. */
  townId: id.nullable().optional(),
  value: decimal,
  evidence: storable('依据', 2000).pipe(z.string().trim().min(1, '请说明数据依据（文件、批复、名单等）')),
});

export const quotasBodySchema = z.object({
  quotas: z
    .array(
      z.object({
        townId: id,
        value: decimal,
        base: decimal.nullable().optional(),
        note: storable('备注', 500).nullable().optional(),
      }),
    )
    .max(100),
});

export const targetPeriodQuerySchema = z.object({ period: period.optional() });

/** Status thresholds: pace ≥ normalPct → 正常, ≥ laggingPct → 滞后, else 预警; `≈` tolerates ± approxTolerance. */
export const targetSettingsSchema = z.object({
  normalPct: z.number().min(0).max(200),
  laggingPct: z.number().min(0).max(200),
  approxTolerance: decimal,
});
export type TargetSettings = z.infer<typeof targetSettingsSchema>;
export const targetSettingsBodySchema = targetSettingsSchema.refine((s) => s.laggingPct <= s.normalPct, {
  message: '“滞后”下限不能高于“正常”下限',
  path: ['laggingPct'],
});

// ---- Rankings (排序通报) ----------------------------------------------------------------------

/** Rank by the (weighted) mean completion rate, or by a weighted score against the best town. */
export const RANKING_METHODS = ['completion', 'weighted'] as const;
export type RankingMethod = (typeof RANKING_METHODS)[number];
export const RANKING_METHOD_LABELS: Record<RankingMethod, string> = {
  completion: '按完成率排序',
  weighted: '按加权得分排序',
};

/**
 * One ranked indicator: a decomposed target (each town's completion of its quota) or a
 * metric source measured per town (report punctuality, project investment …).
 */
export const rankingIndicatorSchema = z.object({
  key: z.string().min(1).max(40),
  label: storable('指标名称', 60).pipe(z.string().trim().min(1, '请填写指标名称')),
  kind: z.enum(['quota', 'metric']),
  targetId: id.nullable().optional(),
  sourceId: z.string().max(100).nullable().optional(),
  weight: z.number().min(0).max(1000),
  higherIsBetter: z.boolean().optional().default(true),
});
export type RankingIndicator = z.infer<typeof rankingIndicatorSchema>;

export const rankingSchema = z.object({
  id: z.string(),
  year: z.number().int(),
  name: z.string(),
  method: z.enum(RANKING_METHODS),
  /** Completion rates above this are counted as this (one runaway town cannot hide the rest). */
  capPct: z.number().nullable(),
  indicators: z.array(rankingIndicatorSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Ranking = z.infer<typeof rankingSchema>;
export const rankingListSchema = z.object({ items: z.array(rankingSchema) });

export const rankingBodySchema = z.object({
  year: z.number().int().min(2000).max(2099),
  name: storable('名称', 60).pipe(z.string().trim().min(1, '请填写名称')),
  method: z.enum(RANKING_METHODS),
  capPct: z.number().min(100).max(1000).nullable().optional(),
  indicators: z.array(rankingIndicatorSchema).min(1, '至少选择一项排序指标').max(20),
});
export type RankingBody = z.infer<typeof rankingBodySchema>;

export const rankingCellSchema = z.object({
  key: z.string(),
  actual: z.string().nullable(),
  quota: z.string().nullable(),
  /** Completion % for a quota indicator, the value itself for a metric. */
  rate: z.number().nullable(),
  points: z.number().nullable(),
  status: z.enum(TARGET_STATUSES),
});

export const rankingResultSchema = z.object({
  rankingId: z.string(),
  name: z.string(),
  period: z.string(),
  method: z.enum(RANKING_METHODS),
  indicators: z.array(z.object({ key: z.string(), label: z.string(), kind: z.enum(['quota', 'metric']), weight: z.number(), unit: z.string() })),
  rows: z.array(z.object({ town: unitRef, rank: z.number().int(), score: z.number().nullable(), cells: z.array(rankingCellSchema) })),
});
export type RankingResult = z.infer<typeof rankingResultSchema>;

// ---- Bulletins --------------------------------------------------------------------------------

export const bulletinSchema = z.object({
  id: z.string(),
  rankingId: z.string(),
  rankingName: z.string(),
  period: z.string(),
  version: z.number().int(),
  number: z.string(),
  title: z.string(),
  issueDate: z.string(),
  generatedAt: z.string(),
  generatedBy: z.string(),
});
export type Bulletin = z.infer<typeof bulletinSchema>;
export const bulletinListSchema = z.object({ items: z.array(bulletinSchema) });
export const bulletinListQuerySchema = z.object({ period: period.optional(), rankingId: id.optional() });

export const bulletinBodySchema = z.object({
  rankingId: id,
  period,
  /** 文号, e.g. 曾科经信通〔2022〕6号; generated when absent. */
  number: storable('文号', 60).optional(),
  title: storable('标题', 100).optional(),
  issueDate: z.iso.date('日期格式应为 YYYY-MM-DD').optional(),
});

export const bulletinFileQuerySchema = z.object({
  /** The per-town variant: only that town's detail. */
  townId: id.optional(),
});

/** A town's own quotas across targets (what a town user sees of the decomposition). */
export const myQuotasSchema = z.object({
  period: z.string(),
  items: z.array(
    z.object({
      targetId: z.string(),
      subject: z.string(),
      kind: z.enum(TARGET_KINDS),
      comparator: z.enum(TARGET_COMPARATORS),
      unit: z.string().nullable(),
      districtValue: z.string().nullable(),
      quota: quotaRowSchema,
    }),
  ),
});
export type MyQuotas = z.infer<typeof myQuotasSchema>;
