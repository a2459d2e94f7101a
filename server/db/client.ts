import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, PostgresDriver } from 'kysely';
import type { DatabaseConnection } from 'kysely';
import pg from 'pg';
import type { DatabaseTarget } from '#server/config.ts';
import type { Database } from '#server/db/schema.ts';
import { registerSqliteDirectReader } from '#server/db/direct-reads.ts';
import { SqliteDialectWithReader } from '#server/db/sqlite-driver.ts';
import type { KeptStatements } from '#server/db/sqlite-driver.ts';

export type Dialect = DatabaseTarget['dialect'];

export type Db = Kysely<Database>;

/** A database handle and what the rest of the app needs to know about it. */
export type DbHandle = {
  db: Db;
  dialect: Dialect;
  close: () => Promise<void>;
  /** The server is listening: test-only hooks start counting (start-up work does not shift them). */
  armTestHooks: () => void;
};

/**
 * Imports hold SQLite's single writer for seconds; a waiting writer must outlast the longest
 * write transaction rather than fail with SQLITE_BUSY.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 60_000;

/** PostgreSQL with the test-only crash hook at the commit point (only built when the hook is on). */
class CrashingPostgresDialect extends PostgresDialect {
  readonly #config: ConstructorParameters<typeof PostgresDialect>[0];
  readonly #beforeCommit: () => void;
  constructor(config: ConstructorParameters<typeof PostgresDialect>[0], beforeCommit: () => void) {
    super(config);
    this.#config = config;
    this.#beforeCommit = beforeCommit;
  }
  override createDriver() {
    const beforeCommit = this.#beforeCommit;
    return new (class extends PostgresDriver {
      override async commitTransaction(connection: DatabaseConnection): Promise<void> {
        beforeCommit();
        await super.commitTransaction(connection);
      }
    })(this.#config);
  }
}

/** Test-only hooks (server/config.ts honours them only under NODE_ENV=test). */
export type DatabaseHooks = { crashAtCommit?: number | null };

/**
 * "Commit started": the crash proof (tests/proofs/crash.test.ts) kills the process with SIGKILL
 * as the Nth transaction after the server is ready is about to send COMMIT, so the database sees
 * its client vanish with a complete but uncommitted transaction. No hook at all unless configured.
 */
function crashHook(hooks: DatabaseHooks): { beforeCommit: (() => void) | null; arm: () => void } {
  const at = hooks.crashAtCommit ?? null;
  if (at === null) return { beforeCommit: null, arm: () => {} };
  let armed = false;
  let commits = 0;
  return {
    beforeCommit: () => {
      if (armed && ++commits === at) process.kill(process.pid, 'SIGKILL');
    },
    arm: () => {
      armed = true;
    },
  };
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

/** The reading connection beside the writer: opened after it, so the database is in WAL mode. */
function openSqliteReader(file: string): SQLite.Database {
  const sqlite = new SQLite(file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  sqlite.pragma('query_only = ON');
  return sqlite;
}

// Kysely prepares every query afresh; on small queries (a session, a version counter) preparing
// costs as much as running. Statements are kept per SQL text — short texts only, since bulk
// inserts spell out their rows — and one still running (an iterator) is never handed out twice.
const STATEMENT_CACHE_SIZE = 500;
const STATEMENT_CACHE_MAX_SQL = 4096;

function withStatementCache(sqlite: SQLite.Database): KeptStatements {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      const kept = cache.get(sql);
      if (kept && !kept.busy) return kept;
      const statement = sqlite.prepare(sql);
      if (!kept && sql.length <= STATEMENT_CACHE_MAX_SQL) {
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}

// PostgreSQL returns BIGINT (count(*), sums of integers) as strings; numbers are normalised
// where they are read (see `toNumber`), and NUMERIC stays a string for exact decimals.

export function openDatabase(target: DatabaseTarget, hooks: DatabaseHooks = {}): DbHandle {
  const { beforeCommit, arm } = crashHook(hooks);
  if (target.dialect === 'sqlite') {
    const sqlite = openSqlite(target.file);
    const writer = withStatementCache(sqlite);
    // A second connection reads what is committed while a write transaction is open (WAL); an
    // in-memory database is private to its connection and has none (sqlite-driver.ts).
    const readerConnection = target.file === ':memory:' ? null : openSqliteReader(target.file);
    const reader = readerConnection && withStatementCache(readerConnection);
    const db = new Kysely<Database>({ dialect: new SqliteDialectWithReader(writer, reader, beforeCommit) });
    registerSqliteDirectReader(db, readerConnection ?? sqlite, reader ?? writer);
    return { db, dialect: 'sqlite', close: () => db.destroy(), armTestHooks: arm };
  }
  const pool = new pg.Pool({ connectionString: target.url, max: 10 });
  // An idle pooled connection can be closed by the server (restart, failover, an administrator);
  // pg reports that on the pool, and without a listener Node would crash the process. The pool
  // drops the dead client and the next query opens a new one.
  pool.on('error', (error) => {
    process.emitWarning(`PostgreSQL idle connection closed: ${error.message}`);
  });
  const db = new Kysely<Database>({ dialect: beforeCommit ? new CrashingPostgresDialect({ pool }, beforeCommit) : new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy(), armTestHooks: arm };
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
