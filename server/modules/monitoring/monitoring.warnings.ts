// Early warning (预警): rules over a period's figures, evaluated after every import and settings
// change. A warning is keyed by (period, rule, subject, indicator); re-evaluation updates what
// still holds, closes what no longer does, and never reopens what a person closed.
import { DEFAULT_MONITORING_SETTINGS, monitoringSettingsSchema } from '#common/contracts/monitoring.ts';
import type { MonitoringSettings, WarningLevel, WarningRule } from '#common/contracts/monitoring.ts';
import { INDICATORS } from '#common/indicators.ts';
import type { IndicatorCode } from '#common/indicators.ts';
import { fromThousandths } from '#common/quantity.ts';
import { formatPeriodZh, previousPeriod } from '#common/period.ts';
import type { Period } from '#common/period.ts';
import type { Db } from '#server/db/client.ts';
import { readSetting } from '#server/platform/settings.ts';
import type { MonitoringWarningsTable } from '#server/db/schema.ts';
import { newId } from '#server/platform/ids.ts';
import { comparableRows, groupFigures, growthPct } from '#server/modules/monitoring/monitoring.figures.ts';
import type { PeriodData, ValueRow } from '#server/modules/monitoring/monitoring.figures.ts';
import { loadPeriod, loadPeriodValues } from '#server/modules/monitoring/monitoring.data.ts';
import type { PeriodValues } from '#server/modules/monitoring/monitoring.data.ts';
import { hasPeriodValues, insertWarnings, lockMonitoringWrites, listChains, listPeriodsOfEnterprises, listReportedPeriods, listTowns, listWarningsOfPeriod, updateWarning } from '#server/modules/monitoring/monitoring.repo.ts';
import type { EnterpriseChange } from '#server/platform/registry-changes.ts';

export const SETTINGS_KEY = 'monitoring.settings';

/** The thresholds in force: the stored settings over the defaults. */
export async function readMonitoringSettings(db: Db): Promise<MonitoringSettings> {
  const raw = await readSetting(db, SETTINGS_KEY);
  if (!raw) return DEFAULT_MONITORING_SETTINGS;
  const parsed = monitoringSettingsSchema.safeParse({ ...DEFAULT_MONITORING_SETTINGS, ...(JSON.parse(raw) as object) });
  return parsed.success ? parsed.data : DEFAULT_MONITORING_SETTINGS;
}

export type WarningCandidate = {
  rule: WarningRule;
  subjectKind: 'enterprise' | 'town' | 'chain';
  subjectId: string;
  indicator: IndicatorCode | '';
  enterpriseId: string | null;
  townId: string | null;
  level: WarningLevel;
  reason: string;
  figures: Record<string, string | number | null>;
};

const pct = (value: number | null) => (value === null ? '—' : `${value.toFixed(1)}%`);
const round = (value: number | null) => (value === null ? null : Math.round(value * 100) / 100);

export type WarningInput = {
  period: Period;
  data: PeriodData;
  /** Values of the period before in the same year (null for 1–2月). */
  before: PeriodData['values'] | null;
  /** Enterprises that filed anything for the period before (null for 1–2月). */
  reportedBefore: ReadonlySet<string> | null;
  towns: readonly { id: string; name: string }[];
  chains: readonly { id: string; name: string }[];
  settings: MonitoringSettings;
};

function levelForDrop(dropPct: number, thresholds: MonitoringSettings['outputDropPct']): WarningLevel | null {
  if (dropPct > thresholds.red) return 'red';
  if (dropPct > thresholds.orange) return 'orange';
  if (dropPct > thresholds.yellow) return 'yellow';
  return null;
}

/**
 * Every warning the rules raise for one period (pure). Rules:
 * - 产值同比下降: an enterprise's output value falls more than the yellow/orange/red thresholds;
 * - 本期未报: a 规上 enterprise filed nothing for the period (orange when it missed the last one too);
 * - 累计值低于上月: a cumulative value below last period's (not profit, not averages);
 * - 产值增长而用电量下降: output up while electricity falls more than Y% (a data check);
 * - 疑似单位错误: a value about 10× or 10000× (or a tenth) of last period's;
 * - 增速低于全区目标: a town's or chain's output growth below the district target (red when negative).
 */
