import type { Kysely, Transaction } from 'kysely';
import type { Unit } from '#common/contracts/org.ts';
import type { PlanTargetRef, TargetComparator, TargetKind } from '#common/contracts/plans.ts';
import type {
  Bulletin,
  Evaluation,
  ManualValue,
  MetricSourceInfo,
  MyQuotas,
  QuotaRow,
  QuotaView,
  Ranking,
  RankingBody,
  RankingIndicator,
  RankingResult,
  Target,
  TargetDetail,
  TargetSettings,
  TargetStatus,
} from '#common/contracts/targets.ts';
import { beijingToday, isPeriod, makePeriod, monthOf, periodsOfYear, yearOf } from '#common/period.ts';
import type { Period } from '#common/period.ts';
import { convertMoney, isMoneyUnit } from '#common/quantity.ts';
import type { Database, TargetQuotasTable, TargetsTable, TargetValuesTable } from '#server/db/schema.ts';
import type { Actor } from '#server/platform/audit.ts';
import type { Deps } from '#server/platform/deps.ts';
import { readSetting, writeSetting } from '#server/platform/settings.ts';
import { AppError, badRequest, conflict, forbidden, notFound } from '#server/platform/errors.ts';
import { newId, nowIso } from '#server/platform/ids.ts';
import type { MetricSource } from '#server/platform/metrics.ts';
import { convertDocxToPdf } from '#server/platform/pdf.ts';
import type { RequestContext } from '#server/platform/request-context.ts';
import { assertInScope, hasPermission } from '#server/platform/scope.ts';
import type { Scope } from '#server/platform/scope.ts';
import { isTownUnit, listUnits } from '#server/modules/org/org.service.ts';
import { renderBulletinDocx } from '#server/modules/targets/targets.bulletin.ts';
import type { BulletinSnapshot } from '#server/modules/targets/targets.bulletin.ts';
import { canonical, fromNumber } from '#server/modules/targets/targets.decimal.ts';
import {
  DEFAULT_SETTINGS,
  checkQuotas,
  completionPct,
  expectedValue,
  linearForecast,
  statusOf,
  timeProgressPct,
} from '#server/modules/targets/targets.evaluate.ts';
import type { TargetRule } from '#server/modules/targets/targets.evaluate.ts';
import { competitionRanks, scoreTowns } from '#server/modules/targets/targets.ranking.ts';
import {
  countBulletinPeriods,
  deleteTargetRows,
  findBulletinRow,
  findRankingRow,
  findTargetRow,
  insertBulletinRow,
  insertRankingRow,
  insertTargetRows,
  insertValueRow,
  latestValuePeriod,
  listBulletinRows,
  listQuotaRows,
  listRankingRows,
  listTargetRows,
  listValueRows,
  nextBulletinVersion,
  nextTargetSortOrder,
  replaceQuotaRows,
  targetIdsWithQuotas,
  updateRankingRow,
  updateTargetRow,
} from '#server/modules/targets/targets.repo.ts';

type Handle = Kysely<Database>;
type Trx = Transaction<Database>;

// ---- settings and periods ---------------------------------------------------------------------

const SETTINGS_KEY = 'targets.settings';

/** The status thresholds in force: the stored settings over the defaults. */
export async function readTargetSettings(db: Handle): Promise<TargetSettings> {
  const raw = await readSetting(db, SETTINGS_KEY);
  if (!raw) return DEFAULT_SETTINGS;
  return { ...DEFAULT_SETTINGS, ...(JSON.parse(raw) as Partial<TargetSettings>) };
}

/** Changes the thresholds (正常 / 滞后 / 预警 and the `左右` tolerance); audited. */
export async function updateTargetSettings(deps: Deps, ctx: RequestContext, settings: TargetSettings): Promise<TargetSettings> {
  const next = { ...settings, approxTolerance: canonical(settings.approxTolerance) };
  await deps.db.transaction().execute(async (trx) => {
    const before = await readTargetSettings(trx);
    await writeSetting(trx, SETTINGS_KEY, JSON.stringify(next), nowIso(deps.now()));
    await deps.audit.append(trx, ctx.actor, { action: 'target.settings.update', entityType: 'settings', entityId: SETTINGS_KEY, before, after: next });
  });
  return next;
}

/** The reporting period a date falls in (January belongs to the combined 1–2月 period). */
export function periodOfDate(date: string): Period {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return makePeriod(year, Math.max(2, month));
}

/**
 * The period a year's figures are shown for when none is asked: this month for the current
 * year, and for a past year the last month anyone entered figures (else December).
 */
export async function defaultTargetPeriod(deps: Deps, year: number): Promise<Period> {
  const today = periodOfDate(beijingToday(deps.now()));
  if (year === yearOf(today)) return today;
  if (year > yearOf(today)) return makePeriod(year, 2);
  const latest = await latestValuePeriod(deps.db, year);
  return latest && isPeriod(latest) ? latest : makePeriod(year, 12);
}

// ---- measuring through the metric registry ----------------------------------------------------

type Measured = { value: string | null; note: string | null };

/** Reads metric sources once per (source, period, town) within one use case. */
function createMeasurer(deps: Deps) {
  const cache = new Map<string, Promise<Measured>>();
  const forecasts = new Map<string, Promise<{ value: string | null; method: string } | null>>();
  return {
    measure(source: MetricSource, period: Period, townId: string | null, targetUnit: string | null): Promise<Measured> {
      const key = `${source.id}|${period}|${townId ?? ''}|${targetUnit ?? ''}`;
      let hit = cache.get(key);
      if (!hit) {
        hit = (async () => {
          if (townId && !source.byTown) return { value: null, note: '该数据源不分镇街统计' };
          const result = await source.compute(deps, { period, townId });
          return { value: result.value === null ? null : inTargetUnit(result.value, source.unit, targetUnit), note: result.value === null ? '本期暂无数据' : null };
        })();
        cache.set(key, hit);
      }
      return hit;
    },
    forecast(source: MetricSource, period: Period, townId: string | null, targetUnit: string | null) {
      if (!source.forecast) return Promise.resolve(null);
      const key = `${source.id}|${period}|${townId ?? ''}`;
      let hit = forecasts.get(key);
      if (!hit) {
        hit = source.forecast(deps, { period, townId }).then((f) => ({ value: f.value === null ? null : inTargetUnit(f.value, source.unit, targetUnit), method: f.method }));
        forecasts.set(key, hit);
      }
      return hit;
    },
  };
}
type Measurer = ReturnType<typeof createMeasurer>;

