import { sql } from 'kysely';
import type { Expression, SqlBool } from 'kysely';

// LIKE differs between the two databases: SQLite has no default escape character (so `\_`
// matches a backslash) and ignores ASCII case; PostgreSQL escapes with `\` and respects case.
// These helpers make a search mean the same on both: the user's text is taken literally
// (% and _ are not wildcards) and ASCII case is ignored.

const escapeLike = (text: string) => text.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`);

/** Rows whose column contains the text, literally and ignoring ASCII case. */
export function textContains(column: string, text: string): Expression<SqlBool> {
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${`%${escapeLike(text)}%`} escape '\\'`;
}

/** Rows whose column starts with the text, literally and ignoring ASCII case. */
export function textStartsWith(column: string, text: string): Expression<SqlBool> {
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${`${escapeLike(text)}%`} escape '\\'`;
}
