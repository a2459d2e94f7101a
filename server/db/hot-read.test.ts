import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '#server/config.ts';
import { openDatabase } from '#server/db/client.ts';
import type { DbHandle } from '#server/db/client.ts';
import { bumpDataVersion, readDataVersion } from '#server/platform/data-version.ts';
import { hotRead } from '#server/db/hot-read.ts';
import { cloneTemplate, testDialects } from '#tests/support/databases.ts';
import type { TestDatabase } from '#tests/support/databases.ts';

// Hot reads run straight on SQLite's connection when no transaction is open on it, and a row so
// read is kept until the database changes (direct-reads.ts). One must never see another
// request's uncommitted write, nor miss a committed one — this connection's or another process's.

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

  it('see a change committed on the same connection at the next read', async () => {
    const db = handle.db;
    const before = Number(await readDataVersion(db, 'monitoring'));
    expect(await readDataVersion(db, 'monitoring')).toBe(String(before));
    await bumpDataVersion(db, 'monitoring');
    expect(await readDataVersion(db, 'monitoring')).toBe(String(before + 1));
    await db.transaction().execute((trx) => bumpDataVersion(trx, 'monitoring'));
    expect(await readDataVersion(db, 'monitoring')).toBe(String(before + 2));
  });

  it('see a change committed by another connection (the CLI beside the server) at the next read', async () => {
    const db = handle.db;
    const before = Number(await readDataVersion(db, 'monitoring'));
    expect(await readDataVersion(db, 'monitoring')).toBe(String(before));
    const other = openDatabase(parseDatabaseUrl(database.url));
    try {
      await bumpDataVersion(other.db, 'monitoring');
      expect(await readDataVersion(db, 'monitoring')).toBe(String(before + 1));
      await other.db.transaction().execute((trx) => bumpDataVersion(trx, 'monitoring'));
      expect(await readDataVersion(db, 'monitoring')).toBe(String(before + 2));
    } finally {
      await other.close();
    }
  });
});

describe('kept direct reads on sqlite', () => {
  it('share one read between requests while nothing changes, and hand it out frozen', async () => {
    const database = await cloneTemplate('sqlite');
    const handle = openDatabase(parseDatabaseUrl(database.url));
    try {
      const read = () => hotRead(handle.db, 'test.data_version_row', (db) => db.selectFrom('data_versions').selectAll().where('name', '=', ''), ['monitoring']);
      const first = await read();
      expect(first).toEqual({ name: 'monitoring', version: expect.any(Number) });
      expect(await read()).toBe(first);
      expect(Object.isFrozen(first)).toBe(true);
      await bumpDataVersion(handle.db, 'monitoring');
      const after = await read();
      expect(after).not.toBe(first);
      expect(Number(after!.version)).toBe(Number(first!.version) + 1);
    } finally {
      await handle.close();
      await database.drop();
    }
  });
});
