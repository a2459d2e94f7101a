import { PostgresAdapter, sql } from 'kysely';
import type { Kysely } from 'kysely';

// Frozen in time: never imports application code (ADR 0001). A second data version, `access`,
// over everything a signed-in principal is built from: the account, its roles and units, the
// units themselves and the roles' permissions. Processes keep built principals against it
// (ADR 0011). The counter is bumped by triggers, not by the application, so that no write path —
// a service, the CLI, a migration, an administrator's SQL — can change who may do what without
// every process noticing at its next request.

const TABLES = ['users', 'user_roles', 'user_units', 'units', 'role_permissions'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await db.insertInto('data_versions').values({ name: 'access', version: 1 }).execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`
      create function bump_access_version() returns trigger language plpgsql as $$
      begin
        update data_versions set version = version + 1 where name = 'access';
        return null;
      end $$`.execute(db);
    for (const table of TABLES) {
      await sql`create trigger ${sql.raw(`${table}_access_version`)} after insert or update or delete on ${sql.table(table)}
        for each statement execute function bump_access_version()`.execute(db);
    }
    return;
  }
  for (const table of TABLES) {
    for (const event of ['insert', 'update', 'delete']) {
      await sql`create trigger ${sql.raw(`${table}_access_version_${event}`)} after ${sql.raw(event)} on ${sql.table(table)}
        begin update data_versions set version = version + 1 where name = 'access'; end`.execute(db);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    for (const table of TABLES) await sql`drop trigger ${sql.raw(`${table}_access_version`)} on ${sql.table(table)}`.execute(db);
    await sql`drop function bump_access_version()`.execute(db);
  } else {
    for (const table of TABLES) for (const event of ['insert', 'update', 'delete']) await sql`drop trigger ${sql.raw(`${table}_access_version_${event}`)}`.execute(db);
  }
  await db.deleteFrom('data_versions').where('name', '=', 'access').execute();
}