/** 亿元 targets read 万元 sources by moving the decimal point; other units pass as they are. */
function inTargetUnit(value: string, sourceUnit: string, targetUnit: string | null): string {
  if (targetUnit && sourceUnit !== targetUnit && isMoneyUnit(sourceUnit) && isMoneyUnit(targetUnit)) return convertMoney(canonical(value), sourceUnit, targetUnit);
  return canonical(value);
}

function ruleOf(row: Pick<TargetsTable, 'kind' | 'comparator' | 'value' | 'tolerance' | 'stock'>, value: string | null = row.value, sourceIsStock = false): TargetRule {
  return { kind: row.kind as TargetKind, comparator: row.comparator as TargetComparator, value, tolerance: row.tolerance, stock: row.stock === 1 || sourceIsStock };
}

/** The newest manual entry for the town (null: district) at or before the period, in the same year. */
function manualActual(values: readonly TargetValuesTable[], targetId: string, period: Period, townId: string | null): TargetValuesTable | null {
  const year = String(yearOf(period));
  let found: TargetValuesTable | null = null;
  for (const v of values) {
    if (v.target_id !== targetId || v.town_id !== townId || !v.period.startsWith(year) || v.period > period) continue;
    if (!found || v.period > found.period || (v.period === found.period && v.entered_at >= found.entered_at)) found = v;
  }
  return found;
}

type EvaluationInput = {
  row: TargetsTable;
  values: readonly TargetValuesTable[];
  period: Period;
  settings: TargetSettings;
  /** A town's quota: evaluated against its value for that town. */
  quota?: { townId: string; value: string };
};

async function evaluate(deps: Deps, measurer: Measurer, input: EvaluationInput): Promise<Evaluation> {
  const { row, period, settings } = input;
  const townId = input.quota?.townId ?? null;
  const bound = row.binding_kind === 'metric' && row.binding_source_id ? deps.metrics.get(row.binding_source_id) : undefined;
  const rule = ruleOf(row, input.quota ? input.quota.value : row.value, bound?.stock === true);
  let actual: string | null = null;
  let note: string | null = null;
  let forecast: { value: string | null; method: string | null } | null = null;
  if (row.binding_kind === 'metric' && row.binding_source_id) {
    const source = deps.metrics.get(row.binding_source_id);
    if (!source) note = `数据源未注册：${row.binding_source_id}`;
    else {
      const measured = await measurer.measure(source, period, townId, row.unit);
      actual = measured.value;
      note = measured.note;
      const f = await measurer.forecast(source, period, townId, row.unit);
      if (f) forecast = f;
    }
  } else if (row.binding_kind === 'manual') {
    const entry = manualActual(input.values, row.id, period, townId);
    actual = entry ? canonical(entry.value) : null;
    if (!entry) note = '本期尚未填报';
    else if (entry.period !== period) note = `沿用 ${entry.period} 填报值`;
  } else {
    note = '尚未绑定数据来源';
  }
  forecast ??= linearForecast(rule, actual, period);
  const expected = expectedValue(rule, period);
  return {
    period,
    actual,
    expected,
    forecast: forecast.value,
    forecastMethod: forecast.method,
    completionPct: actual === null ? null : completionPct(rule, actual),
    timeProgressPct: timeProgressPct(period),
    status: statusOf(rule, actual, period, { ...settings, approxTolerance: row.tolerance }),
    note,
  };
}

// ---- presenting -------------------------------------------------------------------------------

function unitRef(units: ReadonlyMap<string, Unit>, id: string | null): { id: string; name: string } | null {
  if (!id) return null;
  const unit = units.get(id);
  return { id, name: unit?.name ?? '（已停用单位）' };
}

function presentTarget(deps: Deps, row: TargetsTable, evaluation: Evaluation, units: ReadonlyMap<string, Unit>, hasQuotas: boolean): Target {
  const source = row.binding_source_id ? deps.metrics.get(row.binding_source_id) : undefined;
  return {
    id: row.id,
    year: row.year,
    planId: row.plan_id,
    planItemId: row.plan_item_id,
    itemLabel: row.item_label,
    origin: row.origin as Target['origin'],
    subject: row.subject,
    text: row.text,
    comparator: row.comparator as TargetComparator,
    value: row.value,
    unit: row.unit,
    kind: row.kind as TargetKind,
    stock: row.stock === 1 || source?.stock === true,
    tolerance: row.tolerance,
    base: row.base,
    relatedKey: row.related_key,
    ownerUnit: unitRef(units, row.owner_unit_id),
    binding: {
      kind: row.binding_kind as Target['binding']['kind'],
      sourceId: row.binding_source_id,
      sourceLabel: source?.label ?? null,
      registered: row.binding_kind !== 'metric' || source !== undefined,
    },
    hasQuotas,
    evaluation,
  };
}

async function unitMap(db: Handle): Promise<Map<string, Unit>> {
  return new Map((await listUnits(db)).map((u) => [u.id, u]));
}

async function requireTarget(db: Handle, id: string): Promise<TargetsTable> {
  const row = await findTargetRow(db, id);
  if (!row) throw notFound('目标');
  return row;
}

function periodOr(period: string | undefined, fallback: Period): Period {
  return period && isPeriod(period) ? period : fallback;
}

// ---- reading ----------------------------------------------------------------------------------

/**
 * The targets of a year (or of a plan) with their standing for a period: actual, expected by
 * time progress, forecast and status. Targets are district aggregates: every reader sees them.
 */
