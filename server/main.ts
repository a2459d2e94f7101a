import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { Config } from '#server/config.ts';
import { buildApp } from '#server/app.ts';
import { createDeps, prepareDatabase } from '#server/bootstrap.ts';
import { openDatabase } from '#server/db/client.ts';
import { demoLoadable, loadDemoDistrict } from '#server/demo/demo.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '#server/demo/demo.accounts.ts';
import { serverLockFile } from '#server/db/server-lock.ts';
import { pruneIdempotencyKeys } from '#server/platform/idempotency.ts';

/**
 * The process entry: config → database (migrated; demo district loaded into an empty one when
 * asked) → app → listen. SIGINT/SIGTERM close the server, then the database.
 */
export async function startServer(config: Config, options: { demo: boolean; demoInChildProcess?: boolean }): Promise<{ url: string; close: () => Promise<void> }> {
  const started = performance.now();
  const handle = openDatabase(config.database, { crashAtCommit: config.crashAtCommit });
  const deps = createDeps({ ...config, demoMode: config.demoMode || options.demo }, handle);
  await prepareDatabase(deps);
  const demo = { loaded: options.demo && (await demoLoadable(deps)) };
  if (demo.loaded) await (options.demoInChildProcess ? loadDemoInChildProcess() : loadDemoDistrict(deps));
  const app = await buildApp(deps);
  await app.listen({ port: config.port, host: config.host });
  handle.armTestHooks();
  // Housekeeping a server owns: old idempotency keys, at start and then daily.
  const prune = () => pruneIdempotencyKeys(deps.db, deps.now()).catch((error: unknown) => app.log.error({ err: error }, '清理过期幂等键失败'));
  await prune();
  const daily = setInterval(() => void prune(), 86_400_000);
  daily.unref();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const lock = serverLockFile(config.database);
  if (lock) fs.writeFileSync(lock, String(process.pid));

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      clearInterval(daily);
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

/**
 * Loads the demo district into the empty database by running this same CLI's `demo` command in
 * a short-lived child process. Generating the district churns through tens of megabytes that
 * glibc's allocator and V8 keep after the work is done (SQLite's page cache, compiler zones,
 * garbage never collected while the server idles): in a child they go back to the system when
 * it exits, so a first start rests at the size of a restart (ADR 0010). Only for the `kejing`
 * process itself, whose entry script (`process.argv[1]`) can be run again.
 */
async function loadDemoInChildProcess(): Promise<void> {
  const code = await new Promise<number | null>((resolve, reject) => {
    // execArgv carries tsx's loader when the CLI runs from source; the environment carries the
    // configuration, so the child opens the same database and audit key.
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, 'demo'], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`载入演示辖区失败（kejing demo 退出码 ${String(code)}）`);
}
