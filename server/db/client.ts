import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, SqliteDriver } from 'kysely';
import type { DatabaseConnection } from 'kysely';
import pg from 'pg';
import type { DatabaseTarget } from '#server/config.ts';
import type { Database } from '#server/db/schema.ts';

export type Dialect = DatabaseTarget['dialect'];

export type Db = Kysely<Database>;

/** A database handle and what the rest of the app needs to know about it. */
export type DbHandle = {
  db: Db;
  dialect: Dialect;
  close: () => Promise<void>;
};

/**
 * Imports hold SQLite's single writer for seconds; a waiting writer must outlast the longest
 * write transaction rather than fail with SQLITE_BUSY.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 60_000;

/**
 * Kysely starts SQLite transactions with a deferred BEGIN. A deferred transaction that reads
 * first and writes later can fail at once with SQLITE_BUSY when another process (the CLI beside
 * the server) has written in between; BEGIN IMMEDIATE takes the write lock up front and waits
 * for it under the busy timeout instead.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: ConstructorParameters<typeof SqliteDialect>[0];
  constructor(config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config);
    this.#config = config;
  }
  override createDriver() {
    return new ImmediateSqliteDriver(this.#config);
  }
}

export function openSqlite(file: string): SQLite.Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  sqlite.pragma('synchronous = NORMAL');
  return sqlite;
}

// PostgreSQL returns BIGINT (count(*), sums of integers) as strings; numbers are normalised
// where they are read (see `toNumber`), and NUMERIC stays a string for exact decimals.

export function openDatabase(target: DatabaseTarget): DbHandle {
  if (target.dialect === 'sqlite') {
    const sqlite = openSqlite(target.file);
    const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
    return { db, dialect: 'sqlite', close: () => db.destroy() };
  }
  const pool = new pg.Pool({ connectionString: target.url, max: 10 });
  // An idle pooled connection can be closed by the server (restart, failover, an administrator);
  // pg reports that on the pool, and without a listener Node would crash the process. The pool
  // drops the dead client and the next query opens a new one.
  pool.on('error', (error) => {
    process.emitWarning(`PostgreSQL idle connection closed: ${error.message}`);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

/** count(*) and integer sums arrive as bigint strings on PostgreSQL, numbers on SQLite. */
export function toNumber(value: string | number | bigint | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : Number(value);
}

/**
 * A write refused by a unique index or primary key, on either database. Services check for a
 * duplicate first for a friendly message; two writers racing past that check meet here.
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
