import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { hasChromium, CHROMIUM_PATH, libreOfficePath, required } from '#tests/support/components.ts';
import { buildTemplates } from '#tests/support/templates.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    templates: { sqliteFile: string; auditKeyFile: string; postgresTemplate: string | null; postgresUrl: string | null };
  }
}

/**
 * Runs once before all suites. A component the run was told to require (REQUIRE_POSTGRES=1,
 * REQUIRE_BROWSER=1, REQUIRE_LIBREOFFICE=1) that is missing fails the whole run here instead of
 * letting its suites skip. Then it builds the migrated template databases every test clones.
 */
export default async function setup(project: TestProject) {
  const missing: string[] = [];
  const pgUrl = process.env.TEST_DATABASE_URL ?? null;
  if (pgUrl) {
    const client = new pg.Client({ connectionString: pgUrl });
    try {
      await client.connect();
      await client.query('select 1');
    } catch (error) {
      missing.push(`PostgreSQL at TEST_DATABASE_URL is not reachable: ${(error as Error).message}`);
    } finally {
      await client.end().catch(() => undefined);
    }
  } else if (required('POSTGRES')) {
    missing.push('REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set');
  }
  if (required('BROWSER') && !hasChromium()) missing.push(`REQUIRE_BROWSER=1 but Chromium is not at ${CHROMIUM_PATH}`);
  if (required('LIBREOFFICE') && !libreOfficePath()) missing.push('REQUIRE_LIBREOFFICE=1 but soffice is not on PATH');
  if (missing.length) throw new Error(`Required test components are missing:\n- ${missing.join('\n- ')}`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kejing-test-'));
  const { dispose, ...templates } = await buildTemplates(dir, pgUrl);
  project.provide('templates', templates);
  return async () => {
    await dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