export async function listTargets(deps: Deps, _ctx: RequestContext, query: { year?: number | undefined; planId?: string | undefined; period?: string | undefined }): Promise<{ period: string; items: Target[] }> {
  const year = query.year ?? (query.period ? yearOf(query.period as Period) : yearOf(periodOfDate(beijingToday(deps.now()))));
  const rows = await listTargetRows(deps.db, { year: query.planId ? undefined : year, planId: query.planId });
  const effectiveYear = rows[0]?.year ?? year;
  const period = periodOr(query.period, await defaultTargetPeriod(deps, effectiveYear));
  const [values, settings, units, withQuotas] = await Promise.all([
    listValueRows(deps.db, rows.map((r) => r.id), null).then((all) => all.filter((v) => v.town_id === null)),
    readTargetSettings(deps.db),
    unitMap(deps.db),
    targetIdsWithQuotas(deps.db, rows.map((r) => r.id)),
  ]);
  const measurer = createMeasurer(deps);
  const items: Target[] = [];
  for (const row of rows) {
    const evaluation = await evaluate(deps, measurer, { row, values, period: samePeriodIn(period, row.year), settings });
    items.push(presentTarget(deps, row, evaluation, units, withQuotas.has(row.id)));
  }
  return { period, items };
}

/** A period moved into a target's own year (the same month). */
function samePeriodIn(period: Period, year: number): Period {
  return yearOf(period) === year ? period : makePeriod(year, monthOf(period));
}

/**
 * One target: its standing and month-by-month history, its manual entries with evidence, the
 * quotas the caller may see (a town: its own) with the decomposition check, and the targets
 * that measure the same subject.
 */
export async function getTarget(deps: Deps, ctx: RequestContext, id: string, periodQuery?: string): Promise<TargetDetail> {
  const row = await requireTarget(deps.db, id);
  const period = samePeriodIn(periodOr(periodQuery, await defaultTargetPeriod(deps, row.year)), row.year);
  const scope = ctx.principal.scope;
  const [allValues, settings, units] = await Promise.all([listValueRows(deps.db, [row.id], scope), readTargetSettings(deps.db), unitMap(deps.db)]);
  const measurer = createMeasurer(deps);
  const districtValues = allValues.filter((v) => v.town_id === null);
  const evaluation = await evaluate(deps, measurer, { row, values: districtValues, period, settings });
  const history: Evaluation[] = [];
  for (const p of periodsOfYear(row.year)) {
    if (p > period) break;
    history.push(await evaluate(deps, measurer, { row, values: districtValues, period: p, settings }));
  }
  const quotas = await quotaView(deps, measurer, row, period, scope, settings, allValues, units);
  const related = row.related_key ? (await listTargetRows(deps.db, { year: row.year })).filter((t) => t.related_key === row.related_key && t.id !== row.id) : [];
  const manualValues: ManualValue[] = allValues
    .map((v) => ({ id: v.id, period: v.period, town: unitRef(units, v.town_id), value: canonical(v.value), evidence: v.evidence, enteredBy: v.entered_by, enteredAt: v.entered_at }))
    .reverse();
  return {
    ...presentTarget(deps, row, evaluation, units, (await targetIdsWithQuotas(deps.db, [row.id])).has(row.id)),
    history,
    manualValues,
    quotas,
    related: related.map((t) => ({
      id: t.id,
      subject: t.subject,
      text: t.text,
      comparator: t.comparator as TargetComparator,
      value: t.value,
      unit: t.unit,
      kind: t.kind as TargetKind,
      itemLabel: t.item_label,
    })),
  };
}

async function quotaView(
  deps: Deps,
  measurer: Measurer,
  row: TargetsTable,
  period: Period,
  scope: Scope,
  settings: TargetSettings,
  values: readonly TargetValuesTable[],
  units: ReadonlyMap<string, Unit>,
): Promise<QuotaView> {
  const all = await listQuotaRows(deps.db, [row.id], null);
  const visible = all.filter((q) => scope.kind === 'all' || (scope.kind === 'town' && scope.unitIds.includes(q.town_id)));
  const rows: QuotaRow[] = [];
  for (const quota of sortByUnit(visible, units)) rows.push(await presentQuota(deps, measurer, row, quota, period, settings, values, units));
  const check = checkQuotas(
    { ...ruleOf(row), base: row.base, unit: row.unit },
    all.map((q) => ({ townId: q.town_id, value: q.value, base: q.base })),
  );
  return { targetId: row.id, period, rows, check };
}

async function presentQuota(
  deps: Deps,
  measurer: Measurer,
  row: TargetsTable,
  quota: TargetQuotasTable,
  period: Period,
  settings: TargetSettings,
  values: readonly TargetValuesTable[],
  units: ReadonlyMap<string, Unit>,
): Promise<QuotaRow> {
  const evaluation = await evaluate(deps, measurer, { row, values, period, settings, quota: { townId: quota.town_id, value: quota.value } });
  return {
    id: quota.id,
    town: unitRef(units, quota.town_id)!,
    value: quota.value,
    base: quota.base,
    note: quota.note,
    actual: evaluation.actual,
    completionPct: evaluation.completionPct,
    status: evaluation.status,
  };
}

function sortByUnit<T extends { town_id: string }>(rows: readonly T[], units: ReadonlyMap<string, Unit>): T[] {
  const order = new Map([...units.keys()].map((id, index) => [id, index]));
  return [...rows].sort((a, b) => (order.get(a.town_id) ?? 0) - (order.get(b.town_id) ?? 0));
}

/** The decomposition of one target as the caller may see it. */
export async function getQuotas(deps: Deps, ctx: RequestContext, id: string, periodQuery?: string): Promise<QuotaView> {
  const row = await requireTarget(deps.db, id);
  const period = samePeriodIn(periodOr(periodQuery, await defaultTargetPeriod(deps, row.year)), row.year);
  const [values, settings, units] = await Promise.all([listValueRows(deps.db, [row.id], ctx.principal.scope), readTargetSettings(deps.db), unitMap(deps.db)]);
  return quotaView(deps, createMeasurer(deps), row, period, ctx.principal.scope, settings, values, units);
}

