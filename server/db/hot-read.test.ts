import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '#server/config.ts';
import { openDatabase } from '#server/db/client.ts';
import type { DbHandle } from '#server/db/client.ts';
import { bumpDataVersion, readDataVersion } from '#server/platform/data-version.ts';
import { cloneTemplate, testDialects } from '#tests/support/databases.ts';
import type { TestDatabase } from '#tests/support/databases.ts';

// Hot reads run straight on SQLite's connection when no transaction is open on it (client.ts,
// directReaderOf). One must never see another request's uncommitted write.

describe.each(testDialects())('hot reads on %s', (dialect) => {
  let database: TestDatabase;
  let handle: DbHandle;
  beforeEach(async () => {
    database = await cloneTemplate(dialect);
    handle = openDatabase(parseDatabaseUrl(database.url));
  });
  afterEach(async () => {
    await handle.close();
    await database.drop();
  });

  it('read the committed value, never one a transaction has written but not committed', async () => {
    const db = handle.db;
    const before = await readDataVersion(db, 'monitoring');
    const seen: string[] = [];
    await db.transaction().execute(async (trx) => {
      await bumpDataVersion(trx, 'monitoring');
      expect(await readDataVersion(trx, 'monitoring')).toBe(String(Number(before) + 1));
      // Outside the transaction, while it is open: SQLite waits for it, PostgreSQL reads the committed row.
      void readDataVersion(db, 'monitoring').then((v) => seen.push(v));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(seen.every((v) => v === before)).toBe(true);
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seen.length).toBe(1);
    expect(await readDataVersion(db, 'monitoring')).toBe(String(Number(before) + 1));
  });
});
