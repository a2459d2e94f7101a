// How a target stands: pure functions over the target, its actual and the period, so the rules
// officials apply are written once and tested without a database.
//
// - Comparators mean what officials mean: `以上` (≥), `突破/超过` (>), a bare figure and
//   `力争/新增 N 家` (=) are floors; `左右` (≈) is met within a tolerance below the value
//   (default 1 percentage point); `以内` (≤) is a ceiling.
// - Counts and amounts accumulate through the year: the expected value by now is the annual
//   value × months elapsed ÷ 12 (time progress). Growth rates and shares are cumulative
//   year-to-date rates and are compared with the annual rate directly.
// - Growth completion is measured on the increment: actual increment ÷ required increment =
//   actual rate ÷ target rate when the target rate is positive; a zero or negative target
//   rate is a floor on the level, and completion is 100 plus the points above it. A negative
//   actual gives a negative completion, which ranks below every positive one.
import type { TargetComparator, TargetKind } from '#common/contracts/plans.ts';
import type { TargetSettings, TargetStatus } from '#common/contracts/targets.ts';
import { monthOf } from '#common/period.ts';
import type { Period } from '#common/period.ts';
import { add, compare, divide, mul, sub, toNumber } from '#server/modules/targets/targets.decimal.ts';

export const DEFAULT_SETTINGS: TargetSettings = { normalPct: 95, laggingPct: 80, approxTolerance: '1' };

export type TargetRule = {
  kind: TargetKind;
  comparator: TargetComparator;
  /** The annual value in the target's unit; null for a milestone. */
  value: string | null;
  /** What `≈` tolerates below the value. */
  tolerance: string;
  /** A level at the period's end (valid totals), not accumulated through the year. */
  stock?: boolean;
};

/** Months elapsed at the end of a period ÷ 12, in percent: 2022-06 → 50. */
export function timeProgressPct(period: Period): number {
  return round1((monthOf(period) / 12) * 100);
}

/** Where the figure should be by the end of the period. */
export function expectedValue(rule: TargetRule, period: Period): string | null {
  if (rule.value === null || rule.kind === 'milestone') return null;
  if (rule.kind === 'growth' || rule.kind === 'share' || rule.stock) return rule.value;
  return divide(mul(rule.value, String(monthOf(period))), '12', 2);
}

/** Whether the actual already satisfies the annual target. */
export function isMet(rule: TargetRule, actual: string): boolean {
  if (rule.kind === 'milestone' || rule.value === null) return compare(actual, '1') >= 0;
  switch (rule.comparator) {
    case '>':
      return compare(actual, rule.value) > 0;
    case '<=':
      return compare(actual, rule.value) <= 0;
    case '≈':
      return compare(actual, sub(rule.value, rule.tolerance)) >= 0;
    default:
      // ≥, and a bare figure (新增 20 家, 力争 …): floors.
      return compare(actual, rule.value) >= 0;
  }
}

/**
 * The share of the annual target achieved, in percent (one decimal). Growth: on the increment
 * (see the file comment); share and counts: actual ÷ value; a ceiling (≤): 100 while under it.
 */
export function completionPct(rule: TargetRule, actual: string): number | null {
  if (rule.value === null || rule.kind === 'milestone') return compare(actual, '1') >= 0 ? 100 : 0;
  const a = toNumber(actual);
  const v = toNumber(rule.value);
  if (rule.comparator === '<=') {
    if (a <= v) return 100;
    return v > 0 ? round1((v / a) * 100) : 0;
  }
  if (rule.kind === 'growth') return v > 0 ? round1((a / v) * 100) : round1(100 + (a - v));
  if (v > 0) return round1((a / v) * 100);
  return a >= v ? 100 : 0;
}

/**
 * Pace against time: completion ÷ time progress for counts and amounts accumulated through the
 * year, completion itself for rates (already year-to-date) and for levels (stocks).
 */