/** A town's own quotas across the year's targets. */
export async function listMyQuotas(deps: Deps, ctx: RequestContext, query: { year?: number | undefined; period?: string | undefined }): Promise<MyQuotas> {
  const year = query.year ?? (query.period ? yearOf(query.period as Period) : yearOf(periodOfDate(beijingToday(deps.now()))));
  const period = samePeriodIn(periodOr(query.period, await defaultTargetPeriod(deps, year)), year);
  const targets = await listTargetRows(deps.db, { year });
  const quotas = await listQuotaRows(deps.db, targets.map((t) => t.id), ctx.principal.scope);
  const [values, settings, units] = await Promise.all([listValueRows(deps.db, targets.map((t) => t.id), ctx.principal.scope), readTargetSettings(deps.db), unitMap(deps.db)]);
  const measurer = createMeasurer(deps);
  const items: MyQuotas['items'] = [];
  for (const target of targets) {
    for (const quota of sortByUnit(quotas.filter((q) => q.target_id === target.id), units)) {
      items.push({
        targetId: target.id,
        subject: target.subject,
        kind: target.kind as TargetKind,
        comparator: target.comparator as TargetComparator,
        unit: target.unit,
        districtValue: target.value,
        quota: await presentQuota(deps, measurer, target, quota, period, settings, values, units),
      });
    }
  }
  return { period, items };
}

/** The metric sources registered in this installation, for choosing a binding. */
export function listMetricSources(deps: Deps): MetricSourceInfo[] {
  return deps.metrics.list().map((s) => ({ ...s, ...(s.note === undefined ? {} : { note: s.note }) }));
}

// ---- changing targets -------------------------------------------------------------------------

function targetSnapshot(row: TargetsTable) {
  return {
    subject: row.subject,
    comparator: row.comparator,
    value: row.value,
    unit: row.unit,
    kind: row.kind,
    stock: row.stock,
    tolerance: row.tolerance,
    base: row.base,
    ownerUnitId: row.owner_unit_id,
    binding: { kind: row.binding_kind, sourceId: row.binding_source_id },
  };
}

/** A target entered by hand (not read from a plan). */
export async function createTarget(
  deps: Deps,
  ctx: RequestContext,
  body: { year: number; subject: string; text: string; comparator: TargetComparator; value: string | null; unit: string | null; kind: TargetKind; stock?: boolean | undefined },
): Promise<Target> {
  if (body.kind !== 'milestone' && body.value === null) throw badRequest('请填写目标值（节点类目标除外）');
  const id = newId();
  await deps.db.transaction().execute(async (trx) => {
    const at = nowIso(deps.now());
    const row: TargetsTable = {
      id,
      year: body.year,
      plan_id: null,
      plan_item_id: null,
      item_label: null,
      origin: 'manual',
      subject: body.subject,
      text: body.text,
      comparator: body.comparator,
      value: body.kind === 'milestone' || body.value === null ? null : canonical(body.value),
      unit: body.kind === 'milestone' ? null : body.unit,
      kind: body.kind,
      stock: body.stock ? 1 : 0,
      tolerance: (await readTargetSettings(trx)).approxTolerance,
      base: null,
      related_key: null,
      owner_unit_id: null,
      binding_kind: body.kind === 'milestone' ? 'manual' : 'none',
      binding_source_id: null,
      sort_order: await nextTargetSortOrder(trx, body.year),
      created_at: at,
      updated_at: at,
    };
    await insertTargetRows(trx, [row]);
    await deps.audit.append(trx, ctx.actor, { action: 'target.create', entityType: 'target', entityId: id, after: targetSnapshot(row) });
  });
  return (await listTargets(deps, ctx, { year: body.year })).items.find((t) => t.id === id)!;
}

/** Corrects a target's reading of the plan (subject, comparator, value, unit, kind), tolerance, base, owner. */
export async function updateTarget(
  deps: Deps,
  ctx: RequestContext,
  id: string,
  body: {
    subject?: string | undefined;
    comparator?: TargetComparator | undefined;
    value?: string | null | undefined;
    unit?: string | null | undefined;
    kind?: TargetKind | undefined;
    stock?: boolean | undefined;
    tolerance?: string | undefined;
    base?: string | null | undefined;
    ownerUnitId?: string | null | undefined;
  },
): Promise<TargetDetail> {
  await deps.db.transaction().execute(async (trx) => {
    const row = await requireTarget(trx, id);
    if (body.ownerUnitId) {
      const unit = (await listUnits(trx)).find((u) => u.id === body.ownerUnitId && u.active);
      if (!unit) throw badRequest('责任单位不存在或已停用');
    }
    const kind = body.kind ?? (row.kind as TargetKind);
    const patch: Partial<TargetsTable> = {
      ...(body.subject === undefined ? {} : { subject: body.subject }),
      ...(body.comparator === undefined ? {} : { comparator: body.comparator }),
      ...(body.value === undefined ? {} : { value: body.value === null ? null : canonical(body.value) }),
      ...(body.unit === undefined ? {} : { unit: body.unit }),
      ...(body.kind === undefined ? {} : { kind: body.kind }),
      ...(body.stock === undefined ? {} : { stock: body.stock ? 1 : 0 }),
      ...(body.tolerance === undefined ? {} : { tolerance: canonical(body.tolerance) }),
      ...(body.base === undefined ? {} : { base: body.base === null ? null : canonical(body.base) }),
      ...(body.ownerUnitId === undefined ? {} : { owner_unit_id: body.ownerUnitId }),
      updated_at: nowIso(deps.now()),
    };
    const next = { ...row, ...patch };
    if (kind !== 'milestone' && next.value === null) throw badRequest('请填写目标值（节点类目标除外）');
    if (next.tolerance.startsWith('-')) throw badRequest('容差不能为负数');
    await updateTargetRow(trx, id, patch);
    await deps.audit.append(trx, ctx.actor, { action: 'target.update', entityType: 'target', entityId: id, before: targetSnapshot(row), after: targetSnapshot(next) });
  });
  return getTarget(deps, ctx, id);
}

