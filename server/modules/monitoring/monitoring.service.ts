import { gzipSync } from 'node:zlib';
// The figures (issue 3 §3): one service, exact, every figure drillable to its enterprise rows.
// Aggregates are visible to every user by design; drill-downs keep only rows inside the caller's
// scope and count the rest (ADR 0003, ADR 0005).
import {
  DEFAULT_MONITORING_SETTINGS,
  DIMENSION_LABELS,
  WARNING_RULES,
  monitoringSettingsSchema,
  summarySchema,
} from '#common/contracts/monitoring.ts';
import type {
  Drilldown,
  FigureDimension,
  FigureRow,
  Figures,
  ForecastTable,
  MonitoringSettings,
  Report,
  Summary,
  Trend,
  Warning,
  WarningRule,
} from '#common/contracts/monitoring.ts';
import { INDICATOR_CODES, REPORTED_INDICATORS, SCALE_BANDS, indicatorOf, isIndicatorCode, reportedIndicatorOf } from '#common/indicators.ts';
import type { IndicatorCode, ReportedIndicatorCode } from '#common/indicators.ts';
import { listIndustryDivisions } from '#common/industry.ts';
import { beijingToday, isFuturePeriod, makePeriod, monthOf, periodsOfYear, previousPeriod, yearOf } from '#common/period.ts';
import type { Period } from '#common/period.ts';
import { fromThousandths, parseNumberCell, toThousandths } from '#common/quantity.ts';
import type { Deps } from '#server/platform/deps.ts';
import { writeSetting } from '#server/platform/settings.ts';
import { asciiJson } from '#server/platform/ascii-json.ts';
import type { Actor } from '#server/platform/audit.ts';
import { AppError, notFound } from '#server/platform/errors.ts';
import { writeXlsx } from '#server/platform/excel.ts';
import { newId, nowIso } from '#server/platform/ids.ts';
import { isInScope } from '#server/platform/scope.ts';
import type { Scope } from '#server/platform/scope.ts';
import { lastDecemberOf, loadPeriod } from '#server/modules/monitoring/monitoring.data.ts';
import type { LoadedPeriod } from '#server/modules/monitoring/monitoring.data.ts';
import {
  comparableRows,
  directionCounts,
  districtFigure,
  figureOf,
  groupFigures,
  growthPct,
  contributionPts,
  changeState,
  keysOf,
  membersBy,
  monthlySums,
  shareOfDivisionsGrowing,
  sumOver,
} from '#server/modules/monitoring/monitoring.figures.ts';
import type { Dimension, Figure } from '#server/modules/monitoring/monitoring.figures.ts';
import { FORECAST_METHOD_LABELS, forecastYearEnd } from '#server/modules/monitoring/monitoring.forecast.ts';
import { heldPeriod, heldSummarySums, sumHeld, thousandthsToDecimal } from '#server/modules/monitoring/monitoring.held.ts';
import type { HeldPeriod, HeldSummary } from '#server/modules/monitoring/monitoring.held.ts';
import type { NumberSums } from '#server/modules/monitoring/monitoring.held.ts';
import {
  findEnterprisesById,
  findUnitNames,
  findWarning,
  insertReportedValue,
  listChains,
  listGroups,
  listPeriodValues,
  listProductsOf,
  listReportHeaders,
  listReportedPeriods,
  listReportedValues,
  listTowns,
  listValuesOf,
  listWarnings,
  updateWarning,
} from '#server/modules/monitoring/monitoring.repo.ts';
import type { ReportHeader } from '#server/modules/monitoring/monitoring.repo.ts';
import { SETTINGS_KEY, readMonitoringSettings, refreshWarnings } from '#server/modules/monitoring/monitoring.warnings.ts';

const money = (value: bigint) => fromThousandths(value);

// ---- names of groups ----------------------------------------------------------------------------

type Named = { key: string; name: string };

async function groupNames(deps: Deps, dimension: FigureDimension, data: LoadedPeriod): Promise<Named[]> {
  switch (dimension) {
    case 'district':
      return [];
    case 'town':
      return (await listTowns(deps.db)).map((t) => ({ key: t.id, name: t.name }));
    case 'chain':
      return (await listChains(deps.db)).map((c) => ({ key: c.id, name: c.name }));
    case 'division': {
      const present = new Set([...data.roster.values()].map((f) => f.division).filter((d): d is string => d !== null));
      return listIndustryDivisions()
        .filter((d) => present.has(d.code))
        .map((d) => ({ key: d.code, name: `${d.code} ${d.name}` }));
    }
    case 'scale':
      return SCALE_BANDS.map((b) => ({ key: b.code, name: b.name }));
    case 'entrant':
      return [
        { key: 'new', name: '本年新入库企业' },
        { key: 'existing', name: '上年已在库企业' },
      ];
    case 'group': {
      const present = new Set([...data.roster.values()].map((f) => f.groupId).filter((g): g is string => g !== null));
      return (await listGroups(deps.db)).filter((g) => present.has(g.id)).map((g) => ({ key: g.id, name: g.name }));
    }
  }
}

