import path from 'node:path';
import fs from 'node:fs';
import { loadConfig } from '#server/config.ts';
import { buildApp } from '#server/app.ts';
import { createDeps } from '#server/bootstrap.ts';
import { cloneTemplate } from '#tests/support/databases.ts';

/**
 * A real server on a fresh copy of the demo district (SQLite), listening on a free port and
 * serving the built web app from dist/web (`npm test` builds it first).
 */
export async function startTestServer(options: { demo?: boolean } = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const webDist = path.resolve('dist/web');
  if (!fs.existsSync(path.join(webDist, 'index.html'))) throw new Error('dist/web is missing: run `npm run build:web` (npm test does it first)');
  const database = await cloneTemplate('sqlite');
  const config = loadConfig({
    DATABASE_URL: database.url,
    AUDIT_KEY_FILE: database.auditKeyFile,
    LOG_LEVEL: 'silent',
    WEB_DIST: webDist,
    DEMO_MODE: options.demo ? '1' : '0',
  });
  const deps = createDeps(config);
  const app = await buildApp(deps, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      await deps.close();
      await database.drop();
    },
  };
}
