import { PostgresAdapter, sql } from 'kysely';
import type { Kysely } from 'kysely';

// Frozen in time: never imports application code (ADR 0001). Monthly values are written a period
// at a time (an import is one month of every enterprise) and read a period at a time (figures,
// warnings, the held summary). Keyed by (enterprise, period, indicator), a month's import
// touched one page of the key per enterprise — ≈ 20,000 scattered pages at province scale, most
// of the import's time — and a second index by period duplicated every row. Keyed by
// (period, enterprise, indicator) a month's rows sit together: an import appends, a period
// reads one key range, and the key is the only index (ADR 0012). On SQLite the table is
// WITHOUT ROWID, so the key holds the row; PostgreSQL's key carries the values (INCLUDE) for
// index-only reads of a period.

const COLUMNS = 'enterprise_id, period, indicator, current_value, previous_value';

async function rebuildSqlite(db: Kysely<any>, key: string, withoutRowid: boolean): Promise<void> {
  await sql`create table monitoring_values_rebuilt (
      enterprise_id text not null,
      period text not null,
      indicator text not null,
      current_value bigint not null,
      previous_value bigint,
      constraint monitoring_values_pk primary key (${sql.raw(key)}),
      constraint monitoring_values_report_fk foreign key (enterprise_id, period) references monitoring_reports (enterprise_id, period) on delete cascade
    )${sql.raw(withoutRowid ? ' without rowid' : '')}`.execute(db);
  await sql`insert into monitoring_values_rebuilt (${sql.raw(COLUMNS)}) select ${sql.raw(COLUMNS)} from monitoring_values order by ${sql.raw(key)}`.execute(db);
  await sql`drop table monitoring_values`.execute(db);
  await sql`alter table monitoring_values_rebuilt rename to monitoring_values`.execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`drop index monitoring_values_period_idx`.execute(db);
    await sql`alter table monitoring_values drop constraint monitoring_values_pk`.execute(db);
    await sql`alter table monitoring_values add constraint monitoring_values_pk primary key (period, enterprise_id, indicator) include (current_value, previous_value)`.execute(db);
    return;
  }
  await rebuildSqlite(db, 'period, enterprise_id, indicator', true);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table monitoring_values drop constraint monitoring_values_pk`.execute(db);
    await sql`alter table monitoring_values add constraint monitoring_values_pk primary key (enterprise_id, period, indicator)`.execute(db);
  } else {
    await rebuildSqlite(db, 'enterprise_id, period, indicator', false);
  }
  await db.schema.createIndex('monitoring_values_period_idx').on('monitoring_values').columns(['period', 'indicator', 'enterprise_id', 'current_value', 'previous_value']).execute();
}