export function pacePct(rule: TargetRule, actual: string, period: Period): number | null {
  const completion = completionPct(rule, actual);
  if (completion === null) return null;
  if ((rule.kind === 'count' || rule.kind === 'amount') && !rule.stock) return round1((completion / timeProgressPct(period)) * 100);
  return completion;
}

/** The status of a target (or a town's quota) for a period. */
export function statusOf(rule: TargetRule, actual: string | null, period: Period, settings: TargetSettings): TargetStatus {
  if (actual === null) return 'no_data';
  if (isMet(rule, actual)) return 'met';
  if (rule.kind === 'milestone' || rule.value === null) return monthOf(period) === 12 ? 'warning' : 'normal';
  if (rule.comparator === '<=') return 'warning';
  const pace = pacePct(rule, actual, period) ?? 0;
  if (pace >= settings.normalPct) return 'normal';
  if (pace >= settings.laggingPct) return 'lagging';
  return 'warning';
}

/** A plain forecast where the source has none: counts and amounts extrapolated linearly. */
export function linearForecast(rule: TargetRule, actual: string | null, period: Period): { value: string | null; method: string | null } {
  if (actual === null || rule.kind === 'milestone') return { value: null, method: null };
  if ((rule.kind === 'count' || rule.kind === 'amount') && !rule.stock) {
    return { value: divide(mul(actual, '12'), String(monthOf(period)), 2), method: '按时间进度线性推算' };
  }
  return { value: actual, method: '以当前累计值估计' };
}

export type QuotaInput = { townId: string; value: string; base: string | null };

/**
 * Whether town quotas agree with the district target. Counts and amounts must add up to it
 * exactly. Growth quotas must be consistent: Σ base × (1 + quota%) ≥ district base × (1 +
 * target%), the district base defaulting to the sum of the town bases; a missing base is said.
 */
export function checkQuotas(rule: TargetRule & { base: string | null; unit: string | null }, quotas: readonly QuotaInput[]): { ok: boolean; sum: string | null; target: string | null; messages: string[] } {
  const messages: string[] = [];
  if (quotas.length === 0 || rule.value === null) return { ok: true, sum: null, target: rule.value, messages };
  if (rule.kind === 'count' || rule.kind === 'amount') {
    const total = quotas.reduce((acc, q) => add(acc, q.value), '0');
    const ok = compare(total, rule.value) === 0;
    if (!ok) messages.push(`各镇街任务合计 ${total}${unitText(rule)}，与区目标 ${rule.value}${unitText(rule)} 不一致（相差 ${sub(total, rule.value)}）`);
    return { ok, sum: total, target: rule.value, messages };
  }
  if (rule.kind === 'growth') {
    const missing = quotas.filter((q) => q.base === null);
    if (missing.length > 0) {
      messages.push(`有 ${missing.length} 个镇街未填基数（上年值），无法核对增速分解是否与区目标一致`);
      return { ok: false, sum: null, target: null, messages };
    }
    const hundred = '100';
    const townLevel = quotas.reduce((acc, q) => add(acc, divide(mul(q.base!, add(hundred, q.value)), hundred, 6)), '0');
    const districtBase = rule.base ?? quotas.reduce((acc, q) => add(acc, q.base!), '0');
    const districtLevel = divide(mul(districtBase, add(hundred, rule.value)), hundred, 6);
    const ok = compare(townLevel, districtLevel) >= 0;
    if (!ok) {
      const implied = compare(districtBase, '0') > 0 ? divide(mul(sub(townLevel, districtBase), hundred), districtBase, 2) : null;
      messages.push(
        `各镇街增速任务按基数加权后${implied === null ? '' : `相当于全区增长 ${implied}%，`}低于区目标 ${rule.value}%：Σ 基数 ×（1 + 任务）= ${round2(townLevel)}，应不低于 ${round2(districtLevel)}`,
      );
    }
    return { ok, sum: townLevel, target: districtLevel, messages };
  }
  return { ok: true, sum: null, target: rule.value, messages };
}

function round2(value: string): string {
  return divide(value, '1', 2);
}

function unitText(rule: { unit?: string | null }): string {
  return rule.unit ? ` ${rule.unit}` : '';
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
