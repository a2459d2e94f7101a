import type { CompiledQuery, Kysely } from 'kysely';
import type { Database } from '#server/db/schema.ts';
import { NOT_NOW, directReaderOf } from '#server/db/direct-reads.ts';

type AnyDb = Kysely<Database>;

// Keyed by the dialect's adapter, which a database and its transactions share: the compiled SQL
// depends on the dialect only.
const compiledByAdapter = new WeakMap<object, Map<string, CompiledQuery>>();

/**
 * Runs a small read that every request makes (a session, token or data-version row). Kysely
 * builds and compiles a query on each call, which for a one-row key read costs three times the
 * read itself (≈ 20 µs against ≈ 6 µs on SQLite). Here the query is compiled once per dialect,
 * with `build` given placeholder values, and run with the `parameters` of this call, in the
 * order the builder placed its values. `name` identifies the query: one name, one shape.
 */
export async function hotRead<Row>(db: AnyDb, name: string, build: (db: AnyDb) => { compile(): CompiledQuery<Row> }, parameters: readonly unknown[]): Promise<Row | undefined> {
  const adapter = db.getExecutor().adapter;
  let compiled = compiledByAdapter.get(adapter);
  if (!compiled) {
    compiled = new Map();
    compiledByAdapter.set(adapter, compiled);
  }
  let query = compiled.get(name) as CompiledQuery<Row> | undefined;
  if (!query) {
    query = build(db).compile();
    if (query.parameters.length !== parameters.length) throw new Error(`hotRead ${name}: the query has ${query.parameters.length} parameters, ${parameters.length} given`);
    compiled.set(name, query);
  }
  // SQLite outside a transaction: straight on the connection, kept until the database changes
  // (direct-reads.ts).
  const direct = directReaderOf(db);
  if (direct) {
    const row = direct(query.sql, parameters);
    if (row !== NOT_NOW) return row as Row | undefined;
  }
  const result = await db.executeQuery<Row>({ ...query, parameters });
  return result.rows[0];
}
