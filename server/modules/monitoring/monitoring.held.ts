// The summary's rows held in memory (ADR 0008): per period, the comparable values of every
// indicator in typed arrays and each enterprise's town and chains, loaded once per data version.
// Each request reads the version (one primary-key row) and adds up the held rows afresh in one
// pass; a write anywhere (reports, registry, towns, chains) bumps the version in its transaction,
// so the next request reloads. Results are those of the database's GROUP BY, exactly.
import { INDICATOR_CODES } from '#common/indicators.ts';
import type { IndicatorCode } from '#common/indicators.ts';
import type { Db } from '#server/db/client.ts';
import { readDataVersion } from '#server/platform/data-version.ts';
import { listChainMemberships, listChains, listComparableValues, listRosterTowns, listTowns } from '#server/modules/monitoring/monitoring.repo.ts';
import type { Sums } from '#server/modules/monitoring/monitoring.figures.ts';

type Named = { id: string; name: string };

/**
 * One indicator's comparable rows of a period (规上 in the period, both columns reported), laid
 * out for adding up: sorted by town, so a town is a contiguous run of rows summed in registers,
 * and for each chain the list of its rows (an enterprise in two chains is in both lists).
 */
type IndicatorRows = {
  count: number;
  /** Town t's rows are [townStart[t], townStart[t + 1]); rows from townStart[towns] on have no active town. */
  townStart: Uint32Array;
  chainRows: Uint32Array[];
  /**
   * Values in thousandths as floating point: exact, because Σ|values| of the indicator stays
   * below 2^53, so every partial sum is an exact integer. Null when it does not (then `exact`).
   */
  current: Float64Array | null;
  previous: Float64Array | null;
  /** The bigint path, only for an indicator whose magnitudes could lose a unit on floats. */
  exact: { current: bigint[]; previous: bigint[] } | null;
};

export type HeldPeriod = {
  version: string;
  towns: Named[];
  chains: Named[];
  rows: Map<IndicatorCode, IndicatorRows>;
};

/** What the summary needs: for each indicator, the district, each active town and each active chain. */
export type HeldSummary = {
  towns: Named[];
  chains: Named[];
  byIndicator: Map<IndicatorCode, IndicatorSums>;
};

const SAFE = 2 ** 53;
// Periods kept per database handle: a year and a half of months, ≈ 3 MB each at 20,000 enterprises.
const MAX_PERIODS = 18;

type Cache = { version: string; periods: Map<string, Promise<HeldPeriod>> };
const caches = new WeakMap<Db, Cache>();

function toNumberExact(value: string | number): number {
  return typeof value === 'number' ? value : Number(value);
}

async function loadHeldPeriod(db: Db, period: string, version: string): Promise<HeldPeriod> {
  const [towns, chains, roster, memberships, values] = await Promise.all([
    listTowns(db),
    listChains(db),
    listRosterTowns(db, period),
    listChainMemberships(db),
    listComparableValues(db, period),
  ]);
  const townIndex = new Map(towns.map((t, i) => [t.id, i]));
  const chainIndex = new Map(chains.map((c, i) => [c.id, i]));
  // Enterprise → town index (towns.length for a town no longer active: counted in the total only).
  const townOf = new Map<string, number>();
  for (const r of roster) townOf.set(r.id, townIndex.get(r.town_id) ?? towns.length);
  const chainsOf = (id: string) => (memberships.get(id) ?? []).map((c) => chainIndex.get(c)).filter((c): c is number => c !== undefined);

  // Rows by indicator, outside the roster dropped (reports kept outside a 规上 spell do not count).
  const byIndicator = new Map<string, { town: number; id: string; current: string | number; previous: string | number }[]>();
  for (const v of values) {
    const town = townOf.get(v.enterprise_id);
    if (town === undefined) continue;
    let list = byIndicator.get(v.indicator);
    if (!list) byIndicator.set(v.indicator, (list = []));
    list.push({ town, id: v.enterprise_id, current: v.current_value, previous: v.previous_value });
  }
  const rows = new Map<IndicatorCode, IndicatorRows>();
  for (const code of INDICATOR_CODES) {
    const list = (byIndicator.get(code) ?? []).sort((x, y) => x.town - y.town);
    const count = list.length;
    const townStart = new Uint32Array(towns.length + 2);
    for (const row of list) townStart[row.town + 1]!++;
    for (let t = 0; t <= towns.length; t++) townStart[t + 1]! += townStart[t]!;
    const members: number[][] = chains.map(() => []);
    const current = new Float64Array(count);
    const previous = new Float64Array(count);
    let bound = 0;
    list.forEach((row, r) => {
      for (const c of chainsOf(row.id)) members[c]!.push(r);
      current[r] = toNumberExact(row.current);
      previous[r] = toNumberExact(row.previous);
      bound += Math.abs(current[r]!) + Math.abs(previous[r]!);
    });
    const safe = bound < SAFE;
    rows.set(code, {
      count,
      townStart,
      chainRows: members.map((m) => Uint32Array.from(m)),
      current: safe ? current : null,
      previous: safe ? previous : null,
      exact: safe ? null : { current: list.map((row) => BigInt(row.current)), previous: list.map((row) => BigInt(row.previous)) },
    });
  }
  return { version, towns, chains, rows };
}

