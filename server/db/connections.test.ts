import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '#server/config.ts';
import { openDatabase } from '#server/db/client.ts';
import type { DbHandle } from '#server/db/client.ts';
import { cloneTemplate, testDialects } from '#tests/support/databases.ts';
import type { TestDatabase } from '#tests/support/databases.ts';

// While one request's write transaction is open (an import holds one for seconds), other
// requests read what is committed at once, and their writes wait for it to end and stay out of
// it. On SQLite that is the reading connection beside the writer (sqlite-driver.ts); on
// PostgreSQL, the pool.

const UNIT_NAME = (db: DbHandle['db'], id: string) => db.selectFrom('units').select('name').where('id', '=', id).executeTakeFirstOrThrow();

describe.each(testDialects())('concurrent requests on %s', (dialect) => {
  let database: TestDatabase;
  let handle: DbHandle;
  let units: { id: string; name: string }[];
  beforeEach(async () => {
    database = await cloneTemplate(dialect);
    handle = openDatabase(parseDatabaseUrl(database.url));
    units = await handle.db.selectFrom('units').select(['id', 'name']).orderBy('id').limit(2).execute();
    expect(units).toHaveLength(2);
  });
  afterEach(async () => {
    await handle.close();
    await database.drop();
  });

  it('read the committed state while a write transaction is open, without waiting for it', async () => {
    const db = handle.db;
    const [unit] = units;
    let committed = false;
    let readWhileOpen: { name: string } | null = null;
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('units').set({ name: '改名中' }).where('id', '=', unit!.id).execute();
      readWhileOpen = await UNIT_NAME(db, unit!.id);
      committed = true;
    });
    expect(committed).toBe(true);
    expect(readWhileOpen).toEqual({ name: unit!.name });
    expect(await UNIT_NAME(db, unit!.id)).toEqual({ name: '改名中' });
  });

  it('make a write outside the transaction wait for it, and keep it when the transaction rolls back', async () => {
    const db = handle.db;
    const [first, second] = units;
    const order: string[] = [];
    let outside: Promise<unknown> | null = null;
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.updateTable('units').set({ name: '将回滚' }).where('id', '=', first!.id).execute();
        outside = db.updateTable('units').set({ name: '事务外写入' }).where('id', '=', second!.id).execute().then(() => order.push('outside write'));
        await new Promise((resolve) => setTimeout(resolve, 30));
        order.push('transaction ends');
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await outside;
    expect(order).toEqual(['transaction ends', 'outside write']);
    expect(await UNIT_NAME(db, first!.id)).toEqual({ name: first!.name });
    expect(await UNIT_NAME(db, second!.id)).toEqual({ name: '事务外写入' });
  });
});
