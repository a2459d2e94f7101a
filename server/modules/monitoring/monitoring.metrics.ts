// The figures targets measure (plan: 规上工业总产值增长 >13%, 专汽产值 +12% …), offered through the
// metric registry: targets read them there and never import this module.
import { INDICATORS, REPORTED_INDICATORS } from '#common/indicators.ts';
import type { IndicatorDefinition, ReportedIndicatorDefinition } from '#common/indicators.ts';
import { isPeriod } from '#common/period.ts';
import type { Period } from '#common/period.ts';
import { convertMoney, fromThousandths, isMoneyUnit } from '#common/quantity.ts';
import type { Deps } from '#server/platform/deps.ts';
import type { MetricQuery, MetricRegistry, MetricSource, MetricValue } from '#server/platform/metrics.ts';
import { loadDistrictConfig } from '#server/modules/org/org.district.ts';
import { comparableRows, keysOf, sumOver } from '#server/modules/monitoring/monitoring.figures.ts';
import { loadPeriod, lastDecemberOf } from '#server/modules/monitoring/monitoring.data.ts';
import { forecastYearEnd, FORECAST_METHOD_LABELS } from '#server/modules/monitoring/monitoring.forecast.ts';
import { findChainIdByCode, findGroupIdByName, listPeriodValues, listReportedValues } from '#server/modules/monitoring/monitoring.repo.ts';

/** A percentage as the registry's decimal string (six decimals are beyond any target). */
function pctString(value: number | null): string | null {
  if (value === null || !Number.isFinite(value)) return null;
  return value.toFixed(6).replace(/\.?0+$/, '') || '0';
}

type Group = { kind: 'district' } | { kind: 'town'; id: string } | { kind: 'chain'; code: string } | { kind: 'group'; name: string };

async function figures(deps: Deps, indicator: IndicatorDefinition, period: string, group: Group) {
  if (!isPeriod(period)) return null;
  const data = await loadPeriod(deps.db, period as Period, [indicator.code]);
  const rows = comparableRows(data, indicator.code);
  let members = [...data.roster.keys()];
  if (group.kind === 'town') members = members.filter((id) => data.roster.get(id)!.townId === group.id);
  if (group.kind === 'chain') {
    const chainId = await findChainIdByCode(deps.db, group.code);
    members = chainId ? members.filter((id) => keysOf(data.roster.get(id)!, 'chain').includes(chainId)) : [];
  }
  if (group.kind === 'group') {
    const groupId = await findGroupIdByName(deps.db, group.name);
    members = groupId ? members.filter((id) => keysOf(data.roster.get(id)!, 'group').includes(groupId)) : [];
  }
  const sums = sumOver(rows, members);
  const december = new Map((await listPeriodValues(deps.db, lastDecemberOf(period as Period), indicator.code)).map((v) => [v.enterpriseId, v.current]));
  let toMonth = 0n;
  let dec = 0n;
  for (const id of members) {
    const r = rows.get(id);
    const d = december.get(id);
    if (r && d !== undefined) {
      toMonth += r.previous;
      dec += d;
    }
  }
  return { sums, lastYear: dec > 0n ? { toMonth, december: dec } : null, month: Number(period.slice(5, 7)) };
}

function groupOf(query: MetricQuery): Group {
  return query.townId ? { kind: 'town', id: query.townId } : { kind: 'district' };
}

function growthSource(indicator: IndicatorDefinition, id: string, label: string, group: (query: MetricQuery) => Group, byTown: boolean): MetricSource {
  return {
    id,
    label,
    unit: '%',
    kind: 'growth',
    origin: 'computed',
    byTown,
    note: `同口径：报送企业本年1–N月累计之和 ÷ 上年同期之和 − 1（${indicator.unit}，现价）；不是增加值增速`,
    compute: async (deps, query): Promise<MetricValue> => {
      const f = await figures(deps, indicator, query.period, group(query));
      if (!f || f.sums.enterprises === 0 || f.sums.previous <= 0n) return { value: null };
      const growth = (Number(f.sums.current - f.sums.previous) / Number(f.sums.previous)) * 100;
      return { value: pctString(growth), current: fromThousandths(f.sums.current), previous: fromThousandths(f.sums.previous), detail: { enterprises: f.sums.enterprises } };
    },
    forecast: async (deps, query) => {
      const f = await figures(deps, indicator, query.period, group(query));
      if (!f) return { value: null, method: FORECAST_METHOD_LABELS.none };
      const result = forecastYearEnd({ month: f.month, current: f.sums.current, previous: f.sums.previous, lastYear: f.lastYear, targetGrowthPct: null, average: indicator.average });
      return { value: pctString(result.projectedGrowthPct), method: FORECAST_METHOD_LABELS[result.method] };
    },
  };
}

