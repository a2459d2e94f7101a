import type { Kysely } from 'kysely';

// Frozen in time: never imports application code (ADR 0001). Migration 0004 created the
// cultivation tables but granted nothing, and `ensureDefaultRolePermissions` seeds only roles
// that have no grants at all: an installation migrated before cultivation existed kept its roles
// without `cultivation.*`, so nobody could open the ladder. This grants them the way 0003 and
// 0005 grant their modules' permissions; a new database has no grants yet and receives the
// defaults after migrating.

const GRANTS: [string, string][] = [
  ['admin', 'cultivation.read'],
  ['admin', 'cultivation.write'],
  ['leader', 'cultivation.read'],
  ['section', 'cultivation.read'],
  ['section', 'cultivation.write'],
  ['innovation', 'cultivation.read'],
  ['town', 'cultivation.read'],
  ['town', 'cultivation.write'],
  ['enterprise', 'cultivation.read'],
];

export async function up(db: Kysely<any>): Promise<void> {
  const present = new Set((await db.selectFrom('role_permissions').select('role').distinct().execute()).map((r: { role: string }) => r.role));
  const rows = GRANTS.filter(([role]) => present.has(role)).map(([role, permission]) => ({ role, permission }));
  if (rows.length) await db.insertInto('role_permissions').values(rows).onConflict((oc) => oc.doNothing()).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('role_permissions').where('permission', 'like', 'cultivation.%').execute();
}
