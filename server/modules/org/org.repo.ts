import type { Db } from '#server/db/client.ts';
import type { UnitsTable } from '#server/db/schema.ts';

export function listUnitRows(db: Db): Promise<UnitsTable[]> {
  return db.selectFrom('units').selectAll().orderBy('sort_order').orderBy('code').execute();
}

export function findUnitRow(db: Db, id: string): Promise<UnitsTable | undefined> {
  return db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
}
