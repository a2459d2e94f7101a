import { INDICATOR_CODES } from '#common/indicators.ts';
import type { IndicatorCode } from '#common/indicators.ts';
import { makePeriod, periodsOfYear } from '#common/period.ts';
import type { Period } from '#common/period.ts';
import type { Deps } from '#server/platform/deps.ts';
import type { Actor } from '#server/platform/audit.ts';
import { newId, nowIso } from '#server/platform/ids.ts';
import { prng } from '#server/demo/demo.enterprises.ts';
import { DEMO_ACCOUNT_ENTERPRISE } from '#server/demo/demo.enterprises.ts';
import { insertReportedValue, replaceProducts, upsertReports, upsertValues } from '#server/modules/monitoring/monitoring.repo.ts';
import type { ProductRecord, ValueWrite } from '#server/modules/monitoring/monitoring.repo.ts';
import { refreshWarnings } from '#server/modules/monitoring/monitoring.warnings.ts';

/**
 * The demo district's monthly reports for 2021 and 2022: every enterprise reports for the periods
 * its 规上 spells cover. Each enterprise has one underlying monthly series per year (2020 is only
 * the base), so the reports are consistent by construction: a 2022 report's 上年同期 is exactly
 * the 2021 report's 本年累计 of the same month. Seasonality: the Spring Festival falls in 1–2月
 * (two months weigh as little as 1.35), December is strong; 2020's first quarter carries Hubei's
 * shutdown. About one enterprise in twelve declines in 2022, 2022 entrants grow fast, a few
 * reports are missing, and two enterprises report electricity that contradicts their output.
 * Deterministic (seeded PRNG); every figure is synthetic.
 */

const YEARS = [2020, 2021, 2022] as const;
const REPORT_YEARS = [2021, 2022] as const;
const MONTHS = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] as const; // 2 = 1–2月

// Relative weight of each reporting month; 1–2月 covers two months but the Spring Festival stops work.
const SEASON: Record<number, number> = { 2: 1.35, 3: 0.95, 4: 0.98, 5: 1.0, 6: 1.05, 7: 0.95, 8: 0.97, 9: 1.03, 10: 1.0, 11: 1.05, 12: 1.25 };
// Hubei's 2020: factories stood still in February and restarted through March and April.
const SHUTDOWN_2020: Record<number, number> = { 2: 0.55, 3: 0.8, 4: 0.93 };

// The plan's named leaders, sized (2021 output, 千元) so the district has the leaders it describes.
const LEADERS: Record<string, number> = {
  程力专用汽车股份有限公司: 3_800_000,
  湖北程力专用汽车有限公司: 1_600_000,
  程力重工股份有限公司: 900_000,
  湖北程力电泳涂装有限公司: 120_000,
  湖北江南专用特种汽车有限公司: 1_900_000,
  湖北江南汽车零部件有限公司: 350_000,
  泰晶科技股份有限公司: 1_100_000,
  湖北金龙新材料股份有限公司: 650_000,
  湖北楚天药业有限公司: 420_000,
  湖北齐星汽车车身股份有限公司: 1_300_000,
  随州齐星专用车有限公司: 260_000,
};

const PRODUCTS: Record<string, { name: string; unit: string; price: number }> = {
  '3630': { name: '改装汽车', unit: '辆', price: 260 },
  '3660': { name: '汽车车身、挂车', unit: '辆', price: 90 },
  '3612': { name: '新能源汽车', unit: '辆', price: 180 },
  '3989': { name: '石英晶体元器件', unit: '万只', price: 2.2 },
  '1372': { name: '食用菌罐头及制品', unit: '吨', price: 18 },
};

type Spell = { from: string; to: string | null };
type Enterprise = { id: string; name: string; uscc: string; industry: string; spells: Spell[] };

function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

const covers = (spells: readonly Spell[], period: string) => spells.some((s) => s.from <= period && (s.to === null || s.to >= period));

/** Each reporting month's values of one year, per indicator, in thousandths (before cumulation). */
type YearSeries = Record<IndicatorCode, bigint[]> & { products: bigint[] };

function thousandths(value: number, decimals: number): bigint {
  const scaled = Math.round(value * 10 ** decimals);
  return BigInt(scaled) * 10n ** BigInt(3 - decimals);
}

/**
 * Writes the reports, products and the statistics bureau's figures in one transaction with one
 * audit record, then evaluates the 2022 warnings. Runs after the enterprise roster is loaded.
 */
