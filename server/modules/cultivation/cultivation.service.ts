import type {
  AnnualData,
  AnnualDataBody,
  AnnualFigures,
  Candidate,
  CultivationRule,
  Evaluation,
  Ladder,
  Pool,
  PoolRung,
  Qualification,
  QualificationBody,
  QualificationKind,
  QualificationListQuery,
  QualificationStatus,
  QualificationUpdateBody,
  RuleSetRef,
} from '#common/contracts/cultivation.ts';
import {
  ADVERSE_KIND_LABELS,
  ANNUAL_FIELD_LABELS,
  CULTIVATION_RULES,
  EXPIRY_REMINDER_DAYS,
  LADDER_RUNG_LABELS,
  LADDER_RUNGS,
  POOL_RUNGS,
  QUALIFICATION_KIND_LABELS,
} from '#common/contracts/cultivation.ts';
import { beijingToday, makePeriod } from '#common/period.ts';
import { convertMoney, fromThousandths } from '#common/quantity.ts';
import type { Actor } from '#server/platform/audit.ts';
import type { Deps } from '#server/platform/deps.ts';
import { AppError, notFound } from '#server/platform/errors.ts';
import { newId, nowIso } from '#server/platform/ids.ts';
import type { Scope } from '#server/platform/scope.ts';
import type { AdverseRecordsTable, EnterpriseAnnualDataTable, QualificationsTable } from '#server/db/schema.ts';
import { compareCloseness, evaluateEligibility, evaluateSummary, publicEvaluation } from '#server/modules/cultivation/cultivation.eligibility.ts';
import type { RankedEvaluation } from '#server/modules/cultivation/cultivation.eligibility.ts';
import { figuresToColumns, rowToFigures, StoredYear } from '#server/modules/cultivation/cultivation.annual.ts';
import {
  countAboveScale,
  countAnnualRows,
  countEnded,
  countGranted,
  countQualificationRows,
  countScaleFlows,
  countValid,
  findAnnualRow,
  findEnterprise,
  findQualificationByKey,
  findQualificationRow,
  insertAnnualRow,
  insertQualificationRow,
  listAdverseRows,
  listAnnualRows,
  listEnterprises,
  listEnterpriseIdsOfTown,
  listAboveScaleIds,
  listHeldRows,
  listQualificationRows,
  pageAnnualRows,
  updateAnnualRow,
  updateQualificationRow,
} from '#server/modules/cultivation/cultivation.repo.ts';
import type { EnterpriseFacts, QualificationFilter, QualificationRow } from '#server/modules/cultivation/cultivation.repo.ts';
import type { AdverseRecord, EligibilityInput, HeldQualification, YearSource } from '#server/modules/cultivation/rules/facts.ts';
import { RULE_SETS, ruleSetInForce } from '#server/modules/cultivation/rules/registry.ts';
import { refOf } from '#server/modules/cultivation/rules/rule-set.ts';
import { isValidOn } from '#server/modules/cultivation/rules/facts.ts';
import { monitoringValuesPort, OUTPUT_BOUNDS } from '#server/modules/cultivation/cultivation.output.ts';

/** Who is asking: the records they reach and the audit actor. */
export type CultivationContext = { scope: Scope; actor: Actor };

/** The demo district is evaluated as of the end of the plan's year. */
export const DEMO_AS_OF = '2022-12-31';

/** The day evaluations and statuses refer to when none is given: today in Beijing, or the demo's day. */
export function defaultAsOf(deps: Deps): string {
  return deps.config.demoMode ? DEMO_AS_OF : beijingToday(deps.now());
}

const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

// ---- Eligibility --------------------------------------------------------------------------------

function heldOf(row: { kind: string; level: string | null; granted_on: string; expires_on: string | null; revoked_on: string | null }): HeldQualification {
  return { kind: row.kind as QualificationKind, level: row.level as HeldQualification['level'], grantedOn: row.granted_on, expiresOn: row.expires_on, revokedOn: row.revoked_on };
}

/** A stored adverse record as the engine names it in the criterion it turns unmet. */
export function adverseForEngine(row: Pick<AdverseRecordsTable, 'kind' | 'occurred_on' | 'description' | 'source'>): AdverseRecord {
  const kind = row.kind as AdverseRecord['kind'];
  return { kind, date: row.occurred_on, note: `${ADVERSE_KIND_LABELS[kind] ?? row.kind}：${row.description}（来源：${row.source}）` };
}

