import { PostgresAdapter, sql } from 'kysely';
import type { Kysely } from 'kysely';
import { bulkWrite } from '#server/db/bulk-write.ts';
import type { BulkTable } from '#server/db/bulk-write.ts';
import { toNumber } from '#server/db/client.ts';
import type { Database, MonitoringWarningsTable } from '#server/db/schema.ts';
import { bumpDataVersion } from '#server/platform/data-version.ts';
import { inScope } from '#server/platform/scope.ts';
import type { Scope } from '#server/platform/scope.ts';

// Only Kysely here. The figures read the enterprise registry's tables (town, division, chains,
// 规上 spells) in the same queries as the reports: joins, not calls, so that a period's figures
// are one consistent read (ADR 0005). Values are BIGINT thousandths; they leave this file as
// bigint.

type Handle = Kysely<Database>;

/** BIGINT as either dialect returns it (number on SQLite, string on PostgreSQL) → bigint. */
export function big(value: string | number | bigint | null | undefined): bigint {
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  return BigInt(value);
}

export function bigOrNull(value: string | number | bigint | null | undefined): bigint | null {
  return value === null || value === undefined ? null : big(value);
}

async function inChunks<T>(ids: readonly string[], load: (chunk: string[]) => Promise<T[]>, size = 500): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += size) {
    const chunk = ids.slice(i, i + size);
    if (chunk.length) out.push(...(await load(chunk)));
  }
  return out;
}

/** Whether a 规上 spell covers the period: from ≤ period ≤ to (open spells have no end). */
const spellCovers = (period: string) =>
  sql<boolean>`exists (select 1 from enterprise_scale_history h where h.enterprise_id = e.id and h.from_period <= ${period} and (h.to_period is null or h.to_period >= ${period}))`;

export type RosterRow = {
  id: string;
  name: string;
  uscc: string;
  town_id: string;
  industry_division: string | null;
  group_id: string | null;
};

/** Enterprises that were 规上 during the period (the universe of its figures), with their attributes now. */
export async function listRoster(db: Handle, period: string): Promise<RosterRow[]> {
  return db
    .selectFrom('enterprises as e')
    .select(['e.id', 'e.name', 'e.uscc', 'e.town_id', 'e.industry_division', 'e.group_id'])
    .where(spellCovers(period))
    .execute();
}

/** Ids of enterprises that were 规上 in a period (to tell new entrants of a year). */
export async function listAboveScaleIds(db: Handle, period: string): Promise<Set<string>> {
  const rows = await db.selectFrom('enterprises as e').select('e.id').where(spellCovers(period)).execute();
  return new Set(rows.map((r) => r.id));
}

/** Active chain memberships: enterprise → chain ids. */
export async function listChainMemberships(db: Handle): Promise<Map<string, string[]>> {
  const rows = await db
    .selectFrom('enterprise_chains as ec')
    .innerJoin('industry_chains as c', 'c.id', 'ec.chain_id')
    .select(['ec.enterprise_id', 'ec.chain_id'])
    .where('c.active', '=', 1)
    .orderBy('c.sort_order')
    .execute();
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const list = out.get(r.enterprise_id);
    if (list) list.push(r.chain_id);
    else out.set(r.enterprise_id, [r.chain_id]);
  }
  return out;
}

export async function listChains(db: Handle): Promise<{ id: string; name: string }[]> {
  return db.selectFrom('industry_chains').select(['id', 'name']).where('active', '=', 1).orderBy('sort_order').orderBy('name').execute();
}

export async function findChainIdByCode(db: Handle, code: string): Promise<string | null> {
  return (await db.selectFrom('industry_chains').select('id').where('code', '=', code).executeTakeFirst())?.id ?? null;
}

export async function listTowns(db: Handle): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('units')
    .select(['id', 'name'])
    .where('kind', 'in', ['street', 'town', 'zone'])
    .where('active', '=', 1)
    .orderBy('sort_order')
    .orderBy('code')
    .execute();
}

export async function listGroups(db: Handle): Promise<{ id: string; name: string }[]> {
  return db.selectFrom('enterprise_groups').select(['id', 'name']).orderBy('name').execute();
}

export type ValueRecord = { enterpriseId: string; indicator: string; current: bigint; previous: bigint | null };

