import type { Db } from '#server/db/client.ts';
import type { Transaction } from 'kysely';
import type { Database, UsersTable } from '#server/db/schema.ts';

type Executor = Db | Transaction<Database>;

export type UserRecord = UsersTable & { roles: string[]; units: { id: string; name: string; primary: boolean }[] };

/** Users with their roles and units, in two extra queries rather than one per user. */
export async function loadUserRecords(db: Executor, users: UsersTable[]): Promise<UserRecord[]> {
  if (users.length === 0) return [];
  const ids = users.map((u) => u.id);
  const roles = await db.selectFrom('user_roles').selectAll().where('user_id', 'in', ids).execute();
  const units = await db
    .selectFrom('user_units as uu')
    .innerJoin('units as u', 'u.id', 'uu.unit_id')
    .select(['uu.user_id', 'uu.is_primary', 'u.id', 'u.name', 'u.sort_order'])
    .where('uu.user_id', 'in', ids)
    .orderBy('uu.is_primary', 'desc')
    .orderBy('u.sort_order')
    .execute();
  return users.map((u) => ({
    ...u,
    roles: roles.filter((r) => r.user_id === u.id).map((r) => r.role),
    units: units.filter((x) => x.user_id === u.id).map((x) => ({ id: x.id, name: x.name, primary: x.is_primary === 1 })),
  }));
}

/** A role named twice is granted once. */
export async function replaceUserRoles(trx: Executor, userId: string, roles: readonly string[]): Promise<void> {
  await trx.deleteFrom('user_roles').where('user_id', '=', userId).execute();
  const unique = [...new Set(roles)];
  if (unique.length) await trx.insertInto('user_roles').values(unique.map((role) => ({ user_id: userId, role }))).execute();
}

/** The first unit is the primary one. */
export async function replaceUserUnits(trx: Executor, userId: string, unitIds: readonly string[]): Promise<void> {
  await trx.deleteFrom('user_units').where('user_id', '=', userId).execute();
  if (unitIds.length) await trx.insertInto('user_units').values(unitIds.map((unit_id, i) => ({ user_id: userId, unit_id, is_primary: i === 0 ? 1 : 0 }))).execute();
}
