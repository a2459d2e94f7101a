import { z } from 'zod';
import { pagingQuerySchema } from '#common/contracts/paging.ts';
import { unitRefSchema } from '#common/contracts/org.ts';
import { importProblemSchema } from '#common/contracts/enterprises.ts';

// Enterprise cultivation (培育梯队), issue 5: the qualifications register, the annual data the
// official criteria need, the eligibility engine's answers and the ladder.

/** A real calendar date 'YYYY-MM-DD' (2022-02-30 is refused). */
export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text;
}
const isoDate = z.string().refine(isCalendarDate, '日期应为有效的 YYYY-MM-DD，如 2022-12-31');
const id = z.string().max(64);

// ---------------------------------------------------------------------------------------------
// Eligibility
// ---------------------------------------------------------------------------------------------

/** The rules the engine evaluates; the API contract's `rule`. */
export const CULTIVATION_RULES = ['tech_sme', 'high_tech', 'innovative_sme', 'specialized_sme', 'little_giant', 'above_scale'] as const;
export type CultivationRule = (typeof CULTIVATION_RULES)[number];

export const RULE_LABELS: Record<CultivationRule, string> = {
  tech_sme: '科技型中小企业',
  high_tech: '高新技术企业',
  innovative_sme: '创新型中小企业',
  specialized_sme: '专精特新中小企业',
  little_giant: '专精特新"小巨人"企业',
  above_scale: '规模以上工业企业',
};

