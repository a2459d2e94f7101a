import type SQLite from 'better-sqlite3';
import { CompiledQuery, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import type { DatabaseConnection, Dialect, Driver, Kysely, QueryCompiler, QueryResult } from 'kysely';

/** A SQLite connection whose statements are kept per SQL text (client.ts). */
export type KeptStatements = { prepare(sql: string): SQLite.Statement; close(): void };

/**
 * SQLite under WAL with two connections: a writer and a reader.
 *
 * Kysely's own SQLite driver has one connection behind a lock, so while an import's transaction
 * holds it for seconds, every other request's reads wait behind it. Under WAL a second connection
 * reads the last committed state while a write transaction is open, so here:
 * - a transaction runs on the writer and holds the write lock until it ends (BEGIN IMMEDIATE: a
 *   transaction that reads first and writes later can otherwise fail at once with SQLITE_BUSY
 *   when another process, the CLI beside the server, has written in between);
 * - a statement outside a transaction that only reads (a SELECT or WITH that SQLite reports as
 *   read-only) runs on the reader at once: it sees what is committed, never another request's
 *   unfinished transaction;
 * - any other statement outside a transaction (a single write, a PRAGMA) waits for the write lock
 *   and runs on the writer.
 * An in-memory database cannot be shared between connections; it gets no reader, and every
 * statement waits for the lock, as with Kysely's driver.
 */
export class SqliteDialectWithReader implements Dialect {
  readonly #writer: KeptStatements;
  readonly #reader: KeptStatements | null;
  readonly #beforeCommit: (() => void) | null;
  constructor(writer: KeptStatements, reader: KeptStatements | null, beforeCommit: (() => void) | null) {
    this.#writer = writer;
    this.#reader = reader;
    this.#beforeCommit = beforeCommit;
  }
  createDriver(): Driver {
    return new SqliteDriverWithReader(this.#writer, this.#reader, this.#beforeCommit);
  }
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }
  createAdapter() {
    return new SqliteAdapter();
  }
  createIntrospector(db: Kysely<unknown>) {
    return new SqliteIntrospector(db);
  }
}

const READ_STATEMENT = /^\s*(select|with)\b/i;

class WriteLock {
  #held: Promise<void> | null = null;
  #release: (() => void) | null = null;
  async acquire(): Promise<void> {
    while (this.#held) await this.#held;
    this.#held = new Promise((resolve) => (this.#release = resolve));
  }
  release(): void {
    const release = this.#release;
    this.#held = null;
    this.#release = null;
    release?.();
  }
}

class SqliteDriverWithReader implements Driver {
  readonly #writer: KeptStatements;
  readonly #reader: KeptStatements | null;
  readonly #beforeCommit: (() => void) | null;
  readonly #lock = new WriteLock();
  constructor(writer: KeptStatements, reader: KeptStatements | null, beforeCommit: (() => void) | null) {
    this.#writer = writer;
    this.#reader = reader;
    this.#beforeCommit = beforeCommit;
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return new Session(this.#writer, this.#reader, this.#lock);
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as Session).begin();
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    this.#beforeCommit?.();
    await (connection as Session).end('commit');
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as Session).end('rollback');
  }
  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoted(name)}`));
  }
  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to ${quoted(name)}`));
  }
  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release ${quoted(name)}`));
  }
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as Session).abandon();
  }
  async destroy(): Promise<void> {
    this.#reader?.close();
    this.#writer.close();
  }
}

/** One acquisition of the database by Kysely: a single statement, or a whole transaction. */
class Session implements DatabaseConnection {
  readonly #writer: KeptStatements;
  readonly #reader: KeptStatements | null;
  readonly #lock: WriteLock;
  #inTransaction = false;
  constructor(writer: KeptStatements, reader: KeptStatements | null, lock: WriteLock) {
    this.#writer = writer;
    this.#reader = reader;
    this.#lock = lock;
  }

  async begin(): Promise<void> {
    await this.#lock.acquire();
    try {
      this.#writer.prepare('begin immediate').run();
    } catch (error) {
      this.#lock.release();
      throw error;
    }
    this.#inTransaction = true;
  }

  async end(command: 'commit' | 'rollback'): Promise<void> {
    try {
      this.#writer.prepare(command).run();
    } finally {
      this.#inTransaction = false;
      this.#lock.release();
    }
  }

  /** Kysely released the session: a transaction it still holds (it never should) gives the lock back. */
  abandon(): void {
    if (!this.#inTransaction) return;
    this.#inTransaction = false;
    this.#lock.release();
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.#inTransaction) return run<R>(this.#writer.prepare(query.sql), query.parameters);
    if (this.#reader && READ_STATEMENT.test(query.sql)) {
      const statement = this.#reader.prepare(query.sql);
      if (statement.readonly) return run<R>(statement, query.parameters);
    }
    await this.#lock.acquire();
    try {
      return run<R>(this.#writer.prepare(query.sql), query.parameters);
    } finally {
      this.#lock.release();
    }
  }

  /** Part of Kysely's connection contract; nothing in the platform streams (read in pages). */
  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('SQLite: streaming queries are not used; read in pages');
  }
}

function run<R>(statement: SQLite.Statement, parameters: readonly unknown[]): QueryResult<R> {
  if (statement.reader) return { rows: statement.all(parameters) as R[] };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}

function quoted(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
