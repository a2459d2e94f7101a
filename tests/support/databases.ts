import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { Dialect } from '#server/db/client.ts';

/** The dialects every database test runs on: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export function testDialects(): Dialect[] {
  return inject('templates').postgresUrl ? ['sqlite', 'postgres'] : ['sqlite'];
}

export type TestDatabase = { url: string; auditKeyFile: string; drop: () => Promise<void> };

/** A fresh copy of the migrated template (units, grants and demo accounts loaded). */
export async function cloneTemplate(dialect: Dialect): Promise<TestDatabase> {
  const t = inject('templates');
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kejing-db-'));
    const file = path.join(dir, 'kejing.db');
    fs.copyFileSync(t.sqliteFile, file);
    return { url: file, auditKeyFile: t.auditKeyFile, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  if (!t.postgresUrl || !t.postgresTemplate) throw new Error('PostgreSQL is not configured for this run (TEST_DATABASE_URL)');
  const { adminQuery, withDatabase } = await import('#tests/support/templates.ts');
  // Named after the run's template owner pid so the global teardown can drop leftovers.
  const pid = t.postgresTemplate.replace('kejing_tpl_', '');
  const name = `kejing_t_${pid}_${randomBytes(6).toString('hex')}`;
  await adminQuery(t.postgresUrl, `CREATE DATABASE ${name} TEMPLATE ${t.postgresTemplate}`);
  return {
    url: withDatabase(t.postgresUrl, name),
    auditKeyFile: t.auditKeyFile,
    drop: async () => {
      await adminQuery(t.postgresUrl!, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
