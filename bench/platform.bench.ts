import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawn, spawnSync } from 'node:child_process';
import { loadConfig } from '#server/config.ts';
import { buildApp } from '#server/app.ts';
import { createDeps, prepareDatabase } from '#server/bootstrap.ts';
import { loadDemoDistrict } from '#server/demo/demo.ts';
import type { Bench, BenchLine } from '#bench/bench.types.ts';
import { median, round } from '#bench/bench.types.ts';

/** The JS the login page loads: the entry script and every module it preloads, gzipped. */
function loginPageJsGzip(dist: string): { bytes: number; files: number } {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="([^"]+\.js)"/g)].map((m) => m[1]!);
  let bytes = 0;
  for (const ref of refs) bytes += zlib.gzipSync(fs.readFileSync(path.join(dist, ref.replace(/^\//, '')))).length;
  return { bytes, files: refs.length };
}

async function waitHealthy(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('server did not become healthy');
}

function rssKb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

export const platformBench: Bench = {
  name: 'platform',
  async *run() {
    const dist = path.resolve('dist/web');
    if (fs.existsSync(path.join(dist, 'index.html'))) {
      const js = loginPageJsGzip(dist);
      yield { name: 'login_page_js_gzip', value: round(js.bytes / 1024, 1), unit: 'KB', baseline: 300, ratio: round(js.bytes / 1024 / 300), note: `${js.files} files; goal ≤ 300 KB` } satisfies BenchLine;
    }

    // The server as `npm start` runs it: the dist/server bundle under plain node (ADR 0010). Cold
    // start (migrate + demo district on an empty database) to the first healthy answer, its RSS
    // at rest, then the same for a restart on the database it made.
    const built = spawnSync('npm', ['run', 'build:server'], { stdio: 'ignore' });
    if (built.status !== 0) throw new Error('npm run build:server failed');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kejing-bench-'));
    for (const start of ['first', 'restart'] as const) {
      const port = 3900 + Math.floor(Math.random() * 50);
      const started = performance.now();
      const child = spawn(process.execPath, ['dist/server/kejing.mjs', 'serve', '--demo'], {
        env: { ...process.env, DATABASE_URL: path.join(dir, 'k.db'), PORT: String(port), LOG_LEVEL: 'warn' },
        stdio: 'ignore',
      });
      const exited = new Promise((r) => child.once('exit', r));
      try {
        await waitHealthy(`http://127.0.0.1:${port}`, 60_000);
        if (start === 'first') yield { name: 'server_cold_start_to_healthy', value: Math.round(performance.now() - started), unit: 'ms', note: 'empty SQLite: migrate, district, demo district, listen (web already built)' };
        await new Promise((r) => setTimeout(r, 10_000));
        const rss = rssKb(child.pid!) / 1024;
        yield { name: start === 'first' ? 'server_rss_at_rest' : 'server_rss_at_rest_restart', value: round(rss, 1), unit: 'MB', baseline: 150, ratio: round(rss / 150), note: `${start === 'first' ? 'first start (demo generated)' : 'restart on the demo database'}, then 10 s idle; goal ≤ 150 MB` };
      } finally {
        child.kill('SIGTERM');
        await exited;
      }
    }

    // Login latency, in process (argon2id verification dominates by design).
    const config = loadConfig({ DATABASE_URL: path.join(dir, 'inproc.db'), LOG_LEVEL: 'silent', WEB_DIST: '/nonexistent', LOGIN_RATE_LIMIT_PER_MINUTE: '100000' });
    const deps = createDeps(config);
    await prepareDatabase(deps);
    await loadDemoDistrict(deps);
    const app = await buildApp(deps, { logger: false });
    const times: number[] = [];
    for (let i = 0; i < 60; i++) {
      const t0 = performance.now();
      const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'kejing-demo' } });
      if (response.statusCode !== 200) throw new Error(`login failed: ${response.body}`);
      times.push(performance.now() - t0);
    }
    yield { name: 'login_latency_median', value: round(median(times.slice(10)), 1), unit: 'ms', note: '50 logins after 10 warm-up, app.inject, argon2id m=19 MiB t=2' };
    await app.close();
    await deps.close();
    fs.rmSync(dir, { recursive: true, force: true });
  },
};
