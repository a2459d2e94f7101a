import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

/**
 * The real server as a child process (`bin/kejing.mjs serve`), for the proofs that kill it
 * (crash) or load it (load): what runs in production, not `app.inject`.
 */
export type LiveServer = {
  url: string;
  child: ChildProcess;
  /** Resolves when the process has exited, with its signal (SIGKILL for a crash). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill: (signal?: NodeJS.Signals) => void;
};

export type LiveDatabase = { url: string; auditKeyFile: string };

/**
 * A clean environment for a server child: the database, a random port, no log, no web build.
 * NODE_ENV=test lets the proofs' test-only hooks (crash points) be configured; `asShipped` leaves
 * it out, as `npm start` does.
 */
export function serverEnv(database: LiveDatabase, extra: Record<string, string> = {}, options: { asShipped?: boolean } = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...(options.asShipped ? {} : { NODE_ENV: 'test' }),
    DATABASE_URL: database.url,
    AUDIT_KEY_FILE: database.auditKeyFile,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    WEB_DIST: '/nonexistent',
    ...extra,
  };
}

/**
 * Starts the server and waits for its "已启动：URL" line. Resolves null when the process dies
 * before it is ready (a crash hook that fires during start-up).
 */
export async function startLiveServer(database: LiveDatabase, extra: Record<string, string> = {}): Promise<LiveServer | null> {
  const child = spawn(process.execPath, ['bin/kejing.mjs', 'serve'], { env: serverEnv(database, extra), stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let output = '';
  const url = await new Promise<string | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /已启动：(http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    void exited.then(() => {
      clearTimeout(timer);
      resolve(null);
    });
  });
  if (!url) {
    const { signal } = await Promise.race([exited, new Promise<{ signal: null }>((r) => setTimeout(() => r({ signal: null }), 5000))]);
    if (signal !== 'SIGKILL') throw new Error(`server did not start (signal ${signal}):\n${output.slice(-2000)}`);
    return null;
  }
  return { url, child, exited, kill: (signal = 'SIGKILL') => child.kill(signal) };
}

/** `kejing audit verify` against the database, as an operator would run it after a crash. */
export function auditVerify(database: LiveDatabase): { ok: boolean; output: string } {
  const result = spawnSync(process.execPath, ['bin/kejing.mjs', 'audit', 'verify'], { env: serverEnv(database, {}), encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

export type Answer = { status: number; body: unknown };

/**
 * One request through Node's fetch (its global pool keeps connections alive); a network error
 * (the server was killed) answers status 0.
 */
export async function call(
  base: string,
  method: string,
  path: string,
  options: { token: string; body?: unknown; form?: FormData; key?: string },
): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${options.token}` };
  if (options.key) headers['idempotency-key'] = options.key;
  let body: string | FormData | undefined;
  if (options.form) body = options.form;
  else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  try {
    const response = await fetch(`${base}${path}`, { method, headers, body: body ?? null });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (a file): the status is what matters
    }
    return { status: response.status, body: parsed };
  } catch {
    return { status: 0, body: null };
  }
}