/**
 * The period's held rows at the database's current data version (loaded when it changed). The
 * object is the same for as long as the version is, so it also keys what is derived from it.
 */
export async function heldPeriod(db: Db, period: string, versionAtRequestStart?: string): Promise<HeldPeriod> {
  // The version is read before the rows: rows loaded after it are at least as new, so a copy is
  // never older than the version it is filed under. A request that read the version with its
  // session (the auth hook) and finds it equal to the held one is answered as of its own start
  // without a second read; any other case reads the version now.
  let cache = caches.get(db);
  const version = versionAtRequestStart !== undefined && cache?.version === versionAtRequestStart ? versionAtRequestStart : await readDataVersion(db, 'monitoring');
  if (!cache || cache.version !== version) caches.set(db, (cache = { version, periods: new Map() }));
  let held = cache.periods.get(period);
  if (!held) {
    if (cache.periods.size >= MAX_PERIODS) cache.periods.delete(cache.periods.keys().next().value!);
    held = loadHeldPeriod(db, period, version);
    cache.periods.set(period, held);
    const current = cache;
    held.catch(() => current.periods.delete(period));
  }
  return held;
}

/** Sums on numbers: exact integers of thousandths (see IndicatorRows). */
export type NumberSums = { current: number; previous: number; enterprises: number };

/** An indicator's sums: on numbers when exact there (nearly always), else on bigint. */
export type IndicatorSums =
  | { exact: false; district: NumberSums; towns: NumberSums[]; chains: NumberSums[] }
  | { exact: true; district: Sums; towns: Sums[]; chains: Sums[] };

/**
 * A count of thousandths as the decimal text `fromThousandths` writes ('1234.5', '-0.001', '0'),
 * without going through bigint. Exact for any safe integer: the remainder and the quotient of an
 * integer below 2^53 by 1000 are computed exactly.
 */
export function thousandthsToDecimal(value: number): string {
  const sign = value < 0 ? '-' : '';
  const magnitude = Math.abs(value);
  const fraction = magnitude % 1000;
  const whole = (magnitude - fraction) / 1000;
  if (fraction === 0) return `${sign}${whole}`;
  return `${sign}${whole}.${String(fraction).padStart(3, '0').replace(/0+$/, '')}`;
}

/** One pass over the rows on floating point (exact: see IndicatorRows). */
function sumFloat(rows: IndicatorRows, towns: number): IndicatorSums {
  const current = rows.current!;
  const previous = rows.previous!;
  const out = { exact: false as const, district: { current: 0, previous: 0, enterprises: rows.count }, towns: [] as NumberSums[], chains: [] as NumberSums[] };
  let dc = 0;
  let dp = 0;
  for (let t = 0; t <= towns; t++) {
    const start = rows.townStart[t]!;
    const end = rows.townStart[t + 1]!;
    let c = 0;
    let p = 0;
    for (let r = start; r < end; r++) {
      c += current[r]!;
      p += previous[r]!;
    }
    dc += c;
    dp += p;
    if (t < towns) out.towns.push({ current: c, previous: p, enterprises: end - start });
  }
  out.district.current = dc;
  out.district.previous = dp;
  for (const members of rows.chainRows) {
    let c = 0;
    let p = 0;
    for (let i = 0; i < members.length; i++) {
      const r = members[i]!;
      c += current[r]!;
      p += previous[r]!;
    }
    out.chains.push({ current: c, previous: p, enterprises: members.length });
  }
  return out;
}

/** The same on bigint, for an indicator whose magnitudes floating point could not add exactly. */
function sumExact(rows: IndicatorRows, towns: number): IndicatorSums {
  const { current, previous } = rows.exact!;
  const over = (indexes: Iterable<number>): Sums => {
    const s: Sums = { current: 0n, previous: 0n, enterprises: 0 };
    for (const r of indexes) {
      s.current += current[r]!;
      s.previous += previous[r]!;
      s.enterprises++;
    }
    return s;
  };
  const range = function* (start: number, end: number) {
    for (let r = start; r < end; r++) yield r;
  };
  return {
    exact: true,
    district: over(range(0, rows.count)),
    towns: Array.from({ length: towns }, (_, t) => over(range(rows.townStart[t]!, rows.townStart[t + 1]!))),
    chains: rows.chainRows.map((members) => over(members)),
  };
}

/**
 * Σ本年累计, Σ上年同期 and the count of comparable reports of the period's 规上 enterprises, for
 * the district, every active town and every active chain (an enterprise in two chains counts in
 * both), per indicator: one pass over the held rows, after one read of the data version.
 */
export async function heldSummarySums(db: Db, period: string): Promise<HeldSummary> {
  return sumHeld(await heldPeriod(db, period));
}

/** heldSummarySums over rows already held. */
export function sumHeld(held: HeldPeriod): HeldSummary {
  const byIndicator: HeldSummary['byIndicator'] = new Map();
  for (const code of INDICATOR_CODES) {
    const rows = held.rows.get(code)!;
    byIndicator.set(code, rows.current ? sumFloat(rows, held.towns.length) : sumExact(rows, held.towns.length));
  }
  return { towns: held.towns, chains: held.chains, byIndicator };
}
