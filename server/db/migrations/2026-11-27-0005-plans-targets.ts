import type { Kysely } from 'kysely';

// Frozen in time: never imports application code (ADR 0001). The work plan and its targets
// (issue 4): plans read from a notice (original text kept), the tree of groups and work points
// with assigned units, milestones, monthly progress reports, 督办 notes; targets with their
// binding, manual values with evidence, town quotas, rankings and the bulletins generated from
// them. Ids are app-generated text; dates Beijing 'YYYY-MM-DD'; periods 'YYYY-MM'; instants UTC
// ISO text; flags 0/1; target values exact decimal strings in the target's own unit.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('notice_title', 'text')
    .addColumn('issuer', 'text')
    .addColumn('issue_date', 'text')
    .addColumn('overview', 'text', (c) => c.notNull())
    .addColumn('source_text', 'text', (c) => c.notNull()) // the notice as uploaded or pasted
    .addColumn('source_file_name', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // Groups (kind 'group') and work points (kind 'item', possibly nested) of a plan.
  await db.schema
    .createTable('plan_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('parent_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .addColumn('owner_section_id', 'text')
    .addColumn('responsible_person', 'text')
    .addColumn('status', 'text', (c) => c.notNull()) // not_started | in_progress | done | suspended
    .addColumn('progress', 'integer', (c) => c.notNull()) // 0–100, the item's own
    .addColumn('weight', 'text', (c) => c.notNull()) // decimal, for weighted roll-up
    .addColumn('rollup', 'text', (c) => c.notNull()) // average | weighted
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('plan_items_plan_idx').on('plan_items').columns(['plan_id', 'sort_order']).execute();

  // Lead (one) and cooperating units of an item: what a town's scope and "my work points" follow.
  await db.schema
    .createTable('plan_item_units')
    .addColumn('item_id', 'text', (c) => c.notNull().references('plan_items.id').onDelete('cascade'))
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull()) // lead | cooperate
    .addPrimaryKeyConstraint('plan_item_units_pk', ['item_id', 'unit_id'])
    .execute();
  await db.schema.createIndex('plan_item_units_unit_idx').on('plan_item_units').columns(['unit_id', 'item_id']).execute();

  // Enterprises and projects an item concerns (ids of other modules, kept as plain references).
  await db.schema
    .createTable('plan_item_links')
    .addColumn('item_id', 'text', (c) => c.notNull().references('plan_items.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull()) // enterprise | project
    .addColumn('ref_id', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('plan_item_links_pk', ['item_id', 'kind', 'ref_id'])
    .execute();

  await db.schema
    .createTable('plan_milestones')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) => c.notNull().references('plan_items.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('done_date', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('plan_milestones_item_idx').on('plan_milestones').columns(['item_id', 'due_date']).execute();

  // One report per item, unit and period; a returned report is corrected in place.
  await db.schema
    .createTable('plan_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) => c.notNull().references('plan_items.id').onDelete('cascade'))
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('progress', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('figures_json', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // submitted | approved | returned
    .addColumn('review_note', 'text')
    .addColumn('submitted_by', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_at', 'text')
    .execute();
  await db.schema.createIndex('plan_reports_item_unit_period_idx').on('plan_reports').columns(['item_id', 'unit_id', 'period']).unique().execute();
  await db.schema.createIndex('plan_reports_period_idx').on('plan_reports').columns(['period', 'unit_id']).execute();

  // Attachments and photos of a report, base64 text so both dialects store them alike.
  await db.schema
    .createTable('plan_report_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('plan_reports.id').onDelete('cascade'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('content_base64', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('plan_report_files_report_idx').on('plan_report_files').column('report_id').execute();

  // 督办 notes and reminders (催报).
  await db.schema
    .createTable('plan_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) => c.notNull().references('plan_items.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull()) // supervision | reminder
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text')
    .addColumn('period', 'text')
    .addColumn('due_date', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('plan_notes_item_idx').on('plan_notes').columns(['item_id', 'created_at']).execute();

  await db.schema
    .createTable('targets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('plan_id', 'text')
    .addColumn('plan_item_id', 'text')
    .addColumn('item_label', 'text')
    .addColumn('origin', 'text', (c) => c.notNull()) // main | item | manual
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('comparator', 'text', (c) => c.notNull())
    .addColumn('value', 'text') // decimal in the target's unit; null for a milestone
    .addColumn('unit', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    // 1: a level at the period's end (有效高企总数), not accumulated through the year.
    .addColumn('stock', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tolerance', 'text', (c) => c.notNull())
    .addColumn('base', 'text')
    .addColumn('related_key', 'text')
    .addColumn('owner_unit_id', 'text')
    .addColumn('binding_kind', 'text', (c) => c.notNull()) // none | metric | manual
    .addColumn('binding_source_id', 'text')
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('targets_year_idx').on('targets').columns(['year', 'sort_order']).execute();
  await db.schema.createIndex('targets_plan_idx').on('targets').columns(['plan_id', 'plan_item_id']).execute();

  // Manual values with their evidence; every entry kept, the newest per period and town counts.
  await db.schema
    .createTable('target_values')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('target_id', 'text', (c) => c.notNull().references('targets.id').onDelete('cascade'))
    .addColumn('town_id', 'text')
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('entered_by', 'text', (c) => c.notNull())
    .addColumn('entered_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('target_values_target_idx').on('target_values').columns(['target_id', 'period', 'entered_at']).execute();

  await db.schema
    .createTable('target_quotas')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('target_id', 'text', (c) => c.notNull().references('targets.id').onDelete('cascade'))
    .addColumn('town_id', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('base', 'text')
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('target_quotas_target_town_idx').on('target_quotas').columns(['target_id', 'town_id']).unique().execute();

  await db.schema
    .createTable('rankings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull()) // completion | weighted
    .addColumn('cap_pct', 'integer')
    .addColumn('indicators_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // A bulletin keeps the figures it was generated from, so its .docx is the same every time;
  // regenerating adds a version.
  await db.schema
    .createTable('bulletins')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ranking_id', 'text', (c) => c.notNull().references('rankings.id').onDelete('cascade'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('issue_date', 'text', (c) => c.notNull())
    .addColumn('snapshot_json', 'text', (c) => c.notNull())
    .addColumn('generated_at', 'text', (c) => c.notNull())
    .addColumn('generated_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('bulletins_ranking_period_idx').on('bulletins').columns(['ranking_id', 'period', 'version']).unique().execute();

  // Existing installations get the new permissions for roles that already have grants; a new
  // database has none yet and receives the defaults after migrating.
  const grants: [string, string][] = [
    ['admin', 'plans.read'],
    ['admin', 'plans.write'],
    ['admin', 'plans.report'],
    ['admin', 'targets.read'],
    ['admin', 'targets.manage'],
    ['leader', 'plans.read'],
    ['leader', 'targets.read'],
    ['section', 'plans.read'],
    ['section', 'plans.write'],
    ['section', 'plans.report'],
    ['section', 'targets.read'],
    ['section', 'targets.manage'],
    ['innovation', 'plans.read'],
    ['innovation', 'plans.report'],
    ['innovation', 'targets.read'],
    ['town', 'plans.read'],
    ['town', 'plans.report'],
    ['town', 'targets.read'],
  ];
  const present = new Set((await db.selectFrom('role_permissions').select('role').distinct().execute()).map((r: { role: string }) => r.role));
  const rows = grants.filter(([role]) => present.has(role)).map(([role, permission]) => ({ role, permission }));
  if (rows.length) await db.insertInto('role_permissions').values(rows).onConflict((oc) => oc.doNothing()).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'bulletins',
    'rankings',
    'target_quotas',
    'target_values',
    'targets',
    'plan_notes',
    'plan_report_files',
    'plan_reports',
    'plan_milestones',
    'plan_item_links',
    'plan_item_units',
    'plan_items',
    'plans',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await db.deleteFrom('role_permissions').where((eb) => eb.or([eb('permission', 'like', 'plans.%'), eb('permission', 'like', 'targets.%')])).execute();
}
