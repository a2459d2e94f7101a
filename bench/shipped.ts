import path from 'node:path';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { build } from 'esbuild';

/**
 * Benchmark children run the code as the server ships it: bundled by esbuild the way
 * package.json's build:server bundles the server, not under tsx (whose keep-names wrapper makes
 * every closure made at run time cost more). The bundle goes under dist/ (build output) so that
 * its packages resolve from the project's node_modules.
 */
export async function bundleShipped(entry: string): Promise<string> {
  const outfile = path.resolve('dist/bench', `${path.basename(entry, '.ts')}.mjs`);
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile, logLevel: 'warning' });
  return outfile;
}

/** Starts a bundled child and resolves with the first JSON line it prints (it keeps running). */
export function startChild<T>(script: string, args: readonly string[]): Promise<{ child: ChildProcess; first: T }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.indexOf('\n');
      if (line >= 0) resolve({ child, first: JSON.parse(out.slice(0, line)) as T });
    });
    child.on('exit', (code) => reject(new Error(`${path.basename(script)} ${args[0] ?? ''} exited (${code}) before it was ready: ${err.slice(-2000)}`)));
  });
}

/** Stops a child started by startChild and waits for it to go. */
export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