export async function loadDemoMonitoring(deps: Deps, actor: Actor): Promise<{ reports: number; values: number }> {
  const random = prng(20221231);
  const rows = await deps.db
    .selectFrom('enterprises as e')
    .innerJoin('enterprise_scale_history as h', 'h.enterprise_id', 'e.id')
    .select(['e.id', 'e.name', 'e.uscc', 'e.industry_code', 'h.from_period', 'h.to_period'])
    .orderBy('e.uscc')
    .orderBy('h.from_period')
    .execute();
  const enterprises = new Map<string, Enterprise>();
  for (const r of rows) {
    const e = enterprises.get(r.id) ?? { id: r.id, name: r.name, uscc: r.uscc, industry: r.industry_code, spells: [] };
    e.spells.push({ from: r.from_period, to: r.to_period });
    enterprises.set(r.id, e);
  }
  const reportPeriods = REPORT_YEARS.flatMap((y) => periodsOfYear(y));
  const reporting = [...enterprises.values()].filter((e) => reportPeriods.some((p) => covers(e.spells, p)));

  const reports: { enterpriseId: string; period: Period }[] = [];
  const values: ValueWrite[] = [];
  const products: ProductRecord[] = [];
  let anomalies = 0;
  for (const e of reporting) {
    const entrant2022 = e.spells.some((s) => s.from >= '2022-02');
    const decliner = !entrant2022 && random() < 0.085;
    const level2021 = LEADERS[e.name] ?? Math.round(120_000 * Math.exp(0.85 * normal(random)) + 22_000);
    const g2021 = 0.14 + 0.1 * normal(random);
    const g2022 = entrant2022 ? 0.32 + 0.12 * normal(random) : decliner ? -0.15 - 0.25 * random() : 0.085 + 0.09 * normal(random);
    const annual = { 2020: level2021 / (1 + g2021), 2021: level2021, 2022: level2021 * (1 + g2022) } as Record<number, number>;
    const salesRatio = 0.95 + 0.04 * random();
    const exportShare = random() < 0.15 ? 0.05 + 0.25 * random() : 0;
    const revenueRatio = 1.0 + 0.12 * random();
    const margin = random() < 0.1 ? -0.04 + 0.03 * random() : 0.015 + 0.07 * random();
    const intensity = 0.002 + 0.006 * random(); // 万千瓦时 per 千元
    const productivity = 350 + 450 * random(); // 千元 of output per worker a year
    const rdShare = random() < 0.4 ? 0.01 + 0.03 * random() : 0.002 + 0.006 * random();
    // Two steady growers whose electricity falls: the "output up, electricity down" data check.
    const electricityAnomaly = !decliner && !entrant2022 && g2022 > 0.05 && anomalies < 2 && random() < 0.05;
    if (electricityAnomaly) anomalies++;
    const product = PRODUCTS[e.industry];

    const series = new Map<number, YearSeries>();
    for (const year of YEARS) {
      const weights = MONTHS.map((m) => SEASON[m]! * (year === 2020 ? (SHUTDOWN_2020[m] ?? 1) : 1) * (1 + 0.05 * normal(random)));
      // Shares of a normal year: the 2020 shutdown lowers that year's total, it does not move it.
      const total = MONTHS.reduce((sum, m) => sum + SEASON[m]!, 0);
      const s = Object.fromEntries(INDICATOR_CODES.map((c) => [c, [] as bigint[]])) as unknown as YearSeries;
      s.products = [];
      const people = (annual[year]! / productivity) * (1 + 0.03 * normal(random));
      MONTHS.forEach((month, k) => {
        const output = Math.max(1, Math.round((annual[year]! * weights[k]!) / total));
        const revenue = output * revenueRatio * (1 + 0.02 * normal(random));
        s.output_value.push(thousandths(output, 0));
        s.sales_value.push(thousandths(output * salesRatio, 0));
        s.export_value.push(thousandths(output * salesRatio * exportShare, 0));
        s.revenue.push(thousandths(revenue, 0));
        s.profit.push(thousandths(revenue * (margin + 0.02 * normal(random)), 0));
        const intensityNow = electricityAnomaly && year === 2022 ? intensity * 0.7 : intensity;
        s.electricity.push(thousandths(output * intensityNow * (1 + 0.03 * normal(random)), 1));
        s.employees.push(thousandths(Math.max(20, people * (month === 2 ? 0.97 : 1)), 0));
        s.rd_expense.push(thousandths(revenue * rdShare, 0));
        s.products.push(product ? thousandths(output / product.price, 0) : 0n);
      });
      series.set(year, s);
    }

    // Cumulative 1–N月 values; 平均用工人数 is the average of the months so far.
    const cumulative = (year: number, code: IndicatorCode | 'products', upTo: number): bigint => {
      const list = code === 'products' ? series.get(year)!.products : series.get(year)![code];
      const slice = list.slice(0, upTo + 1);
      const sum = slice.reduce((a, b) => a + b, 0n);
      if (code !== 'employees') return sum;
      return (sum / BigInt(slice.length) / 1000n) * 1000n;
    };

    for (const year of REPORT_YEARS) {
      MONTHS.forEach((month, k) => {
        const period = makePeriod(year, month);
        if (!covers(e.spells, period)) return;
        // A few reports never arrive; the demo enterprise account's December is left for it to fill.
        if (year === 2022 && ((e.name === DEMO_ACCOUNT_ENTERPRISE && month === 12) || random() < 0.008)) return;
        reports.push({ enterpriseId: e.id, period });
        for (const code of INDICATOR_CODES) {
          if (code === 'export_value' && exportShare === 0) continue;
          values.push({ enterpriseId: e.id, period, indicator: code, current: cumulative(year, code, k), previous: cumulative(year - 1, code, k) });
        }
        if (product) {
          products.push({ enterpriseId: e.id, period, productName: product.name, unit: product.unit, current: cumulative(year, 'products', k), previous: cumulative(year - 1, 'products', k) });
        }
      });
    }
  }

  const now = nowIso(deps.now());
  const batchId = newId();
  await deps.db.transaction().execute(async (trx) => {
    await upsertReports(
      trx,
      reports.map((r) => ({ ...r, source: 'demo', batchId, at: now, by: null })),
    );
    await upsertValues(trx, values);
    await replaceProducts(trx, [], products);
    for (const entry of REPORTED) {
      await insertReportedValue(trx, { id: newId(), code: entry.code, period: entry.period, value: thousandths(entry.value, 1), source: '区统计局月报（演示数据）', note: null, enteredAt: now, enteredBy: 'demo' });
    }
    await refreshWarnings(trx, periodsOfYear(2022), now);
    await deps.audit.append(trx, actor, {
      action: 'monitoring.demo_load',
      entityType: 'monitoring_import',
      entityId: batchId,
      after: { reports: reports.length, values: values.length, products: products.length, years: [...REPORT_YEARS], note: '演示数据（虚构）' },
    });
  });
  return { reports: reports.length, values: values.length };
}

