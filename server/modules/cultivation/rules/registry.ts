import type { CultivationRule } from '#common/contracts/cultivation.ts';
import { aboveScale2011 } from '#server/modules/cultivation/rules/above-scale.2011.ts';
import { highTech2016 } from '#server/modules/cultivation/rules/high-tech.2016.ts';
import { innovativeSme2022 } from '#server/modules/cultivation/rules/innovative-sme.2022.ts';
import { littleGiant2022 } from '#server/modules/cultivation/rules/little-giant.2022.ts';
import type { RuleSet } from '#server/modules/cultivation/rules/rule-set.ts';
import { specializedSme2022 } from '#server/modules/cultivation/rules/specialized-sme.2022.ts';
import { techSme2017 } from '#server/modules/cultivation/rules/tech-sme.2017.ts';

/**
 * Every verified rule set. A revision is added here as a new entry with its own dates; the
 * entries in force never overlap for one rule (a test checks it).
 */
export const RULE_SETS: readonly RuleSet[] = [aboveScale2011, techSme2017, highTech2016, innovativeSme2022, specializedSme2022, littleGiant2022];

/** The set in force for a rule on a Beijing date (effectiveFrom ≤ asOf ≤ effectiveTo), or null. */
export function ruleSetInForce(rule: CultivationRule, asOf: string, sets: readonly RuleSet[] = RULE_SETS): RuleSet | null {
  return sets.find((s) => s.rule === rule && s.effectiveFrom <= asOf && (s.effectiveTo === null || asOf <= s.effectiveTo)) ?? null;
}

/** The most recent set that ended before asOf: shown 仅供参考 while no verified successor exists. */
export function supersededSet(rule: CultivationRule, asOf: string, sets: readonly RuleSet[] = RULE_SETS): RuleSet | null {
  const ended = sets.filter((s) => s.rule === rule && s.effectiveTo !== null && s.effectiveTo < asOf);
  ended.sort((a, b) => (a.effectiveTo! < b.effectiveTo! ? 1 : -1));
  return ended[0] ?? null;
}
