import { z } from 'zod';

// The work-plan notice as the parser reads it (issue 4 §1). The shape is the contract of
// `kejing plan parse FILE --json`, of the upload endpoint and of the review screen.

/** How a target compares its actual to its value: `以上` ≥, `突破/超过` >, `左右` ≈, bare =, `以内` ≤. */
export const TARGET_COMPARATORS = ['>=', '>', '≈', '=', '<='] as const;
export type TargetComparator = (typeof TARGET_COMPARATORS)[number];

/**
 * What a target measures: a growth rate (%), a count (家, 个, 项), a share (比重, 覆盖率 %),
 * an amount (亿元, 吨) or a milestone to pass (验收, 建成投产) that has no value.
 */
export const TARGET_KINDS = ['growth', 'count', 'share', 'amount', 'milestone'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export const TARGET_KIND_LABELS: Record<TargetKind, string> = {
  growth: '增速',
  count: '数量',
  share: '比重',
  amount: '总量',
  milestone: '节点',
};

/**
 * A target candidate proposed from one sentence of the plan. `value` and `unit` are as written
 * (100 and 亿元, never 10000000000); a milestone has neither. `text` is the whole sentence it
 * came from, so several candidates of one sentence share it.
 */
export const planTargetSchema = z.object({
  text: z.string(),
  subject: z.string(),
  comparator: z.enum(TARGET_COMPARATORS),
  value: z.number().nullable(),
  unit: z.string().nullable(),
  kind: z.enum(TARGET_KINDS),
});
export type PlanTarget = z.infer<typeof planTargetSchema>;

/**
 * A work point. `number` is the numbering as a number (5 for `5.`, 1 for `（一）`) and `label`
 * the numbering as written (`5`, `（一）`, `1、` → `1`). Text of a group that stands before its
 * first numbered item (or a group with no numbered items) is kept as one item with number 0 and
 * label ''. `title` is the text up to the first 。; `text` is the full text without the label,
 * paragraphs separated by a line break.
 */
export const planItemSchema = z.object({
  number: z.number().int(),
  label: z.string(),
  title: z.string(),
  text: z.string(),
  targets: z.array(planTargetSchema),
});
export type PlanItem = z.infer<typeof planItemSchema>;

/** A group of work points (`一、围绕目标任务抓运行调度`): number 1, label 一. */
export const planGroupSchema = z.object({
  number: z.number().int(),
  label: z.string(),
  title: z.string(),
  items: z.array(planItemSchema),
});
export type PlanGroup = z.infer<typeof planGroupSchema>;

/**
 * A parsed work plan. `title` is the plan's own title, `noticeTitle` the covering notice's
 * (`关于印发《…》的通知`); both are null when the text has none. Spacing follows one rule
 * everywhere: one space between Chinese and Latin letters or digits, none elsewhere
 * (`曾都区 2022 年度科技和经信工作要点`). `date` is the notice's date as ISO `YYYY-MM-DD`.
 */
export const parsedPlanSchema = z.object({
  title: z.string().nullable(),
  noticeTitle: z.string().nullable(),
  issuer: z.string().nullable(),
  date: z.iso.date().nullable(),
  overview: z.string(),
  mainTargets: z.array(planTargetSchema),
  groups: z.array(planGroupSchema),
});
export type ParsedPlan = z.infer<typeof parsedPlanSchema>;

/**
 * Where a target sits in a parsed plan: among the main targets, or in an item. The indexes
 * address the arrays of ParsedPlan; number and title are there for people.
 */
export const planTargetSourceSchema = z.discriminatedUnion('section', [
  z.object({ section: z.literal('mainTargets'), targetIndex: z.number().int() }),
  z.object({
    section: z.literal('item'),
    groupIndex: z.number().int(),
    itemIndex: z.number().int(),
    targetIndex: z.number().int(),
    groupNumber: z.number().int(),
    itemNumber: z.number().int(),
    itemTitle: z.string(),
  }),
]);
export type PlanTargetSource = z.infer<typeof planTargetSourceSchema>;

/**
 * Targets whose normalised subjects coincide, shown together for review. `measure` tells the
 * measures of one subject apart (`数量·首次认定`, `数量·认定`, `数量·总量`); `conflict` is set when
 * two targets have the same measure but different values, which needs a decision.
 */
export const relatedTargetGroupSchema = z.object({
  subject: z.string(),
  conflict: z.boolean(),
  targets: z.array(
    z.object({
      source: planTargetSourceSchema,
      target: planTargetSchema,
      measure: z.string(),
    }),
  ),
});
export type RelatedTargetGroup = z.infer<typeof relatedTargetGroupSchema>;

// ---- Tracking work points (issue 4 §2) --------------------------------------------------------
// A saved plan is a tree: groups (一、…) hold items (1. …), and an item may hold sub-items; a
// parent's progress rolls up from its children. Dates are Beijing `YYYY-MM-DD`, periods the
// statistics period `YYYY-MM` (1–2月 = `YYYY-02`), instants UTC ISO.

const id = z.string().min(1).max(64);
const unitRef = z.object({ id: z.string(), name: z.string() });
const period = z.string().regex(/^\d{4}-(0[2-9]|1[0-2])$/, '报告期格式应为 YYYY-MM（1–2月合并为 YYYY-02）');
const date = z.iso.date('日期格式应为 YYYY-MM-DD');
const storable = (label: string, max: number) =>
  z
    .string()
    .max(max, `${label}不能超过 ${max} 个字`)
    // eslint-disable-next-line no-control-regex -- matching control characters is the point of this check
    .refine((value) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(value), `${label}含有不可见的控制字符，请删除后重新填写`);

export const PLAN_ITEM_STATUSES = ['not_started', 'in_progress', 'done', 'suspended'] as const;
export type PlanItemStatus = (typeof PLAN_ITEM_STATUSES)[number];
export const PLAN_ITEM_STATUS_LABELS: Record<PlanItemStatus, string> = {
  not_started: '未启动',
  in_progress: '推进中',
  done: '已完成',
  suspended: '暂缓',
};

/** How a parent's progress follows its children: the plain mean, or weighted by each child's weight. */
export const PLAN_ROLLUPS = ['average', 'weighted'] as const;
export type PlanRollup = (typeof PLAN_ROLLUPS)[number];

/** Traffic light of a node: on track, behind or unreported, seriously behind or overdue; grey = suspended. */
export const PLAN_LIGHTS = ['green', 'yellow', 'red', 'grey'] as const;
export type PlanLight = (typeof PLAN_LIGHTS)[number];
export const PLAN_LIGHT_LABELS: Record<PlanLight, string> = { green: '正常', yellow: '滞后或未报', red: '严重滞后或逾期', grey: '暂缓' };

export const REPORT_STATUSES = ['submitted', 'approved', 'returned'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];
export const REPORT_STATUS_LABELS: Record<ReportStatus, string> = { submitted: '待审核', approved: '已审核', returned: '已退回' };

export const NOTE_KINDS = ['supervision', 'reminder'] as const;
export type NoteKind = (typeof NOTE_KINDS)[number];
export const NOTE_KIND_LABELS: Record<NoteKind, string> = { supervision: '督办', reminder: '催报' };

/** Parse pasted text: nothing is saved. */
export const planParseBodySchema = z.object({
  // Not trimmed: the text is kept exactly as pasted.
  text: z.string().max(500_000, '文本过长（上限 50 万字）').refine((text) => text.trim() !== '', '请粘贴通知全文'),
});

/** What the review screen starts from: the text as read (kept on save), the plan, related targets. */
export const planParseResultSchema = z.object({
  text: z.string(),
  fileName: z.string().nullable(),
  plan: parsedPlanSchema,
  related: z.array(relatedTargetGroupSchema),
});
export type PlanParseResult = z.infer<typeof planParseResultSchema>;

/**
 * Save a reviewed plan: the original text is kept beside the structure as the user corrected
 * it. Every target left in the plan becomes a target (main targets and item targets alike).
 */
export const planCreateBodySchema = z.object({
  year: z.number().int().min(2000).max(2099).optional(),
  text: z.string().min(1).max(500_000),
  fileName: z.string().max(200).nullable().optional(),
  plan: parsedPlanSchema,
});
export type PlanCreateBody = z.infer<typeof planCreateBodySchema>;

export const planSummarySchema = z.object({
  id: z.string(),
  year: z.number().int(),
  title: z.string(),
  noticeTitle: z.string().nullable(),
  issuer: z.string().nullable(),
  date: z.string().nullable(),
  fileName: z.string().nullable(),
  itemCount: z.number().int(),
  targetCount: z.number().int(),
  progress: z.number(),
  light: z.enum(PLAN_LIGHTS),
  createdAt: z.string(),
});
export type PlanSummary = z.infer<typeof planSummarySchema>;
export const planListSchema = z.object({ items: z.array(planSummarySchema) });

/**
 * One node of the plan tree, flat and depth-first (the web nests them by parentId). `progress`
 * is rolled up from the children where there are any, else the node's own; `missingUnits` are
 * the assigned units with no report for the period asked.
 */
export const planNodeSchema = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  depth: z.number().int(),
  kind: z.enum(['group', 'item']),
  number: z.number().int(),
  label: z.string(),
  title: z.string(),
  status: z.enum(PLAN_ITEM_STATUSES),
  progress: z.number(),
  ownProgress: z.number().int(),
  weight: z.string(),
  rollup: z.enum(PLAN_ROLLUPS),
  light: z.enum(PLAN_LIGHTS),
  leadUnit: unitRef.nullable(),
  cooperatingUnits: z.array(unitRef),
  ownerSection: unitRef.nullable(),
  responsiblePerson: z.string().nullable(),
  overdueMilestones: z.number().int(),
  missingUnits: z.array(unitRef),
  targetCount: z.number().int(),
  hasChildren: z.boolean(),
});
export type PlanNode = z.infer<typeof planNodeSchema>;

