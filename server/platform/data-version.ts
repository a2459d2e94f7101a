import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '#server/db/schema.ts';
import { hotRead } from '#server/db/hot-read.ts';

// Counters of bodies of data that processes hold in memory (ADR 0008). A write that can change
// what is held calls `bumpDataVersion` with its transaction, after its own statement: the change
// and the new counter commit together, so a reader that compares counters never keeps a copy
// older than the database — across processes too, since the counter lives in the database.
// Outside a transaction the bump follows the write, so a reader can at worst load newer rows
// under the older counter and load again at the next request; never the reverse.

// `monitoring` is bumped by the application's write helpers; `access` by database triggers
// (migration 0010), since who-may-do-what must never be read stale.
export type DataVersionName = 'monitoring' | 'access';

/** Marks the data as changed. Call with the transaction that made the change, after the change. */
export async function bumpDataVersion(db: Kysely<Database>, name: DataVersionName): Promise<void> {
  await db
    .updateTable('data_versions')
    .set({ version: sql`version + 1` })
    .where('name', '=', name)
    .execute();
}

/** The current counter (one primary-key read): equal counters mean equal data. */
export async function readDataVersion(db: Kysely<Database>, name: DataVersionName): Promise<string> {
  // Read on every request (principals, held figures): compiled once.
  const row = await hotRead(db, 'data_versions.version', (db) => db.selectFrom('data_versions').select('version').where('name', '=', 'access'), [name]);
  return row ? String(row.version) : '0';
}

/** Every counter, as read at one moment. */
export type DataVersions = Record<DataVersionName, string>;

/**
 * Columns that read every counter inside another statement: the authentication read of each
 * request carries them (one statement instead of three), and the request's later reads use
 * them as "the versions at the start of this request".
 */
export const DATA_VERSION_COLUMNS = [
  sql<number>`(SELECT version FROM data_versions WHERE name = 'access')`.as('access_version'),
  sql<number>`(SELECT version FROM data_versions WHERE name = 'monitoring')`.as('monitoring_version'),
] as const;

export function dataVersionsOf(row: { access_version: number | string | null; monitoring_version: number | string | null }): DataVersions {
  return { access: String(row.access_version ?? 0), monitoring: String(row.monitoring_version ?? 0) };
}
