import { sql } from 'kysely';
import type { Expression, Kysely, SqlBool } from 'kysely';
import type { EnterpriseFilter, EnterpriseSort } from '#common/contracts/enterprises.ts';
import { toNumber } from '#server/db/client.ts';
import type { Database, EnterpriseScaleHistoryTable, EnterprisesTable } from '#server/db/schema.ts';
import { bumpDataVersion } from '#server/platform/data-version.ts';
import { newId } from '#server/platform/ids.ts';
import { inScope } from '#server/platform/scope.ts';
import type { Scope } from '#server/platform/scope.ts';
import type { Spell } from '#server/modules/enterprises/enterprises.rules.ts';

// Only Kysely here. Every read of enterprise records takes the caller's scope; the one
// exception, findEnterprisesByUscc, serves uniqueness checks and says so. Writes that can move an
// enterprise between figure groups (town, chains, group, 规上 spells) bump the monitoring data
// version in the caller's transaction (ADR 0008).

type Handle = Kysely<Database>;

export type EnterpriseRow = EnterprisesTable & { town_name: string; group_name: string | null };

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function filterConditions(scope: Scope, filter: EnterpriseFilter): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [inScope(scope, { town: 'e.town_id', enterprise: 'e.id' })];
  if (filter.search) {
    const like = `%${escapeLike(filter.search)}%`;
    const upper = `%${escapeLike(filter.search.toUpperCase())}%`;
    conditions.push(sql<SqlBool>`(e.name like ${like} escape '\\' or e.uscc like ${upper} escape '\\')`);
  }
  if (filter.town) conditions.push(sql<SqlBool>`e.town_id = ${filter.town}`);
  if (filter.chain) conditions.push(sql<SqlBool>`exists (select 1 from enterprise_chains ec where ec.enterprise_id = e.id and ec.chain_id = ${filter.chain})`);
  if (filter.industry) conditions.push(sql<SqlBool>`e.industry_code like ${`${filter.industry}%`}`);
  if (filter.aboveScale) conditions.push(sql<SqlBool>`e.above_scale = ${filter.aboveScale === 'true' ? 1 : 0}`);
  if (filter.tag) conditions.push(sql<SqlBool>`exists (select 1 from enterprise_tags et where et.enterprise_id = e.id and et.tag = ${filter.tag})`);
  return conditions;
}

function baseQuery(db: Handle, scope: Scope, filter: EnterpriseFilter) {
  const conditions = filterConditions(scope, filter);
  return db
    .selectFrom('enterprises as e')
    .innerJoin('units as u', 'u.id', 'e.town_id')
    .leftJoin('enterprise_groups as g', 'g.id', 'e.group_id')
    .where((eb) => eb.and(conditions));
}

const SORTS: Record<string, string[]> = {
  name: ['e.name'],
  uscc: ['e.uscc'],
  town: ['u.sort_order', 'e.name'],
  industryCode: ['e.industry_code', 'e.name'],
  createdAt: ['e.created_at'],
  updatedAt: ['e.updated_at'],
};

function selectRows(db: Handle, scope: Scope, filter: EnterpriseFilter, sort: EnterpriseSort | undefined) {
  const key = (sort ?? 'town').replace(/^-/, '');
  const direction = sort?.startsWith('-') ? 'desc' : 'asc';
  let query = baseQuery(db, scope, filter).selectAll('e').select(['u.name as town_name', 'g.name as group_name']);
  for (const column of SORTS[key] ?? SORTS.town!) query = query.orderBy(sql.ref(column), direction);
  return query.orderBy('e.id');
}