/** Every value reported for a period (optionally one indicator). */
export async function listPeriodValues(db: Handle, period: string, indicator?: string): Promise<ValueRecord[]> {
  const rows = await listPeriodValueRows(db, period, indicator);
  return rows.map((r) => ({ enterpriseId: r.enterprise_id, indicator: r.indicator, current: big(r.current_value), previous: bigOrNull(r.previous_value) }));
}

/** A period's values as the driver returns them (BIGINT: number on SQLite, string on PostgreSQL). */
export type ValueDriverRow = { enterprise_id: string; indicator: string; current_value: string | number; previous_value: string | number | null };

/**
 * Every value reported for a period, unconverted: the caller files each row once (a province's
 * month is 160,000 rows; converting them into records first doubled the objects made).
 */
export async function listPeriodValueRows(db: Handle, period: string, indicator?: string): Promise<ValueDriverRow[]> {
  let query = db.selectFrom('monitoring_values').select(['enterprise_id', 'indicator', 'current_value', 'previous_value']).where('period', '=', period);
  if (indicator) query = query.where('indicator', '=', indicator);
  return (await query.execute()) as ValueDriverRow[];
}

/** Whether any value is reported for a period (one index probe). */
export async function hasPeriodValues(db: Handle, period: string): Promise<boolean> {
  const row = await db.selectFrom('monitoring_values').select('period').where('period', '=', period).limit(1).executeTakeFirst();
  return row !== undefined;
}

export type GroupSum = { indicator: string; key: string; enterprises: number; current: bigint; previous: bigint };

/**
 * Σ本年累计, Σ上年同期 and the count of comparable reports (上年同期 given) of the period's 规上
 * enterprises, per indicator and town, and per indicator and active chain — the summary's sums,
 * added up by the database instead of moving every row (ADR 0005). Sums travel as text: exact
 * beyond 2^53 on both dialects.
 */
export async function sumByTownAndChain(db: Handle, period: string): Promise<{ towns: GroupSum[]; chains: GroupSum[] }> {
  const covered = sql<boolean>`exists (select 1 from enterprise_scale_history h where h.enterprise_id = v.enterprise_id and h.from_period <= ${period} and (h.to_period is null or h.to_period >= ${period}))`;
  const sums = {
    enterprises: sql<string | number>`count(*)`.as('n'),
    current: sql<string>`cast(sum(v.current_value) as text)`.as('c'),
    previous: sql<string>`cast(sum(v.previous_value) as text)`.as('p'),
  };
  const [towns, chains] = await Promise.all([
    db
      .selectFrom('monitoring_values as v')
      .innerJoin('enterprises as e', 'e.id', 'v.enterprise_id')
      .select(['v.indicator', 'e.town_id as key', sums.enterprises, sums.current, sums.previous])
      .where('v.period', '=', period)
      .where('v.previous_value', 'is not', null)
      .where(covered)
      .groupBy(['v.indicator', 'e.town_id'])
      .execute(),
    db
      .selectFrom('monitoring_values as v')
      .innerJoin('enterprise_chains as ec', 'ec.enterprise_id', 'v.enterprise_id')
      .innerJoin('industry_chains as ic', 'ic.id', 'ec.chain_id')
      .select(['v.indicator', 'ec.chain_id as key', sums.enterprises, sums.current, sums.previous])
      .where('v.period', '=', period)
      .where('v.previous_value', 'is not', null)
      .where('ic.active', '=', 1)
      .where(covered)
      .groupBy(['v.indicator', 'ec.chain_id'])
      .execute(),
  ]);
  const shape = (r: { indicator: string; key: string; n: string | number; c: string; p: string }): GroupSum => ({
    indicator: r.indicator,
    key: r.key,
    enterprises: toNumber(r.n),
    current: BigInt(r.c),
    previous: BigInt(r.p),
  });
  return { towns: towns.map(shape), chains: chains.map(shape) };
}

export type HeldRosterRow = { id: string; town_id: string };

/** The period's 规上 roster with each enterprise's town now: the summary's held copy (ADR 0008). */
export async function listRosterTowns(db: Handle, period: string): Promise<HeldRosterRow[]> {
  return db.selectFrom('enterprises as e').select(['e.id', 'e.town_id']).where(spellCovers(period)).execute();
}

