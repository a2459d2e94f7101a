import type { Kysely } from 'kysely';

// Frozen in time: never imports application code (ADR 0001). The enterprise registry (一企一档):
// the record every later module hangs its data on. Periods are 'YYYY-MM' text (1–2月 = 'YYYY-02'),
// dates 'YYYY-MM-DD' text, flags 0/1, warning lists JSON text.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('enterprise_groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // The district's industry chains are configuration (district file), synced at start-up like units.
  await db.schema
    .createTable('industry_chains')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // pillar | emerging
    .addColumn('aliases', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('enterprises')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('uscc', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('town_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('industry_code', 'text', (c) => c.notNull())
    .addColumn('industry_division', 'text')
    .addColumn('industry_group', 'text')
    .addColumn('group_id', 'text', (c) => c.references('enterprise_groups.id'))
    .addColumn('registration_date', 'text')
    .addColumn('address', 'text')
    .addColumn('contact_name', 'text')
    .addColumn('contact_phone', 'text')
    .addColumn('above_scale', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('uscc_warnings', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('industry_warnings', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('enterprises_town_idx').on('enterprises').column('town_id').execute();
  await db.schema.createIndex('enterprises_industry_idx').on('enterprises').column('industry_code').execute();
  await db.schema.createIndex('enterprises_group_idx').on('enterprises').column('group_id').execute();

  await db.schema
    .createTable('enterprise_chains')
    .addColumn('enterprise_id', 'text', (c) => c.notNull().references('enterprises.id').onDelete('cascade'))
    .addColumn('chain_id', 'text', (c) => c.notNull().references('industry_chains.id'))
    .addPrimaryKeyConstraint('enterprise_chains_pk', ['enterprise_id', 'chain_id'])
    .execute();
  await db.schema.createIndex('enterprise_chains_chain_idx').on('enterprise_chains').column('chain_id').execute();

  // Spells of 规上 status: from_period is the first period counted (年度入库 | 月度入库), to_period the
  // last one (null while still 规上), closed by 退库. At most one open spell per enterprise.
  await db.schema
    .createTable('enterprise_scale_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('enterprise_id', 'text', (c) => c.notNull().references('enterprises.id').onDelete('cascade'))
    .addColumn('from_period', 'text', (c) => c.notNull())
    .addColumn('from_reason', 'text', (c) => c.notNull())
    .addColumn('to_period', 'text')
    .addColumn('to_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('enterprise_scale_history_enterprise_idx').on('enterprise_scale_history').columns(['enterprise_id', 'from_period']).execute();

  await db.schema
    .createTable('enterprise_tags')
    .addColumn('enterprise_id', 'text', (c) => c.notNull().references('enterprises.id').onDelete('cascade'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('enterprise_tags_pk', ['enterprise_id', 'tag'])
    .execute();
  await db.schema.createIndex('enterprise_tags_tag_idx').on('enterprise_tags').column('tag').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['enterprise_tags', 'enterprise_scale_history', 'enterprise_chains', 'enterprises', 'industry_chains', 'enterprise_groups']) {
    await db.schema.dropTable(table).execute();
  }
}