function assertPeriodStarted(deps: Deps, period: Period): void {
  if (isFuturePeriod(period, beijingToday(deps.now()))) throw new AppError('VALIDATION', `报告期 ${period} 尚未开始`);
}

// ---- summary ------------------------------------------------------------------------------------

function totalOf(figure: Figure) {
  return { current: money(figure.current), previous: money(figure.previous), growthPct: figure.growthPct, state: figure.state, enterprises: figure.enterprises };
}

function groupOf(figure: Figure | undefined, districtPrevious: bigint) {
  // A group with no reporting enterprise adds nothing: 0 points over a positive district base.
  const f = figure ?? figureOf({ current: 0n, previous: 0n, enterprises: 0 }, districtPrevious);
  return { current: money(f.current), previous: money(f.previous), growthPct: f.growthPct, state: f.state, contributionPts: f.contributionPts };
}

/**
 * The period's headline figures for every indicator: the district total (comparable scope, with
 * the number of enterprises), and each town and chain with growth and 拉动. Visible to every
 * user: aggregates are not scoped. The sums come from the period's rows held in memory behind the
 * data version (ADR 0008): one version read, then one pass over the held rows. The district total
 * counts every 规上 enterprise, also one whose town is no longer active.
 */
export async function getSummary(deps: Deps, period: Period): Promise<Summary> {
  return summaryOf(period, await heldSummarySums(deps.db, period));
}

// The summary answer is the same for every caller (aggregates are visible to all by design) and
// changes only with the data version, so the API keeps the JSON it sent, keyed by the held rows
// (a new version holds new rows, and the old answer goes with the old rows). A dashboard opened
// by every town at month start then costs a version read, not a re-aggregation and serialisation.
// The answer is kept as bytes: encoding 20 KB of text, and measuring it for the Content-Length,
// cost more per request than the rest of the route together; and as ASCII JSON (asciiJson), which
// every client decodes several times faster than UTF-8 with Chinese in it. Its gzip form is
// kept beside it (≈ 1/6 of the size, compressed once): sending 23 KB per request is about half of
// what the route costs, and a town office's browser on a slow line waits for every byte.
export type SummaryAnswer = { json: Buffer; gzip: Buffer };
const summaryAnswers = new WeakMap<HeldPeriod, SummaryAnswer>();

/** getSummary as the bytes the API sends, checked against its contract once per data version. */
export async function getSummaryAnswer(deps: Deps, period: Period, versionAtRequestStart?: string): Promise<SummaryAnswer> {
  const held = await heldPeriod(deps.db, period, versionAtRequestStart);
  let answer = summaryAnswers.get(held);
  if (answer === undefined) {
    const json = Buffer.from(asciiJson(summarySchema.parse(summaryOf(period, sumHeld(held)))), 'latin1');
    answer = { json, gzip: gzipSync(json) };
    summaryAnswers.set(held, answer);
  }
  return answer;
}

function summaryOf(period: Period, held: HeldSummary): Summary {
  const total = {} as Summary['total'];
  const byTown = held.towns.map((t) => ({ unit: { id: t.id, name: t.name } })) as Summary['byTown'];
  const byChain = held.chains.map((c) => ({ chain: { id: c.id, name: c.name } })) as Summary['byChain'];
  for (const code of INDICATOR_CODES) {
    const sums = held.byIndicator.get(code)!;
    if (sums.exact) {
      const base = sums.district.previous;
      total[code] = totalOf(figureOf(sums.district, base));
      sums.towns.forEach((s, i) => (byTown[i]![code] = groupOf(figureOf(s, base), base)));
      sums.chains.forEach((s, i) => (byChain[i]![code] = groupOf(figureOf(s, base), base)));
      continue;
    }
    const base = sums.district.previous;
    const { contributionPts: _ofItself, ...district } = figureOfNumbers(sums.district, base);
    total[code] = { ...district, enterprises: sums.district.enterprises };
    sums.towns.forEach((s, i) => (byTown[i]![code] = figureOfNumbers(s, base)));
    sums.chains.forEach((s, i) => (byChain[i]![code] = figureOfNumbers(s, base)));
  }
  return { period, total, byTown, byChain };
}

/**
 * figureOf for sums that are exact integers on numbers (the held rows' usual case): the same
 * formulas without a bigint per operation — the summary shapes ≈ 200 figures per request. Equal
 * to the bigint path because every operand and difference is an exact integer below 2^53.
 */
function figureOfNumbers(sums: NumberSums, districtPrevious: number) {
  const { current, previous } = sums;
  return {
    current: thousandthsToDecimal(current),
    previous: thousandthsToDecimal(previous),
    growthPct: previous <= 0 ? null : ((current - previous) / previous) * 100,
    state: changeState(BigInt(current), BigInt(previous)),
    contributionPts: districtPrevious <= 0 ? null : ((current - previous) / districtPrevious) * 100,
  };
}

