import type { Kysely } from 'kysely';

// Frozen in time: never imports application code (ADR 0001). Enterprise cultivation (issue 5):
// the qualifications register and the annual figures the official criteria read. Dates are
// Beijing 'YYYY-MM-DD' text; flags 0/1 (null = unknown); lists JSON text.
//
// Money in enterprise_annual_data is a bigint count of thousandths of 元 (ADR 0001's "thousandths
// of the unit", the unit being 元), so figures imported in 元, 千元, 万元 or 亿元 are all stored
// exactly and compare exactly; the market share is thousandths of a percentage point. Every
// figure is nullable: null is "unknown", never 0.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('qualifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('enterprise_id', 'text', (c) => c.notNull().references('enterprises.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('level', 'text')
    // 高企 only: first | renewal (首次认定 | 重新认定).
    .addColumn('recognition', 'text')
    .addColumn('number', 'text')
    .addColumn('granted_on', 'text', (c) => c.notNull())
    .addColumn('expires_on', 'text')
    .addColumn('revoked_on', 'text')
    .addColumn('revoke_reason', 'text')
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // One recognition of a kind per enterprise and date: imports match on it.
  await db.schema.createIndex('qualifications_enterprise_kind_granted_uq').on('qualifications').columns(['enterprise_id', 'kind', 'granted_on']).unique().execute();
  await db.schema.createIndex('qualifications_kind_granted_idx').on('qualifications').columns(['kind', 'granted_on']).execute();
  await db.schema.createIndex('qualifications_expires_idx').on('qualifications').column('expires_on').execute();

  await db.schema
    .createTable('enterprise_annual_data')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('enterprise_id', 'text', (c) => c.notNull().references('enterprises.id').onDelete('cascade'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('staff_total', 'integer')
    .addColumn('tech_staff', 'integer')
    .addColumn('rd_staff', 'integer')
    .addColumn('operating_revenue', 'bigint')
    .addColumn('main_business_revenue', 'bigint')
    .addColumn('total_revenue', 'bigint')
    .addColumn('total_costs_expenses', 'bigint')
    .addColumn('high_tech_revenue', 'bigint')
    .addColumn('rd_expense', 'bigint')
    .addColumn('domestic_rd_expense', 'bigint')
    .addColumn('total_assets', 'bigint')
    .addColumn('total_liabilities', 'bigint')
    .addColumn('net_assets', 'bigint')
    .addColumn('net_profit', 'bigint')
    .addColumn('ip1_count', 'integer')
    .addColumn('ip1_high_value_count', 'integer')
    .addColumn('ip1_own_count', 'integer')
    .addColumn('ip2_count', 'integer')
    .addColumn('rd_institution_level', 'text')
    .addColumn('niche_years', 'integer')
    .addColumn('niche_market_share', 'bigint')
    .addColumn('equity_financing', 'bigint')
    .addColumn('digital_level', 'integer')
    .addColumn('quality_certified', 'integer')
    .addColumn('own_brand', 'integer')
    .addColumn('strategic_emerging', 'integer')
    .addColumn('awards', 'text')
    .addColumn('standards', 'text')
    // import | form | demo
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('enterprise_annual_data_enterprise_year_uq').on('enterprise_annual_data').columns(['enterprise_id', 'year']).unique().execute();
  await db.schema.createIndex('enterprise_annual_data_year_idx').on('enterprise_annual_data').column('year').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('enterprise_annual_data').execute();
  await db.schema.dropTable('qualifications').execute();
}
