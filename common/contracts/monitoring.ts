import { z } from 'zod';
import { CHANGE_STATES, INDICATOR_CODES, REPORTED_INDICATOR_CODES, SCALE_BANDS } from '../indicators.ts';
import type { IndicatorCode } from '../indicators.ts';
import { parsePeriod } from '../period.ts';
import type { Period } from '../period.ts';

// Values travel as canonical decimal strings in the indicator's unit (ADR 0001); growth and
// contribution are numbers at full floating precision (percent, percentage points), null where
// the base is ≤ 0 (and then `state` names what happened).

/** A reporting period in a query or body: every form parsePeriod reads, answered as 'YYYY-MM'. */
export const periodSchema = z.string().transform((value, ctx): Period => {
  const result = parsePeriod(value);
  if (!result.ok) {
    ctx.addIssue({ code: 'custom', message: result.message });
    return z.NEVER;
  }
  return result.period;
});

export const indicatorCodeSchema = z.enum(INDICATOR_CODES);
export const changeStateSchema = z.enum(CHANGE_STATES);
const decimal = z.string();
const pct = z.number().nullable();

/** One indicator of the district total. */
export const totalFigureSchema = z.object({
  current: decimal,
  previous: decimal,
  growthPct: pct,
  state: changeStateSchema.nullable(),
  enterprises: z.number().int(),
});

/** One indicator of a town or chain. */
export const groupFigureSchema = z.object({
  current: decimal,
  previous: decimal,
  growthPct: pct,
  state: changeStateSchema.nullable(),
  contributionPts: pct,
});

function perIndicator<T extends z.ZodType>(schema: T): Record<IndicatorCode, T> {
  return Object.fromEntries(INDICATOR_CODES.map((code) => [code, schema])) as Record<IndicatorCode, T>;
}

const refSchema = z.object({ id: z.string(), name: z.string() });

export const summaryQuerySchema = z.object({ period: periodSchema });

/** GET /api/monitoring/summary — the contract of issue 3 §3. */
export const summarySchema = z.object({
  period: z.string(),
  total: z.object(perIndicator(totalFigureSchema)),
  byTown: z.array(z.object({ unit: refSchema, ...perIndicator(groupFigureSchema) })),
  byChain: z.array(z.object({ chain: refSchema, ...perIndicator(groupFigureSchema) })),
});
export type Summary = z.infer<typeof summarySchema>;

export const DIMENSIONS = ['district', 'town', 'chain', 'division', 'scale', 'entrant', 'group'] as const;
export type FigureDimension = (typeof DIMENSIONS)[number];
export const DIMENSION_LABELS: Record<FigureDimension, string> = {
  district: '全区',
  town: '镇街',
  chain: '产业链',
  division: '行业大类',
  scale: '规模档',
  entrant: '新入库',
  group: '企业集团',
};
export const dimensionSchema = z.enum(DIMENSIONS);

const monthlySchema = z.object({ current: decimal, previous: decimal, growthPct: pct, enterprises: z.number().int() });

/** A group's figure with everything the detail table shows. */
export const figureRowSchema = z.object({
  key: z.string(),
  name: z.string(),
  current: decimal,
  previous: decimal,
  growthPct: pct,
  state: changeStateSchema.nullable(),
  contributionPts: pct,
  enterprises: z.number().int(),
  missing: z.number().int(),
  growing: z.number().int(),
  falling: z.number().int(),
  /** This month alone (difference of cumulative values); null for averages (平均用工人数). */
  monthly: monthlySchema.nullable(),
});
export type FigureRow = z.infer<typeof figureRowSchema>;

export const figuresQuerySchema = z.object({
  period: periodSchema,
  indicator: indicatorCodeSchema.default('output_value'),
  dimension: dimensionSchema.default('town'),
});

export const figuresSchema = z.object({
  period: z.string(),
  indicator: indicatorCodeSchema,
  unit: z.string(),
  dimension: dimensionSchema,
  district: figureRowSchema,
  groups: z.array(figureRowSchema),
  /** 增长面: divisions whose sum grew. */
  divisionsGrowing: z.object({ divisions: z.number().int(), growing: z.number().int(), sharePct: pct }),
  /** Chains overlap: their contributions do not add up to the district growth. */
  partition: z.boolean(),
});
export type Figures = z.infer<typeof figuresSchema>;