export function evaluateWarnings(input: WarningInput): WarningCandidate[] {
  const { data, settings } = input;
  const out: WarningCandidate[] = [];
  const label = formatPeriodZh(input.period);
  const output = comparableRows(data, 'output_value');
  const electricity = comparableRows(data, 'electricity');
  const reported = new Set<string>();
  for (const rows of data.values.values()) for (const id of rows.keys()) reported.add(id);

  for (const facts of data.roster.values()) {
    const base = { subjectKind: 'enterprise' as const, subjectId: facts.id, enterpriseId: facts.id, townId: facts.townId };
    if (!reported.has(facts.id)) {
      const missedBefore = input.reportedBefore !== null && !input.reportedBefore.has(facts.id);
      out.push({
        ...base,
        rule: 'not_reported',
        indicator: '',
        level: missedBefore ? 'orange' : 'yellow',
        reason: missedBefore ? `${facts.name} ${label}未报送月报，上期也未报送` : `${facts.name} ${label}未报送月报`,
        figures: {},
      });
      continue;
    }
    const o = output.get(facts.id);
    const oGrowth = o ? growthPct(o.current, o.previous) : null;
    if (o && oGrowth !== null) {
      const level = levelForDrop(-oGrowth, settings.outputDropPct);
      if (level) {
        out.push({
          ...base,
          rule: 'output_falling',
          indicator: 'output_value',
          level,
          reason: `${facts.name} ${label}工业总产值同比下降 ${pct(-oGrowth)}`,
          figures: { current: fromThousandths(o.current), previous: fromThousandths(o.previous), growthPct: round(oGrowth) },
        });
      }
    }
    const e = electricity.get(facts.id);
    const eGrowth = e ? growthPct(e.current, e.previous) : null;
    if (oGrowth !== null && oGrowth > 0 && eGrowth !== null && eGrowth < -settings.electricityDropPct) {
      out.push({
        ...base,
        rule: 'output_up_electricity_down',
        indicator: 'electricity',
        level: 'yellow',
        reason: `${facts.name} 工业总产值同比增长 ${pct(oGrowth)}，用电量却下降 ${pct(-eGrowth)}，请核实数据`,
        figures: { outputGrowthPct: round(oGrowth), electricityGrowthPct: round(eGrowth) },
      });
    }
    if (!input.before) continue;
    for (const indicator of INDICATORS) {
      const now = data.values.get(indicator.code)?.get(facts.id);
      const then = input.before.get(indicator.code)?.get(facts.id);
      if (!now || !then) continue;
      if (!indicator.signed && !indicator.average && now.current < then.current) {
        out.push({
          ...base,
          rule: 'cumulative_below_previous',
          indicator: indicator.code,
          level: 'yellow',
          reason: `${facts.name} ${indicator.name}1–本月累计 ${fromThousandths(now.current)}${indicator.unit} 低于上月累计 ${fromThousandths(then.current)}${indicator.unit}`,
          figures: { current: fromThousandths(now.current), lastMonth: fromThousandths(then.current) },
        });
      }
      // A signed value (profit) crosses zero and swings by any factor; no unit slip to see there.
      if (!indicator.signed && isUnitSlip(now, then, settings.unitSlipFactor)) {
        out.push({
          ...base,
          rule: 'unit_slip',
          indicator: indicator.code,
          level: 'yellow',
          reason: `${facts.name} ${indicator.name} ${fromThousandths(now.current)} 约为上月 ${fromThousandths(then.current)} 的 ${ratioText(now.current, then.current)} 倍，疑似单位填错`,
          figures: { current: fromThousandths(now.current), lastMonth: fromThousandths(then.current) },
        });
      }
    }
  }

  for (const [kind, dimension, groups] of [
    ['town', 'town', input.towns],
    ['chain', 'chain', input.chains],
  ] as const) {
    const figures = groupFigures(data, 'output_value', dimension);
    for (const group of groups) {
      const figure = figures.get(group.id);
      if (!figure || figure.enterprises === 0 || figure.growthPct === null) continue;
      const growth = figure.growthPct;
      if (growth >= settings.targetGrowthPct) continue;
      const level: WarningLevel = growth < 0 ? 'red' : settings.targetGrowthPct - growth > settings.belowTargetOrangePts ? 'orange' : 'yellow';
      out.push({
        rule: 'group_below_target',
        subjectKind: kind,
        subjectId: group.id,
        indicator: 'output_value',
        enterpriseId: null,
        townId: kind === 'town' ? group.id : null,
        level,
        reason: `${group.name} ${label}工业总产值增长 ${pct(growth)}，低于全区目标 ${settings.targetGrowthPct}%（差 ${(settings.targetGrowthPct - growth).toFixed(1)} 个百分点）`,
        figures: {
          current: fromThousandths(figure.current),
          previous: fromThousandths(figure.previous),
          growthPct: round(growth),
          targetGrowthPct: settings.targetGrowthPct,
          contributionPts: round(figure.contributionPts),
        },
      });
    }
  }
  return out;
}

