import { sql } from 'kysely';
import { INDICATOR_CODES } from '#common/indicators.ts';
import type { IndicatorCode } from '#common/indicators.ts';
import { makePeriod, monthOf, yearOf } from '#common/period.ts';
import type { Period } from '#common/period.ts';
import { openSqlite } from '#server/db/client.ts';
import type { Deps } from '#server/platform/deps.ts';
import { bumpDataVersion } from '#server/platform/data-version.ts';
import { nowIso } from '#server/platform/ids.ts';
import { prng } from '#server/demo/demo.enterprises.ts';
import { composeUscc, insertEnterpriseSeeds } from '#server/modules/enterprises/enterprises.seed.ts';
import type { EnterpriseSeed } from '#server/modules/enterprises/enterprises.seed.ts';

/**
 * A province-scale district for the benchmarks (issue 3 §7): 20,000 enterprises over the
 * configured towns and chains (some in two chains), 规上 spells with entrants and exits, and
 * three years of monthly reports (2020–2022: 36 months, 33 periods since 1–2月 is one) of every
 * indicator, 上年同期 consistent with last year's 本年累计. Deterministic. Loaded in bulk: the
 * registry through the seed helper, the reports by prepared statements in one transaction per
 * period (SQLite) or unnest() inserts of 20,000 rows (PostgreSQL).
 */

export const PROVINCE_ENTERPRISES = 20_000;
export const PROVINCE_YEARS = [2020, 2021, 2022] as const;
const INDUSTRY_CODES = ['3630', '3670', '3660', '1372', '3989', '3484', '2924', '3612', '1311', '3511'];

/** Months' shares of a year's output, with the Spring Festival dip in January–February. */
const MONTH_WEIGHTS = [0.055, 0.06, 0.085, 0.085, 0.087, 0.09, 0.085, 0.085, 0.088, 0.09, 0.092, 0.098];
const CUMULATIVE_SHARE = MONTH_WEIGHTS.map((_, m) => MONTH_WEIGHTS.slice(0, m + 1).reduce((s, w) => s + w, 0));

export type ProvinceEnterprise = {
  id: string;
  uscc: string;
  name: string;
  /** Annual output value in 千元 in 2019 and a yearly growth factor. */
  base: number;
  growth: number;
  exporter: boolean;
  lossMaking: boolean;
};

export type Province = { enterprises: ProvinceEnterprise[]; periods: Period[]; valueRows: number };

export function provincePeriods(years: readonly number[] = PROVINCE_YEARS): Period[] {
  return years.flatMap((y) => Array.from({ length: 11 }, (_, i) => makePeriod(y, i + 2)));
}

function annual(e: ProvinceEnterprise, year: number): number {
  // A deterministic wobble per enterprise and year keeps growth rates varied.
  const wobble = 1 + 0.08 * Math.sin(e.base + year * 1.7);
  return e.base * e.growth ** (year - 2019) * wobble;
}

/** One enterprise's 本年累计 and 上年同期 of an indicator for a period, in thousandths of its unit. */
export function provinceValue(e: ProvinceEnterprise, period: Period, indicator: IndicatorCode): [bigint, bigint] {
  const year = yearOf(period);
  const share = CUMULATIVE_SHARE[monthOf(period) - 1]!;
  const factor: Record<IndicatorCode, number> = {
    output_value: 1,
    sales_value: 0.96,
    export_value: e.exporter ? 0.18 : 0,
    revenue: 1.04,
    profit: e.lossMaking ? -0.015 : 0.065,
    electricity: 0.0004,
    employees: 0,
    rd_expense: 0.021,
  };
  if (indicator === 'employees') {
    // An average headcount, not cumulative: about one person per 400 千元 of output.
    const of = (y: number) => BigInt(Math.max(20, Math.round(annual(e, y) / 400))) * 1000n;
    return [of(year), of(year - 1)];
  }
  const of = (y: number) => BigInt(Math.round(annual(e, y) * share * factor[indicator] * 1000));
  return [of(year), of(year - 1)];
}

/** Whether an enterprise reported a period: a few reports are missing. */
export function provinceReported(index: number, period: Period): boolean {
  return (index * 7 + yearOf(period) * 13 + monthOf(period)) % 97 !== 0;
}

