// Related targets: a plan often names one subject several times — `认定高新技术企业 30 家` in the
// main targets, `新认定高新技术企业 9 家` and `全区高新技术企业突破 60 家` in point 18. These are
// shown together for review; only the same measure with different values is a conflict.
import {
  TARGET_KIND_LABELS,
  type ParsedPlan,
  type PlanTarget,
  type PlanTargetSource,
  type RelatedTargetGroup,
} from '#common/contracts/plans.ts';
import { moneyUnitFactor } from '#common/quantity.ts';
import { LEADING_VERB, TRAILING_VERB } from './plan.targets.ts';

// Spellings of one thing: 规模以上 = 规上 (above-scale), 高企 = 高新技术企业; quotes, brackets of
// emphasis and spaces carry no meaning in a subject.
const SYNONYMS: ReadonlyArray<readonly [RegExp, string]> = [
  [/[\s“”‘’"'「」『』《》]/gu, ''],
  [/规模以上/gu, '规上'],
  [/高企/gu, '高新技术企业'],
];
// Where: the district as a whole is every target's default scope.
const SCOPE = /^(?:全区|全市|全县|全省|全社会|我区|本区)/u;
// When: the plan's year is the default; a quarter or half-year is a different measure of the
// same subject (`一季度规上工业增加值` beside `规上工业增加值`).
const ANNUAL = /^(?:全年|年度|当年|本年|今年|\d{4}年(?:度)?)/u;
const PERIOD = /^(?:第?[一二三四]季度|前三季度|上半年|下半年|\d{1,2}[-—至]\d{1,2}月)/u;
// The counted event, canonical: 新认定 and 首次认定 are first-time recognitions; 认定 alone
// counts all recognitions of the year, re-recognitions included; no verb is the valid total.
const CANONICAL_VERB: Readonly<Record<string, string>> = {
  认定: '认定（含重新认定）',
  新认定: '首次认定',
  首次认定: '首次认定',
  重新认定: '重新认定',
};
const TOTAL = '总量';
// `高新技术企业总数` is the total of 高新技术企业, written out.
const TOTAL_WORD = /(?:总数|总量)$/u;

/** A subject reduced to what is measured, and the qualifiers that tell its measures apart. */
export interface NormalisedSubject {
  readonly subject: string;
  readonly qualifiers: readonly string[];
}

/**
 * Normalise a target's subject: drop spacing, quotes and the district scope, unify spellings
 * (规模以上 → 规上), and move the period (一季度) and the counted event (新增, 认定, 新认定 →
 * 首次认定, 入库) into qualifiers. `全区高新技术企业` → 高新技术企业 with no qualifier (a total);
 * `新认定高新技术企业` → 高新技术企业 + 首次认定.
 */
export function normaliseSubject(subject: string): NormalisedSubject {
  let rest = SYNONYMS.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), subject);
  const qualifiers: string[] = [];
  for (let changed = true; changed; ) {
    changed = false;
    for (const pattern of [SCOPE, ANNUAL, PERIOD]) {
      const match = pattern.exec(rest);
      if (!match) continue;
      if (pattern === PERIOD) qualifiers.push(match[0]);
      rest = rest.slice(match[0].length);
      changed = true;
    }
    const verb = LEADING_VERB.exec(rest)?.[0];
    if (verb && verb.length < rest.length) {
      qualifiers.push(CANONICAL_VERB[verb] ?? verb);
      rest = rest.slice(verb.length);
      changed = true;
    }
  }
  const total = TOTAL_WORD.exec(rest)?.[0];
  if (total && total.length < rest.length) rest = rest.slice(0, -total.length);
  const trailing = TRAILING_VERB.exec(rest)?.[0];
  if (trailing && trailing.length < rest.length) {
    qualifiers.push(trailing);
    rest = rest.slice(0, -trailing.length);
  }
  return { subject: rest, qualifiers };
}

/** The measure of a target in words: kind, then the period and event it counts (`数量·首次认定`). */
function measureOf(target: PlanTarget, qualifiers: readonly string[]): string {
  const kind = TARGET_KIND_LABELS[target.kind];
  if (qualifiers.length > 0) return `${kind}·${qualifiers.join('·')}`;
  return target.kind === 'count' || target.kind === 'amount' ? `${kind}·${TOTAL}` : `${kind}·全年`;
}

/** A value comparable across units of one family: 1 亿元 equals 10000 万元. */
function comparableValue(target: PlanTarget): string {
  if (target.value === null) return 'none';
  const factor = target.unit ? moneyUnitFactor(target.unit) : null;
  return factor === null ? `${target.value} ${target.unit ?? ''}` : `${target.value * factor} 元`;
}

function* targetsWithSources(plan: ParsedPlan): Generator<{ source: PlanTargetSource; target: PlanTarget }> {
  for (const [targetIndex, target] of plan.mainTargets.entries()) yield { source: { section: 'mainTargets', targetIndex }, target };
  for (const [groupIndex, group] of plan.groups.entries()) {
    for (const [itemIndex, item] of group.items.entries()) {
      for (const [targetIndex, target] of item.targets.entries()) {
        const source: PlanTargetSource = {
          section: 'item',
          groupIndex,
          itemIndex,
          targetIndex,
          groupNumber: group.number,
          itemNumber: item.number,
          itemTitle: item.title,
        };
        yield { source, target };
      }
    }
  }
}

/**
 * Group the targets of a plan whose normalised subjects coincide (groups of two or more, in
 * order of first appearance), each member with where it came from and its measure. A group is
 * a conflict when two members share a measure (kind, period, counted event) but not a value —
 * the plan says two different things and someone must decide which one is bound.
 */
export function findRelatedTargets(plan: ParsedPlan): RelatedTargetGroup[] {
  const bySubject = new Map<string, { member: RelatedTargetGroup['targets'][number]; key: string }[]>();
  for (const { source, target } of targetsWithSources(plan)) {
    const normalised = normaliseSubject(target.subject);
    if (normalised.subject === '') continue;
    const measure = measureOf(target, normalised.qualifiers);
    const members = bySubject.get(normalised.subject) ?? [];
    members.push({ member: { source, target, measure }, key: `${target.kind}|${measure}` });
    bySubject.set(normalised.subject, members);
  }
  const groups: RelatedTargetGroup[] = [];
  for (const [subject, members] of bySubject) {
    if (members.length < 2) continue;
    const valuesByMeasure = new Map<string, Set<string>>();
    for (const { member, key } of members) {
      const values = valuesByMeasure.get(key) ?? new Set<string>();
      values.add(comparableValue(member.target));
      valuesByMeasure.set(key, values);
    }
    const conflict = [...valuesByMeasure.values()].some((values) => values.size > 1);
    groups.push({ subject, conflict, targets: members.map(({ member }) => member) });
  }
  return groups;
}