/** A target as the plan pages show it (the targets module owns the rest). */
export const planTargetRefSchema = z.object({
  id: z.string(),
  subject: z.string(),
  comparator: z.enum(TARGET_COMPARATORS),
  value: z.string().nullable(),
  unit: z.string().nullable(),
  kind: z.enum(TARGET_KINDS),
  text: z.string(),
});
export type PlanTargetRef = z.infer<typeof planTargetRefSchema>;

export const planDetailSchema = z.object({
  plan: planSummarySchema.extend({ overview: z.string() }),
  /** The period the lights and "who has not reported" are judged for. */
  period: z.string(),
  /** Share of the plan year elapsed at the end of that period, 0–100. */
  timeProgress: z.number(),
  nodes: z.array(planNodeSchema),
  mainTargets: z.array(planTargetRefSchema),
});
export type PlanDetail = z.infer<typeof planDetailSchema>;

export const planSourceSchema = z.object({ id: z.string(), fileName: z.string().nullable(), text: z.string() });

export const planPeriodQuerySchema = z.object({ period: period.optional() });

export const milestoneSchema = z.object({
  id: z.string(),
  title: z.string(),
  dueDate: z.string(),
  doneDate: z.string().nullable(),
  overdue: z.boolean(),
});
export type Milestone = z.infer<typeof milestoneSchema>;