/** The registry: 20,000 enterprises over the district's towns and chains. */
async function insertProvinceEnterprises(deps: Deps, count: number): Promise<ProvinceEnterprise[]> {
  const towns = await deps.db.selectFrom('units').select('id').where('kind', 'in', ['street', 'town', 'zone']).where('active', '=', 1).orderBy('sort_order').execute();
  const chains = await deps.db.selectFrom('industry_chains').select('id').where('active', '=', 1).orderBy('sort_order').execute();
  const random = prng(20_000);
  const seeds: EnterpriseSeed[] = [];
  const facts: Omit<ProvinceEnterprise, 'id'>[] = [];
  for (let i = 0; i < count; i++) {
    const slot = i % 10;
    const chainIds = slot < 6 ? [chains[i % chains.length]!.id] : slot === 6 ? [chains[i % chains.length]!.id, chains[(i + 3) % chains.length]!.id] : [];
    // Most are 规上 throughout; every tenth entered in June 2021 (月度入库), every 17th left in 2022.
    const spells =
      i % 10 === 9
        ? [{ fromPeriod: '2021-06', fromReason: '月度入库' }]
        : i % 17 === 0
          ? [{ fromPeriod: '2015-02', fromReason: '年度入库', toPeriod: '2022-05', toReason: '退库' }]
          : [{ fromPeriod: '2015-02', fromReason: '年度入库' }];
    const uscc = composeUscc(`P${String(i).padStart(7, '0')}`);
    const name = `省级基准企业${i}有限公司`;
    seeds.push({ uscc, name, townId: towns[i % towns.length]!.id, industryCode: INDUSTRY_CODES[i % INDUSTRY_CODES.length]!, chainIds, spells });
    // Log-normal sizes from 2000万元 up: a few large enterprises carry much of the total.
    const u = Math.max(1e-9, random());
    const v = random();
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    facts.push({ uscc, name, base: 20_000 * Math.exp(Math.abs(normal) * 1.1), growth: 0.92 + random() * 0.22, exporter: i % 4 === 0, lossMaking: i % 11 === 0 });
  }
  const ids = await deps.db.transaction().execute((trx) => insertEnterpriseSeeds(trx, seeds, nowIso()));
  return ids.map((id, i) => ({ id, ...facts[i]! }));
}

type ValueTuple = [string, string, string, string, string];

function* periodRows(enterprises: readonly ProvinceEnterprise[], period: Period): Generator<{ id: string; values: ValueTuple[] }> {
  for (let i = 0; i < enterprises.length; i++) {
    if (!provinceReported(i, period)) continue;
    const e = enterprises[i]!;
    yield { id: e.id, values: INDICATOR_CODES.map((code) => {
      const [current, previous] = provinceValue(e, period, code);
      return [e.id, period, code, current.toString(), previous.toString()];
    }) };
  }
}

async function loadSqliteReports(file: string, enterprises: readonly ProvinceEnterprise[], periods: readonly Period[], at: string): Promise<number> {
  const sqlite = openSqlite(file);
  let count = 0;
  try {
    // A large page cache and inserts in the values' key order (period, then enterprise and
    // indicator; ADR 0012): each month appends to one range of the key, the load is CPU-bound.
    sqlite.pragma('cache_size = -512000');
    const report = sqlite.prepare('insert into monitoring_reports (enterprise_id, period, source, batch_id, updated_at, updated_by) values (?, ?, ?, ?, ?, null)');
    const value = sqlite.prepare('insert into monitoring_values (enterprise_id, period, indicator, current_value, previous_value) values (?, ?, ?, ?, ?)');
    const codes = [...INDICATOR_CODES].sort();
    const ordered = enterprises.map((e, index) => ({ e, index })).sort((a, b) => (a.e.id < b.e.id ? -1 : a.e.id > b.e.id ? 1 : 0));
    for (const period of periods) {
      sqlite.transaction(() => {
        for (const { e, index } of ordered) {
          if (!provinceReported(index, period)) continue;
          report.run(e.id, period, 'bench', 'province', at);
          for (const code of codes) {
            const [current, previous] = provinceValue(e, period, code);
            value.run(e.id, period, code, current, previous);
            count++;
          }
        }
      })();
    }
  } finally {
    sqlite.close();
  }
  return count;
}

async function loadPostgresReports(deps: Deps, enterprises: readonly ProvinceEnterprise[], periods: readonly Period[], at: string): Promise<number> {
  let count = 0;
  for (const period of periods) {
    const rows = [...periodRows(enterprises, period)];
    const values = rows.flatMap((r) => r.values);
    const column = (i: number) => values.map((v) => v[i]!);
    await deps.db.transaction().execute(async (trx) => {
      await sql`insert into monitoring_reports (enterprise_id, period, source, batch_id, updated_at)
        select id, ${period}, 'bench', 'province', ${at} from unnest(${rows.map((r) => r.id)}::text[]) as t(id)`.execute(trx);
      await sql`insert into monitoring_values (enterprise_id, period, indicator, current_value, previous_value)
        select * from unnest(${column(0)}::text[], ${column(1)}::text[], ${column(2)}::text[], ${column(3)}::bigint[], ${column(4)}::bigint[])`.execute(trx);
    });
    count += values.length;
  }
  return count;
}

/**
 * Loads the province into a migrated, empty database (no demo district). `periods` defaults to
 * the three years; the reports go in bulk, then the monitoring data version is bumped once.
 */
export async function loadProvince(deps: Deps, options: { enterprises?: number; periods?: readonly Period[] } = {}): Promise<Province> {
  const enterprises = await insertProvinceEnterprises(deps, options.enterprises ?? PROVINCE_ENTERPRISES);
  const periods = [...(options.periods ?? provincePeriods())];
  const at = nowIso();
  const target = deps.config.database;
  const valueRows = target.dialect === 'sqlite' ? await loadSqliteReports(target.file, enterprises, periods, at) : await loadPostgresReports(deps, enterprises, periods, at);
  await bumpDataVersion(deps.db, 'monitoring');
  return { enterprises, periods, valueRows };
}
