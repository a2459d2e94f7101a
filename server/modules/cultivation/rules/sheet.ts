import type { Criterion, CriterionBasis, Gap, Outcome } from '#common/contracts/cultivation.ts';
import { approx, ceilDecimal, ceilInt, div, floorDecimal, ge, isPositive, le, mul, percentText, q, sub, ONE, ZERO } from '#server/modules/cultivation/rules/exact.ts';
import type { Q } from '#server/modules/cultivation/rules/exact.ts';
import type { AdverseKind } from '#common/contracts/cultivation.ts';
import type { Facts } from '#server/modules/cultivation/rules/facts.ts';

// The working sheet of one rule evaluation: criteria as they are decided, gaps, what to collect,
// and the three-valued logic that turns criteria into an outcome.

/**
 * A decision with two kinds of unknown: T met, F not met, M data missing, R left to expert
 * review. Conjunction: any F decides; else missing data before review. Disjunction: any T
 * decides; else missing data before review; else F.
 */
export type Tri = 'T' | 'F' | 'M' | 'R';

export function all(...xs: Tri[]): Tri {
  if (xs.includes('F')) return 'F';
  if (xs.includes('M')) return 'M';
  if (xs.includes('R')) return 'R';
  return 'T';
}

export function any(...xs: Tri[]): Tri {
  if (xs.includes('T')) return 'T';
  if (xs.includes('M')) return 'M';
  if (xs.includes('R')) return 'R';
  return 'F';
}

export const OUTCOME_OF: Record<Tri, Outcome> = { T: 'eligible', F: 'not_eligible', M: 'insufficient_data', R: 'needs_review' };

/** A gap with a closeness measure (shortfall relative to the threshold) for ranking pools. */
export type RankedGap = Gap & { relative: number };

export type CriterionInput = {
  id: string;
  label: string;
  group: string;
  value?: string | null;
  threshold?: string | null;
  met: boolean | null;
  basis?: CriterionBasis;
  points?: number | null;
  maxPoints?: number | null;
  note?: string | null;
  /** Figures to collect when met is null for lack of data. */
  needs?: readonly string[];
  /**
   * A way in that helps when present but is no requirement (a direct route from an award):
   * unknown counts as "not shown" in the decision and is not listed as missing.
   */
  optional?: boolean;
};

export const NOTE_DEFAULT_MET = '默认满足（无不良记录）';
export const NOTE_REVIEW = '需评审';

// Pools rank thousands of enterprises and show a page: they evaluate in summary mode (decisions,
// counts and gap sizes, no texts) and evaluate in full only what they show. Evaluation is
// synchronous, so one module-level switch, set and restored by `summarised`, is safe.
let texts = true;

/** Whether texts are being built (false inside `summarised`): hot paths skip building what would be dropped. */
export const textsOn = (): boolean => texts;

/** Runs an evaluation without building texts (values, thresholds, messages): decisions and closeness only. */
export function summarised<T>(fn: () => T): T {
  const before = texts;
  texts = false;
  try {
    return fn();
  } finally {
    texts = before;
  }
}

export class Sheet {
  readonly criteria: Criterion[] = [];
  readonly gaps: RankedGap[] = [];
  readonly missing: string[] = [];
  /** Criteria not met, and the gaps' summed relative size (kept in summary mode too). */
  unmet = 0;
  gapSize = 0;
  /**
   * Out of the rule's reach by nature (too large for an SME rule, not industrial for 规上): no
   * gap to close, so pools leave the enterprise out.
   */
  outOfReach = false;

  constructor(readonly facts: Facts) {}

  /**
   * What `add` does in summary mode for a criterion decided on data (met or not) or left
   * unknown, without the caller building the criterion's texts.
   */
  tally(met: boolean | null, basis: 'data' | 'missing' | 'review', needs: readonly string[] = []): Tri {
    if (met === true) return 'T';
    if (met === false) {
      this.unmet++;
      return 'F';
    }
    if (basis === 'review') return 'R';
    for (const n of needs) if (!this.missing.includes(n)) this.missing.push(n);
    return 'M';
  }

  /** Records a criterion and answers its three-valued decision. */
  add(c: CriterionInput): Tri {
    const basis: CriterionBasis = c.basis ?? (c.met === null ? 'missing' : 'data');
    if (c.met === false) this.unmet++;
    if (texts) this.criteria.push({
      id: c.id,
      label: c.label,
      group: c.group,
      value: c.value ?? null,
      threshold: c.threshold ?? null,
      met: c.met,
      points: c.points ?? null,
      maxPoints: c.maxPoints ?? null,
      basis,
      note: c.note ?? (basis === 'review' ? NOTE_REVIEW : null),
    });
    if (c.met === true) return 'T';
    if (c.met === false) return 'F';
    if (c.optional) return 'F';
    if (basis === 'review') return 'R';
    for (const n of c.needs ?? []) if (!this.missing.includes(n)) this.missing.push(n);
    return 'M';
  }