function inputOf(enterprise: EnterpriseFacts, annual: YearSource[], held: HeldQualification[], adverse: AdverseRecord[]): EligibilityInput {
  return { enterprise: { registrationDate: enterprise.registration_date, industryCode: enterprise.industry_code }, annual, qualifications: held, adverseRecords: adverse };
}

/** The years any rule reads for asOf: three data years back and the asOf year (lists). */
function yearsFor(asOf: string): { from: number; to: number } {
  const year = Number(asOf.slice(0, 4));
  return { from: year - 4, to: year };
}

/**
 * 资格评估: the enterprise against every rule as of a Beijing date (default: today, or the
 * demo's 2022-12-31). A town sees its own enterprises only, an enterprise only itself (out of
 * scope answers 404); the gaps are the advice.
 */
export async function evaluateEnterprise(deps: Deps, scope: Scope, enterpriseId: string, asOf: string = defaultAsOf(deps)): Promise<Evaluation[]> {
  const enterprise = await findEnterprise(deps.db, scope, enterpriseId);
  if (!enterprise) throw notFound('企业');
  const [rows, held, adverse] = await Promise.all([listAnnualRows(deps.db, scope, yearsFor(asOf), enterpriseId), listHeldRows(deps.db, scope, enterpriseId), listAdverseRows(deps.db, scope, enterpriseId)]);
  return evaluateEligibility(inputOf(enterprise, rows.map((r) => new StoredYear(r)), held.map(heldOf), adverse.map(adverseForEngine)), asOf).map(publicEvaluation);
}

export type PopulationMember = { enterprise: EnterpriseFacts; input: EligibilityInput; hasDataYear: boolean; evaluations: RankedEvaluation[] };

/**
 * Every enterprise in scope (optionally one town) evaluated against the given rules: four
 * queries, then the pure engine in summary mode (outcomes and closeness, no texts; see
 * `detailOf` for one member's full evaluation). Used by pools, the ladder, exports and the
 * benchmark.
 */
export async function evaluatePopulation(
  deps: Deps,
  scope: Scope,
  asOf: string,
  options: { townId?: string | null; rules?: readonly CultivationRule[]; skip?: (rule: CultivationRule, enterpriseId: string, input: EligibilityInput) => boolean } = {},
): Promise<PopulationMember[]> {
  const [enterprises, rows, held, adverse] = await Promise.all([
    listEnterprises(deps.db, scope, options.townId),
    listAnnualRows(deps.db, scope, yearsFor(asOf)),
    listHeldRows(deps.db, scope),
    listAdverseRows(deps.db, scope),
  ]);
  const dataYear = Number(asOf.slice(0, 4)) - 1;
  const annualBy = new Map<string, YearSource[]>();
  for (const row of rows) {
    const list = annualBy.get(row.enterprise_id) ?? [];
    list.push(new StoredYear(row));
    annualBy.set(row.enterprise_id, list);
  }
  const heldBy = new Map<string, HeldQualification[]>();
  for (const row of held) {
    const list = heldBy.get(row.enterprise_id) ?? [];
    list.push(heldOf(row));
    heldBy.set(row.enterprise_id, list);
  }
  const adverseBy = new Map<string, AdverseRecord[]>();
  for (const row of adverse) {
    const list = adverseBy.get(row.enterprise_id) ?? [];
    list.push(adverseForEngine(row));
    adverseBy.set(row.enterprise_id, list);
  }
  const rules = options.rules ?? CULTIVATION_RULES;
  const skip = options.skip;
  return enterprises.map((enterprise) => {
    const annual = annualBy.get(enterprise.id) ?? [];
    const input = inputOf(enterprise, annual, heldBy.get(enterprise.id) ?? [], adverseBy.get(enterprise.id) ?? []);
    const hasDataYear = annual.some((a) => a.year === dataYear);
    // Without a row for the data year an enterprise is no candidate anywhere: nothing to rank.
    if (!hasDataYear) return { enterprise, input, hasDataYear, evaluations: [] };
    // Rules the caller will not look at (the enterprise is already on that rung) are not evaluated.
    const wanted = skip ? rules.filter((rule) => !skip(rule, enterprise.id, input)) : rules;
    return { enterprise, input, hasDataYear, evaluations: wanted.length ? evaluateSummary(input, asOf, wanted) : [] };
  });
}

/** The rule sets the engine knows, with their sources and dates. */
export function listRuleSets(): (RuleSetRef & { rule: CultivationRule })[] {
  return RULE_SETS.map((set) => ({ ...refOf(set), rule: set.rule }));
}

// ---- Qualifications -------------------------------------------------------------------------------