// The statistics bureau's monthly figures for the demo (synthetic; 2022 ends at the +7.5 % the
// district's 2023 government work report gives for 2022).
const REPORTED: { code: 'industrial_va_growth' | 'hightech_va_growth' | 'industrial_investment_growth' | 'tech_renovation_investment_growth'; period: Period; value: number }[] = [
  ...([
    [2021, [62.4, 48.1, 35.6, 28.3, 24.1, 21.0, 19.2, 17.8, 16.9, 16.1, 15.4]],
    [2022, [12.6, 11.9, 10.4, 9.7, 9.2, 8.8, 8.4, 8.1, 7.9, 7.7, 7.5]],
  ] as const).flatMap(([year, list]) => list.map((value, i) => ({ code: 'industrial_va_growth' as const, period: makePeriod(year, i + 2), value }))),
  ...[14.8, 14.1, 13.2, 12.5, 12.0, 11.6, 11.2, 10.9, 10.6, 10.4, 10.2].map((value, i) => ({ code: 'hightech_va_growth' as const, period: makePeriod(2022, i + 2), value })),
  ...[18.5, 16.2, 15.1, 14.6, 13.9, 13.3, 12.8, 12.5, 12.2, 12.1, 12.0].map((value, i) => ({ code: 'industrial_investment_growth' as const, period: makePeriod(2022, i + 2), value })),
  ...[25.3, 22.8, 21.0, 19.6, 18.7, 18.1, 17.5, 17.2, 16.8, 16.5, 16.3].map((value, i) => ({ code: 'tech_renovation_investment_growth' as const, period: makePeriod(2022, i + 2), value })),
];