/** One page of the enterprises a scope reaches, filtered and sorted, with the total. */
export async function listEnterpriseRows(
  db: Handle,
  scope: Scope,
  filter: EnterpriseFilter,
  page: { page: number; pageSize: number },
): Promise<{ rows: EnterpriseRow[]; total: number }> {
  const total = toNumber((await baseQuery(db, scope, filter).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n as string | number);
  const rows = await selectRows(db, scope, filter, filter.sort)
    .limit(page.pageSize)
    .offset((page.page - 1) * page.pageSize)
    .execute();
  return { rows, total };
}

/** Every enterprise a scope reaches under a filter (exports), up to `limit`. */
export function listAllEnterpriseRows(db: Handle, scope: Scope, filter: EnterpriseFilter, limit: number): Promise<EnterpriseRow[]> {
  return selectRows(db, scope, filter, filter.sort).limit(limit).execute();
}

/** One enterprise, only if the scope reaches it. */
export function findEnterpriseRow(db: Handle, scope: Scope, id: string): Promise<EnterpriseRow | undefined> {
  return baseQuery(db, scope, {}).selectAll('e').select(['u.name as town_name', 'g.name as group_name']).where('e.id', '=', id).executeTakeFirst();
}

/**
 * Enterprises by USCC across the whole district, whatever the caller's scope: uniqueness is
 * district-wide. Callers must not show an out-of-scope record's details.
 */
export async function findEnterprisesByUscc(db: Handle, usccs: readonly string[]): Promise<EnterpriseRow[]> {
  const out: EnterpriseRow[] = [];
  for (let i = 0; i < usccs.length; i += 500) {
    const chunk = usccs.slice(i, i + 500);
    if (chunk.length === 0) continue;
    out.push(
      ...(await db
        .selectFrom('enterprises as e')
        .innerJoin('units as u', 'u.id', 'e.town_id')
        .leftJoin('enterprise_groups as g', 'g.id', 'e.group_id')
        .selectAll('e')
        .select(['u.name as town_name', 'g.name as group_name'])
        .where('e.uscc', 'in', chunk)
        .execute()),
    );
  }
  return out;
}

async function inChunks<T>(ids: readonly string[], load: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    if (chunk.length) out.push(...(await load(chunk)));
  }
  return out;
}

export async function chainsOf(db: Handle, enterpriseIds: readonly string[]): Promise<Map<string, { id: string; name: string }[]>> {
  const rows = await inChunks(enterpriseIds, (chunk) =>
    db
      .selectFrom('enterprise_chains as ec')
      .innerJoin('industry_chains as c', 'c.id', 'ec.chain_id')
      .select(['ec.enterprise_id', 'c.id', 'c.name', 'c.sort_order'])
      .where('ec.enterprise_id', 'in', chunk)
      .orderBy('c.sort_order')
      .execute(),
  );
  const out = new Map<string, { id: string; name: string }[]>();
  for (const r of rows.sort((a, b) => a.sort_order - b.sort_order)) out.set(r.enterprise_id, [...(out.get(r.enterprise_id) ?? []), { id: r.id, name: r.name }]);
  return out;
}

export async function tagsOf(db: Handle, enterpriseIds: readonly string[]): Promise<Map<string, string[]>> {
  const rows = await inChunks(enterpriseIds, (chunk) => db.selectFrom('enterprise_tags').selectAll().where('enterprise_id', 'in', chunk).orderBy('tag').execute());
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.enterprise_id, [...(out.get(r.enterprise_id) ?? []), r.tag]);
  return out;
}

export async function spellsOf(db: Handle, enterpriseIds: readonly string[]): Promise<Map<string, Spell[]>> {
  const rows = await inChunks(enterpriseIds, (chunk) =>
    db.selectFrom('enterprise_scale_history').selectAll().where('enterprise_id', 'in', chunk).orderBy('from_period').execute(),
  );
  const out = new Map<string, Spell[]>();
  for (const r of rows) {
    const spell: Spell = { id: r.id, fromPeriod: r.from_period, fromReason: r.from_reason, toPeriod: r.to_period, toReason: r.to_reason };
    out.set(r.enterprise_id, [...(out.get(r.enterprise_id) ?? []), spell]);
  }
  return out;
}

export async function insertEnterpriseRows(db: Handle, rows: readonly EnterprisesTable[]): Promise<void> {
  // 17 columns a row: batches of 200 stay under SQLite's and PostgreSQL's parameter limits.
  for (let i = 0; i < rows.length; i += 200) await db.insertInto('enterprises').values(rows.slice(i, i + 200)).execute();
  if (rows.length) await bumpDataVersion(db, 'monitoring');
}

