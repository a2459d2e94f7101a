// The statistics office's formulas, as pure functions over report rows (criteria.md §5; ADR 0005).
// Values are bigint counts of thousandths of the indicator's unit (ADR 0001), so sums are exact;
// only the final ratios (growth, contribution) become floating-point numbers.
import type { ChangeState, IndicatorCode, ScaleBandCode } from '#common/indicators.ts';

/** One enterprise's values of one indicator in one report: 本年累计 and 上年同期 (1–N月). */
export type ValueRow = { current: bigint; previous: bigint | null };

/**
 * What the figures need to know about an enterprise for one period: the groups it falls in
 * (ADR 0005: its attributes as they are now) and whether it was 规上 during the period.
 */
export type EnterpriseFacts = {
  id: string;
  name: string;
  uscc: string;
  townId: string;
  chainIds: readonly string[];
  division: string | null;
  groupId: string | null;
  scaleBand: ScaleBandCode;
  /** Entered the 规上 roster this year (年度 or 月度入库): not 规上 in December of last year. */
  newEntrant: boolean;
};

/** A period's data: the 规上 roster of the period and every value reported for it. */
export type PeriodData = {
  /** Enterprises that were 规上 during the period: the universe of every figure. */
  roster: ReadonlyMap<string, EnterpriseFacts>;
  values: ReadonlyMap<IndicatorCode, ReadonlyMap<string, ValueRow>>;
};

/** Sums over a comparable set: both columns from the same reports. */
export type Sums = { current: bigint; previous: bigint; enterprises: number };

export type Figure = Sums & {
  /** Σ本年累计 / Σ上年同期 − 1, in percent; null where the base is ≤ 0. */
  growthPct: number | null;
  state: ChangeState | null;
  /** (Σ本年 − Σ上年同期) / Σ上年同期 of the whole district × 100; null where that base is ≤ 0. */
  contributionPts: number | null;
  /** 规上 enterprises of the group with no comparable report of this indicator. */
  missing: string[];
};

export const ZERO_SUMS: Sums = Object.freeze({ current: 0n, previous: 0n, enterprises: 0 });

/**
 * Growth in percent of a comparable pair, with full floating precision; null where the base is
 * 0 or negative (growth over a loss means nothing), where the state names what happened.
 */
export function growthPct(current: bigint, previous: bigint): number | null {
  if (previous <= 0n) return null;
  return (Number(current - previous) / Number(previous)) * 100;
}

/**
 * The bulletins' word for a change that growth cannot express: 扭亏 (a loss became a profit or
 * zero), 减亏 / 增亏 / 亏损持平 (a loss both years), 由盈转亏 (a profit or zero became a loss),
 * 上年同期为零 (something from nothing). Null when growth says it all.
 */
export function changeState(current: bigint, previous: bigint): ChangeState | null {
  if (previous < 0n) {
    if (current >= 0n) return 'turnaround';
    if (current > previous) return 'loss_reduced';
    if (current < previous) return 'loss_increased';
    return 'loss_flat';
  }
  if (current < 0n) return 'to_loss';
  if (previous === 0n && current > 0n) return 'no_base';
  return null;
}

/** 拉动 in percentage points: a part's increase over the whole district's base, × 100. */
export function contributionPts(current: bigint, previous: bigint, districtPrevious: bigint): number | null {
  if (districtPrevious <= 0n) return null;
  return (Number(current - previous) / Number(districtPrevious)) * 100;
}

/** A comparable row, with its values also as numbers for the exact fast path of sumOver. */
export type ComparableRow = { current: bigint; previous: bigint; c: number; p: number };

// Σ|values| of a set of rows below 2^53: every partial sum over any subset of them is an exact
// integer in floating point, so sums can run on numbers and convert to bigint once at the end.
const SAFE = 2 ** 53;
const safeRows = new WeakSet<ReadonlyMap<string, ComparableRow>>();
const comparableMemo = new WeakMap<PeriodData, Map<IndicatorCode, Map<string, ComparableRow>>>();

/**
 * The comparable rows of an indicator: 规上 during the period, with both columns reported.
 * Computed once per loaded period and indicator.
 */
export function comparableRows(data: PeriodData, indicator: IndicatorCode): Map<string, ComparableRow> {
  let memo = comparableMemo.get(data);
  if (!memo) comparableMemo.set(data, (memo = new Map()));
  const known = memo.get(indicator);
  if (known) return known;
  const out = new Map<string, ComparableRow>();
  let bound = 0;
  for (const [id, row] of data.values.get(indicator) ?? []) {
    if (row.previous === null || !data.roster.has(id)) continue;
    const c = Number(row.current);
    const p = Number(row.previous);
    bound += Math.abs(c) + Math.abs(p);
    out.set(id, { current: row.current, previous: row.previous, c, p });
  }
  if (bound < SAFE) safeRows.add(out);
  memo.set(indicator, out);
  return out;
}

/** Σ over the members of a group that have a comparable row (exact: bigint, or numbers when safe). */
export function sumOver(rows: ReadonlyMap<string, { current: bigint; previous: bigint }>, members: Iterable<string>): Sums {
  let enterprises = 0;
  if (safeRows.has(rows as ReadonlyMap<string, ComparableRow>)) {
    let c = 0;
    let p = 0;
    for (const id of members) {
      const row = (rows as ReadonlyMap<string, ComparableRow>).get(id);
      if (!row) continue;
      c += row.c;
      p += row.p;
      enterprises++;
    }
    return { current: BigInt(c), previous: BigInt(p), enterprises };
  }
  let current = 0n;
  let previous = 0n;
  for (const id of members) {
    const row = rows.get(id);
    if (!row) continue;
    current += row.current;
    previous += row.previous;
    enterprises++;
  }
  return { current, previous, enterprises };
}