export type HeldValueRow = { enterprise_id: string; indicator: string; current_value: string | number; previous_value: string | number };

/**
 * The comparable values of a period (上年同期 given), as the driver returns them: BIGINT as number
 * on SQLite, string on PostgreSQL. The summary's held copy converts them once (ADR 0008).
 */
export async function listComparableValues(db: Handle, period: string): Promise<HeldValueRow[]> {
  const rows = await db
    .selectFrom('monitoring_values')
    .select(['enterprise_id', 'indicator', 'current_value', 'previous_value'])
    .where('period', '=', period)
    .where('previous_value', 'is not', null)
    .execute();
  return rows as HeldValueRow[];
}

/** Values of some enterprises in some periods, for validation and the form. */
export async function listValuesOf(db: Handle, enterpriseIds: readonly string[], periods: readonly string[]): Promise<(ValueRecord & { period: string })[]> {
  if (periods.length === 0) return [];
  const rows = await inChunks(enterpriseIds, (chunk) =>
    db
      .selectFrom('monitoring_values')
      .select(['enterprise_id', 'period', 'indicator', 'current_value', 'previous_value'])
      .where('enterprise_id', 'in', chunk)
      .where('period', 'in', [...periods])
      .execute(),
  );
  return rows.map((r) => ({ enterpriseId: r.enterprise_id, period: r.period, indicator: r.indicator, current: big(r.current_value), previous: bigOrNull(r.previous_value) }));
}

export type ProductRecord = { enterpriseId: string; period: string; productName: string; unit: string; current: bigint; previous: bigint | null };

export async function listProductsOf(db: Handle, enterpriseIds: readonly string[], periods: readonly string[]): Promise<ProductRecord[]> {
  if (periods.length === 0) return [];
  const rows = await inChunks(enterpriseIds, (chunk) =>
    db
      .selectFrom('monitoring_products')
      .selectAll()
      .where('enterprise_id', 'in', chunk)
      .where('period', 'in', [...periods])
      .orderBy('product_name')
      .execute(),
  );
  return rows.map((r) => ({
    enterpriseId: r.enterprise_id,
    period: r.period,
    productName: r.product_name,
    unit: r.unit,
    current: big(r.current_value),
    previous: bigOrNull(r.previous_value),
  }));
}

/** Periods that have reports, newest first, with how many enterprises reported. */
export async function listReportedPeriods(db: Handle): Promise<{ period: string; enterprises: number }[]> {
  const rows = await db
    .selectFrom('monitoring_reports')
    .select((eb) => ['period', eb.fn.countAll().as('n')])
    .groupBy('period')
    .orderBy('period', 'desc')
    .execute();
  return rows.map((r) => ({ period: r.period, enterprises: toNumber(r.n as string | number) }));
}

export type EnterpriseRef = { id: string; name: string; uscc: string; town_id: string; town_name: string; industry_division: string | null };

/** Enterprises by USCC across the district, whatever the caller's scope (the import checks scope itself). */
export async function findEnterprisesByUscc(db: Handle, usccs: readonly string[]): Promise<EnterpriseRef[]> {
  return inChunks(usccs, (chunk) =>
    db
      .selectFrom('enterprises as e')
      .innerJoin('units as u', 'u.id', 'e.town_id')
      .select(['e.id', 'e.name', 'e.uscc', 'e.town_id', 'u.name as town_name', 'e.industry_division'])
      .where('e.uscc', 'in', chunk)
      .execute(),
  );
}

export async function findEnterprisesById(db: Handle, ids: readonly string[]): Promise<EnterpriseRef[]> {
  return inChunks(ids, (chunk) =>
    db
      .selectFrom('enterprises as e')
      .innerJoin('units as u', 'u.id', 'e.town_id')
      .select(['e.id', 'e.name', 'e.uscc', 'e.town_id', 'u.name as town_name', 'e.industry_division'])
      .where('e.id', 'in', chunk)
      .execute(),
  );
}