/** The 1–N月 total of an indicator over a group (the district or a town by default), money in 亿元. */
function amountSource(
  indicator: IndicatorDefinition,
  options: { id: string; label: string; note: string; group: (query: MetricQuery) => Group; byTown: boolean } = {
    id: `monitoring.${indicator.code}`,
    label: `规上${indicator.name}（1–N月累计）`,
    note: '报送企业本年1–N月累计之和',
    group: groupOf,
    byTown: true,
  },
): MetricSource {
  const money = isMoneyUnit(indicator.unit);
  const unit = money ? '亿元' : indicator.unit;
  const show = (thousandths: bigint) => (money ? convertMoney(fromThousandths(thousandths), '千元', '亿元') : fromThousandths(thousandths));
  const groupOfQuery = options.group;
  return {
    id: options.id,
    label: options.label,
    unit,
    kind: 'amount',
    origin: 'computed',
    byTown: options.byTown,
    note: options.note,
    compute: async (deps, query) => {
      const f = await figures(deps, indicator, query.period, groupOfQuery(query));
      if (!f || f.sums.enterprises === 0) return { value: null };
      return { value: show(f.sums.current), current: show(f.sums.current), previous: show(f.sums.previous), detail: { enterprises: f.sums.enterprises } };
    },
    forecast: async (deps, query) => {
      const f = await figures(deps, indicator, query.period, groupOfQuery(query));
      if (!f) return { value: null, method: FORECAST_METHOD_LABELS.none };
      const result = forecastYearEnd({ month: f.month, current: f.sums.current, previous: f.sums.previous, lastYear: f.lastYear, targetGrowthPct: null, average: indicator.average });
      return { value: result.projected === null ? null : show(result.projected), method: FORECAST_METHOD_LABELS[result.method] };
    },
  };
}

function reportedSource(definition: ReportedIndicatorDefinition): MetricSource {
  return {
    id: `monitoring.${definition.code}`,
    label: `${definition.name}（统计局公布）`,
    unit: definition.unit,
    kind: definition.unit === '%' ? 'growth' : 'amount',
    origin: 'reported',
    byTown: false,
    note: '录入的统计局公布数，按报告期取最新一次录入；不由企业报表推算',
    compute: async (deps, query) => {
      if (query.townId) return { value: null };
      const rows = (await listReportedValues(deps.db, [query.period])).filter((r) => r.code === definition.code);
      const latest = rows[0];
      return { value: latest ? fromThousandths(BigInt(String(latest.value))) : null, detail: latest ? { source: latest.source, enteredAt: latest.entered_at } : undefined };
    },
  };
}

/** Registers the monitoring figures (app.ts, at start-up). Chains and groups come from the district configuration. */
export function registerMonitoringMetrics(registry: MetricRegistry, districtFile: string): void {
  for (const indicator of INDICATORS) {
    registry.register(growthSource(indicator, `monitoring.${indicator.code}_growth`, `规上${indicator.name}增速（同口径）`, groupOf, true));
    registry.register(amountSource(indicator));
  }
  for (const definition of REPORTED_INDICATORS) registry.register(reportedSource(definition));
  let chains: { code: string; name: string }[] = [];
  let groups: { code: string; name: string }[] = [];
  try {
    const config = loadDistrictConfig(districtFile);
    chains = config.chains ?? [];
    groups = config.groups ?? [];
  } catch {
    chains = [];
  }
  const output = INDICATORS.find((i) => i.code === 'output_value')!;
  for (const group of groups) {
    registry.register(
      amountSource(output, {
        id: `monitoring.group_${group.code.toLowerCase()}_output_value`,
        label: `${group.name}工业总产值（1–N月累计）`,
        note: `企业名录中属于「${group.name}」的规上企业本年1–N月工业总产值之和（现价）；成员以企业名录为准，随名录变化`,
        group: () => ({ kind: 'group', name: group.name }),
        byTown: false,
      }),
    );
  }
  for (const chain of chains) {
    registry.register(
      growthSource(output, `monitoring.chain_${chain.code.toLowerCase()}_output_value_growth`, `${chain.name}产业链工业总产值增速（同口径）`, () => ({ kind: 'chain', code: chain.code }), false),
    );
  }
}