/** Status on a day: revoked, expired, expiring (within 90 days) or valid. */
export function statusOf(row: Pick<QualificationsTable, 'expires_on' | 'revoked_on'>, on: string): QualificationStatus {
  if (row.revoked_on !== null && row.revoked_on <= on) return 'revoked';
  if (row.expires_on !== null && row.expires_on < on) return 'expired';
  if (row.expires_on !== null && daysBetween(on, row.expires_on) <= EXPIRY_REMINDER_DAYS[0]) return 'expiring';
  return 'valid';
}

function presentQualification(row: QualificationRow, on: string): Qualification {
  return {
    id: row.id,
    enterprise: { id: row.enterprise_id, name: row.enterprise_name, uscc: row.uscc, town: { id: row.town_id, name: row.town_name } },
    kind: row.kind as QualificationKind,
    level: row.level as Qualification['level'],
    recognition: row.recognition as Qualification['recognition'],
    number: row.number,
    grantedOn: row.granted_on,
    expiresOn: row.expires_on,
    revokedOn: row.revoked_on,
    revokeReason: row.revoke_reason,
    note: row.note,
    status: statusOf(row, on),
    daysToExpiry: row.expires_on === null ? null : daysBetween(on, row.expires_on),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function statusFilter(status: QualificationStatus | undefined, on: string): Partial<QualificationFilter> {
  if (!status) return {};
  if (status === 'revoked') return { status: { kind: 'revoked', on } };
  if (status === 'expired') return { status: { kind: 'expired', on } };
  if (status === 'expiring') return { expiresBetween: { from: on, to: addDays(on, EXPIRY_REMINDER_DAYS[0]) } };
  return { status: { kind: 'current', on } };
}

/** The register, filtered (kind, status, town, enterprise); an enterprise's history with enterpriseId. */
export async function listQualifications(deps: Deps, scope: Scope, query: QualificationListQuery): Promise<{ items: Qualification[]; total: number }> {
  const on = defaultAsOf(deps);
  const filter: QualificationFilter = { enterpriseId: query.enterpriseId, kind: query.kind, townId: query.town, ...statusFilter(query.status, on) };
  let [rows, total] = await Promise.all([
    listQualificationRows(deps.db, scope, filter, query.status === 'valid' ? undefined : { limit: query.pageSize, offset: (query.page - 1) * query.pageSize }),
    countQualificationRows(deps.db, scope, filter),
  ]);
  if (query.status === 'valid') {
    // 'valid' excludes the expiring ones, which SQL would need date arithmetic for.
    const valid = rows.filter((r) => statusOf(r, on) === 'valid');
    total = valid.length;
    rows = valid.slice((query.page - 1) * query.pageSize, query.page * query.pageSize);
  }
  return { items: rows.map((r) => presentQualification(r, on)), total };
}

async function getQualification(deps: Deps, scope: Scope, id: string): Promise<Qualification> {
  const row = await findQualificationRow(deps.db, scope, id);
  if (!row) throw notFound('资质记录');
  return presentQualification(row, defaultAsOf(deps));
}

/** 高企: three years from the certificate date (办法 第九条) — valid through the day before the third anniversary. */
export function defaultExpiry(kind: QualificationKind, grantedOn: string): string | null {
  if (kind !== 'high_tech') return null;
  return addDays(`${Number(grantedOn.slice(0, 4)) + 3}${grantedOn.slice(4)}`, -1);
}

function checkQualification(kind: QualificationKind, body: { recognition?: string | null | undefined; level?: string | null | undefined; grantedOn?: string; expiresOn?: string | null | undefined }): void {
  const problems: { field: string; message: string }[] = [];
  if (body.recognition && kind !== 'high_tech') problems.push({ field: 'recognition', message: '首次认定 / 重新认定只适用于高新技术企业' });
  if (kind === 'high_tech' && body.recognition === undefined) problems.push({ field: 'recognition', message: '请选择首次认定或重新认定' });
  if (kind === 'champion' && !body.level) problems.push({ field: 'level', message: '单项冠军请选择级别（国家级 / 省级）' });
  if (body.grantedOn && body.expiresOn && body.expiresOn < body.grantedOn) problems.push({ field: 'expiresOn', message: '有效期至不能早于认定日期' });
  if (problems.length) throw new AppError('VALIDATION', problems.map((p) => p.message).join('；'), problems);
}

const DEFAULT_LEVEL: Partial<Record<QualificationKind, QualificationsTable['level']>> = { specialized_sme: 'provincial', little_giant: 'national' };

/** Records a recognition (form entry). Audited in the same transaction. */
export async function createQualification(deps: Deps, ctx: CultivationContext, body: QualificationBody): Promise<Qualification> {
  const enterprise = await findEnterprise(deps.db, ctx.scope, body.enterpriseId);
  if (!enterprise) throw notFound('企业');
  checkQualification(body.kind, body);
  const now = nowIso(deps.now());
  const row: QualificationsTable = {
    id: newId(),
    enterprise_id: enterprise.id,
    kind: body.kind,
    level: body.level ?? DEFAULT_LEVEL[body.kind] ?? null,
    recognition: body.kind === 'high_tech' ? (body.recognition ?? null) : null,
    number: body.number || null,
    granted_on: body.grantedOn,
    expires_on: body.expiresOn === undefined ? defaultExpiry(body.kind, body.grantedOn) : body.expiresOn,
    revoked_on: null,
    revoke_reason: null,
    note: body.note || null,
    created_at: now,
    updated_at: now,
  };
  await deps.db.transaction().execute(async (trx) => {
    if (await findQualificationByKey(trx, row.enterprise_id, row.kind, row.granted_on)) {
      throw new AppError('CONFLICT', `${enterprise.name} 已有 ${row.granted_on} 的${QUALIFICATION_KIND_LABELS[body.kind]}记录`);
    }
    await insertQualificationRow(trx, row);
    await deps.audit.append(trx, ctx.actor, { action: 'cultivation.qualification.create', entityType: 'qualification', entityId: row.id, after: auditQualification(row, enterprise.name) });
  });
  return getQualification(deps, ctx.scope, row.id);
}

/** The columns an update may change. */
function pickQualification(q: QualificationsTable): Partial<QualificationsTable> {
  return { kind: q.kind, level: q.level, recognition: q.recognition, number: q.number, granted_on: q.granted_on, expires_on: q.expires_on, note: q.note, updated_at: q.updated_at };
}

function auditQualification(row: QualificationsTable, enterpriseName: string) {
  return { enterpriseId: row.enterprise_id, enterprise: enterpriseName, kind: row.kind, level: row.level, recognition: row.recognition, number: row.number, grantedOn: row.granted_on, expiresOn: row.expires_on, revokedOn: row.revoked_on, revokeReason: row.revoke_reason, note: row.note };
}

export async function updateQualification(deps: Deps, ctx: CultivationContext, id: string, body: QualificationUpdateBody): Promise<Qualification> {
  await deps.db.transaction().execute(async (trx) => {
    const before = await findQualificationRow(trx, ctx.scope, id);
    if (!before) throw notFound('资质记录');
    const kind = (body.kind ?? before.kind) as QualificationKind;
    const grantedOn = body.grantedOn ?? before.granted_on;
    const next: QualificationsTable = {
      ...before,
      kind,
      level: body.level === undefined ? before.level : body.level,
      recognition: kind === 'high_tech' ? (body.recognition === undefined ? before.recognition : body.recognition) : null,
      number: body.number === undefined ? before.number : body.number || null,
      granted_on: grantedOn,
      expires_on: body.expiresOn === undefined ? before.expires_on : body.expiresOn,
      note: body.note === undefined ? before.note : body.note || null,
      updated_at: nowIso(deps.now()),
    };
    checkQualification(kind, { recognition: next.recognition, level: next.level, grantedOn, expiresOn: next.expires_on });
    if ((next.kind !== before.kind || next.granted_on !== before.granted_on) && (await findQualificationByKey(trx, before.enterprise_id, next.kind, next.granted_on))) {
      throw new AppError('CONFLICT', `该企业已有 ${next.granted_on} 的${QUALIFICATION_KIND_LABELS[kind]}记录`);
    }
    const { enterprise_name: name, uscc: _u, town_id: _t, town_name: _n, ...stored } = before;
    const after: QualificationsTable = { ...stored, ...pickQualification(next) };
    await updateQualificationRow(trx, id, pickQualification(next));
    await deps.audit.append(trx, ctx.actor, { action: 'cultivation.qualification.update', entityType: 'qualification', entityId: id, before: auditQualification(stored, name), after: auditQualification(after, name) });
  });
  return getQualification(deps, ctx.scope, id);
}

/** 撤销: the recognition stops counting from that day; the record stays in the history. */
export async function revokeQualification(deps: Deps, ctx: CultivationContext, id: string, body: { revokedOn: string; reason: string }): Promise<Qualification> {
  await deps.db.transaction().execute(async (trx) => {
    const before = await findQualificationRow(trx, ctx.scope, id);
    if (!before) throw notFound('资质记录');
    if (body.revokedOn < before.granted_on) throw new AppError('VALIDATION', '撤销日期不能早于认定日期', [{ field: 'revokedOn', message: '撤销日期不能早于认定日期' }]);
    await updateQualificationRow(trx, id, { revoked_on: body.revokedOn, revoke_reason: body.reason, updated_at: nowIso(deps.now()) });
    await deps.audit.append(trx, ctx.actor, {
      action: 'cultivation.qualification.revoke',
      entityType: 'qualification',
      entityId: id,
      before: { revokedOn: before.revoked_on, revokeReason: before.revoke_reason },
      after: { revokedOn: body.revokedOn, revokeReason: body.reason },
    });
  });
  return getQualification(deps, ctx.scope, id);
}

/**
 * 到期提醒: qualifications in scope expiring within 90 days of asOf (not revoked), each with the
 * reminder due — 30 when 30 days or fewer remain, else 90. Soonest first.
 */
export async function listExpiryReminders(deps: Deps, scope: Scope, asOf: string = defaultAsOf(deps)): Promise<{ asOf: string; items: { qualification: Qualification; threshold: number }[] }> {
  const [far, near] = EXPIRY_REMINDER_DAYS;
  const rows = await listQualificationRows(deps.db, scope, { expiresBetween: { from: asOf, to: addDays(asOf, far) } });
  const items = rows
    .map((row) => presentQualification(row, asOf))
    .sort((a, b) => (a.expiresOn! < b.expiresOn! ? -1 : a.expiresOn! > b.expiresOn! ? 1 : a.enterprise.name.localeCompare(b.enterprise.name, 'zh')))
    .map((qualification) => ({ qualification, threshold: qualification.daysToExpiry! <= near ? near : far }));
  return { asOf, items };
}

// ---- Annual data ----------------------------------------------------------------------------------

function presentAnnual(row: EnterpriseAnnualDataTable, enterprise: { id: string; name: string; uscc: string; town_id: string; town_name: string }): AnnualData {
  const { year: _year, ...figures } = rowToFigures(row);
  return {
    ...figures,
    id: row.id,
    enterprise: { id: enterprise.id, name: enterprise.name, uscc: enterprise.uscc, town: { id: enterprise.town_id, name: enterprise.town_name } },
    year: Number(row.year),
    source: row.source,
    updatedAt: row.updated_at,
  };
}

export async function listAnnualData(deps: Deps, scope: Scope, query: { enterpriseId?: string | undefined; year?: number | undefined; town?: string | undefined; page: number; pageSize: number }): Promise<{ items: AnnualData[]; total: number }> {
  const filter = { enterpriseId: query.enterpriseId, year: query.year, townId: query.town };
  const [rows, total] = await Promise.all([
    pageAnnualRows(deps.db, scope, filter, { limit: query.pageSize, offset: (query.page - 1) * query.pageSize }),
    countAnnualRows(deps.db, scope, filter),
  ]);
  return { items: rows.map((r) => presentAnnual(r, { id: r.enterprise_id, name: r.enterprise_name, uscc: r.uscc, town_id: r.town_id, town_name: r.town_name })), total };
}

/**
 * What monthly monitoring already knows of a year (December's cumulative 营业收入 and 研发费用,
 * in 万元), offered beside the form. Never written into annual data by itself: the user takes it.
 */
export async function monitoringOffer(deps: Deps, scope: Scope, enterpriseId: string, yearAsked?: number): Promise<{ year: number; period: string | null; operatingRevenue: string | null; rdExpense: string | null }> {
  const enterprise = await findEnterprise(deps.db, scope, enterpriseId);
  if (!enterprise) throw notFound('企业');
  const year = yearAsked ?? Number(defaultAsOf(deps).slice(0, 4)) - 1;
  const port = monitoringValuesPort(deps.metrics);
  const period = makePeriod(year, 12);
  const [revenue, rd] = port ? await Promise.all([port(deps.db, period, 'revenue', enterprise.id), port(deps.db, period, 'rd_expense', enterprise.id)]) : [[], []];
  if (revenue.length === 0 && rd.length === 0) return { year, period: null, operatingRevenue: null, rdExpense: null };
  // Stored in thousandths of 千元; offered in 万元.
  const wan = (values: { current: bigint }[]) => (values[0] ? convertMoney(fromThousandths(values[0].current), '千元', '万元') : null);
  return { year, period, operatingRevenue: wan(revenue), rdExpense: wan(rd) };
}

/** Changed fields between stored and new figures, by their Chinese names. */
export function changedAnnualFields(before: AnnualFigures | null, after: Partial<AnnualFigures>): string[] {
  const changed: string[] = [];
  for (const [key, value] of Object.entries(after) as [keyof AnnualFigures, unknown][]) {
    if (value === undefined) continue;
    const old = before ? before[key] : null;
    if (JSON.stringify(old) !== JSON.stringify(value)) changed.push(ANNUAL_FIELD_LABELS[key]);
  }
  return changed;
}

/**
 * 年度数据 by form: creates the enterprise's row for the year or updates it. A field left out keeps
 * its value; null clears it (unknown). Audited with the changed fields.
 */
export async function saveAnnualData(deps: Deps, ctx: CultivationContext, body: AnnualDataBody, source = 'form'): Promise<AnnualData> {
  const enterprise = await findEnterprise(deps.db, ctx.scope, body.enterpriseId);
  if (!enterprise) throw notFound('企业');
  const { enterpriseId: _id, year, ...figures } = body;
  const { set } = figuresToColumns(figures);
  const now = nowIso(deps.now());
  await deps.db.transaction().execute(async (trx) => {
    const existing = await findAnnualRow(trx, enterprise.id, year);
    const before = existing ? rowToFigures(existing) : null;
    const fields = changedAnnualFields(before, figures);
    if (existing) {
      if (fields.length === 0) return;
      await updateAnnualRow(trx, existing.id, { ...set, source, updated_at: now });
    } else {
      await insertAnnualRow(trx, { ...emptyAnnualRow(newId(), enterprise.id, year, source, now), ...set });
    }
    await deps.audit.append(trx, ctx.actor, {
      action: existing ? 'cultivation.annual.update' : 'cultivation.annual.create',
      entityType: 'enterprise_annual_data',
      entityId: existing?.id ?? null,
      before: existing ? pick(before!, figures) : undefined,
      after: { enterpriseId: enterprise.id, enterprise: enterprise.name, year, fields, values: figures },
    });
  });
  const row = await findAnnualRow(deps.db, enterprise.id, year);
  return presentAnnual(row!, enterprise);
}

function pick(figures: AnnualFigures, keys: Partial<AnnualFigures>): Partial<AnnualFigures> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(keys)) out[key] = figures[key as keyof AnnualFigures];
  return out as Partial<AnnualFigures>;
}