export const drilldownQuerySchema = z.object({
  period: periodSchema,
  indicator: indicatorCodeSchema.default('output_value'),
  dimension: dimensionSchema.default('district'),
  key: z.string().max(100).optional(),
});

const enterpriseRefSchema = z.object({ id: z.string(), name: z.string(), uscc: z.string(), town: refSchema });

export const drilldownSchema = z.object({
  period: z.string(),
  indicator: indicatorCodeSchema,
  unit: z.string(),
  group: z.object({ dimension: dimensionSchema, key: z.string().nullable(), name: z.string() }),
  /** The group's figure over all its enterprises (aggregates are visible to everyone). */
  figure: figureRowSchema,
  rows: z.array(
    z.object({
      enterprise: enterpriseRefSchema,
      current: decimal,
      previous: decimal,
      growthPct: pct,
      state: changeStateSchema.nullable(),
      contributionPts: pct,
      monthly: z.object({ current: decimal, previous: decimal }).nullable(),
    }),
  ),
  missing: z.array(enterpriseRefSchema),
  /** Rows and missing enterprises of the group outside the caller's scope: counted, not shown. */
  hiddenRows: z.number().int(),
  hiddenMissing: z.number().int(),
});
export type Drilldown = z.infer<typeof drilldownSchema>;

export const trendQuerySchema = z.object({
  year: z.coerce.number().int().min(2000).max(2099),
  indicator: indicatorCodeSchema.default('output_value'),
  dimension: dimensionSchema.default('district'),
  key: z.string().max(100).optional(),
});

const trendPointSchema = z.object({ current: decimal, previous: decimal, growthPct: pct, enterprises: z.number().int() });
export const trendSchema = z.object({
  year: z.number().int(),
  indicator: indicatorCodeSchema,
  unit: z.string(),
  points: z.array(
    z.object({
      period: z.string(),
      cumulative: trendPointSchema.nullable(),
      lastYear: trendPointSchema.nullable(),
      monthly: trendPointSchema.nullable(),
    }),
  ),
});
export type Trend = z.infer<typeof trendSchema>;

export const periodsSchema = z.object({
  periods: z.array(z.object({ period: z.string(), enterprises: z.number().int() })),
  latest: z.string().nullable(),
});

// ---- reports (records) and the online form ------------------------------------------------------

export const valuePairSchema = z.object({ current: decimal, previous: decimal.nullable() });
export const productValueSchema = z.object({ productName: z.string().min(1).max(100), unit: z.string().min(1).max(20), current: decimal, previous: decimal.nullable() });