// ---- figures by dimension -----------------------------------------------------------------------

type RowsOf = ReturnType<typeof comparableRows>;

function figureRow(key: string, name: string, figure: Figure, rows: RowsOf, members: readonly string[], monthly: ReturnType<typeof monthlySums> | null): FigureRow {
  const counts = directionCounts(rows, members);
  return {
    key,
    name,
    current: money(figure.current),
    previous: money(figure.previous),
    growthPct: figure.growthPct,
    state: figure.state,
    contributionPts: figure.contributionPts,
    enterprises: figure.enterprises,
    missing: figure.missing.length,
    growing: counts.growing,
    falling: counts.falling,
    monthly: monthly ? { current: money(monthly.current), previous: money(monthly.previous), growthPct: growthPct(monthly.current, monthly.previous), enterprises: monthly.enterprises } : null,
  };
}

async function beforeRows(deps: Deps, data: LoadedPeriod, indicator: IndicatorCode): Promise<RowsOf | null> {
  const before = previousPeriod(data.period);
  if (!before) return null;
  const values = await listPeriodValues(deps.db, before, indicator);
  const out: RowsOf = new Map();
  for (const v of values) {
    if (v.previous !== null && data.roster.has(v.enterpriseId)) out.set(v.enterpriseId, { current: v.current, previous: v.previous, c: Number(v.current), p: Number(v.previous) });
  }
  return out;
}

function dimensionOf(dimension: FigureDimension): Dimension | null {
  return dimension === 'district' ? null : dimension;
}

/**
 * One indicator's figures for every group of a dimension: growth, 拉动, counts of reporting,
 * missing, growing and falling enterprises, and this month alone (by difference). `partition`
 * says whether the contributions add up to the district growth (not for chains and groups).
 */
export async function getFigures(deps: Deps, query: { period: Period; indicator: IndicatorCode; dimension: FigureDimension }): Promise<Figures> {
  const { period, indicator, dimension } = query;
  const data = await loadPeriod(deps.db, period, [indicator]);
  const rows = comparableRows(data, indicator);
  const before = indicatorOf(indicator).average ? null : await beforeRows(deps, data, indicator);
  const monthlyOf = (members: readonly string[]) => (indicatorOf(indicator).average ? null : monthlySums(rows, before, members));
  const allMembers = [...data.roster.keys()];
  const district = districtFigure(data, indicator);
  const groups: FigureRow[] = [];
  const dim = dimensionOf(dimension);
  if (dim) {
    const members = membersBy(data, dim);
    const figures = groupFigures(data, indicator, dim);
    for (const named of await groupNames(deps, dimension, data)) {
      const list = members.get(named.key) ?? [];
      groups.push(figureRow(named.key, named.name, figures.get(named.key) ?? figureOf({ current: 0n, previous: 0n, enterprises: 0 }, district.previous), rows, list, monthlyOf(list)));
    }
  }
  return {
    period,
    indicator,
    unit: indicatorOf(indicator).unit,
    dimension,
    district: figureRow('district', '全区', district, rows, allMembers, monthlyOf(allMembers)),
    groups,
    divisionsGrowing: shareOfDivisionsGrowing(data, indicator),
    partition: dimension !== 'chain' && dimension !== 'group',
  };
}

/** The figures table as a workbook (the table view's export). */
export async function exportFigures(deps: Deps, query: { period: Period; indicator: IndicatorCode; dimension: FigureDimension }): Promise<{ fileName: string; buffer: Buffer }> {
  const figures = await getFigures(deps, query);
  const unit = figures.unit;
  const rows = [figures.district, ...figures.groups];
  const pct = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);
  const buffer = await writeXlsx<FigureRow>([
    {
      name: `${DIMENSION_LABELS[query.dimension]}`,
      columns: [
        { header: DIMENSION_LABELS[query.dimension], width: 24, value: (r) => r.name },
        { header: `本年累计（${unit}）`, width: 18, value: (r) => Number(r.current) },
        { header: `上年同期（${unit}）`, width: 18, value: (r) => Number(r.previous) },
        { header: '同比增长（%）', value: (r) => pct(r.growthPct) },
        { header: '拉动（百分点）', value: (r) => pct(r.contributionPts) },
        { header: '状态', value: (r) => (r.state ? r.state : null) },
        { header: '报送企业数', value: (r) => r.enterprises },
        { header: '未报企业数', value: (r) => r.missing },
        { header: '增长企业数', value: (r) => r.growing },
        { header: '下降企业数', value: (r) => r.falling },
        { header: `当月（${unit}）`, value: (r) => (r.monthly ? Number(r.monthly.current) : null) },
        { header: '当月同比（%）', value: (r) => pct(r.monthly?.growthPct ?? null) },
      ],
      rows,
    },
  ]);
  return { fileName: `${indicatorOf(query.indicator).name}_${DIMENSION_LABELS[query.dimension]}_${query.period}.xlsx`, buffer };
}