/** The 规上 spells of some enterprises, for "was it 规上 in that period" checks. */
export async function listSpellsOf(db: Handle, ids: readonly string[]): Promise<Map<string, { from: string; to: string | null }[]>> {
  const rows = await inChunks(ids, (chunk) =>
    db.selectFrom('enterprise_scale_history').select(['enterprise_id', 'from_period', 'to_period']).where('enterprise_id', 'in', chunk).execute(),
  );
  const out = new Map<string, { from: string; to: string | null }[]>();
  for (const r of rows) out.set(r.enterprise_id, [...(out.get(r.enterprise_id) ?? []), { from: r.from_period, to: r.to_period }]);
  return out;
}

// ---- writes -------------------------------------------------------------------------------------

// Every write of reports and values bumps the monitoring data version after its statements, in the
// caller's transaction: the summary's in-memory copy reloads on the next request (ADR 0008).

// Rows per INSERT: ≤ 7 columns × 2000 stays far below both dialects' bound-parameter limits.
const WRITE_BATCH = 2000;

export type ValueWrite = { enterpriseId: string; period: string; indicator: string; current: bigint; previous: bigint | null };

/** The advisory lock's key: any fixed 64-bit number, the same in every process. */
const MONITORING_WRITE_LOCK = 0x6b6a_0003;

/**
 * Monthly values and the warnings computed from them change one transaction at a time. SQLite
 * has one writer already (BEGIN IMMEDIATE); on PostgreSQL a transaction-scoped advisory lock
 * makes imports, forms and warning refreshes take turns, so that none computes a period's
 * warnings without another's rows that commit first. Taken again in the same transaction, it
 * stacks (released at commit or rollback).
 */
export async function lockMonitoringWrites(db: Handle): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) await sql`select pg_advisory_xact_lock(${MONITORING_WRITE_LOCK})`.execute(db);
}


const REPORTS_TABLE: BulkTable = {
  table: 'monitoring_reports',
  columns: [
    { name: 'enterprise_id', pgType: 'text' },
    { name: 'period', pgType: 'text' },
    { name: 'source', pgType: 'text' },
    { name: 'batch_id', pgType: 'text' },
    { name: 'updated_at', pgType: 'text' },
    { name: 'updated_by', pgType: 'text' },
  ],
  onConflict: { key: ['enterprise_id', 'period'], update: ['source', 'batch_id', 'updated_at', 'updated_by'] },
};

export async function upsertReports(db: Handle, rows: { enterpriseId: string; period: string; source: string; batchId: string; at: string; by: string | null }[]): Promise<void> {
  if (rows.length === 0) return;
  await bulkWrite(db, REPORTS_TABLE, [rows.map((r) => r.enterpriseId), rows.map((r) => r.period), rows.map((r) => r.source), rows.map((r) => r.batchId), rows.map((r) => r.at), rows.map((r) => r.by)]);
  await bumpDataVersion(db, 'monitoring');
}

const VALUES_TABLE: BulkTable = {
  table: 'monitoring_values',
  columns: [
    { name: 'enterprise_id', pgType: 'text' },
    { name: 'period', pgType: 'text' },
    { name: 'indicator', pgType: 'text' },
    { name: 'current_value', pgType: 'bigint' },
    { name: 'previous_value', pgType: 'bigint' },
  ],
  onConflict: { key: ['period', 'enterprise_id', 'indicator'], update: ['current_value', 'previous_value'] },
};

/** Values as columns, one array each, all of one length: what a large import writes. */
export type ValueColumns = { enterpriseId: string[]; period: string[]; indicator: string[]; current: bigint[]; previous: (bigint | null)[] };

/**
 * Writes values (insert or replace). Fastest in the key's order, period then enterprise then
 * indicator (ADR 0012): a month's rows then append to one range of the key.
 */
export async function upsertValues(db: Handle, rows: readonly ValueWrite[] | ValueColumns): Promise<void> {
  const columns: ValueColumns = Array.isArray(rows)
    ? {
        enterpriseId: rows.map((r) => r.enterpriseId),
        period: rows.map((r) => r.period),
        indicator: rows.map((r) => r.indicator),
        current: rows.map((r) => r.current),
        previous: rows.map((r) => r.previous),
      }
    : (rows as ValueColumns);
  if (columns.enterpriseId.length === 0) return;
  await bulkWrite(db, VALUES_TABLE, [columns.enterpriseId, columns.period, columns.indicator, columns.current, columns.previous]);
  await bumpDataVersion(db, 'monitoring');
}