/** A row with every figure unknown. */
export function emptyAnnualRow(id: string, enterpriseId: string, year: number, source: string, now: string): EnterpriseAnnualDataTable {
  return {
    id,
    enterprise_id: enterpriseId,
    year,
    staff_total: null,
    tech_staff: null,
    rd_staff: null,
    operating_revenue: null,
    main_business_revenue: null,
    total_revenue: null,
    total_costs_expenses: null,
    high_tech_revenue: null,
    rd_expense: null,
    domestic_rd_expense: null,
    total_assets: null,
    total_liabilities: null,
    net_assets: null,
    net_profit: null,
    ip1_count: null,
    ip1_high_value_count: null,
    ip1_own_count: null,
    ip2_count: null,
    rd_institution_level: null,
    niche_years: null,
    niche_market_share: null,
    equity_financing: null,
    digital_level: null,
    quality_certified: null,
    own_brand: null,
    strategic_emerging: null,
    awards: null,
    standards: null,
    source,
    created_at: now,
    updated_at: now,
  };
}

// ---- The ladder -------------------------------------------------------------------------------------

/** Where a rung's members come from: a qualification kind, or the 规上 roster. */
const RUNG_KIND: Record<Exclude<(typeof LADDER_RUNGS)[number], 'above_scale'>, QualificationKind> = {
  tech_sme: 'tech_sme',
  high_tech: 'high_tech',
  innovative_sme: 'innovative_sme',
  specialized_sme: 'specialized_sme',
  little_giant: 'little_giant',
  champion: 'champion',
};

