import { Migrator } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_ROLE_PERMISSIONS, ROLES } from '#common/permissions.ts';
import { parseDatabaseUrl } from '#server/config.ts';
import { openDatabase } from '#server/db/client.ts';
import type { DbHandle } from '#server/db/client.ts';
import { migrateToLatest } from '#server/db/migrate.ts';
import { MIGRATIONS } from '#server/db/migrations.ts';
import { createEmptyDatabase, testDialects } from '#tests/support/databases.ts';
import type { TestDatabase } from '#tests/support/databases.ts';

const GRANTS_MIGRATION = '2026-11-27-0007-cultivation-grants';

/** The migrations an installation had run before cultivation's grants existed. */
const BEFORE_GRANTS = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name < GRANTS_MIGRATION));

const grantsOf = async (handle: DbHandle) => {
  const rows = await handle.db.selectFrom('role_permissions').select(['role', 'permission']).where('permission', 'like', 'cultivation.%').execute();
  return rows.map((r) => `${r.role}:${r.permission}`).sort();
};

describe.each(testDialects())('cultivation grants for existing installations on %s', (dialect) => {
  let database: TestDatabase;
  let handle: DbHandle;
  beforeEach(async () => {
    database = await createEmptyDatabase(dialect);
    handle = openDatabase(parseDatabaseUrl(database.url));
    const migrator = new Migrator({ db: handle.db, provider: { getMigrations: async () => BEFORE_GRANTS } });
    const { error } = await migrator.migrateToLatest();
    if (error) throw error;
  });
  afterEach(async () => {
    await handle.close();
    await database.drop();
  });

  it('a database whose roles were granted before cultivation existed gets each role its default cultivation permissions', async () => {
    // What `ensureDefaultRolePermissions` left behind then: every role granted, nothing of cultivation.
    const older = ROLES.flatMap((role) => DEFAULT_ROLE_PERMISSIONS[role].filter((p) => !p.startsWith('cultivation.')).map((permission) => ({ role, permission })));
    await handle.db.insertInto('role_permissions').values(older).execute();
    expect(await grantsOf(handle)).toEqual([]);

    expect(await migrateToLatest(handle.db)).toContain(GRANTS_MIGRATION);

    const expected = ROLES.flatMap((role) => DEFAULT_ROLE_PERMISSIONS[role].filter((p) => p.startsWith('cultivation.')).map((p) => `${role}:${p}`)).sort();
    expect(expected).toContain('town:cultivation.write');
    expect(await grantsOf(handle)).toEqual(expected);
  });

  it('only roles that already have grants receive them; a role with none is left to the default seeding', async () => {
    await handle.db.insertInto('role_permissions').values({ role: 'leader', permission: 'org.read' }).execute();
    await migrateToLatest(handle.db);
    expect(await grantsOf(handle)).toEqual(['leader:cultivation.read']);
  });
});