/** A value about `factor` times (or 1/factor of) the last period's: the typical 元/千元/万元 slip. */
export function isUnitSlip(now: ValueRow, then: ValueRow, factor: number): boolean {
  const a = now.current < 0n ? -now.current : now.current;
  const b = then.current < 0n ? -then.current : then.current;
  if (a === 0n || b === 0n) return false;
  const f = BigInt(Math.round(factor));
  return a >= b * f || b >= a * f;
}

function ratioText(a: bigint, b: bigint): string {
  const ratio = Number(a) / Number(b);
  return ratio >= 1 ? ratio.toFixed(0) : ratio.toFixed(4);
}

function keyOf(w: { rule: string; subject_kind?: string; subjectKind?: string; subject_id?: string; subjectId?: string; indicator: string }): string {
  return `${w.rule}|${w.subject_kind ?? w.subjectKind}|${w.subject_id ?? w.subjectId}|${w.indicator}`;
}

export const SYSTEM_CLOSE_NOTE = '数据更新后预警条件已消除，系统自动关闭';

/**
 * Re-evaluates the rules for the given periods and brings the stored warnings in line, inside
 * the caller's transaction (the import that changed the data). Returns how many were raised,
 * updated and closed. `known` gives periods' values as they now stand in the transaction (every
 * value of the period, not only the ones written): an import that read the whole period before
 * writing it passes them rather than having 160,000 rows read back.
 */
