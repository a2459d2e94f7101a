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
  // Named after the run's template so the global teardown can drop leftovers.
  const runId = t.postgresTemplate.replace('kejing_tpl_', '');
  const name = `kejing_t_${runId}_${randomBytes(6).toString('hex')}`;
  await adminQuery(t.postgresUrl, `CREATE DATABASE ${name} TEMPLATE ${t.postgresTemplate}`);
  return {
    url: withDatabase(t.postgresUrl, name),
    auditKeyFile: t.auditKeyFile,
    drop: () => dropQuietly(t.postgresUrl!, name),
  };
}

/**
 * An empty database (no schema, no accounts) with its own audit key file, for what `kejing
 * migrate` and `kejing demo` do to a new installation.
 */
export async function createEmptyDatabase(dialect: Dialect): Promise<TestDatabase & { dir: string }> {
  const t = inject('templates');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kejing-empty-'));
  const auditKeyFile = path.join(dir, 'audit.key');
  if (dialect === 'sqlite') {
    return { dir, url: path.join(dir, 'kejing.db'), auditKeyFile, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  if (!t.postgresUrl || !t.postgresTemplate) throw new Error('PostgreSQL is not configured for this run (TEST_DATABASE_URL)');
  const { adminQuery, withDatabase } = await import('#tests/support/templates.ts');
  const runId = t.postgresTemplate.replace('kejing_tpl_', '');
  const name = `kejing_t_${runId}_${randomBytes(6).toString('hex')}`;
  await adminQuery(t.postgresUrl, `CREATE DATABASE ${name}`);
  return {
    dir,
    url: withDatabase(t.postgresUrl, name),
    auditKeyFile,
    drop: async () => {
      await dropQuietly(t.postgresUrl!, name);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Drops a test database. A connection the test closed may still be going away (FORCE then
 * trips over it), so retry once; a database left behind is dropped by the run's teardown,
 * never failing the test that used it.
 */
async function dropQuietly(url: string, name: string): Promise<void> {
  const { adminQuery } = await import('#tests/support/templates.ts');
  for (const attempt of [0, 1]) {
    try {
      await adminQuery(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      return;
    } catch {
      if (attempt === 0) await new Promise((r) => setTimeout(r, 250));
    }
  }
}
