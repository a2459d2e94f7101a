import type { Kysely } from 'kysely';

// Frozen in time: never imports application code (ADR 0001). A counter per body of data that
// processes hold in memory (ADR 0008): every write that can change what is held bumps its row in
// the same transaction, and a reader compares the counter with the one its copy was loaded at.
// One row, `monitoring`: the monthly figures (reports, values, registry membership, towns, chains).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('data_versions')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('data_versions').values({ name: 'monitoring', version: 1 }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('data_versions').execute();
}
