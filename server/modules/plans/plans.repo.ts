import type { Kysely } from 'kysely';
import type {
  Database,
  PlanItemLinksTable,
  PlanItemsTable,
  PlanItemUnitsTable,
  PlanMilestonesTable,
  PlanNotesTable,
  PlanReportFilesTable,
  PlanReportsTable,
  PlansTable,
} from '#server/db/schema.ts';

type Handle = Kysely<Database>;

// ---- plans ------------------------------------------------------------------------------------

export async function insertPlanRow(db: Handle, row: PlansTable): Promise<void> {
  await db.insertInto('plans').values(row).execute();
}

export async function findPlanRow(db: Handle, id: string): Promise<PlansTable | undefined> {
  return db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Plans without their source text (which can be long). */
export async function listPlanRows(db: Handle): Promise<Omit<PlansTable, 'source_text'>[]> {
  return db
    .selectFrom('plans')
    .select(['id', 'year', 'title', 'notice_title', 'issuer', 'issue_date', 'overview', 'source_file_name', 'created_at', 'created_by', 'updated_at'])
    .orderBy('year', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
}

export async function deletePlanRow(db: Handle, id: string): Promise<void> {
  const items = db.selectFrom('plan_items').select('id').where('plan_id', '=', id);
  const reports = db.selectFrom('plan_reports').select('id').where('item_id', 'in', items);
  await db.deleteFrom('plan_report_files').where('report_id', 'in', reports).execute();
  for (const table of ['plan_reports', 'plan_notes', 'plan_milestones', 'plan_item_links', 'plan_item_units'] as const) {
    await db.deleteFrom(table).where('item_id', 'in', items).execute();
  }
  await db.deleteFrom('plan_items').where('plan_id', '=', id).execute();
  await db.deleteFrom('plans').where('id', '=', id).execute();
}

// ---- items ------------------------------------------------------------------------------------

export async function insertItemRows(db: Handle, rows: readonly PlanItemsTable[]): Promise<void> {
  // Chunked: PostgreSQL and SQLite cap the number of bound parameters per statement.
  for (let i = 0; i < rows.length; i += 200) await db.insertInto('plan_items').values(rows.slice(i, i + 200)).execute();
}

export async function listItemRows(db: Handle, planIds: readonly string[]): Promise<PlanItemsTable[]> {
  if (planIds.length === 0) return [];
  return db.selectFrom('plan_items').selectAll().where('plan_id', 'in', [...planIds]).orderBy('plan_id').orderBy('sort_order').execute();
}

export async function findItemRow(db: Handle, id: string): Promise<PlanItemsTable | undefined> {
  return db.selectFrom('plan_items').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateItemRow(db: Handle, id: string, patch: Partial<PlanItemsTable>): Promise<void> {
  await db.updateTable('plan_items').set(patch).where('id', '=', id).execute();
}

export async function nextChildSortOrder(db: Handle, planId: string): Promise<number> {
  const row = await db.selectFrom('plan_items').select((eb) => eb.fn.max('sort_order').as('max')).where('plan_id', '=', planId).executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}

/** Items of the plans of a year, for the metric source (leaf items: those without children). */
export async function listItemRowsOfYear(db: Handle, year: number): Promise<PlanItemsTable[]> {
  return db.selectFrom('plan_items').innerJoin('plans', 'plans.id', 'plan_items.plan_id').selectAll('plan_items').where('plans.year', '=', year).execute();
}

// ---- assigned units and links -----------------------------------------------------------------

export async function listItemUnitRows(db: Handle, itemIds: readonly string[]): Promise<PlanItemUnitsTable[]> {
  if (itemIds.length === 0) return [];
  const out: PlanItemUnitsTable[] = [];
  for (let i = 0; i < itemIds.length; i += 500) {
    out.push(...(await db.selectFrom('plan_item_units').selectAll().where('item_id', 'in', itemIds.slice(i, i + 500)).execute()));
  }
  return out;
}

/** Item ids a set of units is assigned to (lead or cooperating). */
export async function itemIdsOfUnits(db: Handle, unitIds: readonly string[]): Promise<PlanItemUnitsTable[]> {
  if (unitIds.length === 0) return [];
  return db.selectFrom('plan_item_units').selectAll().where('unit_id', 'in', [...unitIds]).execute();
}

export async function replaceItemUnits(db: Handle, itemId: string, rows: readonly PlanItemUnitsTable[]): Promise<void> {
  await db.deleteFrom('plan_item_units').where('item_id', '=', itemId).execute();
  if (rows.length) await db.insertInto('plan_item_units').values([...rows]).execute();
}

export async function listLinkRows(db: Handle, itemId: string): Promise<PlanItemLinksTable[]> {
  return db.selectFrom('plan_item_links').selectAll().where('item_id', '=', itemId).orderBy('kind').orderBy('label').execute();
}

export async function replaceLinks(db: Handle, itemId: string, rows: readonly PlanItemLinksTable[]): Promise<void> {
  await db.deleteFrom('plan_item_links').where('item_id', '=', itemId).execute();
  if (rows.length) await db.insertInto('plan_item_links').values([...rows]).execute();
}

// ---- milestones -------------------------------------------------------------------------------

export async function listMilestoneRows(db: Handle, itemIds: readonly string[]): Promise<PlanMilestonesTable[]> {
  if (itemIds.length === 0) return [];
  return db.selectFrom('plan_milestones').selectAll().where('item_id', 'in', [...itemIds]).orderBy('due_date').orderBy('id').execute();
}

export async function findMilestoneRow(db: Handle, id: string): Promise<PlanMilestonesTable | undefined> {
  return db.selectFrom('plan_milestones').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertMilestoneRow(db: Handle, row: PlanMilestonesTable): Promise<void> {
  await db.insertInto('plan_milestones').values(row).execute();
}

export async function updateMilestoneRow(db: Handle, id: string, patch: Partial<PlanMilestonesTable>): Promise<void> {
  await db.updateTable('plan_milestones').set(patch).where('id', '=', id).execute();
}

export async function deleteMilestoneRow(db: Handle, id: string): Promise<void> {
  await db.deleteFrom('plan_milestones').where('id', '=', id).execute();
}

// ---- reports ----------------------------------------------------------------------------------

export async function listReportRows(db: Handle, filter: { itemIds?: readonly string[]; period?: string }): Promise<PlanReportsTable[]> {
  let query = db.selectFrom('plan_reports').selectAll();
  if (filter.itemIds) {
    if (filter.itemIds.length === 0) return [];
    query = query.where('item_id', 'in', [...filter.itemIds]);
  }
  if (filter.period) query = query.where('period', '=', filter.period);
  return query.orderBy('period', 'desc').orderBy('submitted_at', 'desc').execute();
}

export async function findReportRow(db: Handle, id: string): Promise<PlanReportsTable | undefined> {
  return db.selectFrom('plan_reports').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findReportOf(db: Handle, itemId: string, unitId: string, period: string): Promise<PlanReportsTable | undefined> {
  return db.selectFrom('plan_reports').selectAll().where('item_id', '=', itemId).where('unit_id', '=', unitId).where('period', '=', period).executeTakeFirst();
}

export async function insertReportRow(db: Handle, row: PlanReportsTable): Promise<void> {
  await db.insertInto('plan_reports').values(row).execute();
}

export async function updateReportRow(db: Handle, id: string, patch: Partial<PlanReportsTable>): Promise<void> {
  await db.updateTable('plan_reports').set(patch).where('id', '=', id).execute();
}

/** The latest period with a report in a year's plans. */
export async function latestReportPeriod(db: Handle, year: number): Promise<string | null> {
  const row = await db
    .selectFrom('plan_reports')
    .select((eb) => eb.fn.max('period').as('period'))
    .where('period', '>=', `${year}-01`)
    .where('period', '<=', `${year}-12`)
    .executeTakeFirst();
  return (row?.period as string | null | undefined) ?? null;
}

export async function listFileRows(db: Handle, reportIds: readonly string[]): Promise<Omit<PlanReportFilesTable, 'content_base64'>[]> {
  if (reportIds.length === 0) return [];
  return db
    .selectFrom('plan_report_files')
    .select(['id', 'report_id', 'file_name', 'mime', 'size', 'created_at'])
    .where('report_id', 'in', [...reportIds])
    .orderBy('created_at')
    .execute();
}

export async function findFileRow(db: Handle, id: string): Promise<PlanReportFilesTable | undefined> {
  return db.selectFrom('plan_report_files').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertFileRow(db: Handle, row: PlanReportFilesTable): Promise<void> {
  await db.insertInto('plan_report_files').values(row).execute();
}

// ---- notes ------------------------------------------------------------------------------------

export async function listNoteRows(db: Handle, filter: { itemIds: readonly string[]; period?: string; kind?: string }): Promise<PlanNotesTable[]> {
  if (filter.itemIds.length === 0) return [];
  let query = db.selectFrom('plan_notes').selectAll().where('item_id', 'in', [...filter.itemIds]);
  if (filter.period) query = query.where('period', '=', filter.period);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  return query.orderBy('created_at', 'desc').execute();
}

export async function insertNoteRows(db: Handle, rows: readonly PlanNotesTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) await db.insertInto('plan_notes').values(rows.slice(i, i + 200)).execute();
}
