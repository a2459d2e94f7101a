import { CompiledQuery, PostgresAdapter } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '#server/db/schema.ts';

/**
 * Many rows of one shape into one table, given as columns (one array per column, all of one
 * length), optionally upserting on a key. What an import writes — 160,000 values for a month
 * of a province — is mostly the cost of building statements when each batch goes through the
 * query builder; here the SQL is fixed text:
 * - SQLite: multi-row VALUES of a fixed batch size, so the statement is prepared once (the
 *   connection keeps prepared statements by text, client.ts) and only parameters change;
 * - PostgreSQL: one INSERT … SELECT FROM unnest(…) per slice, the columns sent as arrays.
 * Names come from the caller's constant spec, never from input.
 */
export type BulkTable = {
  table: keyof Database & string;
  /** Column names with their PostgreSQL type (for the unnest casts). */
  columns: readonly { name: string; pgType: 'text' | 'bigint' | 'integer' }[];
  /** Upsert: on a conflict over `key`, set `update` from the new row. */
  onConflict?: { key: readonly string[]; update: readonly string[] };
};

type Value = string | number | bigint | null;

/** Rows per SQLite statement: 100 rows × a few columns stays far below SQLite's parameter limit. */
const SQLITE_BATCH_ROWS = 100;
/** Rows per PostgreSQL statement: bounds one message's size. */
const POSTGRES_SLICE_ROWS = 20_000;

function conflictClause(spec: BulkTable): string {
  if (!spec.onConflict) return '';
  const { key, update } = spec.onConflict;
  const set = update.length ? `do update set ${update.map((c) => `${c} = excluded.${c}`).join(', ')}` : 'do nothing';
  return ` on conflict (${key.join(', ')}) ${set}`;
}

export async function bulkWrite(db: Kysely<Database>, spec: BulkTable, columns: readonly (readonly Value[])[]): Promise<void> {
  const count = columns[0]?.length ?? 0;
  if (columns.length !== spec.columns.length || columns.some((c) => c.length !== count)) throw new Error(`bulkWrite ${spec.table}: columns do not match the spec`);
  if (count === 0) return;
  const names = spec.columns.map((c) => c.name).join(', ');
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const arrays = spec.columns.map((c, i) => `$${i + 1}::${c.pgType}[]`).join(', ');
    const text = `insert into ${spec.table} (${names}) select * from unnest(${arrays})${conflictClause(spec)}`;
    for (let from = 0; from < count; from += POSTGRES_SLICE_ROWS) {
      // pg sends arrays of strings and numbers; bigint goes as its decimal text.
      const parameters = columns.map((column) => column.slice(from, from + POSTGRES_SLICE_ROWS).map((v) => (typeof v === 'bigint' ? v.toString() : v)));
      await db.executeQuery(CompiledQuery.raw(text, parameters));
    }
    return;
  }
  const width = spec.columns.length;
  const row = `(${spec.columns.map(() => '?').join(', ')})`;
  const statement = (rows: number) => `insert into ${spec.table} (${names}) values ${Array.from({ length: rows }, () => row).join(', ')}${conflictClause(spec)}`;
  const full = statement(SQLITE_BATCH_ROWS);
  for (let from = 0; from < count; from += SQLITE_BATCH_ROWS) {
    const rows = Math.min(SQLITE_BATCH_ROWS, count - from);
    const parameters: Value[] = new Array<Value>(rows * width);
    for (let r = 0; r < rows; r++) for (let c = 0; c < width; c++) parameters[r * width + c] = columns[c]![from + r] as Value;
    await db.executeQuery(CompiledQuery.raw(rows === SQLITE_BATCH_ROWS ? full : statement(rows), parameters));
  }
}
