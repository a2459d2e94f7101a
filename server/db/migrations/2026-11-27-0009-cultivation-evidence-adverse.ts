import { PostgresAdapter } from 'kysely';
import type { Kysely } from 'kysely';

// Frozen in time: never imports application code (ADR 0001). Cultivation (issue 5):
// - qualification_files: the evidence of a recognition (certificate scans, notices). The bytes
//   live in the database (BLOB on SQLite, BYTEA on PostgreSQL) so a backup carries them with the
//   record they prove; the client's file name is kept for display only (sanitised), never used
//   as a path.
// - adverse_records: platform records that contradict a compliance condition (a major accident,
//   a listing as abnormal or dishonest, …). The eligibility engine reads them; none present, the
//   condition counts as met by default. `occurred_on` is a Beijing date.

export async function up(db: Kysely<any>): Promise<void> {
  const binary = db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob';
  await db.schema
    .createTable('qualification_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('qualification_id', 'text', (c) => c.notNull().references('qualifications.id').onDelete('cascade'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    // pdf | jpg | png | ofd: what the magic bytes said, not what the name claimed.
    .addColumn('file_type', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content', binary, (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('qualification_files_qualification_idx').on('qualification_files').column('qualification_id').execute();

  await db.schema
    .createTable('adverse_records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('enterprise_id', 'text', (c) => c.notNull().references('enterprises.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('occurred_on', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('adverse_records_enterprise_idx').on('adverse_records').columns(['enterprise_id', 'occurred_on']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('adverse_records').execute();
  await db.schema.dropTable('qualification_files').execute();
}
