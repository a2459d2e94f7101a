import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmptyDatabase, testDialects } from '#tests/support/databases.ts';
import type { TestDatabase } from '#tests/support/databases.ts';
import { DEMO_PASSWORD } from '#server/demo/demo.accounts.ts';
import { serverEnv } from '#tests/proofs/live-server.ts';

/**
 * `kejing serve --demo` as the README's `npm start` runs it, in a real process: the first start
 * loads the demo district through a child `kejing demo` process (ADR 0010), a restart does not
 * load it again, and the demo accounts sign in either way.
 */
type Started = { url: string; banner: string; stop: () => Promise<number | null> };

function serve(database: TestDatabase): Promise<Started> {
  const child = spawn(process.execPath, ['bin/kejing.mjs', 'serve', '--demo'], { env: serverEnv(database, {}, { asShipped: true }), stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  return new Promise((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /已启动：(http:\/\/\S+)[\s\S]*演示账号/.exec(output);
      if (match) resolve({ url: match[1]!, banner: output, stop: () => (child.kill('SIGTERM'), exited) });
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    void exited.then((code) => reject(new Error(`server exited (${String(code)}) before it was ready:\n${output.slice(-2000)}`)));
  });
}

async function signIn(url: string, username: string): Promise<number> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  await response.arrayBuffer();
  return response.status;
}

describe.each(testDialects())('serve --demo (%s)', (dialect) => {
  let database: TestDatabase | null = null;
  afterEach(async () => {
    await database?.drop();
    database = null;
  });

  it('loads the demo district on the first start only, and its accounts sign in', { timeout: 180_000 }, async () => {
    database = await createEmptyDatabase(dialect);

    const first = await serve(database);
    expect(first.banner).toContain('已载入演示辖区');
    expect(await signIn(first.url, 'admin')).toBe(200);
    expect(await signIn(first.url, 'hedian')).toBe(200);
    expect(await first.stop()).toBe(0);

    const again = await serve(database);
    expect(again.banner).not.toContain('已载入演示辖区');
    expect(await signIn(again.url, 'admin')).toBe(200);
    expect(await again.stop()).toBe(0);
  });
});