export async function refreshWarnings(db: Db, periods: readonly Period[], now: string, known: ReadonlyMap<Period, PeriodValues> = new Map()): Promise<{ raised: number; updated: number; closed: number }> {
  await lockMonitoringWrites(db);
  const settings = await readMonitoringSettings(db);
  const [towns, chains] = await Promise.all([listTowns(db), listChains(db)]);
  let raised = 0;
  let updated = 0;
  let closed = 0;
  // Periods run in order, so a run of consecutive months loads each month once (a registry
  // change re-evaluates every period an enterprise reported in).
  let last: { period: string; values: PeriodData['values'] } | null = null;
  for (const period of [...new Set(periods)].sort()) {
    // Nothing filed for the period at all: no rule holds (no "not reported" flood for a period
    // nobody has begun), so the roster is not loaded; stored warnings are still closed.
    const held = known.get(period);
    const anyFiled = held ? [...held.values()].some((rows) => rows.size > 0) : await hasPeriodValues(db, period);
    const data = anyFiled ? await loadPeriod(db, period, undefined, held) : null;
    const beforePeriod = previousPeriod(period);
    // Of the month before only its values are compared.
    const before = anyFiled && beforePeriod ? (last?.period === beforePeriod ? last.values : (known.get(beforePeriod) ?? (await loadPeriodValues(db, beforePeriod)))) : null;
    last = data ? { period, values: data.values } : null;
    let reportedBefore: Set<string> | null = null;
    if (before) {
      reportedBefore = new Set<string>();
      for (const rows of before.values()) for (const id of rows.keys()) reportedBefore.add(id);
      // No one filed last period yet (the start of monitoring): "missed last period too" is unknown.
      if (reportedBefore.size === 0) reportedBefore = null;
    }
    const candidates = data ? evaluateWarnings({ period, data, before, reportedBefore, towns, chains, settings }) : [];
    const existing = new Map((await listWarningsOfPeriod(db, period)).map((w) => [keyOf(w), w]));
    const fresh: MonitoringWarningsTable[] = [];
    const seen = new Set<string>();
    for (const c of candidates) {
      const key = keyOf(c);
      seen.add(key);
      const old = existing.get(key);
      const figuresJson = JSON.stringify(c.figures);
      if (!old) {
        fresh.push({
          id: newId(),
          period,
          rule: c.rule,
          subject_kind: c.subjectKind,
          subject_id: c.subjectId,
          indicator: c.indicator,
          enterprise_id: c.enterpriseId,
          town_id: c.townId,
          level: c.level,
          reason: c.reason,
          figures_json: figuresJson,
          status: 'open',
          note: null,
          active: 1,
          created_at: now,
          updated_at: now,
          status_changed_at: null,
          status_changed_by: null,
        });
        continue;
      }
      const reopen = old.active === 0 && old.status === 'closed' && old.status_changed_by === 'system';
      // town_id too: an enterprise moved to another town takes its warnings to that town's view.
      if (old.level === c.level && old.reason === c.reason && old.figures_json === figuresJson && old.town_id === c.townId && old.active === 1 && !reopen) continue;
      await updateWarning(db, old.id, {
        level: c.level,
        reason: c.reason,
        figures_json: figuresJson,
        active: 1,
        town_id: c.townId,
        updated_at: now,
        ...(reopen ? { status: 'open', note: null, status_changed_at: now, status_changed_by: 'system' } : {}),
      });
      updated++;
    }
    for (const [key, old] of existing) {
      if (seen.has(key) || old.active === 0) continue;
      await updateWarning(db, old.id, {
        active: 0,
        updated_at: now,
        ...(old.status === 'closed' ? {} : { status: 'closed', note: SYSTEM_CLOSE_NOTE, status_changed_at: now, status_changed_by: 'system' }),
      });
      closed++;
    }
    await insertWarnings(db, fresh);
    raised += fresh.length;
  }
  return { raised, updated, closed };
}

/** Registry fields that move an enterprise between the groups (towns, chains) warnings compare. */
const GROUPING_FIELDS = new Set(['townId', 'chainIds']);

/**
 * Keeps the warnings true after a registry write (listener on `deps.registryChanges`, in the
 * write's transaction). A changed 规上 spell changes who counts in any period — "not reported",
 * the enterprise rules and every group total — so every period with reports is re-evaluated
 * (entries and exits are rare); a move to another town or chain changes the group totals of the
 * periods the enterprise reported in, and the town its own warnings are shown to. Other fields (name, address, contacts, tags) touch no rule.
 */
export async function refreshWarningsAfterRegistryChange(db: Db, changes: readonly EnterpriseChange[], now: string): Promise<void> {
  const periods = new Set<string>();
  const spells = changes.filter((c) => c.fields.includes('scale'));
  if (spells.some((c) => !c.created)) {
    for (const p of await listReportedPeriods(db)) periods.add(p.period);
  } else if (spells.length > 0) {
    // A new enterprise counts from its first 规上 period on: earlier periods do not change (a
    // new 规上 entrant used to re-evaluate every period there is, in the save's transaction).
    const from = await firstScalePeriod(db, spells.map((c) => c.enterpriseId));
    if (from !== null) for (const p of await listReportedPeriods(db)) if (p.period >= from) periods.add(p.period);
  }
  const moved = changes.filter((c) => !c.created && c.fields.some((f) => GROUPING_FIELDS.has(f))).map((c) => c.enterpriseId);
  if (moved.length > 0) for (const p of await listPeriodsOfEnterprises(db, moved)) periods.add(p);
  if (periods.size > 0) await refreshWarnings(db, [...periods].sort() as Period[], now);
}

/** The earliest first period of the enterprises' 规上 spells, or null when none has one. */
async function firstScalePeriod(db: Db, enterpriseIds: readonly string[]): Promise<string | null> {
  const row = await db
    .selectFrom('enterprise_scale_history')
    .select((eb) => eb.fn.min('from_period').as('first'))
    .where('enterprise_id', 'in', enterpriseIds)
    .executeTakeFirst();
  return (row?.first as string | null | undefined) ?? null;
}
