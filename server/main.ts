import fs from 'node:fs';
import type { Config } from '#server/config.ts';
import { buildApp } from '#server/app.ts';
import { createDeps, prepareDatabase } from '#server/bootstrap.ts';
import { loadDemoDistrict } from '#server/demo/demo.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '#server/demo/demo.accounts.ts';
import { serverLockFile } from '#server/db/server-lock.ts';

/**
 * The process entry: config → database (migrated; demo district loaded into an empty one when
 * asked) → app → listen. SIGINT/SIGTERM close the server, then the database.
 */
export async function startServer(config: Config, options: { demo: boolean }): Promise<{ url: string; close: () => Promise<void> }> {
  const started = performance.now();
  const deps = createDeps({ ...config, demoMode: config.demoMode || options.demo });
  await prepareDatabase(deps);
  const demo = options.demo ? await loadDemoDistrict(deps) : { loaded: false };
  const app = await buildApp(deps);
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const lock = serverLockFile(config.database);
  if (lock) fs.writeFileSync(lock, String(process.pid));

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      await app.close();
      await deps.close();
      if (lock) fs.rmSync(lock, { force: true });
    })());

  const lines = [
    `科经信工作平台 ${deps.version} 已启动：${url}`,
    `数据库：${deps.dialect === 'sqlite' ? (config.database as { file: string }).file : 'PostgreSQL'}${demo.loaded ? '（已载入演示辖区）' : ''}`,
    `启动用时 ${Math.round(performance.now() - started)} ms`,
  ];
  if (options.demo) {
    lines.push(`演示账号（密码均为 ${DEMO_PASSWORD}）：`);
    for (const a of DEMO_ACCOUNTS) lines.push(`  ${a.username.padEnd(10)} ${a.note}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return { url, close };
}