const SIDE_REGISTERS: QualificationKind[] = ['seed_gold', 'seed_silver', 'leading', 'troubled'];

/** The 'YYYY-MM' reporting period a date falls in (January belongs to the combined 1–2月 period). */
function periodOf(date: string): string {
  const month = date.slice(5, 7);
  return `${date.slice(0, 4)}-${month === '01' ? '02' : month}`;
}

/** Enterprises on the 规上 roster in the period of asOf. */
async function aboveScaleIds(deps: Deps, asOf: string): Promise<Set<string>> {
  return new Set(await listAboveScaleIds(deps.db, periodOf(asOf)));
}

/** Whether an enterprise is already on the rung on asOf (then it is a member, not a candidate). */
function isMember(rung: CultivationRule, enterpriseId: string, input: EligibilityInput, aboveScale: ReadonlySet<string>, asOf: string): boolean {
  if (rung === 'above_scale') return aboveScale.has(enterpriseId);
  return input.qualifications.some((q) => q.kind === rung && isValidOn(q, asOf));
}

/** Members are never candidates: the population leaves their rung unevaluated. */
const skipMembers = (aboveScale: ReadonlySet<string>, asOf: string) => (rule: CultivationRule, enterpriseId: string, input: EligibilityInput) => isMember(rule, enterpriseId, input, aboveScale, asOf);