// ---- drill-down ---------------------------------------------------------------------------------

/**
 * The enterprise rows behind a figure: every comparable report of the group and the 规上
 * enterprises that did not report. The group's figure is the aggregate (visible to all); the
 * rows are only those inside the caller's scope, the others counted.
 */
export async function getDrilldown(
  deps: Deps,
  scope: Scope,
  query: { period: Period; indicator: IndicatorCode; dimension: FigureDimension; key?: string | undefined },
): Promise<Drilldown> {
  const { period, indicator, dimension } = query;
  const data = await loadPeriod(deps.db, period, [indicator]);
  const rows = comparableRows(data, indicator);
  const district = sumOver(rows, data.roster.keys());
  const dim = dimensionOf(dimension);
  if (dim && !query.key) throw new AppError('VALIDATION', '请指定要查看的分组（key）');
  const members = dim ? [...data.roster.values()].filter((f) => keysOf(f, dim).includes(query.key!)).map((f) => f.id) : [...data.roster.keys()];
  let name = '全区';
  if (dim) {
    const named = (await groupNames(deps, dimension, data)).find((n) => n.key === query.key);
    if (!named && members.length === 0) throw notFound('分组');
    name = named?.name ?? query.key!;
  }
  const average = indicatorOf(indicator).average;
  const before = average ? null : await beforeRows(deps, data, indicator);
  const towns = await findUnitNames(deps.db, [...new Set(members.map((id) => data.roster.get(id)!.townId))]);
  const ref = (id: string) => {
    const f = data.roster.get(id)!;
    return { id: f.id, name: f.name, uscc: f.uscc, town: { id: f.townId, name: towns.get(f.townId) ?? '' } };
  };
  const visible = (id: string) => {
    const f = data.roster.get(id)!;
    return isInScope(scope, { townId: f.townId, enterpriseId: f.id });
  };
  const groupSums = sumOver(rows, members);
  const missing = members.filter((id) => !rows.has(id));
  const reported = members.filter((id) => rows.has(id));
  const shownRows = reported.filter(visible);
  const shownMissing = missing.filter(visible);
  const figure = figureOf(groupSums, district.previous, missing);
  const monthlyAll = average ? null : monthlySums(rows, before, members);
  return {
    period,
    indicator,
    unit: indicatorOf(indicator).unit,
    group: { dimension, key: query.key ?? null, name },
    figure: figureRow(query.key ?? 'district', name, figure, rows, members, monthlyAll),
    rows: shownRows
      .map((id) => {
        const r = rows.get(id)!;
        const b = before?.get(id);
        return {
          enterprise: ref(id),
          current: money(r.current),
          previous: money(r.previous),
          growthPct: growthPct(r.current, r.previous),
          state: changeState(r.current, r.previous),
          contributionPts: contributionPts(r.current, r.previous, district.previous),
          monthly: average ? null : before === null ? { current: money(r.current), previous: money(r.previous) } : b ? { current: money(r.current - b.current), previous: money(r.previous - b.previous) } : null,
        };
      })
      .sort((a, b) => (b.contributionPts ?? 0) - (a.contributionPts ?? 0)),
    missing: shownMissing.map(ref).sort((a, b) => a.town.name.localeCompare(b.town.name, 'zh') || a.name.localeCompare(b.name, 'zh')),
    hiddenRows: reported.length - shownRows.length,
    hiddenMissing: missing.length - shownMissing.length,
  };
}

export async function exportDrilldown(deps: Deps, scope: Scope, query: Parameters<typeof getDrilldown>[2]): Promise<{ fileName: string; buffer: Buffer }> {
  const d = await getDrilldown(deps, scope, query);
  type Row = Drilldown['rows'][number] & { missingRow?: boolean };
  const pct = (v: number | null) => (v === null ? null : Math.round(v * 10000) / 10000);
  const buffer = await writeXlsx<Row>([
    {
      name: '企业明细',
      columns: [
        { header: '统一社会信用代码', width: 22, value: (r) => r.enterprise.uscc },
        { header: '企业名称', width: 36, value: (r) => r.enterprise.name },
        { header: '镇街', width: 14, value: (r) => r.enterprise.town.name },
        { header: `本年累计（${d.unit}）`, width: 16, value: (r) => Number(r.current) },
        { header: `上年同期（${d.unit}）`, width: 16, value: (r) => Number(r.previous) },
        { header: '同比增长（%）', value: (r) => pct(r.growthPct) },
        { header: '拉动（百分点）', value: (r) => pct(r.contributionPts) },
      ],
      rows: d.rows,
    },
    {
      name: '未报企业',
      columns: [
        { header: '统一社会信用代码', width: 22, value: (r) => r.enterprise.uscc },
        { header: '企业名称', width: 36, value: (r) => r.enterprise.name },
        { header: '镇街', width: 14, value: (r) => r.enterprise.town.name },
      ],
      rows: d.missing.map((enterprise) => ({ enterprise, current: '0', previous: '0', growthPct: null, state: null, contributionPts: null, monthly: null })),
    },
  ]);
  return { fileName: `${indicatorOf(query.indicator).name}_${d.group.name}_${query.period}_明细.xlsx`, buffer };
}