const KIND_WORDS: Record<string, string> = { growth: '增速', count: '数量', amount: '总量', share: '比重', milestone: '节点' };

/**
 * Binds a target to where its actual comes from: a registered metric source (a monitoring
 * indicator, a reported district indicator, a count over a register), manual reports, or
 * nothing. A value-added target is never bound to anything but a value-added figure: value
 * added is real growth at comparable prices published by the statistics bureau, and growth of
 * output value is not it.
 */
export async function bindTarget(deps: Deps, ctx: RequestContext, id: string, body: { kind: 'none' | 'metric' | 'manual'; sourceId?: string | null | undefined }): Promise<TargetDetail> {
  await deps.db.transaction().execute(async (trx) => {
    const row = await requireTarget(trx, id);
    let sourceId: string | null = null;
    if (body.kind === 'metric') {
      if (!body.sourceId) throw badRequest('请选择数据源');
      const source = deps.metrics.get(body.sourceId);
      if (!source) throw badRequest(`数据源 ${body.sourceId} 未注册：请从列表中选择`);
      if (row.kind === 'milestone') throw badRequest('节点类目标没有数值，只能手工填报完成情况');
      if (source.kind !== row.kind) {
        throw badRequest(`目标是${KIND_WORDS[row.kind] ?? row.kind}，数据源「${source.label}」是${KIND_WORDS[source.kind] ?? source.kind}，不能绑定：请选择同类数据源`);
      }
      if (/增加值/.test(row.subject) && !/增加值/.test(source.label)) {
        throw badRequest(
          `「${row.subject}」是统计局公布的可比价增加值，不能用「${source.label}」代替（产值增速不是增加值增速）：请选择“统计局公布指标”中的增加值，或改为手工填报`,
        );
      }
      sourceId = source.id;
    }
    const patch = { binding_kind: body.kind, binding_source_id: sourceId, updated_at: nowIso(deps.now()) };
    await updateTargetRow(trx, id, patch);
    await deps.audit.append(trx, ctx.actor, {
      action: 'target.bind',
      entityType: 'target',
      entityId: id,
      before: { kind: row.binding_kind, sourceId: row.binding_source_id },
      after: { kind: body.kind, sourceId },
    });
  });
  return getTarget(deps, ctx, id);
}

/**
 * A manual value with its evidence (history kept: every entry stays, the newest of a period
 * counts). The district figure needs targets.manage; a town may report its own figure against
 * its quota (plans.report), and another town's answers 404.
 */
export async function addManualValue(
  deps: Deps,
  ctx: RequestContext,
  id: string,
  body: { period: string; townId?: string | null | undefined; value: string; evidence: string },
): Promise<TargetDetail> {
  await recordManualValue(deps, ctx, id, body);
  return getTarget(deps, ctx, id, body.period);
}

/** The write of addManualValue. */
export async function recordManualValue(
  deps: Deps,
  ctx: RequestContext,
  id: string,
  body: { period: string; townId?: string | null | undefined; value: string; evidence: string },
): Promise<void> {
  const { principal, actor } = ctx;
  const townId = body.townId ?? null;
  await deps.db.transaction().execute(async (trx) => {
    const row = await requireTarget(trx, id);
    if (townId === null) {
      if (!hasPermission(principal, 'targets.manage')) throw forbidden('全区数值由目标责任股室填报');
    } else {
      const units = await listUnits(trx);
      const town = units.find((u) => u.id === townId);
      if (!town || !isTownUnit(town)) throw notFound('镇街');
      assertInScope(principal.scope, { townId }, '镇街');
      if (!hasPermission(principal, 'targets.manage') && !hasPermission(principal, 'plans.report')) throw forbidden();
      const quota = (await listQuotaRows(trx, [id], null)).find((q) => q.town_id === townId);
      if (!quota) throw badRequest(`${town.name}没有这项目标的分解任务，无需填报`);
    }
    if (row.binding_kind !== 'manual') throw conflict('该目标不是手工填报的（由数据源取数或尚未绑定）：请先把数据来源设为“手工填报”');
    if (yearOf(body.period as Period) !== row.year) throw badRequest(`报告期应在 ${row.year} 年内`);
    if (row.kind === 'milestone' && !['0', '1'].includes(canonical(body.value))) throw badRequest('节点类目标填 1（已完成）或 0（未完成）');
    const entry: TargetValuesTable = {
      id: newId(),
      target_id: id,
      town_id: townId,
      period: body.period,
      value: canonical(body.value),
      evidence: body.evidence,
      entered_by: actor.name,
      entered_at: nowIso(deps.now()),
    };
    await insertValueRow(trx, entry);
    await deps.audit.append(trx, actor, { action: 'target.value.add', entityType: 'target', entityId: id, after: { period: entry.period, townId, value: entry.value, evidence: entry.evidence } });
  });
}

/**
 * 任务分解: replaces a target's town quotas. Counts and amounts must add up to the district
 * target (refused otherwise); growth quotas are saved and the consistency check warns.
 */