/** How far from the rung a not-yet-eligible enterprise may be and still be listed: two unmet criteria. */
const POOL_MAX_UNMET = 2;

function candidatesOf(rung: PoolRung, population: PopulationMember[], aboveScale: ReadonlySet<string>, asOf: string): { member: PopulationMember; evaluation: RankedEvaluation }[] {
  const out: { member: PopulationMember; evaluation: RankedEvaluation }[] = [];
  for (const member of population) {
    if (!member.hasDataYear || isMember(rung, member.enterprise.id, member.input, aboveScale, asOf)) continue;
    const evaluation = member.evaluations.find((e) => e.rule === rung);
    if (!evaluation || evaluation.outcome === 'no_rule_set' || evaluation.closeness.outOfReach) continue;
    if (evaluation.outcome === 'not_eligible' && evaluation.closeness.unmet > POOL_MAX_UNMET) continue;
    out.push({ member, evaluation });
  }
  out.sort((a, b) => compareCloseness(a.evaluation.closeness, b.evaluation.closeness) || a.member.enterprise.name.localeCompare(b.member.enterprise.name, 'zh'));
  return out;
}

/** A member's full evaluation of one rule (texts included), for what a page or an export shows. */
export function detailOf(member: PopulationMember, rule: CultivationRule, asOf: string): RankedEvaluation {
  return evaluateEligibility(member.input, asOf, [rule])[0]!;
}

