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