  gap(criterion: string, message: string, shortfall: string | null = null, unit: string | null = null, relative = 1): void {
    const size = Number.isFinite(relative) ? Math.max(0, relative) : 1;
    this.gapSize += size;
    if (texts) this.gaps.push({ criterion, message, shortfall, unit, relative: size });
  }

  /**
   * A compliance condition no platform data covers: met by default and listed as
   * "默认满足（无不良记录）", unless an adverse record of the kinds lies within [from, to].
   */
  compliance(id: string, label: string, group: string, kinds: readonly AdverseKind[], from: string, to: string): Tri {
    const records = this.facts.adverse(kinds, from, to);
    if (records.length === 0) return this.add({ id, label, group, met: true, basis: 'default', note: NOTE_DEFAULT_MET });
    const note = records.map((r) => `${r.date} ${r.note}`).join('；');
    this.gap(id, `${label}：平台记录 ${note}`);
    return this.add({ id, label, group, met: false, basis: 'data', value: '有不良记录', note });
  }

  /** A criterion only experts can judge, or one the reference could not confirm: 需评审, never guessed. */
  review(id: string, label: string, group: string, note: string = NOTE_REVIEW, extra: Partial<CriterionInput> = {}): Tri {
    return this.add({ id, label, group, met: null, basis: 'review', note, ...extra });
  }
}

// ---------------------------------------------------------------------------------------------
// Formatting (values shown never look better than they are; shortfalls are always enough)
// ---------------------------------------------------------------------------------------------

/** 万元 with up to two decimals, rounded down: '1999.99万元'. */
export const wan = (x: Q): string => (texts ? `${floorDecimal(x, 2)}万元` : '');
/** A shortfall in 万元, rounded up to two decimals. */
export const wanUp = (x: Q): string => (texts ? ceilDecimal(x, 2) : '');
export const pctOf = (ratio: Q): string => (texts ? `${percentText(ratio)}%` : '');
export const people = (x: Q): string => (texts ? `${floorDecimal(x, 0)}人` : '');

/** A threshold written in 万元, shown as 亿元 from 1亿 up when exact: '5000万元', '2亿元'. */
export function wanThreshold(x: Q): string {
  if (!texts) return '';
  const yi = mul(x, { n: 1, d: 10000 });
  if (ge(x, q(10000)) && floorDecimal(yi, 4) === ceilDecimal(yi, 4)) return `${floorDecimal(yi, 4)}亿元`;
  return `${floorDecimal(x, 2)}万元`;
}

// ---------------------------------------------------------------------------------------------
// Gap arithmetic
// ---------------------------------------------------------------------------------------------

/**
 * How much must be added to a numerator so that num/den reaches r when the denominator does
 * not move (R&D spent against revenue already earned): r·den − num.
 */
export function shortfallFixedBase(num: Q, den: Q, r: Q): Q {
  return sub(mul(r, den), num);
}

/**
 * How much must be added when the addition also grows the denominator (hiring S&T staff also
 * grows the headcount; new high-tech revenue is also revenue): (r·T − S) / (1 − r).
 */
export function shortfallGrowingBase(part: Q, total: Q, r: Q): Q {
  return div(sub(mul(r, total), part), sub(ONE, r));
}

/** N = ⌈(r·T − S)/(1 − r)⌉ people, the staff-ratio gap of the issue; 0 when already met. */
export function staffShortfall(part: Q, total: Q, r: Q): bigint {
  const n = ceilInt(shortfallGrowingBase(part, total, r));
  return n > 0n ? n : 0n;
}

/**
 * Debt to repay (from assets, so both fall) for liabilities/assets to drop to p:
 * (L − p·A) / (1 − p).
 */
export function debtToRepay(liabilities: Q, assets: Q, p: Q): Q {
  return div(sub(liabilities, mul(p, assets)), sub(ONE, p));
}

/** Relative size of a shortfall for ranking (0 = met, 1 = the whole threshold missing). */
export function relativeGap(shortfall: Q, threshold: Q): number {
  if (!isPositive(threshold)) return 1;
  if (le(shortfall, ZERO)) return 0;
  return approx(div(shortfall, threshold));
}

export { percentText };