export async function setQuotas(
  deps: Deps,
  ctx: RequestContext,
  id: string,
  body: { quotas: { townId: string; value: string; base?: string | null | undefined; note?: string | null | undefined }[] },
): Promise<QuotaView> {
  await deps.db.transaction().execute(async (trx) => {
    const row = await requireTarget(trx, id);
    if (row.kind === 'milestone' || row.value === null) throw badRequest('节点类目标不能分解到镇街');
    const units = await listUnits(trx);
    const seen = new Set<string>();
    for (const quota of body.quotas) {
      const town = units.find((u) => u.id === quota.townId);
      if (!town || !isTownUnit(town) || !town.active) throw badRequest(`${town?.name ?? quota.townId} 不是镇街，不能分解任务`);
      if (seen.has(quota.townId)) throw badRequest(`${town.name}重复出现`);
      seen.add(quota.townId);
    }
    const check = checkQuotas(
      { ...ruleOf(row), base: row.base, unit: row.unit },
      body.quotas.map((q) => ({ townId: q.townId, value: canonical(q.value), base: q.base ? canonical(q.base) : null })),
    );
    if ((row.kind === 'count' || row.kind === 'amount') && !check.ok) throw badRequest(check.messages.join('；'), { sum: check.sum, target: check.target });
    const before = (await listQuotaRows(trx, [id], null)).map((q) => ({ townId: q.town_id, value: q.value, base: q.base, note: q.note }));
    const at = nowIso(deps.now());
    const rows: TargetQuotasTable[] = body.quotas.map((q) => ({
      id: newId(),
      target_id: id,
      town_id: q.townId,
      value: canonical(q.value),
      base: q.base ? canonical(q.base) : null,
      note: q.note ?? null,
      created_at: at,
      updated_at: at,
    }));
    await replaceQuotaRows(trx, id, rows);
    await deps.audit.append(trx, ctx.actor, {
      action: 'target.quotas.set',
      entityType: 'target',
      entityId: id,
      before,
      after: { quotas: rows.map((q) => ({ townId: q.town_id, value: q.value, base: q.base, note: q.note })), check: { ok: check.ok, messages: check.messages } },
    });
  });
  return getQuotas(deps, ctx, id);
}

// ---- targets read from a plan (called by the plans module inside its transaction) ------------

export type PlanTargetInput = {
  planItemId: string | null;
  itemLabel: string | null;
  subject: string;
  text: string;
  comparator: TargetComparator;
  value: number | null;
  unit: string | null;
  kind: TargetKind;
  /** A level (valid total) rather than a quantity accumulated through the year. */
  stock: boolean;
  relatedKey: string | null;
};

/** Creates the targets of a saved plan in the caller's transaction; one audit record for all. */
export async function insertPlanTargets(deps: Deps, trx: Trx, actor: Actor, plan: { id: string; year: number }, inputs: readonly PlanTargetInput[]): Promise<string[]> {
  const at = nowIso(deps.now());
  const tolerance = (await readTargetSettings(trx)).approxTolerance;
  let order = await nextTargetSortOrder(trx, plan.year);
  const rows: TargetsTable[] = inputs.map((t) => ({
    id: newId(),
    year: plan.year,
    plan_id: plan.id,
    plan_item_id: t.planItemId,
    item_label: t.itemLabel,
    origin: t.planItemId ? 'item' : 'main',
    subject: t.subject,
    text: t.text,
    comparator: t.comparator,
    value: t.value === null || t.kind === 'milestone' ? null : fromNumber(t.value, 6),
    unit: t.kind === 'milestone' ? null : t.unit,
    kind: t.kind,
    stock: t.stock ? 1 : 0,
    tolerance,
    base: null,
    related_key: t.relatedKey,
    owner_unit_id: null,
    binding_kind: t.kind === 'milestone' ? 'manual' : 'none',
    binding_source_id: null,
    sort_order: order++,
    created_at: at,
    updated_at: at,
  }));
  await insertTargetRows(trx, rows);
  if (rows.length) {
    await deps.audit.append(trx, actor, {
      action: 'target.create_from_plan',
      entityType: 'plan',
      entityId: plan.id,
      after: rows.map((r) => ({ id: r.id, subject: r.subject, comparator: r.comparator, value: r.value, unit: r.unit, kind: r.kind })),
    });
  }
  return rows.map((r) => r.id);
}

/** Removes a plan's targets (and their values and quotas) in the caller's transaction. */
export async function deletePlanTargets(deps: Deps, trx: Trx, actor: Actor, planId: string): Promise<void> {
  const rows = await listTargetRows(trx, { planId });
  await deleteTargetRows(trx, rows.map((r) => r.id));
  if (rows.length) await deps.audit.append(trx, actor, { action: 'target.delete_with_plan', entityType: 'plan', entityId: planId, before: rows.map(targetSnapshot) });
}

/** The targets of a plan or of some of its items, as the plan pages show them. */
export async function listPlanTargetRefs(db: Handle, filter: { planId?: string; planItemIds?: readonly string[] }): Promise<(PlanTargetRef & { planItemId: string | null })[]> {
  const rows = await listTargetRows(db, filter);
  return rows.map((r) => ({
    id: r.id,
    planItemId: r.plan_item_id,
    subject: r.subject,
    comparator: r.comparator as TargetComparator,
    value: r.value,
    unit: r.unit,
    kind: r.kind as TargetKind,
    text: r.text,
  }));
}

/** Binds a plan's target the way the demo district does it: no registry check (sources register later at start-up). */
export async function bindTargetUnchecked(deps: Deps, trx: Trx, actor: Actor, id: string, binding: { kind: 'metric' | 'manual' | 'none'; sourceId: string | null; base?: string | null }): Promise<void> {
  const row = await requireTarget(trx, id);
  await updateTargetRow(trx, id, { binding_kind: binding.kind, binding_source_id: binding.sourceId, ...(binding.base === undefined ? {} : { base: binding.base }), updated_at: nowIso(deps.now()) });
  await deps.audit.append(trx, actor, {
    action: 'target.bind',
    entityType: 'target',
    entityId: id,
    before: { kind: row.binding_kind, sourceId: row.binding_source_id },
    after: { kind: binding.kind, sourceId: binding.sourceId },
  });
}

// ---- rankings ---------------------------------------------------------------------------------