export const reportListQuerySchema = z.object({
  period: periodSchema,
  search: z.string().max(100).optional(),
  town: z.string().max(100).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export const reportSchema = z.object({
  enterprise: enterpriseRefSchema,
  period: z.string(),
  source: z.string(),
  updatedAt: z.string(),
  values: z.object(perIndicator(valuePairSchema.nullable())),
  products: z.array(productValueSchema),
});
export type Report = z.infer<typeof reportSchema>;

export const reportListSchema = z.object({ items: z.array(reportSchema), total: z.number().int() });

export const formQuerySchema = z.object({ enterpriseId: z.string().max(100), period: periodSchema });
export const formSchema = z.object({
  enterprise: enterpriseRefSchema,
  period: z.string(),
  report: reportSchema.nullable(),
  /** Last period's report, for the "lower than last month" hints beside the inputs. */
  previousReport: reportSchema.nullable(),
});

export const formBodySchema = z.object({
  enterpriseId: z.string().max(100),
  period: periodSchema,
  values: z.object(Object.fromEntries(INDICATOR_CODES.map((code) => [code, valuePairSchema.optional()])) as Record<IndicatorCode, z.ZodOptional<typeof valuePairSchema>>),
  /** When sent, replaces the period's product list; when absent, products stay as they are. */
  products: z.array(productValueSchema).max(50).optional(),
  dryRun: z.boolean().default(false),
});
export type FormBody = z.input<typeof formBodySchema>;

// ---- import -------------------------------------------------------------------------------------

export const importProblemSchema = z.object({
  level: z.enum(['error', 'warning']),
  sheet: z.string().nullable(),
  /** 1-based row of the workbook; null for the file or a header. */
  row: z.number().int().nullable(),
  /** Column letter, e.g. 'D'; null for the whole row. */
  column: z.string().nullable(),
  header: z.string().nullable(),
  message: z.string(),
});
export type ImportProblem = z.infer<typeof importProblemSchema>;

export const importColumnSchema = z.object({
  column: z.string(),
  header: z.string(),
  indicator: indicatorCodeSchema,
  valueColumn: z.enum(['current', 'previous']),
  /** The unit the column's numbers are in; converted to the indicator's unit. */
  unit: z.string(),
  unitFromHeader: z.boolean(),
});

export const importPreviewSchema = z.object({
  dryRun: z.boolean(),
  committed: z.boolean(),
  batchId: z.string().nullable(),
  fileName: z.string().nullable(),
  sheet: z.string().nullable(),
  headerRow: z.number().int().nullable(),
  columns: z.array(importColumnSchema),
  unmatchedHeaders: z.array(z.object({ column: z.string(), header: z.string() })),
  productSheet: z.string().nullable(),
  rows: z.number().int(),
  productRows: z.number().int(),
  periods: z.array(z.string()),
  enterprises: z.number().int(),
  errorCount: z.number().int(),
  warningCount: z.number().int(),
  problems: z.array(importProblemSchema),
  changes: z.object({ inserted: z.number().int(), replaced: z.number().int(), unchanged: z.number().int(), removed: z.number().int() }),
});
export type ImportPreview = z.infer<typeof importPreviewSchema>;

// ---- reported district indicators ------------------------------------------------------------

export const reportedCodeSchema = z.enum(REPORTED_INDICATOR_CODES);

export const reportedEntrySchema = z.object({
  id: z.string(),
  code: reportedCodeSchema,
  period: z.string(),
  value: decimal,
  source: z.string(),
  note: z.string().nullable(),
  enteredAt: z.string(),
  enteredBy: z.string(),
});

export const reportedListQuerySchema = z.object({ year: z.coerce.number().int().min(2000).max(2099) });
export const reportedListSchema = z.object({
  items: z.array(reportedEntrySchema.extend({ name: z.string(), unit: z.string(), history: z.array(reportedEntrySchema) })),
});

export const reportedBodySchema = z.object({
  code: reportedCodeSchema,
  period: periodSchema,
  value: z.union([z.string().max(40), z.number()]),
  source: z.string().trim().min(1, '请填写数据来源，如 区统计局月报').max(200),
  note: z.string().max(500).nullable().optional(),
});

/** A workbook of published figures (指标 | 报告期 | 数值 | 来源 | 备注): checked, then recorded all or none. */
export const reportedImportSchema = z.object({
  dryRun: z.boolean(),
  committed: z.boolean(),
  sheet: z.string(),
  rows: z.number().int(),
  errorCount: z.number().int(),
  errors: z.array(z.object({ row: z.number().int(), column: z.string().nullable(), message: z.string() })),
  items: z.array(
    z.object({ row: z.number().int(), code: reportedCodeSchema, name: z.string(), period: z.string(), value: z.string(), unit: z.string(), source: z.string(), note: z.string().nullable() }),
  ),
});
export type ReportedImport = z.infer<typeof reportedImportSchema>;

// ---- warnings and settings ------------------------------------------------------------------

export const WARNING_RULES = ['output_falling', 'not_reported', 'cumulative_below_previous', 'output_up_electricity_down', 'group_below_target', 'unit_slip'] as const;
export type WarningRule = (typeof WARNING_RULES)[number];
export const WARNING_RULE_LABELS: Record<WarningRule, string> = {
  output_falling: '产值同比下降',
  not_reported: '本期未报',
  cumulative_below_previous: '累计值低于上月',
  output_up_electricity_down: '产值增长而用电量下降',
  group_below_target: '增速低于全区目标',
  unit_slip: '数值疑似单位错误',
};
export const WARNING_LEVELS = ['red', 'orange', 'yellow'] as const;
export type WarningLevel = (typeof WARNING_LEVELS)[number];
export const WARNING_LEVEL_LABELS: Record<WarningLevel, string> = { red: '红色', orange: '橙色', yellow: '黄色' };
export const WARNING_STATUSES = ['open', 'acknowledged', 'closed'] as const;
export type WarningStatus = (typeof WARNING_STATUSES)[number];
export const WARNING_STATUS_LABELS: Record<WarningStatus, string> = { open: '待处理', acknowledged: '已知悉', closed: '已关闭' };

export const warningSchema = z.object({
  id: z.string(),
  period: z.string(),
  rule: z.enum(WARNING_RULES),
  subject: z.object({ kind: z.enum(['enterprise', 'town', 'chain']), id: z.string(), name: z.string() }),
  town: refSchema.nullable(),
  indicator: indicatorCodeSchema.nullable(),
  level: z.enum(WARNING_LEVELS),
  reason: z.string(),
  figures: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
  status: z.enum(WARNING_STATUSES),
  note: z.string().nullable(),
  /** False once the data no longer trigger it (kept for the record). */
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Warning = z.infer<typeof warningSchema>;

export const warningListQuerySchema = z.object({
  period: periodSchema.optional(),
  status: z.enum(WARNING_STATUSES).optional(),
  level: z.enum(WARNING_LEVELS).optional(),
  rule: z.enum(WARNING_RULES).optional(),
  activeOnly: z.enum(['true', 'false']).default('true'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export const warningListSchema = z.object({
  items: z.array(warningSchema),
  total: z.number().int(),
  counts: z.object({ red: z.number().int(), orange: z.number().int(), yellow: z.number().int() }),
});

export const warningUpdateSchema = z.object({
  status: z.enum(WARNING_STATUSES),
  note: z.string().trim().max(500).nullable().optional(),
});

const levelThresholds = z.object({ yellow: z.number().min(0).max(100), orange: z.number().min(0).max(100), red: z.number().min(0).max(100) });

/** Warning thresholds and the district target growth (a setting until targets bind it). */
export const monitoringSettingsSchema = z.object({
  /** The district's target growth of output value, percent; towns and chains below it are warned. */
  targetGrowthPct: z.number().min(-100).max(1000),
  /** Enterprise output falling more than these percentages year on year. */
  outputDropPct: levelThresholds,
  /** Output growing while electricity falls more than this percentage year on year. */
  electricityDropPct: z.number().min(0).max(100),
  /** A value this many times (or 1/this) the enterprise's previous month is a suspected unit slip. */
  unitSlipFactor: z.number().min(2).max(100000),
  /** Towns or chains below target by more than this many points are orange; below zero growth red. */
  belowTargetOrangePts: z.number().min(0).max(100),
});
export type MonitoringSettings = z.infer<typeof monitoringSettingsSchema>;

export const DEFAULT_MONITORING_SETTINGS: MonitoringSettings = {
  targetGrowthPct: 13,
  outputDropPct: { yellow: 10, orange: 20, red: 30 },
  electricityDropPct: 10,
  unitSlipFactor: 8,
  belowTargetOrangePts: 10,
};

// ---- forecast -------------------------------------------------------------------------------

export const forecastQuerySchema = z.object({
  period: periodSchema,
  indicator: indicatorCodeSchema.default('output_value'),
  targetGrowthPct: z.coerce.number().min(-100).max(1000).optional(),
});

export const forecastRowSchema = z.object({
  key: z.string(),
  name: z.string(),
  enterprises: z.number().int(),
  current: decimal,
  previous: decimal,
  growthPct: pct,
  method: z.enum(['actual', 'seasonal_share', 'time_share', 'average_ratio', 'average_carry', 'none']),
  methodLabel: z.string(),
  sharePct: pct,
  projected: decimal.nullable(),
  lastYearTotal: decimal.nullable(),
  projectedGrowthPct: pct,
  targetValue: decimal.nullable(),
  gap: decimal.nullable(),
  requiredRemainingGrowthPct: pct,
});
export const forecastSchema = z.object({
  period: z.string(),
  indicator: indicatorCodeSchema,
  unit: z.string(),
  targetGrowthPct: z.number(),
  method: z.string(),
  district: forecastRowSchema,
  byTown: z.array(forecastRowSchema),
  byChain: z.array(forecastRowSchema),
});
export type ForecastTable = z.infer<typeof forecastSchema>;

export const SCALE_BAND_NAMES: Record<string, string> = Object.fromEntries(SCALE_BANDS.map((band) => [band.code, band.name]));