// ---- trend --------------------------------------------------------------------------------------

/**
 * Cumulative growth by month this year beside last year's, and each month alone, for the district
 * or one group. Periods that have not begun or have no reports are null.
 */
export async function getTrend(deps: Deps, query: { year: number; indicator: IndicatorCode; dimension: FigureDimension; key?: string | undefined }): Promise<Trend> {
  const { year, indicator } = query;
  const dim = dimensionOf(query.dimension);
  if (dim && !query.key) throw new AppError('VALIDATION', '请指定要查看的分组（key）');
  const today = beijingToday(deps.now());
  const point = async (period: Period) => {
    if (isFuturePeriod(period, today)) return null;
    const data = await loadPeriod(deps.db, period, [indicator]);
    const rows = comparableRows(data, indicator);
    const members = dim ? [...data.roster.values()].filter((f) => keysOf(f, dim).includes(query.key!)).map((f) => f.id) : [...data.roster.keys()];
    const sums = sumOver(rows, members);
    return { data, rows, members, sums };
  };
  const points: Trend['points'] = [];
  let prior: Awaited<ReturnType<typeof point>> = null;
  for (const period of periodsOfYear(year)) {
    const [now, last] = await Promise.all([point(period), point(makePeriod(year - 1, monthOf(period)))]);
    const shape = (s: { current: bigint; previous: bigint; enterprises: number }) => ({ current: money(s.current), previous: money(s.previous), growthPct: growthPct(s.current, s.previous), enterprises: s.enterprises });
    let monthly = null;
    if (now && now.sums.enterprises > 0 && !indicatorOf(indicator).average) {
      const m = monthlySums(now.rows, prior && monthOf(period) !== 2 ? prior.rows : null, now.members);
      monthly = shape(m);
    }
    points.push({
      period,
      cumulative: now && now.sums.enterprises > 0 ? shape(now.sums) : null,
      lastYear: last && last.sums.enterprises > 0 ? shape(last.sums) : null,
      monthly,
    });
    prior = now;
  }
  return { year, indicator, unit: indicatorOf(indicator).unit, points };
}

/** The trend as a workbook (the chart's table view, exported). */
export async function exportTrend(deps: Deps, query: Parameters<typeof getTrend>[1]): Promise<{ fileName: string; buffer: Buffer }> {
  const trend = await getTrend(deps, query);
  type Point = Trend['points'][number];
  const pct = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 100) / 100);
  const num = (v: string | undefined) => (v === undefined ? null : Number(v));
  const buffer = await writeXlsx<Point>([
    {
      name: '逐月增速',
      columns: [
        { header: '报告期', value: (p) => `${p.period.slice(0, 4)}年1-${Number(p.period.slice(5))}月` },
        { header: `本年累计（${trend.unit}）`, width: 18, value: (p) => num(p.cumulative?.current) },
        { header: `上年同期（${trend.unit}）`, width: 18, value: (p) => num(p.cumulative?.previous) },
        { header: '累计增速（%）', value: (p) => pct(p.cumulative?.growthPct) },
        { header: '上年累计增速（%）', value: (p) => pct(p.lastYear?.growthPct) },
        { header: `当月（${trend.unit}）`, width: 16, value: (p) => num(p.monthly?.current) },
        { header: '当月增速（%）', value: (p) => pct(p.monthly?.growthPct) },
        { header: '报送企业数', value: (p) => p.cumulative?.enterprises ?? null },
      ],
      rows: trend.points,
    },
  ]);
  return { fileName: `${indicatorOf(query.indicator).name}_${query.year}年逐月.xlsx`, buffer };
}

/** Periods with reports, newest first, and the latest: the dashboard's period selector. */
export async function getPeriods(deps: Deps): Promise<{ periods: { period: string; enterprises: number }[]; latest: string | null }> {
  const periods = await listReportedPeriods(deps.db);
  return { periods, latest: periods[0]?.period ?? null };
}

// ---- forecast -----------------------------------------------------------------------------------

/**
 * Year-end projection of an indicator for the district, each town and each chain, with the
 * growth the remaining months need to reach the target (a setting until targets bind it).
 */
