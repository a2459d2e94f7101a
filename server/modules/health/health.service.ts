import { sql } from 'kysely';
import type { Deps } from '#server/platform/deps.ts';

/** True when the database answers a trivial query. */
export async function databaseAnswers(deps: Deps): Promise<boolean> {
  try {
    await sql`select 1`.execute(deps.db);
    return true;
  } catch {
    return false;
  }
}
