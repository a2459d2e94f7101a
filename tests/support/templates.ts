import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '#server/config.ts';
import { createDeps, prepareDatabase } from '#server/bootstrap.ts';
import { openDatabase } from '#server/db/client.ts';
import { loadDemoDistrict } from '#server/demo/demo.ts';

export type TemplateInfo = { sqliteFile: string; auditKeyFile: string; postgresTemplate: string | null; postgresUrl: string | null };

/** Connection string of another database on the same PostgreSQL server. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Migrates a template database once per test run, with the district's units, default grants and
 * the demo accounts; each test then gets a copy (a file copy on SQLite, CREATE DATABASE …
 * TEMPLATE on PostgreSQL) instead of migrating again.
 */
export async function buildTemplates(dir: string, postgresUrl: string | null): Promise<TemplateInfo & { dispose: () => Promise<void> }> {
  const sqliteFile = path.join(dir, 'template.db');
  const auditKeyFile = path.join(dir, 'audit.key');
  const sqliteConfig = loadConfig({ DATABASE_URL: sqliteFile, AUDIT_KEY_FILE: auditKeyFile, LOG_LEVEL: 'silent' });
  const sqliteDeps = createDeps(sqliteConfig);
  await prepareDatabase(sqliteDeps);
  await loadDemoDistrict(sqliteDeps);
  await sqliteDeps.close();

  // Vitest runs the global setup once per project in the same process, each with its own key
  // file: the template's name must be unique per call, or one call rebuilds another's template
  // with a different audit key. Clones carry the same suffix so teardown drops only its own.
  const runId = `${process.pid}_${randomBytes(3).toString('hex')}`;
  let postgresTemplate: string | null = null;
  if (postgresUrl) {
    postgresTemplate = `kejing_tpl_${runId}`;
    await adminQuery(postgresUrl, `DROP DATABASE IF EXISTS ${postgresTemplate}`);
    await adminQuery(postgresUrl, `CREATE DATABASE ${postgresTemplate}`);
    const config = loadConfig({ DATABASE_URL: withDatabase(postgresUrl, postgresTemplate), AUDIT_KEY_FILE: auditKeyFile, LOG_LEVEL: 'silent' });
    const deps = createDeps(config, openDatabase(config.database));
    await prepareDatabase(deps);
    await loadDemoDistrict(deps);
    await deps.close();
  }
  return {
    sqliteFile,
    auditKeyFile,
    postgresTemplate,
    postgresUrl,
    dispose: async () => {
      if (!postgresUrl || !postgresTemplate) return;
      const leftovers = await adminQuery(postgresUrl, `SELECT datname FROM pg_database WHERE datname LIKE 'kejing_t_${runId}_%'`);
      for (const row of leftovers.rows as { datname: string }[]) await adminQuery(postgresUrl, `DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
      await adminQuery(postgresUrl, `DROP DATABASE IF EXISTS ${postgresTemplate} WITH (FORCE)`);
    },
  };
}

export async function adminQuery(url: string, text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}