export async function getForecast(deps: Deps, query: { period: Period; indicator: IndicatorCode; targetGrowthPct?: number | undefined }): Promise<ForecastTable> {
  const { period, indicator } = query;
  const settings = await readMonitoringSettings(deps.db);
  const target = query.targetGrowthPct ?? settings.targetGrowthPct;
  const data = await loadPeriod(deps.db, period, [indicator]);
  const rows = comparableRows(data, indicator);
  const december = new Map((await listPeriodValues(deps.db, lastDecemberOf(period), indicator)).map((v) => [v.enterpriseId, v.current]));
  const average = indicatorOf(indicator).average;
  const forecastOf = (key: string, name: string, members: readonly string[]) => {
    const sums = sumOver(rows, members);
    let toMonth = 0n;
    let dec = 0n;
    for (const id of members) {
      const r = rows.get(id);
      const d = december.get(id);
      if (!r || d === undefined) continue;
      toMonth += r.previous;
      dec += d;
    }
    const f = forecastYearEnd({ month: monthOf(period), current: sums.current, previous: sums.previous, lastYear: dec > 0n ? { toMonth, december: dec } : null, targetGrowthPct: target, average });
    const opt = (v: bigint | null) => (v === null ? null : money(v));
    return {
      key,
      name,
      enterprises: sums.enterprises,
      current: money(sums.current),
      previous: money(sums.previous),
      growthPct: growthPct(sums.current, sums.previous),
      method: f.method,
      methodLabel: FORECAST_METHOD_LABELS[f.method],
      sharePct: f.sharePct,
      projected: opt(f.projected),
      lastYearTotal: opt(f.lastYearTotal),
      projectedGrowthPct: f.projectedGrowthPct,
      targetValue: opt(f.targetValue),
      gap: opt(f.gap),
      requiredRemainingGrowthPct: f.requiredRemainingGrowthPct,
    };
  };
  const [towns, chains] = await Promise.all([listTowns(deps.db), listChains(deps.db)]);
  const byTown = membersBy(data, 'town');
  const byChain = membersBy(data, 'chain');
  return {
    period,
    indicator,
    unit: indicatorOf(indicator).unit,
    targetGrowthPct: target,
    method: average
      ? '平均数不能按累计比重推算：同口径企业上年全年平均与上年1–N月平均之比 q（缺少上年12月数据时 q = 1）；预计全年平均 = 本年1–N月平均 × q；上年全年平均 = 上年同期 × q；目标值 = 上年全年平均 ×（1 + 目标增速）；剩余月份所需增速 =（12 × 目标值 − N × 本年1–N月平均）÷（12 × 上年全年平均 − N × 上年同期）− 1。'
      : '同口径企业上年1–N月累计占上年全年（12月累计）的比重 r；预计全年 = 本年1–N月累计 ÷ r；上年全年 = 上年同期 ÷ r；目标值 = 上年全年 ×（1 + 目标增速）；剩余月份所需增速 =（目标值 − 本年累计）÷（上年全年 − 上年同期）− 1。',
    district: forecastOf('district', '全区', [...data.roster.keys()]),
    byTown: towns.map((t) => forecastOf(t.id, t.name, byTown.get(t.id) ?? [])),
    byChain: chains.map((c) => forecastOf(c.id, c.name, byChain.get(c.id) ?? [])),
  };
}

// ---- reports (records) --------------------------------------------------------------------------

async function presentReports(deps: Deps, headers: readonly ReportHeader[]): Promise<Report[]> {
  const ids = [...new Set(headers.map((h) => h.enterprise_id))];
  const periods = [...new Set(headers.map((h) => h.period))];
  const [values, products] = await Promise.all([listValuesOf(deps.db, ids, periods), listProductsOf(deps.db, ids, periods)]);
  const valueMap = new Map(values.map((v) => [`${v.enterpriseId}|${v.period}|${v.indicator}`, v]));
  return headers.map((h) => {
    const out = {} as Report['values'];
    for (const code of INDICATOR_CODES) {
      const v = valueMap.get(`${h.enterprise_id}|${h.period}|${code}`);
      out[code] = v ? { current: money(v.current), previous: v.previous === null ? null : money(v.previous) } : null;
    }
    return {
      enterprise: { id: h.enterprise_id, name: h.name, uscc: h.uscc, town: { id: h.town_id, name: h.town_name } },
      period: h.period,
      source: h.source,
      updatedAt: h.updated_at,
      values: out,
      products: products
        .filter((p) => p.enterpriseId === h.enterprise_id && p.period === h.period)
        .map((p) => ({ productName: p.productName, unit: p.unit, current: money(p.current), previous: p.previous === null ? null : money(p.previous) })),
    };
  });
}

/** The monthly reports of a period within the caller's scope (records are scoped). */
export async function listReports(
  deps: Deps,
  scope: Scope,
  query: { period: Period; search?: string | undefined; town?: string | undefined; page: number; pageSize: number },
): Promise<{ items: Report[]; total: number }> {
  const { rows, total } = await listReportHeaders(deps.db, scope, query, { limit: query.pageSize, offset: (query.page - 1) * query.pageSize });
  return { items: await presentReports(deps, rows), total };
}

