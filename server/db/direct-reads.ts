import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from '#server/db/schema.ts';

/** What a direct read answers when it must not run now: a transaction is open on the connection. */
export const NOT_NOW = Symbol('not now');

type DirectReader = (sql: string, parameters: readonly unknown[]) => unknown;
const directReaders = new WeakMap<Kysely<Database>, DirectReader>();

/**
 * A one-row read run on a SQLite connection directly, without the query builder, paid by every
 * request (the session or token row with the data versions, ADR 0011). Only the database itself
 * has one, never a transaction's handle. It runs on the reading connection (sqlite-driver.ts),
 * which sees only what is committed; an in-memory database reads on its one connection and
 * answers NOT_NOW while a transaction is open on it, so a read never sees another request's
 * uncommitted writes (the caller then goes through Kysely, which waits for the transaction).
 */
export function directReaderOf(db: Kysely<Database>): DirectReader | undefined {
  return directReaders.get(db);
}

type Statements = { prepare(sql: string): SQLite.Statement };

// Rows kept between database changes; past this many the whole set is dropped (one row per
// active session or token and per counter, so the limit is only reached by a flood of bad tokens).
const KEPT_ROWS_LIMIT = 10_000;

/**
 * Gives a SQLite database its direct reader, on `sqlite` (the reading connection, or the only
 * one). A row it reads is kept, frozen, until the database changes, which two counters of that
 * connection tell without reading a table:
 * - `PRAGMA data_version` moves when another connection commits (the writer beside it, the CLI,
 *   another process);
 * - `total_changes()` moves when this connection writes, committed or not — and a direct read
 *   never runs inside a transaction, so a write of this connection is always seen first.
 * Either moving drops every kept row. So a request reads its session or token row from the
 * database as it is now (a revocation, a sign-out, a touched `last_seen_at` is a change), and
 * two requests with nothing written between them share one read. Schema changes do not move
 * `total_changes()`; they happen in migrations, before the server reads anything.
 */
export function registerSqliteDirectReader(db: Kysely<Database>, sqlite: SQLite.Database, statements: Statements): void {
  const otherConnections = sqlite.prepare('PRAGMA data_version').pluck();
  const ownChanges = sqlite.prepare('SELECT total_changes()').pluck();
  const kept = new Map<string, Map<string, unknown>>();
  let keptRows = 0;
  let keptAt = '';
  directReaders.set(db, (sql, parameters) => {
    if (sqlite.inTransaction) return NOT_NOW;
    const now = `${otherConnections.get() as number}:${ownChanges.get() as number}`;
    if (now !== keptAt || keptRows >= KEPT_ROWS_LIMIT) {
      kept.clear();
      keptRows = 0;
      keptAt = now;
    }
    let rows = kept.get(sql);
    if (!rows) kept.set(sql, (rows = new Map()));
    const key = parameters.length === 1 && typeof parameters[0] === 'string' ? `s${parameters[0]}` : `j${JSON.stringify(parameters)}`;
    if (rows.has(key)) return rows.get(key);
    const row = statements.prepare(sql).get(...parameters);
    rows.set(key, row === undefined ? undefined : Object.freeze(row));
    keptRows++;
    return row;
  });
}
