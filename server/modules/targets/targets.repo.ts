import type { Kysely } from 'kysely';
import type { BulletinsTable, Database, RankingsTable, TargetQuotasTable, TargetsTable, TargetValuesTable } from '#server/db/schema.ts';
import { inScope } from '#server/platform/scope.ts';
import type { Scope } from '#server/platform/scope.ts';

type Handle = Kysely<Database>;

// ---- targets ----------------------------------------------------------------------------------

export async function insertTargetRows(db: Handle, rows: readonly TargetsTable[]): Promise<void> {
  if (rows.length) await db.insertInto('targets').values([...rows]).execute();
}

export async function findTargetRow(db: Handle, id: string): Promise<TargetsTable | undefined> {
  return db.selectFrom('targets').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listTargetRows(db: Handle, filter: { year?: number | undefined; planId?: string | undefined; planItemIds?: readonly string[]; ids?: readonly string[] }): Promise<TargetsTable[]> {
  let query = db.selectFrom('targets').selectAll();
  if (filter.year !== undefined) query = query.where('year', '=', filter.year);
  if (filter.planId !== undefined) query = query.where('plan_id', '=', filter.planId);
  if (filter.planItemIds) {
    if (filter.planItemIds.length === 0) return [];
    query = query.where('plan_item_id', 'in', [...filter.planItemIds]);
  }
  if (filter.ids) {
    if (filter.ids.length === 0) return [];
    query = query.where('id', 'in', [...filter.ids]);
  }
  return query.orderBy('year').orderBy('sort_order').orderBy('id').execute();
}

export async function nextTargetSortOrder(db: Handle, year: number): Promise<number> {
  const row = await db.selectFrom('targets').select((eb) => eb.fn.max('sort_order').as('max')).where('year', '=', year).executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}

export async function updateTargetRow(db: Handle, id: string, patch: Partial<TargetsTable>): Promise<void> {
  await db.updateTable('targets').set(patch).where('id', '=', id).execute();
}

export async function deleteTargetRows(db: Handle, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('target_quotas').where('target_id', 'in', [...ids]).execute();
  await db.deleteFrom('target_values').where('target_id', 'in', [...ids]).execute();
  await db.deleteFrom('targets').where('id', 'in', [...ids]).execute();
}

// ---- manual values ----------------------------------------------------------------------------

/** Every manual entry of the targets in a year, oldest first (district rows and the scope's town rows). */
export async function listValueRows(db: Handle, targetIds: readonly string[], scope: Scope | null): Promise<TargetValuesTable[]> {
  if (targetIds.length === 0) return [];
  let query = db.selectFrom('target_values').selectAll().where('target_id', 'in', [...targetIds]);
  if (scope) query = query.where((eb) => eb.or([eb('town_id', 'is', null), inScope(scope, { town: 'town_id' })]));
  return query.orderBy('period').orderBy('entered_at').orderBy('id').execute();
}

export async function insertValueRow(db: Handle, row: TargetValuesTable): Promise<void> {
  await db.insertInto('target_values').values(row).execute();
}

/** The latest period of the year with a manual entry, for choosing a default period. */
export async function latestValuePeriod(db: Handle, year: number): Promise<string | null> {
  const row = await db
    .selectFrom('target_values')
    .select((eb) => eb.fn.max('period').as('period'))
    .where('period', '>=', `${year}-01`)
    .where('period', '<=', `${year}-12`)
    .executeTakeFirst();
  return (row?.period as string | null | undefined) ?? null;
}

// ---- quotas -----------------------------------------------------------------------------------

export async function listQuotaRows(db: Handle, targetIds: readonly string[], scope: Scope | null): Promise<TargetQuotasTable[]> {
  if (targetIds.length === 0) return [];
  let query = db.selectFrom('target_quotas').selectAll().where('target_id', 'in', [...targetIds]);
  if (scope) query = query.where(inScope(scope, { town: 'town_id' }));
  return query.execute();
}

export async function replaceQuotaRows(db: Handle, targetId: string, rows: readonly TargetQuotasTable[]): Promise<void> {
  await db.deleteFrom('target_quotas').where('target_id', '=', targetId).execute();
  if (rows.length) await db.insertInto('target_quotas').values([...rows]).execute();
}

export async function targetIdsWithQuotas(db: Handle, targetIds: readonly string[]): Promise<Set<string>> {
  if (targetIds.length === 0) return new Set();
  const rows = await db.selectFrom('target_quotas').select('target_id').distinct().where('target_id', 'in', [...targetIds]).execute();
  return new Set(rows.map((r) => r.target_id));
}

// ---- rankings and bulletins -------------------------------------------------------------------

export async function listRankingRows(db: Handle, year?: number): Promise<RankingsTable[]> {
  let query = db.selectFrom('rankings').selectAll();
  if (year !== undefined) query = query.where('year', '=', year);
  return query.orderBy('year', 'desc').orderBy('created_at').execute();
}

export async function findRankingRow(db: Handle, id: string): Promise<RankingsTable | undefined> {
  return db.selectFrom('rankings').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertRankingRow(db: Handle, row: RankingsTable): Promise<void> {
  await db.insertInto('rankings').values(row).execute();
}

export async function updateRankingRow(db: Handle, id: string, patch: Partial<RankingsTable>): Promise<void> {
  await db.updateTable('rankings').set(patch).where('id', '=', id).execute();
}

export async function listBulletinRows(db: Handle, filter: { period?: string | undefined; rankingId?: string | undefined }): Promise<(BulletinsTable & { ranking_name: string })[]> {
  let query = db.selectFrom('bulletins').innerJoin('rankings', 'rankings.id', 'bulletins.ranking_id').selectAll('bulletins').select('rankings.name as ranking_name');
  if (filter.period) query = query.where('bulletins.period', '=', filter.period);
  if (filter.rankingId) query = query.where('bulletins.ranking_id', '=', filter.rankingId);
  return query.orderBy('bulletins.period', 'desc').orderBy('bulletins.version', 'desc').execute();
}

export async function findBulletinRow(db: Handle, id: string): Promise<(BulletinsTable & { ranking_name: string }) | undefined> {
  return db
    .selectFrom('bulletins')
    .innerJoin('rankings', 'rankings.id', 'bulletins.ranking_id')
    .selectAll('bulletins')
    .select('rankings.name as ranking_name')
    .where('bulletins.id', '=', id)
    .executeTakeFirst();
}

export async function nextBulletinVersion(db: Handle, rankingId: string, period: string): Promise<number> {
  const row = await db
    .selectFrom('bulletins')
    .select((eb) => eb.fn.max('version').as('max'))
    .where('ranking_id', '=', rankingId)
    .where('period', '=', period)
    .executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}

/** How many distinct periods of a ranking's year already have a bulletin (the default 文号 counts on). */
export async function countBulletinPeriods(db: Handle, rankingId: string, year: number, before: string): Promise<number> {
  const rows = await db
    .selectFrom('bulletins')
    .select('period')
    .distinct()
    .where('ranking_id', '=', rankingId)
    .where('period', '>=', `${year}-01`)
    .where('period', '<', before)
    .execute();
  return rows.length;
}

export async function insertBulletinRow(db: Handle, row: BulletinsTable): Promise<void> {
  await db.insertInto('bulletins').values(row).execute();
}