/** The enterprise's report of a period and of the period before, for the online form. */
export async function getForm(deps: Deps, scope: Scope, enterpriseId: string, period: Period) {
  const [enterprise] = await findEnterprisesById(deps.db, [enterpriseId]);
  if (!enterprise || !isInScope(scope, { townId: enterprise.town_id, enterpriseId: enterprise.id })) throw notFound('企业');
  const before = previousPeriod(period);
  const load = async (p: Period | null) => {
    if (!p) return null;
    const { rows } = await listReportHeaders(deps.db, scope, { period: p, enterpriseId }, null);
    return (await presentReports(deps, rows))[0] ?? null;
  };
  return {
    enterprise: { id: enterprise.id, name: enterprise.name, uscc: enterprise.uscc, town: { id: enterprise.town_id, name: enterprise.town_name } },
    period,
    report: await load(period),
    previousReport: await load(before),
  };
}

// ---- reported district indicators ---------------------------------------------------------------

/**
 * The statistics bureau's figures of a year: the current value of each code and period, with
 * every earlier entry as history.
 */
export async function listReported(deps: Deps, year: number) {
  const rows = await listReportedValues(deps.db, periodsOfYear(year));
  const grouped = new Map<string, typeof rows>();
  for (const r of rows) grouped.set(`${r.code}|${r.period}`, [...(grouped.get(`${r.code}|${r.period}`) ?? []), r]);
  const present = (r: (typeof rows)[number]) => ({
    id: r.id,
    code: r.code as ReportedIndicatorCode,
    period: r.period,
    value: fromThousandths(BigInt(String(r.value))),
    source: r.source,
    note: r.note,
    enteredAt: r.entered_at,
    enteredBy: r.entered_by,
  });
  const items = [...grouped.values()].map((list) => {
    const [latest, ...older] = list;
    const definition = reportedIndicatorOf(latest!.code as ReportedIndicatorCode);
    return { ...present(latest!), name: definition.name, unit: definition.unit, history: older.map(present) };
  });
  const order = new Map(REPORTED_INDICATORS.map((d, i) => [d.code, i]));
  items.sort((a, b) => a.period.localeCompare(b.period) || (order.get(a.code) ?? 0) - (order.get(b.code) ?? 0));
  return { items };
}

/**
 * Records a figure published by the statistics bureau (e.g. 规上工业增加值增速). Every entry is
 * kept; the newest is current. Never derived from enterprise reports.
 */
export async function addReported(deps: Deps, actor: Actor, body: { code: ReportedIndicatorCode; period: Period; value: string | number; source: string; note?: string | null | undefined }) {
  assertPeriodStarted(deps, body.period);
  const definition = reportedIndicatorOf(body.code);
  const parsed = parseNumberCell(body.value, { percent: definition.unit === '%' });
  if (!parsed.ok) throw new AppError('VALIDATION', parsed.message, [{ field: 'value', message: parsed.message }]);
  const { thousandths, rounded } = toThousandths(parsed.value);
  if (rounded) throw new AppError('VALIDATION', '数值最多 3 位小数', [{ field: 'value', message: '数值最多 3 位小数' }]);
  if (thousandths < 0n && !definition.signed) throw new AppError('VALIDATION', `${definition.name}不能为负数`, [{ field: 'value', message: '不能为负数' }]);
  const id = newId();
  const at = nowIso(deps.now());
  await deps.db.transaction().execute(async (trx) => {
    await insertReportedValue(trx, { id, code: body.code, period: body.period, value: thousandths, source: body.source, note: body.note ?? null, enteredAt: at, enteredBy: actor.name });
    await deps.audit.append(trx, actor, {
      action: 'monitoring.reported_value',
      entityType: 'monitoring_reported_value',
      entityId: id,
      after: { code: body.code, name: definition.name, period: body.period, value: fromThousandths(thousandths), unit: definition.unit, source: body.source },
    });
  });
  return listReported(deps, yearOf(body.period));
}

// ---- warnings -----------------------------------------------------------------------------------

function parseFigures(json: string): Record<string, string | number | null> {
  try {
    return JSON.parse(json) as Record<string, string | number | null>;
  } catch {
    return {};
  }
}