export async function updateEnterpriseRow(db: Handle, id: string, set: Partial<EnterprisesTable>): Promise<void> {
  await db.updateTable('enterprises').set(set).where('id', '=', id).execute();
  await bumpDataVersion(db, 'monitoring');
}

/** Removes the chain links and tags of enterprises whose lists are about to be replaced. */
export async function clearEnterpriseLinks(db: Handle, chainsOfIds: readonly string[], tagsOfIds: readonly string[]): Promise<void> {
  for (let i = 0; i < chainsOfIds.length; i += 500) await db.deleteFrom('enterprise_chains').where('enterprise_id', 'in', chainsOfIds.slice(i, i + 500)).execute();
  for (let i = 0; i < tagsOfIds.length; i += 500) await db.deleteFrom('enterprise_tags').where('enterprise_id', 'in', tagsOfIds.slice(i, i + 500)).execute();
  if (chainsOfIds.length) await bumpDataVersion(db, 'monitoring');
}

export async function insertEnterpriseLinks(
  db: Handle,
  chains: readonly { enterprise_id: string; chain_id: string }[],
  tags: readonly { enterprise_id: string; tag: string }[],
): Promise<void> {
  for (let i = 0; i < chains.length; i += 1000) await db.insertInto('enterprise_chains').values(chains.slice(i, i + 1000)).execute();
  for (let i = 0; i < tags.length; i += 1000) await db.insertInto('enterprise_tags').values(tags.slice(i, i + 1000)).execute();
  if (chains.length) await bumpDataVersion(db, 'monitoring');
}

export async function insertSpells(db: Handle, spells: readonly EnterpriseScaleHistoryTable[]): Promise<void> {
  for (let i = 0; i < spells.length; i += 500) await db.insertInto('enterprise_scale_history').values(spells.slice(i, i + 500)).execute();
  if (spells.length) await bumpDataVersion(db, 'monitoring');
}

export async function updateSpell(db: Handle, spellId: string, set: { from_period?: string; from_reason?: string; to_period?: string; to_reason?: string }, now: string): Promise<void> {
  await db.updateTable('enterprise_scale_history').set({ ...set, updated_at: now }).where('id', '=', spellId).execute();
  await bumpDataVersion(db, 'monitoring');
}

export async function findGroupByName(db: Handle, name: string): Promise<{ id: string; name: string } | undefined> {
  return db.selectFrom('enterprise_groups').select(['id', 'name']).where('name', '=', name).executeTakeFirst();
}

export async function insertGroup(db: Handle, name: string, now: string): Promise<string> {
  const id = newId();
  await db.insertInto('enterprise_groups').values({ id, name, created_at: now, updated_at: now }).execute();
  return id;
}

/** Tags in use among the enterprises a scope reaches, with how many carry each. */
export async function listTagCounts(db: Handle, scope: Scope): Promise<{ tag: string; count: number }[]> {
  const rows = await db
    .selectFrom('enterprise_tags as t')
    .innerJoin('enterprises as e', 'e.id', 't.enterprise_id')
    .where(inScope(scope, { town: 'e.town_id', enterprise: 'e.id' }))
    .select(['t.tag', (eb) => eb.fn.countAll().as('n')])
    .groupBy('t.tag')
    .orderBy('t.tag')
    .execute();
  return rows.map((r) => ({ tag: r.tag, count: toNumber(r.n as string | number) }));
}

/** Groups with the number of their member enterprises the scope reaches. */
export async function listGroupCounts(db: Handle, scope: Scope): Promise<{ id: string; name: string; count: number }[]> {
  const rows = await db
    .selectFrom('enterprise_groups as g')
    .leftJoin('enterprises as e', (join) => join.onRef('e.group_id', '=', 'g.id').on(inScope(scope, { town: 'e.town_id', enterprise: 'e.id' })))
    .select(['g.id', 'g.name', (eb) => eb.fn.count('e.id').as('n')])
    .groupBy(['g.id', 'g.name'])
    .orderBy('g.name')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, count: toNumber(r.n as string | number) }));
}