export const OUTCOMES = ['eligible', 'not_eligible', 'needs_review', 'insufficient_data', 'no_rule_set'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const OUTCOME_LABELS: Record<Outcome, string> = {
  eligible: '符合条件',
  not_eligible: '暂不符合',
  needs_review: '需评审',
  insufficient_data: '数据不足',
  no_rule_set: '无现行标准',
};

/**
 * How a criterion was decided: from data; by default (a compliance condition no platform
 * record contradicts — 默认满足（无不良记录）); left to expert review (需评审: judged by experts,
 * or a criterion the reference could not confirm); or not decidable because data is missing.
 */
export const CRITERION_BASES = ['data', 'default', 'review', 'missing'] as const;
export type CriterionBasis = (typeof CRITERION_BASES)[number];

export const criterionSchema = z.object({
  id: z.string(),
  label: z.string(),
  /** Which part of the rule: 基本条件, 评分, 直接认定 … */
  group: z.string(),
  /** The enterprise's figure as shown (e.g. '8.5%', '1650万元'); null when unknown. */
  value: z.string().nullable(),
  /** What the rule asks (e.g. '≥ 10%'). */
  threshold: z.string().nullable(),
  /** null = data missing or not decidable (see basis). */
  met: z.boolean().nullable(),
  /** Points where the rule scores; null when the rule does not score it or it cannot be computed. */
  points: z.number().nullable(),
  maxPoints: z.number().nullable(),
  basis: z.enum(CRITERION_BASES),
  note: z.string().nullable(),
});
export type Criterion = z.infer<typeof criterionSchema>;

export const gapSchema = z.object({
  criterion: z.string(),
  message: z.string(),
  /** How much is missing, an exact decimal in `unit` (rounded up); null when not quantifiable. */
  shortfall: z.string().nullable(),
  unit: z.string().nullable(),
});
export type Gap = z.infer<typeof gapSchema>;

export const ruleDocumentSchema = z.object({ title: z.string(), number: z.string().nullable(), url: z.string().nullable() });
export const ruleSetRefSchema = z.object({
  id: z.string(),
  title: z.string(),
  documents: z.array(ruleDocumentSchema),
  effectiveFrom: z.string(),
  effectiveTo: z.string().nullable(),
});
export type RuleSetRef = z.infer<typeof ruleSetRefSchema>;

const evaluationCore = {
  rule: z.enum(CULTIVATION_RULES),
  ruleLabel: z.string(),
  ruleSet: ruleSetRefSchema.nullable(),
  outcome: z.enum(OUTCOMES),
  /** The total score where the rule scores and every indicator could be computed. */
  score: z.number().nullable(),
  /** Lowest and highest score the known data allow (unknown and 需评审 indicators at 0 / full marks). */
  scoreRange: z.object({ min: z.number(), max: z.number() }).nullable(),
  passScore: z.number().nullable(),
  criteria: z.array(criterionSchema),
  gaps: z.array(gapSchema),
  /** What to collect for a decision ('2021年营业收入'). */
  missing: z.array(z.string()),
  /** The year of annual data the rule reads (the year before asOf). */
  dataYear: z.number().int(),
  asOf: z.string(),
};

/** A rule set no longer in force, evaluated for information only (仅供参考). */
export const referenceEvaluationSchema = z.object({ ...evaluationCore, note: z.string() });

export const evaluationSchema = z.object({
  ...evaluationCore,
  /** With outcome no_rule_set: the superseded set's answer, 仅供参考. */
  reference: referenceEvaluationSchema.nullable(),
});
export type Evaluation = z.infer<typeof evaluationSchema>;
export type ReferenceEvaluation = z.infer<typeof referenceEvaluationSchema>;

export const eligibilityQuerySchema = z.object({ asOf: isoDate.optional() });
export const eligibilityResponseSchema = z.array(evaluationSchema);

// ---------------------------------------------------------------------------------------------
// Qualifications register
// ---------------------------------------------------------------------------------------------

export const QUALIFICATION_KINDS = [
  'tech_sme',
  'high_tech',
  'innovative_sme',
  'specialized_sme',
  'little_giant',
  'champion',
  'seed_gold',
  'seed_silver',
  'leading',
  'troubled',
] as const;
export type QualificationKind = (typeof QUALIFICATION_KINDS)[number];

export const QUALIFICATION_KIND_LABELS: Record<QualificationKind, string> = {
  tech_sme: '科技型中小企业',
  high_tech: '高新技术企业',
  innovative_sme: '创新型中小企业',
  specialized_sme: '专精特新中小企业',
  little_giant: '专精特新"小巨人"企业',
  champion: '制造业单项冠军',
  seed_gold: '上市后备"金种子"企业',
  seed_silver: '上市后备"银种子"企业',
  leading: '龙头企业培育库',
  troubled: '困难企业（盘活）',
};

export const QUALIFICATION_LEVELS = ['national', 'provincial', 'municipal', 'district'] as const;
export type QualificationLevel = (typeof QUALIFICATION_LEVELS)[number];
export const QUALIFICATION_LEVEL_LABELS: Record<QualificationLevel, string> = { national: '国家级', provincial: '省级', municipal: '市级', district: '区级' };

/** 高企 only: each recognition is a first one (首次认定) or a re-recognition after expiry (重新认定). */
export const RECOGNITIONS = ['first', 'renewal'] as const;
export type Recognition = (typeof RECOGNITIONS)[number];
export const RECOGNITION_LABELS: Record<Recognition, string> = { first: '首次认定', renewal: '重新认定' };

export const QUALIFICATION_STATUSES = ['valid', 'expiring', 'expired', 'revoked'] as const;
export type QualificationStatus = (typeof QUALIFICATION_STATUSES)[number];
export const QUALIFICATION_STATUS_LABELS: Record<QualificationStatus, string> = { valid: '有效', expiring: '即将到期', expired: '已过期', revoked: '已撤销' };

/** Days before expiry at which a qualification counts as expiring and reminders are due. */
export const EXPIRY_REMINDER_DAYS = [90, 30] as const;

export const enterpriseRefSchema = z.object({ id: z.string(), name: z.string(), uscc: z.string(), town: unitRefSchema });
export type EnterpriseRef = z.infer<typeof enterpriseRefSchema>;

export const qualificationSchema = z.object({
  id: z.string(),
  enterprise: enterpriseRefSchema,
  kind: z.enum(QUALIFICATION_KINDS),
  level: z.enum(QUALIFICATION_LEVELS).nullable(),
  recognition: z.enum(RECOGNITIONS).nullable(),
  number: z.string().nullable(),
  grantedOn: z.string(),
  expiresOn: z.string().nullable(),
  revokedOn: z.string().nullable(),
  revokeReason: z.string().nullable(),
  note: z.string().nullable(),
  status: z.enum(QUALIFICATION_STATUSES),
  /** Days until expiry (negative once expired); null without an expiry date. */
  daysToExpiry: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Qualification = z.infer<typeof qualificationSchema>;

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

export const qualificationBodySchema = z.object({
  enterpriseId: id,
  kind: z.enum(QUALIFICATION_KINDS),
  level: z.enum(QUALIFICATION_LEVELS).nullable().optional(),
  recognition: z.enum(RECOGNITIONS).nullable().optional(),
  number: optionalText(60),
  grantedOn: isoDate,
  /** Omitted: 高企 three years from the certificate date (办法 第九条); other kinds none. */
  expiresOn: isoDate.nullable().optional(),
  note: optionalText(500),
});
export type QualificationBody = z.infer<typeof qualificationBodySchema>;

export const qualificationUpdateBodySchema = qualificationBodySchema.omit({ enterpriseId: true }).partial();
export type QualificationUpdateBody = z.infer<typeof qualificationUpdateBodySchema>;

export const revokeBodySchema = z.object({ revokedOn: isoDate, reason: z.string().trim().min(1, '请填写撤销原因').max(500) });

export const qualificationListQuerySchema = pagingQuerySchema.extend({
  enterpriseId: id.optional(),
  kind: z.enum(QUALIFICATION_KINDS).optional(),
  status: z.enum(QUALIFICATION_STATUSES).optional(),
  town: id.optional(),
});
export type QualificationListQuery = z.infer<typeof qualificationListQuerySchema>;

export const expiryReminderSchema = z.object({
  qualification: qualificationSchema,
  /** The reminder that is due: 90 or 30 days before expiry. */
  threshold: z.number().int(),
});
export const expiryReminderListSchema = z.object({ asOf: z.string(), items: z.array(expiryReminderSchema) });
export const expiryQuerySchema = z.object({ asOf: isoDate.optional() });

// ---------------------------------------------------------------------------------------------
// Annual enterprise data
// ---------------------------------------------------------------------------------------------

export const RD_INSTITUTION_LEVELS = ['national', 'provincial', 'municipal', 'county', 'none'] as const;
export type RdInstitutionLevel = (typeof RD_INSTITUTION_LEVELS)[number];
export const RD_INSTITUTION_LEVEL_LABELS: Record<RdInstitutionLevel, string> = { national: '国家', provincial: '省', municipal: '市', county: '县区', none: '无' };

export const AWARD_LEVELS = ['national', 'provincial', 'municipal', 'other'] as const;
export const AWARD_LEVEL_LABELS: Record<(typeof AWARD_LEVELS)[number], string> = { national: '国家级', provincial: '省级', municipal: '市级', other: '其他' };
/** 科技奖 (S&T award), 质量奖 (quality award), 创客中国 (competition placing), other. */
export const AWARD_KINDS = ['sci_tech', 'quality', 'makers_china', 'other'] as const;
export const AWARD_KIND_LABELS: Record<(typeof AWARD_KINDS)[number], string> = { sci_tech: '科技奖', quality: '质量奖', makers_china: '创客中国', other: '其他' };

export const awardSchema = z.object({
  year: z.number().int().min(1949).max(2100),
  level: z.enum(AWARD_LEVELS),
  kind: z.enum(AWARD_KINDS),
  /** Rank of the enterprise among the award's units (排名第 N), or the placing group of 创客中国 (500 / 50); null if not ranked. */
  rank: z.number().int().min(1).nullable(),
  name: z.string().trim().min(1).max(200),
});
export type Award = z.infer<typeof awardSchema>;

export const STANDARD_LEVELS = ['international', 'national', 'industry', 'local', 'group'] as const;
export const STANDARD_LEVEL_LABELS: Record<(typeof STANDARD_LEVELS)[number], string> = { international: '国际', national: '国家', industry: '行业', local: '地方', group: '团体' };
export const STANDARD_ROLES = ['lead', 'participate'] as const;
export const STANDARD_ROLE_LABELS: Record<(typeof STANDARD_ROLES)[number], string> = { lead: '主导', participate: '参与' };

export const standardSchema = z.object({
  year: z.number().int().min(1949).max(2100),
  level: z.enum(STANDARD_LEVELS),
  role: z.enum(STANDARD_ROLES),
  name: z.string().trim().min(1).max(200),
});
export type StandardRecord = z.infer<typeof standardSchema>;

/** How an annual field is read: money (any of 元/千元/万元/亿元), a count, a percentage, a choice, yes/no, a list. */
export type AnnualFieldKind = 'money' | 'count' | 'percent' | 'rdLevel' | 'level' | 'flag' | 'awards' | 'standards';

/**
 * Every annual field the criteria need, with the template's header name (units in brackets are
 * added by the template: money in 万元). The order is the template's column order.
 */
export const ANNUAL_FIELDS = [
  { key: 'staffTotal', header: '职工总数', kind: 'count', unit: '人' },
  { key: 'techStaff', header: '科技人员数', kind: 'count', unit: '人' },
  { key: 'rdStaff', header: '研发人员数', kind: 'count', unit: '人' },
  { key: 'operatingRevenue', header: '营业收入', kind: 'money', unit: '万元' },
  { key: 'mainBusinessRevenue', header: '主营业务收入', kind: 'money', unit: '万元' },
  { key: 'totalRevenue', header: '总收入', kind: 'money', unit: '万元' },
  { key: 'totalCostsExpenses', header: '成本费用总额', kind: 'money', unit: '万元' },
  { key: 'highTechRevenue', header: '高新技术产品（服务）收入', kind: 'money', unit: '万元' },
  { key: 'rdExpense', header: '研发费用', kind: 'money', unit: '万元' },
  { key: 'domesticRdExpense', header: '境内研发费用', kind: 'money', unit: '万元' },
  { key: 'totalAssets', header: '资产总额', kind: 'money', unit: '万元' },
  { key: 'totalLiabilities', header: '负债总额', kind: 'money', unit: '万元' },
  { key: 'netAssets', header: '净资产', kind: 'money', unit: '万元' },
  { key: 'netProfit', header: '净利润', kind: 'money', unit: '万元' },
  { key: 'ip1Count', header: 'Ⅰ类知识产权数', kind: 'count', unit: '件' },
  { key: 'ip1HighValueCount', header: '其中高价值Ⅰ类', kind: 'count', unit: '件' },
  { key: 'ip1OwnCount', header: '其中自主研发Ⅰ类', kind: 'count', unit: '件' },
  { key: 'ip2Count', header: 'Ⅱ类知识产权数', kind: 'count', unit: '件' },
  { key: 'rdInstitutionLevel', header: '研发机构级别', kind: 'rdLevel', unit: null },
  { key: 'nicheYears', header: '细分领域从业年限', kind: 'count', unit: '年' },
  { key: 'nicheMarketShare', header: '细分市场占有率', kind: 'percent', unit: '%' },
  { key: 'equityFinancing', header: '股权融资额', kind: 'money', unit: '万元' },
  { key: 'digitalLevel', header: '数字化水平等级', kind: 'level', unit: '级' },
  { key: 'qualityCertified', header: '质量管理体系认证', kind: 'flag', unit: null },
  { key: 'ownBrand', header: '自有品牌', kind: 'flag', unit: null },
  { key: 'strategicEmerging', header: '主导产品属战略性新兴产业', kind: 'flag', unit: null },
  { key: 'awards', header: '获奖情况', kind: 'awards', unit: null },
  { key: 'standards', header: '制定标准', kind: 'standards', unit: null },
] as const satisfies readonly { key: string; header: string; kind: AnnualFieldKind; unit: string | null }[];

export type AnnualFieldKey = (typeof ANNUAL_FIELDS)[number]['key'];
type FieldOfKind<K extends AnnualFieldKind> = Extract<(typeof ANNUAL_FIELDS)[number], { kind: K }>['key'];
export type MoneyFieldKey = FieldOfKind<'money'>;
export type CountFieldKey = FieldOfKind<'count'>;
export type FlagFieldKey = FieldOfKind<'flag'>;

export const ANNUAL_FIELD_LABELS = Object.fromEntries(ANNUAL_FIELDS.map((f) => [f.key, f.header])) as Record<AnnualFieldKey, string>;

const money = z
  .string()
  .trim()
  .regex(/^-?\d{1,13}(\.\d{1,7})?$/, '请填写数字（万元），最多 7 位小数')
  .nullable();
const count = z.number().int().min(0).max(10_000_000).nullable();

/**
 * One enterprise's figures for one year. Money in 万元 as exact decimal strings, shares in %.
 * null = unknown (never 0): the engine then says which figure to collect.
 */
export const annualFiguresSchema = z.object({
  staffTotal: count,
  techStaff: count,
  rdStaff: count,
  operatingRevenue: money,
  mainBusinessRevenue: money,
  totalRevenue: money,
  totalCostsExpenses: money,
  highTechRevenue: money,
  rdExpense: money,
  domesticRdExpense: money,
  totalAssets: money,
  totalLiabilities: money,
  netAssets: money,
  netProfit: money,
  ip1Count: count,
  ip1HighValueCount: count,
  ip1OwnCount: count,
  ip2Count: count,
  rdInstitutionLevel: z.enum(RD_INSTITUTION_LEVELS).nullable(),
  nicheYears: z.number().int().min(0).max(200).nullable(),
  nicheMarketShare: z
    .string()
    .trim()
    .regex(/^\d{1,3}(\.\d{1,3})?$/, '请填写百分数（0–100，最多 3 位小数）')
    .nullable(),
  equityFinancing: money,
  digitalLevel: z.number().int().min(1).max(9).nullable(),
  qualityCertified: z.boolean().nullable(),
  ownBrand: z.boolean().nullable(),
  strategicEmerging: z.boolean().nullable(),
  awards: z.array(awardSchema).max(100).nullable(),
  standards: z.array(standardSchema).max(100).nullable(),
});
export type AnnualFigures = z.infer<typeof annualFiguresSchema>;

export const annualDataSchema = annualFiguresSchema.extend({
  id: z.string(),
  enterprise: enterpriseRefSchema,
  year: z.number().int(),
  source: z.string(),
  updatedAt: z.string(),
});
export type AnnualData = z.infer<typeof annualDataSchema>;

/** The form: every field optional; an omitted field of an update keeps its value, null clears it. */
export const annualDataBodySchema = annualFiguresSchema.partial().extend({
  enterpriseId: id,
  year: z.number().int().min(2000).max(2100),
});
export type AnnualDataBody = z.infer<typeof annualDataBodySchema>;

export const annualDataListQuerySchema = pagingQuerySchema.extend({ enterpriseId: id.optional(), year: z.coerce.number().int().optional(), town: id.optional() });

/** Figures offered from monthly monitoring for the form (December's cumulative), never mixed in silently. */
export const monitoringOfferSchema = z.object({
  year: z.number().int(),
  period: z.string().nullable(),
  operatingRevenue: z.string().nullable(),
  rdExpense: z.string().nullable(),
});

// ---------------------------------------------------------------------------------------------
// Imports (annual data and qualifications): dry run and commit, all or nothing
// ---------------------------------------------------------------------------------------------

// Imports report problems in the enterprise roster import's shape (row, column, cell, message).
export const IMPORT_ACTIONS = ['create', 'update', 'unchanged'] as const;

/** Dry run and commit answer alike; a commit with errors writes nothing and carries this in the error details. */
export const cultivationImportResultSchema = z.object({
  fileName: z.string(),
  sheet: z.string(),
  rows: z.number().int(),
  creates: z.number().int(),
  updates: z.number().int(),
  unchanged: z.number().int(),
  errorCount: z.number().int(),
  warningCount: z.number().int(),
  errors: z.array(importProblemSchema),
  warnings: z.array(importProblemSchema),
  /** Columns recognised, with the unit honoured: '营业收入（千元）'. */
  columns: z.array(z.string()),
  ignoredColumns: z.array(z.string()),
  skippedRows: z.array(z.object({ row: z.number().int(), reason: z.string() })),
  changes: z.array(z.object({ row: z.number().int(), uscc: z.string(), name: z.string(), key: z.string(), action: z.enum(IMPORT_ACTIONS), fields: z.array(z.string()) })),
  committed: z.boolean(),
});
export type CultivationImportResult = z.infer<typeof cultivationImportResultSchema>;

// ---------------------------------------------------------------------------------------------
// The ladder
// ---------------------------------------------------------------------------------------------

/** The rungs, bottom to top, then the side registers the plan also counts. */
export const LADDER_RUNGS = ['above_scale', 'tech_sme', 'high_tech', 'innovative_sme', 'specialized_sme', 'little_giant', 'champion'] as const;
export type LadderRung = (typeof LADDER_RUNGS)[number];
export const LADDER_RUNG_LABELS: Record<LadderRung, string> = {
  above_scale: '规上工业企业',
  tech_sme: '科技型中小企业',
  high_tech: '高新技术企业',
  innovative_sme: '创新型中小企业',
  specialized_sme: '专精特新中小企业',
  little_giant: '专精特新"小巨人"',
  champion: '单项冠军 / 隐形冠军',
};
/** Rungs with an eligibility rule (candidate pools); champion has none verified. */
export const POOL_RUNGS = ['above_scale', 'tech_sme', 'high_tech', 'innovative_sme', 'specialized_sme', 'little_giant'] as const satisfies readonly CultivationRule[];
export type PoolRung = (typeof POOL_RUNGS)[number];

export const ladderQuerySchema = z.object({ asOf: isoDate.optional() });

export const ladderRungSchema = z.object({
  rung: z.enum(LADDER_RUNGS),
  label: z.string(),
  /** Members now (valid on asOf) and at the start of the year. */
  count: z.number().int(),
  countAtStartOfYear: z.number().int(),
  flows: z.object({ added: z.number().int(), firstTime: z.number().int().nullable(), renewed: z.number().int().nullable(), expired: z.number().int(), revoked: z.number().int() }),
  /** Candidates in the pool (not yet members): eligible, needs_review, insufficient data, or close. */
  candidates: z.number().int(),
  eligibleCandidates: z.number().int(),
});
export const sideRegisterSchema = z.object({ kind: z.enum(QUALIFICATION_KINDS), label: z.string(), count: z.number().int() });

export const ladderSchema = z.object({
  asOf: z.string(),
  year: z.number().int(),
  rungs: z.array(ladderRungSchema),
  registers: z.array(sideRegisterSchema),
  /**
   * 亿元 / 十亿元 enterprises: 工业总产值 本年1–N月累计 ≥ 1亿元 / ≥ 10亿元 in the latest period of
   * asOf's year that monitoring has reports for, up to asOf (null: no reports that year).
   */
  outputBands: z.object({ period: z.string().nullable(), reporting: z.number().int(), over100m: z.number().int().nullable(), over1b: z.number().int().nullable() }),
});
export type Ladder = z.infer<typeof ladderSchema>;

export const poolQuerySchema = pagingQuerySchema.extend({
  asOf: isoDate.optional(),
  town: id.optional(),
  outcome: z.enum(OUTCOMES).optional(),
});

export const candidateSchema = z.object({
  enterprise: enterpriseRefSchema,
  outcome: z.enum(OUTCOMES),
  score: z.number().nullable(),
  /** Criteria not met, and criteria with data missing. */
  unmet: z.number().int(),
  missing: z.number().int(),
  gaps: z.array(gapSchema),
  /** Position by closeness, 1 = closest. */
  rank: z.number().int(),
});
export type Candidate = z.infer<typeof candidateSchema>;

export const poolSchema = z.object({
  rung: z.enum(POOL_RUNGS),
  label: z.string(),
  asOf: z.string(),
  dataYear: z.number().int(),
  ruleSet: ruleSetRefSchema.nullable(),
  items: z.array(candidateSchema),
  total: z.number().int(),
});
export type Pool = z.infer<typeof poolSchema>;

export const rungParamsSchema = z.object({ rung: z.enum(POOL_RUNGS) });
export const enterpriseParamsSchema = z.object({ id });

// ---------------------------------------------------------------------------------------------
// Evidence files of a qualification
// ---------------------------------------------------------------------------------------------

/** What a certificate scan or notice may be; checked by magic bytes, not by the name alone. */
export const EVIDENCE_FILE_TYPES = ['pdf', 'jpg', 'png', 'ofd'] as const;
export type EvidenceFileType = (typeof EVIDENCE_FILE_TYPES)[number];

export const evidenceFileSchema = z.object({
  id: z.string(),
  qualificationId: z.string(),
  fileName: z.string(),
  fileType: z.enum(EVIDENCE_FILE_TYPES),
  size: z.number().int(),
  sha256: z.string(),
  createdAt: z.string(),
});
export type EvidenceFile = z.infer<typeof evidenceFileSchema>;
export const evidenceFileListSchema = z.object({ items: z.array(evidenceFileSchema) });

// ---------------------------------------------------------------------------------------------
// Adverse records (the compliance conditions' evidence against)
// ---------------------------------------------------------------------------------------------

/**
 * Platform records that contradict a compliance condition. Without one, the conditions count as
 * met by default (默认满足（无不良记录）); one inside a rule's look-back window makes it unmet.
 */
export const ADVERSE_KINDS = ['safety_accident', 'quality_accident', 'environmental_violation', 'research_misconduct', 'abnormal_operation', 'dishonest', 'prohibited_products'] as const;
export type AdverseKind = (typeof ADVERSE_KINDS)[number];
export const ADVERSE_KIND_LABELS: Record<AdverseKind, string> = {
  safety_accident: '重大安全事故',
  quality_accident: '重大质量事故',
  environmental_violation: '严重环境违法行为',
  research_misconduct: '严重科研失信行为',
  abnormal_operation: '列入经营异常名录',
  dishonest: '列入严重违法失信名单',
  prohibited_products: '产品属国家禁止、限制或淘汰类',
};

export const adverseRecordSchema = z.object({
  id: z.string(),
  enterpriseId: z.string(),
  kind: z.enum(ADVERSE_KINDS),
  occurredOn: z.string(),
  description: z.string(),
  source: z.string(),
  createdAt: z.string(),
});
export type AdverseRecordView = z.infer<typeof adverseRecordSchema>;
export const adverseRecordListSchema = z.object({ items: z.array(adverseRecordSchema) });

export const adverseRecordBodySchema = z.object({
  kind: z.enum(ADVERSE_KINDS),
  occurredOn: isoDate,
  description: z.string().trim().min(1, '请填写事项说明').max(500),
  /** Where the record comes from: the notice, the list, the authority that published it. */
  source: z.string().trim().min(1, '请填写信息来源（如发布机关、文号或名单名称）').max(200),
});
export type AdverseRecordBody = z.infer<typeof adverseRecordBodySchema>;