function presentCandidate(c: { member: PopulationMember; evaluation: RankedEvaluation }, rank: number, asOf: string): Candidate {
  const e = c.member.enterprise;
  const full = detailOf(c.member, c.evaluation.rule, asOf);
  return {
    enterprise: { id: e.id, name: e.name, uscc: e.uscc, town: { id: e.town_id, name: e.town_name } },
    outcome: full.outcome,
    score: full.score,
    unmet: full.closeness.unmet,
    missing: full.closeness.missing,
    gaps: full.gaps,
    rank,
  };
}

/**
 * 培育库: the enterprises in scope not yet on the rung, ranked by closeness — eligible first,
 * then 需评审, then those missing data, then those one or two criteria short — with their gaps.
 * 规上 candidates are 规下 enterprises approaching 2000万元.
 */
export async function getPool(deps: Deps, scope: Scope, rung: PoolRung, query: { asOf?: string | undefined; town?: string | undefined; outcome?: string | undefined; page: number; pageSize: number }): Promise<Pool> {
  const asOf = query.asOf ?? defaultAsOf(deps);
  const all = await poolCandidates(deps, scope, rung, asOf, query.town);
  const filtered = query.outcome ? all.filter((c) => c.evaluation.outcome === query.outcome) : all;
  const start = (query.page - 1) * query.pageSize;
  const set = ruleSetInForce(rung, asOf);
  return {
    rung,
    label: LADDER_RUNG_LABELS[rung],
    asOf,
    dataYear: Number(asOf.slice(0, 4)) - 1,
    ruleSet: set ? refOf(set) : null,
    items: filtered.slice(start, start + query.pageSize).map((c) => presentCandidate(c, all.indexOf(c) + 1, asOf)),
    total: filtered.length,
  };
}

export async function poolCandidates(deps: Deps, scope: Scope, rung: PoolRung, asOf: string, townId?: string | null) {
  const aboveScale = await aboveScaleIds(deps, asOf);
  const population = await evaluatePopulation(deps, scope, asOf, { townId, rules: [rung], skip: skipMembers(aboveScale, asOf) });
  return candidatesOf(rung, population, aboveScale, asOf);
}

/**
 * 培育梯队: per rung the members on asOf and on 1 January, the year's flows (new — for 高企
 * first-time and re-recognitions apart — expired, revoked), and the candidate pools' sizes.
 * Counts are aggregates: district-wide (or one town), whoever asks.
 */
