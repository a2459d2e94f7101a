import type { CultivationRule, Evaluation, ReferenceEvaluation } from '#common/contracts/cultivation.ts';
import { CULTIVATION_RULES, RULE_LABELS } from '#common/contracts/cultivation.ts';
import { Facts } from '#server/modules/cultivation/rules/facts.ts';
import type { EligibilityInput } from '#server/modules/cultivation/rules/facts.ts';
import { RULE_SETS, ruleSetInForce, supersededSet } from '#server/modules/cultivation/rules/registry.ts';
import { refOf } from '#server/modules/cultivation/rules/rule-set.ts';
import type { RuleSet } from '#server/modules/cultivation/rules/rule-set.ts';
import { OUTCOME_OF, summarised } from '#server/modules/cultivation/rules/sheet.ts';

// The eligibility engine: pure code over typed annual data (no database, no clock). Each rule
// is answered by the rule set in force on asOf; without one the answer is no_rule_set, with the
// superseded set's evaluation attached 仅供参考.

/** An evaluation plus the closeness measure pools rank by (not part of the API). */
export type RankedEvaluation = Evaluation & { closeness: Closeness };

/** Smaller is closer: outcome first, then unmet criteria and figures to collect, then the relative size of the gaps. */
export type Closeness = { outcomeRank: number; unmet: number; missing: number; gapSize: number; score: number; outOfReach: boolean };

const OUTCOME_RANK: Record<Evaluation['outcome'], number> = { eligible: 0, needs_review: 1, insufficient_data: 2, not_eligible: 3, no_rule_set: 4 };

export const REFERENCE_NOTE = '该标准已于有效期截止日后失效，新标准尚未核实录入；以下结果按原标准计算，仅供参考';

function run(set: RuleSet, facts: Facts): RankedEvaluation {
  const result = set.evaluate(facts);
  const sheet = result.sheet;
  const range = result.score?.range() ?? null;
  const outcome = OUTCOME_OF[result.decision];
  const gaps: Evaluation['gaps'] = [];
  for (const g of sheet.gaps) gaps.push({ criterion: g.criterion, message: g.message, shortfall: g.shortfall, unit: g.unit });
  return {
    rule: set.rule,
    ruleLabel: RULE_LABELS[set.rule],
    ruleSet: refOf(set),
    outcome,
    score: range && range.lo === range.hi ? range.lo : null,
    scoreRange: range ? { min: range.lo, max: range.hi } : null,
    passScore: set.passScore,
    criteria: sheet.criteria,
    gaps,
    missing: sheet.missing,
    dataYear: facts.dataYear,
    asOf: facts.asOf,
    reference: null,
    closeness: { outcomeRank: OUTCOME_RANK[outcome], unmet: sheet.unmet, missing: sheet.missing.length, gapSize: sheet.gapSize, score: range ? range.hi : 0, outOfReach: sheet.outOfReach },
  };
}

// The sets in force on a day, looked up once per asOf rather than once per enterprise (a pool
// evaluates thousands of enterprises on one day).
type InForce = Partial<Record<CultivationRule, { set: RuleSet | null; old: RuleSet | null }>>;
let cachedDay = '';
let cachedSets: InForce = {};

function setsFor(rule: CultivationRule, asOf: string, sets: readonly RuleSet[]): { set: RuleSet | null; old: RuleSet | null } {
  if (sets !== RULE_SETS) return { set: ruleSetInForce(rule, asOf, sets), old: supersededSet(rule, asOf, sets) };
  if (asOf !== cachedDay) {
    cachedDay = asOf;
    cachedSets = {};
  }
  return (cachedSets[rule] ??= { set: ruleSetInForce(rule, asOf, sets), old: supersededSet(rule, asOf, sets) });
}

/**
 * Evaluates one enterprise against every rule (or the ones asked) as of a Beijing date
 * 'YYYY-MM-DD'. The data year is the year before asOf.
 */
export function evaluateEligibility(input: EligibilityInput, asOf: string, rules: readonly CultivationRule[] = CULTIVATION_RULES, sets: readonly RuleSet[] = RULE_SETS): RankedEvaluation[] {
  const facts = new Facts(input, asOf);
  const out: RankedEvaluation[] = [];
  for (const rule of rules) {
    const { set, old } = setsFor(rule, asOf, sets);
    if (set) {
      out.push(run(set, facts));
      continue;
    }
    const reference = old ? referenceOf(run(old, facts)) : null;
    out.push({
      rule,
      ruleLabel: RULE_LABELS[rule],
      ruleSet: null,
      outcome: 'no_rule_set',
      score: null,
      scoreRange: null,
      passScore: null,
      criteria: [],
      gaps: [],
      missing: [],
      dataYear: facts.dataYear,
      asOf,
      reference,
      closeness: { outcomeRank: OUTCOME_RANK.no_rule_set, unmet: 0, missing: 0, gapSize: 0, score: 0, outOfReach: false },
    });
  }
  return out;
}

/** A superseded set's evaluation as shown 仅供参考. */
function referenceOf(e: RankedEvaluation): ReferenceEvaluation {
  const { reference: _r, closeness: _c, ...rest } = e;
  return { ...rest, note: REFERENCE_NOTE };
}

/**
 * The same evaluation without texts: outcome, score and closeness are those of the full
 * evaluation; criteria and gaps are left empty. For ranking pools of thousands.
 */
export function evaluateSummary(input: EligibilityInput, asOf: string, rules: readonly CultivationRule[] = CULTIVATION_RULES): RankedEvaluation[] {
  return summarised(() => evaluateEligibility(input, asOf, rules));
}

/** Orders evaluations closest first (pool ranking). */
export function compareCloseness(a: Closeness, b: Closeness): number {
  return a.outcomeRank - b.outcomeRank || a.unmet - b.unmet || a.missing - b.missing || a.gapSize - b.gapSize || b.score - a.score;
}

/** The public evaluation without the ranking measure. */
export function publicEvaluation(e: RankedEvaluation): Evaluation {
  return {
    rule: e.rule,
    ruleLabel: e.ruleLabel,
    ruleSet: e.ruleSet,
    outcome: e.outcome,
    score: e.score,
    scoreRange: e.scoreRange,
    passScore: e.passScore,
    criteria: e.criteria,
    gaps: e.gaps,
    missing: e.missing,
    dataYear: e.dataYear,
    asOf: e.asOf,
    reference: e.reference,
  };
}