function presentRanking(row: { id: string; year: number; name: string; method: string; cap_pct: number | null; indicators_json: string; created_at: string; updated_at: string }): Ranking {
  return {
    id: row.id,
    year: row.year,
    name: row.name,
    method: row.method as Ranking['method'],
    capPct: row.cap_pct,
    indicators: JSON.parse(row.indicators_json) as RankingIndicator[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function listRankings(deps: Deps, year?: number): Promise<Ranking[]> {
  return (await listRankingRows(deps.db, year)).map(presentRanking);
}

async function checkIndicators(deps: Deps, db: Handle, body: RankingBody, trustSources = false): Promise<RankingIndicator[]> {
  const keys = new Set<string>();
  const out: RankingIndicator[] = [];
  for (const indicator of body.indicators) {
    if (keys.has(indicator.key)) throw badRequest(`排序指标「${indicator.label}」重复`);
    keys.add(indicator.key);
    if (indicator.kind === 'quota') {
      const target = indicator.targetId ? await findTargetRow(db, indicator.targetId) : undefined;
      if (!target) throw badRequest(`排序指标「${indicator.label}」没有选择已分解的目标`);
      if (target.year !== body.year) throw badRequest(`排序指标「${indicator.label}」的目标不是 ${body.year} 年的`);
      out.push({ ...indicator, targetId: target.id, sourceId: null });
    } else {
      const source = indicator.sourceId ? deps.metrics.get(indicator.sourceId) : undefined;
      if (!source && !(trustSources && indicator.sourceId)) throw badRequest(`排序指标「${indicator.label}」的数据源未注册`);
      if (source && !source.byTown) throw badRequest(`数据源「${source.label}」不分镇街统计，不能用于镇街排序`);
      out.push({ ...indicator, sourceId: indicator.sourceId ?? null, targetId: null });
    }
  }
  return out;
}

/**
 * A ranking definition: which indicators, which scoring method, the completion cap. The demo
 * loader trusts metric source ids that register only when the app starts.
 */
export async function createRanking(deps: Deps, ctx: RequestContext, body: RankingBody, options: { trustSources?: boolean } = {}): Promise<Ranking> {
  const id = newId();
  await deps.db.transaction().execute(async (trx) => {
    const indicators = await checkIndicators(deps, trx, body, options.trustSources);
    const at = nowIso(deps.now());
    const row = { id, year: body.year, name: body.name, method: body.method, cap_pct: body.capPct ?? null, indicators_json: JSON.stringify(indicators), created_at: at, updated_at: at };
    await insertRankingRow(trx, row);
    await deps.audit.append(trx, ctx.actor, { action: 'ranking.create', entityType: 'ranking', entityId: id, after: presentRanking(row) });
  });
  return presentRanking((await findRankingRow(deps.db, id))!);
}

export async function updateRanking(deps: Deps, ctx: RequestContext, id: string, body: RankingBody): Promise<Ranking> {
  await deps.db.transaction().execute(async (trx) => {
    const row = await findRankingRow(trx, id);
    if (!row) throw notFound('排序方案');
    const indicators = await checkIndicators(deps, trx, body);
    const patch = { year: body.year, name: body.name, method: body.method, cap_pct: body.capPct ?? null, indicators_json: JSON.stringify(indicators), updated_at: nowIso(deps.now()) };
    await updateRankingRow(trx, id, patch);
    await deps.audit.append(trx, ctx.actor, { action: 'ranking.update', entityType: 'ranking', entityId: id, before: presentRanking(row), after: presentRanking({ ...row, ...patch }) });
  });
  return presentRanking((await findRankingRow(deps.db, id))!);
}

/**
 * The monthly ranking of towns: every active town, each indicator's rate (completion % of
 * its quota, or the metric's value), the score by the chosen method, and competition ranks
 * (ties share a rank, the next is skipped). An aggregate: every reader sees all towns.
 */
export async function computeRanking(deps: Deps, id: string, periodQuery?: string): Promise<RankingResult> {
  const row = await findRankingRow(deps.db, id);
  if (!row) throw notFound('排序方案');
  const ranking = presentRanking(row);
  const period = samePeriodIn(periodOr(periodQuery, await defaultTargetPeriod(deps, ranking.year)), ranking.year);
  const units = await unitMap(deps.db);
  const towns = [...units.values()].filter((u) => isTownUnit(u) && u.active);
  const settings = await readTargetSettings(deps.db);
  const measurer = createMeasurer(deps);
  const cells = new Map<string, Map<string, RankingResult['rows'][number]['cells'][number]>>(towns.map((t) => [t.id, new Map()]));
  const indicatorInfo: RankingResult['indicators'] = [];
  for (const indicator of ranking.indicators) {
    if (indicator.kind === 'quota') {
      const target = indicator.targetId ? await findTargetRow(deps.db, indicator.targetId) : undefined;
      indicatorInfo.push({ key: indicator.key, label: indicator.label, kind: 'quota', weight: indicator.weight, unit: '%' });
      const quotas = target ? await listQuotaRows(deps.db, [target.id], null) : [];
      const values = target ? await listValueRows(deps.db, [target.id], null) : [];
      for (const town of towns) {
        const quota = quotas.find((q) => q.town_id === town.id);
        if (!target || !quota) {
          cells.get(town.id)!.set(indicator.key, { key: indicator.key, actual: null, quota: null, rate: null, points: null, status: 'no_data' });
          continue;
        }
        const e = await evaluate(deps, measurer, { row: target, values, period, settings, quota: { townId: town.id, value: quota.value } });
        cells.get(town.id)!.set(indicator.key, { key: indicator.key, actual: e.actual, quota: quota.value, rate: e.completionPct, points: null, status: e.status });
      }
    } else {
      const source = indicator.sourceId ? deps.metrics.get(indicator.sourceId) : undefined;
      indicatorInfo.push({ key: indicator.key, label: indicator.label, kind: 'metric', weight: indicator.weight, unit: source?.unit ?? '' });
      for (const town of towns) {
        const measured = source ? await measurer.measure(source, period, town.id, source.unit) : { value: null };
        const rate = measured.value === null ? null : Number(measured.value);
        const status: TargetStatus = rate === null ? 'no_data' : 'normal';
        cells.get(town.id)!.set(indicator.key, { key: indicator.key, actual: measured.value, quota: null, rate, points: null, status });
      }
    }
  }
  const scores = scoreTowns(
    ranking.method,
    ranking.indicators.map((i) => ({ key: i.key, weight: i.weight, higherIsBetter: i.higherIsBetter })),
    towns.map((t) => ({ townId: t.id, rates: Object.fromEntries([...cells.get(t.id)!.values()].map((c) => [c.key, c.rate])) })),
    ranking.capPct,
  );
  const ranks = competitionRanks(scores.map((s) => s.score));
  const rows = towns.map((town, index) => ({
    town: { id: town.id, name: town.name },
    rank: ranks[index]!,
    score: scores[index]!.score,
    cells: ranking.indicators.map((i) => ({ ...cells.get(town.id)!.get(i.key)!, points: scores[index]!.points[i.key] ?? null })),
  }));
  rows.sort((a, b) => a.rank - b.rank);
  return { rankingId: ranking.id, name: ranking.name, period, method: ranking.method, indicators: indicatorInfo, rows };
}

// ---- bulletins --------------------------------------------------------------------------------

function presentBulletin(row: { id: string; ranking_id: string; ranking_name: string; period: string; version: number; number: string; title: string; issue_date: string; generated_at: string; generated_by: string }): Bulletin {
  return {
    id: row.id,
    rankingId: row.ranking_id,
    rankingName: row.ranking_name,
    period: row.period,
    version: Number(row.version),
    number: row.number,
    title: row.title,
    issueDate: row.issue_date,
    generatedAt: row.generated_at,
    generatedBy: row.generated_by,
  };
}

export async function listBulletins(deps: Deps, filter: { period?: string | undefined; rankingId?: string | undefined }): Promise<Bulletin[]> {
  return (await listBulletinRows(deps.db, filter)).map(presentBulletin);
}

/**
 * Generates the month's bulletin from the ranking and the plan's main targets, keeping the
 * figures it used; generating again for the same month adds a new version (regenerated with
 * the current figures), so earlier versions stay as they were issued.
 */
export async function generateBulletin(
  deps: Deps,
  ctx: RequestContext,
  body: { rankingId: string; period: string; number?: string | undefined; title?: string | undefined; issueDate?: string | undefined },
): Promise<Bulletin> {
  const ranking = await findRankingRow(deps.db, body.rankingId);
  if (!ranking) throw notFound('排序方案');
  const period = body.period as Period;
  if (yearOf(period) !== ranking.year) throw badRequest(`报告期应在排序方案的 ${ranking.year} 年内`);
  const result = await computeRanking(deps, ranking.id, period);
  const targets = (await listTargets(deps, ctx, { year: ranking.year, period })).items.filter((t) => t.origin === 'main');
  const units = await listUnits(deps.db);
  const issuer = units.find((u) => u.kind === 'bureau')?.name ?? '科学技术和经济信息化局';
  const month = monthOf(period);
  const id = newId();
  await deps.db.transaction().execute(async (trx) => {
    const version = await nextBulletinVersion(trx, ranking.id, period);
    const sequence = (await countBulletinPeriods(trx, ranking.id, ranking.year, period)) + 1;
    const snapshot: BulletinSnapshot = {
      issuer,
      number: body.number ?? `科经信通〔${ranking.year}〕${sequence}号`,
      title: body.title ?? `关于${ranking.year}年1-${month}月主要目标任务完成情况的排序通报`,
      issueDate: body.issueDate ?? beijingToday(deps.now()),
      period,
      periodLabel: `${ranking.year}年1-${month}月`,
      timeProgressPct: timeProgressPct(period),
      targets: targets.map((t) => ({
        subject: t.subject,
        comparator: t.comparator,
        value: t.value,
        unit: t.unit,
        kind: t.kind,
        actual: t.evaluation.actual,
        expected: t.evaluation.expected,
        completionPct: t.evaluation.completionPct,
        status: t.evaluation.status,
      })),
      ranking: result,
    };
    await insertBulletinRow(trx, {
      id,
      ranking_id: ranking.id,
      period,
      version,
      number: snapshot.number,
      title: snapshot.title,
      issue_date: snapshot.issueDate,
      snapshot_json: JSON.stringify(snapshot),
      generated_at: nowIso(deps.now()),
      generated_by: ctx.actor.name,
    });
    await deps.audit.append(trx, ctx.actor, {
      action: version === 1 ? 'bulletin.generate' : 'bulletin.regenerate',
      entityType: 'bulletin',
      entityId: id,
      after: { rankingId: ranking.id, period, version, number: snapshot.number, ranks: result.rows.map((r) => ({ town: r.town.name, rank: r.rank, score: r.score })) },
    });
  });
  return presentBulletin((await findBulletinRow(deps.db, id))!);
}

/** The bulletin as .docx (the district version, or one town's variant) and its file name. */
export async function bulletinDocx(deps: Deps, id: string, townId?: string): Promise<{ buffer: Buffer; fileName: string }> {
  const row = await findBulletinRow(deps.db, id);
  if (!row) throw notFound('通报');
  const snapshot = JSON.parse(row.snapshot_json) as BulletinSnapshot;
  const town = townId ? snapshot.ranking.rows.find((r) => r.town.id === townId) : undefined;
  if (townId && !town) throw notFound('镇街');
  const buffer = await renderBulletinDocx(snapshot, townId ?? null);
  const base = `${snapshot.periodLabel}排序通报${town ? `-${town.town.name}` : ''}${row.version > 1 ? `-第${row.version}版` : ''}`;
  return { buffer, fileName: `${base}.docx` };
}

/** The bulletin converted to PDF by LibreOffice (503 where it is not installed). */
export async function bulletinPdf(deps: Deps, id: string, townId?: string): Promise<{ buffer: Buffer; fileName: string }> {
  const docx = await bulletinDocx(deps, id, townId);
  try {
    return { buffer: await convertDocxToPdf(docx.buffer), fileName: docx.fileName.replace(/\.docx$/, '.pdf') };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('INTERNAL', 'PDF 转换失败，请下载 Word 版本', { cause: (error as Error).message });
  }
}