export async function getLadder(deps: Deps, asOf: string = defaultAsOf(deps), townId: string | null = null): Promise<Ladder> {
  const year = Number(asOf.slice(0, 4));
  const yearStart = `${year}-01-01`;
  const all: Scope = { kind: 'all' };
  const aboveScale = await aboveScaleIds(deps, asOf);
  const population = await evaluatePopulation(deps, all, asOf, { townId, rules: POOL_RUNGS, skip: skipMembers(aboveScale, asOf) });
  const rungs: Ladder['rungs'] = [];
  for (const rung of LADDER_RUNGS) {
    const pool = rung === 'champion' ? [] : candidatesOf(rung, population, aboveScale, asOf);
    const candidates = { candidates: pool.length, eligibleCandidates: pool.filter((c) => c.evaluation.outcome === 'eligible').length };
    if (rung === 'above_scale') {
      const [count, countAtStartOfYear, added, exited] = await Promise.all([
        countAboveScale(deps.db, periodOf(asOf), townId),
        countAboveScale(deps.db, `${year - 1}-12`, townId),
        countScaleFlows(deps.db, 'from_period', `${year}-02`, periodOf(asOf), townId),
        countScaleFlows(deps.db, 'to_period', `${year - 1}-12`, periodOf(asOf), townId),
      ]);
      rungs.push({ rung, label: LADDER_RUNG_LABELS[rung], count, countAtStartOfYear, flows: { added, firstTime: null, renewed: null, expired: exited, revoked: 0 }, ...candidates });
      continue;
    }
    const kind = RUNG_KIND[rung];
    const [count, countAtStartOfYear, added, expired, revoked] = await Promise.all([
      countValid(deps.db, kind, asOf, { townId }),
      countValid(deps.db, kind, yearStart, { townId }),
      countGranted(deps.db, kind, yearStart, asOf, { townId }),
      countEnded(deps.db, kind, 'expires_on', yearStart, addDays(asOf, -1), townId),
      countEnded(deps.db, kind, 'revoked_on', yearStart, asOf, townId),
    ]);
    const split =
      kind === 'high_tech'
        ? {
            firstTime: await countGranted(deps.db, kind, yearStart, asOf, { recognition: 'first', townId }),
            renewed: await countGranted(deps.db, kind, yearStart, asOf, { recognition: 'renewal', townId }),
          }
        : { firstTime: null, renewed: null };
    rungs.push({ rung, label: LADDER_RUNG_LABELS[rung], count, countAtStartOfYear, flows: { added, ...split, expired, revoked }, ...candidates });
  }
  const registers = await Promise.all(SIDE_REGISTERS.map(async (kind) => ({ kind, label: QUALIFICATION_KIND_LABELS[kind], count: await countValid(deps.db, kind, asOf, { townId }) })));
  return { asOf, year, rungs, registers, outputBands: await countOutputBands(deps, asOf, townId) };
}

/**
 * 亿元 / 十亿元企业 on monitoring output: enterprises whose 工业总产值 本年1–N月累计 reaches
 * 1亿元 (100 000 千元) or 10亿元 in a statistics period (district-wide or one town). Read through
 * the output port app.ts provides; null counts when monitoring has no reports for the period.
 */
export async function countOutputBandsOf(deps: Deps, period: string, townId: string | null): Promise<Ladder['outputBands']> {
  const port = monitoringValuesPort(deps.metrics);
  let values = port ? await port(deps.db, period, 'output_value') : [];
  if (values.length === 0) return { period, reporting: 0, over100m: null, over1b: null };
  if (townId) {
    const ids = await listEnterpriseIdsOfTown(deps.db, townId);
    values = values.filter((v) => ids.has(v.enterpriseId));
  }
  return {
    period,
    reporting: values.length,
    over100m: values.filter((v) => v.current >= OUTPUT_BOUNDS.over100m).length,
    over1b: values.filter((v) => v.current >= OUTPUT_BOUNDS.over1b).length,
  };
}

/** The ladder's bands: the latest period of asOf's year, up to asOf, that monitoring has reports for. */
async function countOutputBands(deps: Deps, asOf: string, townId: string | null): Promise<Ladder['outputBands']> {
  const year = asOf.slice(0, 4);
  // Statistics periods run 02 (1–2月) … 12; January belongs to the 1–2月 period.
  for (let month = Number(periodOf(asOf).slice(5, 7)); month >= 2; month--) {
    const bands = await countOutputBandsOf(deps, `${year}-${String(month).padStart(2, '0')}`, townId);
    if (bands.reporting > 0) return bands;
  }
  return { period: null, reporting: 0, over100m: null, over1b: null };
}

