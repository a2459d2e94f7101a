import type { CultivationRule, RuleSetRef } from '#common/contracts/cultivation.ts';
import type { Facts } from '#server/modules/cultivation/rules/facts.ts';
import type { Score } from '#server/modules/cultivation/rules/score.ts';
import type { Sheet, Tri } from '#server/modules/cultivation/rules/sheet.ts';

/** What one rule set's code answers for one enterprise. */
export type RuleResult = { decision: Tri; sheet: Sheet; score?: Score };

/**
 * A versioned rule set: data (its source documents and the dates it is in force) plus code.
 * A revised rule is a new RuleSet with its own dates; an old one is never edited in place, so an
 * evaluation can always name exactly what it applied.
 */
export type RuleSet = RuleSetRef & {
  rule: CultivationRule;
  /** The pass mark where the rule scores. */
  passScore: number | null;
  evaluate: (facts: Facts) => RuleResult;
};

const refs = new WeakMap<RuleSet, RuleSetRef>();

/** The reference to a rule set an evaluation carries (one shared object per set). */
export function refOf(set: RuleSet): RuleSetRef {
  let ref = refs.get(set);
  if (!ref) {
    ref = { id: set.id, title: set.title, documents: set.documents, effectiveFrom: set.effectiveFrom, effectiveTo: set.effectiveTo };
    refs.set(set, ref);
  }
  return ref;
}
