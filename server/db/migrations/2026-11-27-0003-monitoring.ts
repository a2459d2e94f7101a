import type { Kysely } from 'kysely';

// Frozen in time: never imports application code (ADR 0001). Industrial economy monitoring:
// monthly reports of 规上 enterprises, figures the statistics bureau publishes, warnings.
// Values are BIGINT counts of thousandths of the indicator's unit (ADR 0001); periods 'YYYY-MM'
// text (1–2月 = 'YYYY-02'); instants UTC ISO text. No totals are stored: figures are computed
// from these rows when asked (ADR 0005).

export async function up(db: Kysely<any>): Promise<void> {
  // One row per enterprise and period: who filed it and how.
  await db.schema
    .createTable('monitoring_reports')
    .addColumn('enterprise_id', 'text', (c) => c.notNull().references('enterprises.id').onDelete('cascade'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull()) // import | form | demo
    .addColumn('batch_id', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addPrimaryKeyConstraint('monitoring_reports_pk', ['enterprise_id', 'period'])
    .execute();
  await db.schema.createIndex('monitoring_reports_period_idx').on('monitoring_reports').column('period').execute();

  // 本年累计 (current_value) and 上年同期 (previous_value, null where not given) per indicator.
  await db.schema
    .createTable('monitoring_values')
    .addColumn('enterprise_id', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('indicator', 'text', (c) => c.notNull())
    .addColumn('current_value', 'bigint', (c) => c.notNull())
    .addColumn('previous_value', 'bigint')
    .addPrimaryKeyConstraint('monitoring_values_pk', ['enterprise_id', 'period', 'indicator'])
    .addForeignKeyConstraint('monitoring_values_report_fk', ['enterprise_id', 'period'], 'monitoring_reports', ['enterprise_id', 'period'], (c) => c.onDelete('cascade'))
    .execute();
  // The figures read one period and indicator at a time, across all enterprises.
  await db.schema
    .createIndex('monitoring_values_period_idx')
    .on('monitoring_values')
    .columns(['period', 'indicator', 'enterprise_id', 'current_value', 'previous_value'])
    .execute();

  // 主要产品产量, in each product's own unit.
  await db.schema
    .createTable('monitoring_products')
    .addColumn('enterprise_id', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('product_name', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('current_value', 'bigint', (c) => c.notNull())
    .addColumn('previous_value', 'bigint')
    .addPrimaryKeyConstraint('monitoring_products_pk', ['enterprise_id', 'period', 'product_name'])
    .addForeignKeyConstraint('monitoring_products_report_fk', ['enterprise_id', 'period'], 'monitoring_reports', ['enterprise_id', 'period'], (c) => c.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('monitoring_products_period_idx').on('monitoring_products').columns(['period', 'product_name']).execute();

  // Each committed import or online form: the history page and the audit entry's subject.
  await db.schema
    .createTable('monitoring_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull()) // upload | cli | form
    .addColumn('file_name', 'text')
    .addColumn('summary_json', 'text', (c) => c.notNull())
    .execute();

  // District figures the statistics bureau publishes (增加值增速 …): every entry kept, the newest
  // per code and period is current.
  await db.schema
    .createTable('monitoring_reported_values')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('entered_at', 'text', (c) => c.notNull())
    .addColumn('entered_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('monitoring_reported_values_idx').on('monitoring_reported_values').columns(['period', 'code', 'entered_at']).execute();

  await db.schema
    .createTable('monitoring_warnings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('subject_kind', 'text', (c) => c.notNull()) // enterprise | town | chain
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('indicator', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('enterprise_id', 'text')
    .addColumn('town_id', 'text')
    .addColumn('level', 'text', (c) => c.notNull()) // red | orange | yellow
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('figures_json', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // open | acknowledged | closed
    .addColumn('note', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1)) // 0: the condition no longer holds
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('status_changed_at', 'text')
    .addColumn('status_changed_by', 'text')
    .execute();
  await db.schema
    .createIndex('monitoring_warnings_subject_idx')
    .on('monitoring_warnings')
    .columns(['period', 'rule', 'subject_kind', 'subject_id', 'indicator'])
    .unique()
    .execute();
  await db.schema.createIndex('monitoring_warnings_status_idx').on('monitoring_warnings').columns(['status', 'period']).execute();

  // Existing installations get the new permissions for roles that already have grants; a new
  // database has none yet and receives the defaults after migrating.
  const grants: [string, string][] = [
    ['admin', 'monitoring.read'],
    ['admin', 'monitoring.import'],
    ['admin', 'monitoring.manage'],
    ['leader', 'monitoring.read'],
    ['section', 'monitoring.read'],
    ['section', 'monitoring.import'],
    ['section', 'monitoring.manage'],
    ['innovation', 'monitoring.read'],
    ['town', 'monitoring.read'],
    ['town', 'monitoring.import'],
    ['enterprise', 'monitoring.read'],
    ['enterprise', 'monitoring.import'],
  ];
  const present = new Set((await db.selectFrom('role_permissions').select('role').distinct().execute()).map((r: { role: string }) => r.role));
  const rows = grants.filter(([role]) => present.has(role)).map(([role, permission]) => ({ role, permission }));
  if (rows.length) await db.insertInto('role_permissions').values(rows).onConflict((oc) => oc.doNothing()).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['monitoring_warnings', 'monitoring_reported_values', 'monitoring_imports', 'monitoring_products', 'monitoring_values', 'monitoring_reports']) {
    await db.schema.dropTable(table).execute();
  }
  await db.deleteFrom('role_permissions').where('permission', 'like', 'monitoring.%').execute();
}