export async function deleteValues(db: Handle, keys: readonly { enterpriseId: string; period: string; indicator: string }[]): Promise<void> {
  // One statement per period, indicator and chunk of enterprises, not one per value: a re-import
  // that empties a column clears thousands.
  const groups = new Map<string, { period: string; indicator: string; ids: string[] }>();
  for (const key of keys) {
    const group = groups.get(`${key.period}|${key.indicator}`) ?? { period: key.period, indicator: key.indicator, ids: [] };
    group.ids.push(key.enterpriseId);
    groups.set(`${key.period}|${key.indicator}`, group);
  }
  for (const group of groups.values()) {
    await inChunks(group.ids, async (chunk) => {
      await db.deleteFrom('monitoring_values').where('period', '=', group.period).where('indicator', '=', group.indicator).where('enterprise_id', 'in', chunk).execute();
      return [];
    });
  }
  if (keys.length) await bumpDataVersion(db, 'monitoring');
}

export async function replaceProducts(db: Handle, pairs: readonly { enterpriseId: string; period: string }[], rows: readonly ProductRecord[]): Promise<void> {
  for (const pair of pairs) {
    await db.deleteFrom('monitoring_products').where('enterprise_id', '=', pair.enterpriseId).where('period', '=', pair.period).execute();
  }
  for (let i = 0; i < rows.length; i += WRITE_BATCH) {
    const chunk = rows.slice(i, i + WRITE_BATCH);
    await db
      .insertInto('monitoring_products')
      .values(
        chunk.map((r) => ({
          enterprise_id: r.enterpriseId,
          period: r.period,
          product_name: r.productName,
          unit: r.unit,
          current_value: r.current.toString(),
          previous_value: r.previous === null ? null : r.previous.toString(),
        })),
      )
      .execute();
  }
}

export async function insertImportBatch(
  db: Handle,
  row: { id: string; createdAt: string; actorId: string | null; actorName: string; source: string; fileName: string | null; summary: unknown },
): Promise<void> {
  await db
    .insertInto('monitoring_imports')
    .values({ id: row.id, created_at: row.createdAt, actor_id: row.actorId, actor_name: row.actorName, source: row.source, file_name: row.fileName, summary_json: JSON.stringify(row.summary) })
    .execute();
}

// ---- reports list -------------------------------------------------------------------------------

export type ReportHeader = { enterprise_id: string; period: string; source: string; updated_at: string; name: string; uscc: string; town_id: string; town_name: string };

export async function listReportHeaders(
  db: Handle,
  scope: Scope,
  filter: { period: string; search?: string | undefined; town?: string | undefined; enterpriseId?: string | undefined },
  page: { limit: number; offset: number } | null,
): Promise<{ rows: ReportHeader[]; total: number }> {
  let base = db
    .selectFrom('monitoring_reports as r')
    .innerJoin('enterprises as e', 'e.id', 'r.enterprise_id')
    .innerJoin('units as u', 'u.id', 'e.town_id')
    .where('r.period', '=', filter.period)
    .where(inScope(scope, { town: 'e.town_id', enterprise: 'e.id' }));
  if (filter.town) base = base.where('e.town_id', '=', filter.town);
  if (filter.enterpriseId) base = base.where('e.id', '=', filter.enterpriseId);
  if (filter.search) {
    const like = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    base = base.where(sql<boolean>`(e.name like ${like} escape '\\' or e.uscc like ${like.toUpperCase()} escape '\\')`);
  }
  const total = toNumber((await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n as string | number);
  let query = base
    .select(['r.enterprise_id', 'r.period', 'r.source', 'r.updated_at', 'e.name', 'e.uscc', 'e.town_id', 'u.name as town_name'])
    .orderBy('u.sort_order')
    .orderBy('e.name')
    .orderBy('e.id');
  if (page) query = query.limit(page.limit).offset(page.offset);
  return { rows: await query.execute(), total };
}

// ---- reported district indicators ---------------------------------------------------------------

export async function listReportedValues(db: Handle, periods: readonly string[]) {
  if (periods.length === 0) return [];
  return db.selectFrom('monitoring_reported_values').selectAll().where('period', 'in', [...periods]).orderBy('entered_at', 'desc').orderBy('id', 'desc').execute();
}

export async function insertReportedValue(
  db: Handle,
  row: { id: string; code: string; period: string; value: bigint; source: string; note: string | null; enteredAt: string; enteredBy: string },
): Promise<void> {
  await db
    .insertInto('monitoring_reported_values')
    .values({ id: row.id, code: row.code, period: row.period, value: row.value.toString(), source: row.source, note: row.note, entered_at: row.enteredAt, entered_by: row.enteredBy })
    .execute();
}

// ---- warnings -----------------------------------------------------------------------------------

export async function listWarningsOfPeriod(db: Handle, period: string): Promise<MonitoringWarningsTable[]> {
  return db.selectFrom('monitoring_warnings').selectAll().where('period', '=', period).execute();
}

export async function insertWarnings(db: Handle, rows: readonly MonitoringWarningsTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    const chunk = rows.slice(i, i + 200);
    if (chunk.length) await db.insertInto('monitoring_warnings').values([...chunk]).execute();
  }
}