export const reportFigureSchema = z.object({
  label: storable('指标名称', 50).pipe(z.string().trim().min(1, '请填写指标名称')),
  value: z.string().trim().regex(/^-?\d+(\.\d+)?$/, '数值请填写数字'),
  unit: storable('单位', 20).optional().default(''),
});

export const attachmentSchema = z.object({ id: z.string(), fileName: z.string(), mime: z.string(), size: z.number().int() });

export const progressReportSchema = z.object({
  id: z.string(),
  itemId: z.string(),
  period: z.string(),
  unit: unitRef,
  progress: z.number().int(),
  text: z.string(),
  figures: z.array(z.object({ label: z.string(), value: z.string(), unit: z.string() })),
  attachments: z.array(attachmentSchema),
  status: z.enum(REPORT_STATUSES),
  reviewNote: z.string().nullable(),
  submittedBy: z.string(),
  submittedAt: z.string(),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
});
export type ProgressReport = z.infer<typeof progressReportSchema>;

export const supervisionNoteSchema = z.object({
  id: z.string(),
  itemId: z.string(),
  kind: z.enum(NOTE_KINDS),
  text: z.string(),
  unit: unitRef.nullable(),
  period: z.string().nullable(),
  dueDate: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type SupervisionNote = z.infer<typeof supervisionNoteSchema>;

export const ITEM_LINK_KINDS = ['enterprise', 'project'] as const;
export const itemLinkSchema = z.object({ kind: z.enum(ITEM_LINK_KINDS), refId: z.string().max(64), label: storable('名称', 100) });

export const timelineEntrySchema = z.object({
  /** A Beijing date or a UTC instant; sorted by it. */
  at: z.string(),
  kind: z.enum(['milestone', 'report', 'review', 'note']),
  title: z.string(),
  detail: z.string().nullable(),
});

export const planItemDetailSchema = z.object({
  node: planNodeSchema,
  planId: z.string(),
  planTitle: z.string(),
  period: z.string(),
  text: z.string(),
  path: z.array(z.object({ id: z.string(), label: z.string(), title: z.string() })),
  milestones: z.array(milestoneSchema),
  reports: z.array(progressReportSchema),
  notes: z.array(supervisionNoteSchema),
  targets: z.array(planTargetRefSchema),
  links: z.array(itemLinkSchema),
  timeline: z.array(timelineEntrySchema),
  /** The units the caller may report as on this item (empty: may not report). */
  reportAs: z.array(unitRef),
  canEdit: z.boolean(),
  canReview: z.boolean(),
});
export type PlanItemDetail = z.infer<typeof planItemDetailSchema>;

export const planItemCreateBodySchema = z.object({
  parentId: id,
  title: storable('标题', 200).pipe(z.string().trim().min(1, '请填写标题')),
  text: storable('内容', 20_000).optional().default(''),
});

export const planItemUpdateBodySchema = z.object({
  title: storable('标题', 200).pipe(z.string().trim().min(1, '请填写标题')).optional(),
  text: storable('内容', 20_000).optional(),
  leadUnitId: id.nullable().optional(),
  cooperatingUnitIds: z.array(id).max(50).optional(),
  ownerSectionId: id.nullable().optional(),
  responsiblePerson: storable('责任人', 50).nullable().optional(),
  status: z.enum(PLAN_ITEM_STATUSES).optional(),
  progress: z.number().int().min(0, '进度应在 0–100 之间').max(100, '进度应在 0–100 之间').optional(),
  weight: z.string().trim().regex(/^\d+(\.\d{1,3})?$/, '权重请填写非负数（最多三位小数）').optional(),
  rollup: z.enum(PLAN_ROLLUPS).optional(),
  links: z.array(itemLinkSchema).max(100).optional(),
});
export type PlanItemUpdateBody = z.infer<typeof planItemUpdateBodySchema>;

export const milestoneBodySchema = z.object({
  title: storable('节点名称', 200).pipe(z.string().trim().min(1, '请填写节点名称')),
  dueDate: date,
  doneDate: date.nullable().optional(),
});
export const milestoneUpdateBodySchema = milestoneBodySchema.partial();

export const progressReportBodySchema = z.object({
  period,
  /** The reporting unit; defaults to the caller's active unit. */
  unitId: id.optional(),
  progress: z.number().int().min(0, '进度应在 0–100 之间').max(100, '进度应在 0–100 之间'),
  text: storable('进展情况', 10_000).pipe(z.string().trim().min(1, '请填写进展情况')),
  figures: z.array(reportFigureSchema).max(30).optional().default([]),
});
export type ProgressReportBody = z.infer<typeof progressReportBodySchema>;

export const reportReviewBodySchema = z.object({
  decision: z.enum(['approve', 'return']),
  note: storable('审核意见', 2000).optional(),
});

export const noteBodySchema = z.object({
  kind: z.enum(NOTE_KINDS),
  text: storable('督办内容', 5000).pipe(z.string().trim().min(1, '请填写督办内容')),
  unitId: id.nullable().optional(),
  period: period.nullable().optional(),
  dueDate: date.nullable().optional(),
});

/** Who has not reported for a period, and which milestones are overdue: the 督办 list. */
export const unreportedSchema = z.object({
  period: z.string(),
  missing: z.array(z.object({ item: z.object({ id: z.string(), label: z.string(), title: z.string() }), unit: unitRef, reminded: z.boolean() })),
  overdueMilestones: z.array(z.object({ item: z.object({ id: z.string(), label: z.string(), title: z.string() }), milestone: milestoneSchema })),
  /** Missing reports per unit, most first: the count that feeds the ranking. */
  byUnit: z.array(z.object({ unit: unitRef, missing: z.number().int(), assigned: z.number().int() })),
});
export type Unreported = z.infer<typeof unreportedSchema>;

export const remindResultSchema = z.object({ created: z.number().int() });

/** "My work points": the items the active unit leads or cooperates on, with this period's report. */
export const myItemsSchema = z.object({
  period: z.string(),
  unit: unitRef,
  items: z.array(
    z.object({
      planId: z.string(),
      planTitle: z.string(),
      node: planNodeSchema,
      role: z.enum(['lead', 'cooperate']),
      report: z.object({ id: z.string(), status: z.enum(REPORT_STATUSES), progress: z.number().int() }).nullable(),
    }),
  ),
});
export type MyItems = z.infer<typeof myItemsSchema>;