/** A group's figure: sums, growth, state, its contribution to the district, who is missing. */
export function figureOf(sums: Sums, districtPrevious: bigint, missing: string[] = []): Figure {
  return {
    ...sums,
    growthPct: growthPct(sums.current, sums.previous),
    state: changeState(sums.current, sums.previous),
    contributionPts: contributionPts(sums.current, sums.previous, districtPrevious),
    missing,
  };
}

/** The ways enterprises are grouped. Chains overlap (an enterprise in two chains counts in both). */
export const DIMENSIONS = ['town', 'chain', 'division', 'scale', 'entrant', 'group', 'enterprise'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** The group keys an enterprise falls in along a dimension (none, one, or several for chains). */
export function keysOf(facts: EnterpriseFacts, dimension: Dimension): readonly string[] {
  switch (dimension) {
    case 'town':
      return [facts.townId];
    case 'chain':
      return facts.chainIds;
    case 'division':
      return facts.division ? [facts.division] : [];
    case 'scale':
      return [facts.scaleBand];
    case 'entrant':
      return [facts.newEntrant ? 'new' : 'existing'];
    case 'group':
      return facts.groupId ? [facts.groupId] : [];
    case 'enterprise':
      return [facts.id];
  }
}

const membersMemo = new WeakMap<PeriodData, Map<Dimension, Map<string, string[]>>>();

/** Members of each group of a dimension, from the period's roster (computed once per loaded period). */
export function membersBy(data: PeriodData, dimension: Dimension): Map<string, string[]> {
  let memo = membersMemo.get(data);
  if (!memo) membersMemo.set(data, (memo = new Map()));
  const known = memo.get(dimension);
  if (known) return known;
  const groups = new Map<string, string[]>();
  memo.set(dimension, groups);
  for (const facts of data.roster.values()) {
    for (const key of keysOf(facts, dimension)) {
      const list = groups.get(key);
      if (list) list.push(facts.id);
      else groups.set(key, [facts.id]);
    }
  }
  return groups;
}

/** The district figure of an indicator: every 规上 enterprise that reported comparably. */
export function districtFigure(data: PeriodData, indicator: IndicatorCode): Figure {
  const rows = comparableRows(data, indicator);
  const sums = sumOver(rows, data.roster.keys());
  const missing = [...data.roster.keys()].filter((id) => !rows.has(id));
  return figureOf(sums, sums.previous, missing);
}

/**
 * Figures of every group of a dimension for one indicator. The contribution is measured against
 * the district base, so over a partition (towns, divisions, bands, entrant status, enterprises)
 * contributions add up to the district growth; over chains they do not (chains overlap and do
 * not cover every enterprise).
 */
export function groupFigures(data: PeriodData, indicator: IndicatorCode, dimension: Dimension): Map<string, Figure> {
  const rows = comparableRows(data, indicator);
  const district = sumOver(rows, data.roster.keys());
  const out = new Map<string, Figure>();
  for (const [key, members] of membersBy(data, dimension)) {
    out.set(
      key,
      figureOf(
        sumOver(rows, members),
        district.previous,
        members.filter((id) => !rows.has(id)),
      ),
    );
  }
  return out;
}

/** Counts of enterprises growing, falling and flat, among the comparable rows of a group. */
export function directionCounts(rows: ReadonlyMap<string, { current: bigint; previous: bigint }>, members: Iterable<string>): { growing: number; falling: number; flat: number } {
  let growing = 0;
  let falling = 0;
  let flat = 0;
  for (const id of members) {
    const row = rows.get(id);
    if (!row) continue;
    if (row.current > row.previous) growing++;
    else if (row.current < row.previous) falling++;
    else flat++;
  }
  return { growing, falling, flat };
}

/**
 * The share of industry divisions (大类) whose comparable sum grew, in percent: the bulletins'
 * "增长面". Divisions with a base ≤ 0 count as growing when the sum rose. Null with no division.
 */
export function shareOfDivisionsGrowing(data: PeriodData, indicator: IndicatorCode): { divisions: number; growing: number; sharePct: number | null } {
  const figures = groupFigures(data, indicator, 'division');
  let divisions = 0;
  let growing = 0;
  for (const figure of figures.values()) {
    if (figure.enterprises === 0) continue;
    divisions++;
    if (figure.current > figure.previous) growing++;
  }
  return { divisions, growing, sharePct: divisions === 0 ? null : (growing / divisions) * 100 };
}

/**
 * Monthly (non-cumulative) values of a group from the differences of cumulative ones: this
 * period's 1–N月 minus last period's 1–(N−1)月, for both columns, over the enterprises that
 * reported comparably in both periods. 1–2月 is its own month. Not defined for averages.
 */
export function monthlySums(
  current: ReadonlyMap<string, { current: bigint; previous: bigint }>,
  before: ReadonlyMap<string, { current: bigint; previous: bigint }> | null,
  members: Iterable<string>,
): Sums {
  if (!before) return sumOver(current, members);
  let cur = 0n;
  let prev = 0n;
  let enterprises = 0;
  for (const id of members) {
    const now = current.get(id);
    const then = before.get(id);
    if (!now || !then) continue;
    cur += now.current - then.current;
    prev += now.previous - then.previous;
    enterprises++;
  }
  return { current: cur, previous: prev, enterprises };
}