export async function updateWarning(db: Handle, id: string, set: Partial<MonitoringWarningsTable>): Promise<void> {
  await db.updateTable('monitoring_warnings').set(set).where('id', '=', id).execute();
}

export type WarningFilter = { period?: string | undefined; status?: string | undefined; level?: string | undefined; rule?: string | undefined; activeOnly: boolean };

/**
 * Warnings the caller may see: enterprise warnings within scope; town and chain warnings are
 * aggregates, visible to all.
 */
export async function listWarnings(db: Handle, scope: Scope, filter: WarningFilter, page: { limit: number; offset: number } | null) {
  let base = db
    .selectFrom('monitoring_warnings as w')
    .where((eb) => eb.or([eb('w.subject_kind', '!=', 'enterprise'), inScope(scope, { town: 'w.town_id', enterprise: 'w.enterprise_id' })]));
  if (filter.period) base = base.where('w.period', '=', filter.period);
  if (filter.status) base = base.where('w.status', '=', filter.status);
  if (filter.level) base = base.where('w.level', '=', filter.level);
  if (filter.rule) base = base.where('w.rule', '=', filter.rule);
  if (filter.activeOnly) base = base.where('w.active', '=', 1);
  const counts = await base.select((eb) => ['w.level', eb.fn.countAll().as('n')]).groupBy('w.level').execute();
  const total = counts.reduce((s, r) => s + toNumber(r.n as string | number), 0);
  let query = base
    .selectAll('w')
    .orderBy(sql`case w.level when 'red' then 0 when 'orange' then 1 else 2 end`)
    .orderBy('w.period', 'desc')
    .orderBy('w.created_at', 'desc')
    .orderBy('w.id');
  if (page) query = query.limit(page.limit).offset(page.offset);
  return {
    rows: await query.execute(),
    total,
    counts: Object.fromEntries(counts.map((r) => [r.level, toNumber(r.n as string | number)])) as Record<string, number>,
  };
}

export async function findWarning(db: Handle, id: string): Promise<MonitoringWarningsTable | undefined> {
  return db.selectFrom('monitoring_warnings').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUnitNames(db: Handle, ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await inChunks(ids, (chunk) => db.selectFrom('units').select(['id', 'name']).where('id', 'in', chunk).execute());
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The id of the enterprise group (企业集团) of this name, or null (a group measured by name). */
export async function findGroupIdByName(db: Handle, name: string): Promise<string | null> {
  return (await db.selectFrom('enterprise_groups').select('id').where('name', '=', name).executeTakeFirst())?.id ?? null;
}

/** The periods in which any of these enterprises filed a report or has a warning. */
export async function listPeriodsOfEnterprises(db: Handle, enterpriseIds: readonly string[]): Promise<string[]> {
  const reported = await inChunks(enterpriseIds, (chunk) => db.selectFrom('monitoring_reports').select('period').distinct().where('enterprise_id', 'in', chunk).execute());
  const warned = await inChunks(enterpriseIds, (chunk) => db.selectFrom('monitoring_warnings').select('period').distinct().where('enterprise_id', 'in', chunk).execute());
  return [...new Set([...reported, ...warned].map((r) => r.period))].sort();
}