/** Warnings the caller may see (enterprise warnings in scope; town and chain warnings for all). */
export async function listWarningsFor(
  deps: Deps,
  scope: Scope,
  query: { period?: Period | undefined; status?: string | undefined; level?: string | undefined; rule?: string | undefined; activeOnly: 'true' | 'false'; page: number; pageSize: number },
): Promise<{ items: Warning[]; total: number; counts: { red: number; orange: number; yellow: number } }> {
  const { rows, total, counts } = await listWarnings(
    deps.db,
    scope,
    { period: query.period, status: query.status, level: query.level, rule: query.rule, activeOnly: query.activeOnly === 'true' },
    { limit: query.pageSize, offset: (query.page - 1) * query.pageSize },
  );
  const enterpriseIds = [...new Set(rows.map((r) => r.enterprise_id).filter((id): id is string => id !== null))];
  const enterprises = new Map((await findEnterprisesById(deps.db, enterpriseIds)).map((e) => [e.id, e]));
  const units = await findUnitNames(deps.db, [...new Set(rows.filter((r) => r.subject_kind === 'town').map((r) => r.subject_id))]);
  const chains = new Map((await listChains(deps.db)).map((c) => [c.id, c.name]));
  const items = rows.map((r): Warning => {
    const enterprise = r.enterprise_id ? enterprises.get(r.enterprise_id) : undefined;
    const subjectName = r.subject_kind === 'enterprise' ? (enterprise?.name ?? '') : r.subject_kind === 'town' ? (units.get(r.subject_id) ?? '') : (chains.get(r.subject_id) ?? '');
    return {
      id: r.id,
      period: r.period,
      rule: (WARNING_RULES as readonly string[]).includes(r.rule) ? (r.rule as WarningRule) : 'output_falling',
      subject: { kind: r.subject_kind as 'enterprise' | 'town' | 'chain', id: r.subject_id, name: subjectName },
      town: enterprise ? { id: enterprise.town_id, name: enterprise.town_name } : r.subject_kind === 'town' ? { id: r.subject_id, name: subjectName } : null,
      indicator: isIndicatorCode(r.indicator) ? r.indicator : null,
      level: r.level as Warning['level'],
      reason: r.reason,
      figures: parseFigures(r.figures_json),
      status: r.status as Warning['status'],
      note: r.note,
      active: r.active === 1,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  });
  return { items, total, counts: { red: counts.red ?? 0, orange: counts.orange ?? 0, yellow: counts.yellow ?? 0 } };
}

/**
 * Acknowledges or closes a warning (with a note), or reopens it. Enterprise warnings only within
 * the caller's scope (404 otherwise); town and chain warnings by anyone allowed to import.
 */
export async function updateWarningStatus(deps: Deps, scope: Scope, actor: Actor, id: string, body: { status: Warning['status']; note?: string | null | undefined }): Promise<Warning> {
  const warning = await findWarning(deps.db, id);
  if (!warning) throw notFound('预警');
  if (warning.subject_kind === 'enterprise') {
    const [enterprise] = await findEnterprisesById(deps.db, [warning.enterprise_id ?? '']);
    if (!enterprise || !isInScope(scope, { townId: enterprise.town_id, enterpriseId: enterprise.id })) throw notFound('预警');
  }
  if (body.status === 'closed' && !body.note) throw new AppError('VALIDATION', '关闭预警请填写处理说明', [{ field: 'note', message: '请填写处理说明' }]);
  const at = nowIso(deps.now());
  await deps.db.transaction().execute(async (trx) => {
    await updateWarning(trx, id, { status: body.status, note: body.note ?? warning.note, status_changed_at: at, status_changed_by: actor.name, updated_at: at });
    await deps.audit.append(trx, actor, {
      action: 'monitoring.warning_status',
      entityType: 'monitoring_warning',
      entityId: id,
      before: { status: warning.status, note: warning.note },
      after: { status: body.status, note: body.note ?? warning.note, reason: warning.reason },
    });
  });
  const { items } = await listWarningsFor(deps, scope, { period: warning.period as Period, activeOnly: 'false', page: 1, pageSize: 200 });
  const found = items.find((w) => w.id === id);
  if (found) return found;
  // Outside the first page of its period: present it alone.
  const all = await listWarningsFor(deps, scope, { period: warning.period as Period, activeOnly: 'false', rule: warning.rule, page: 1, pageSize: 200 });
  return all.items.find((w) => w.id === id) ?? all.items[0]!;
}

// ---- settings -----------------------------------------------------------------------------------

export async function getSettings(deps: Deps): Promise<MonitoringSettings> {
  return readMonitoringSettings(deps.db);
}

/** Changes thresholds and the target growth, and re-evaluates the warnings of the latest year. */
export async function updateSettings(deps: Deps, actor: Actor, body: MonitoringSettings): Promise<MonitoringSettings> {
  const next = monitoringSettingsSchema.parse({ ...DEFAULT_MONITORING_SETTINGS, ...body });
  const t = next.outputDropPct;
  if (!(t.yellow <= t.orange && t.orange <= t.red)) {
    throw new AppError('VALIDATION', '产值下降阈值应满足 黄色 ≤ 橙色 ≤ 红色', [{ field: 'outputDropPct', message: '应满足 黄色 ≤ 橙色 ≤ 红色' }]);
  }
  const before = await readMonitoringSettings(deps.db);
  const at = nowIso(deps.now());
  const latest = (await listReportedPeriods(deps.db))[0]?.period;
  await deps.db.transaction().execute(async (trx) => {
    await writeSetting(trx, SETTINGS_KEY, JSON.stringify(next), at);
    if (latest) {
      const year = Number(latest.slice(0, 4));
      const reported = new Set((await listReportedPeriods(trx)).map((p) => p.period));
      await refreshWarnings(trx, periodsOfYear(year).filter((p) => reported.has(p)), at);
    }
    await deps.audit.append(trx, actor, { action: 'monitoring.settings', entityType: 'settings', entityId: SETTINGS_KEY, before, after: next });
  });
  return next;
}
