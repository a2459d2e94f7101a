import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { DatabaseTarget } from '#server/config.ts';
import { SQLITE_BUSY_TIMEOUT_MS } from '#server/db/client.ts';
import { liveServerPid } from '#server/db/server-lock.ts';
import { AppError } from '#server/platform/errors.ts';

function auditHeadSeq(db: SQLite.Database): number {
  const row = db.prepare('select seq from audit_head where id = 1').get() as { seq: number } | undefined;
  return row?.seq ?? 0;
}

/**
 * A consistent copy of the live SQLite database with `VACUUM INTO`: it reads one snapshot, so
 * concurrent writers neither block it nor make it restart (the online-backup API restarts when
 * the source changes under it). The copy carries its own audit head.
 */
export async function backupDatabase(sourceFile: string, targetFile: string): Promise<{ file: string; bytes: number; auditHeadSeq: number }> {
  if (fs.existsSync(targetFile)) throw new AppError('CONFLICT', `备份文件 ${targetFile} 已存在，请换一个文件名`);
  if (!fs.existsSync(sourceFile)) throw new AppError('NOT_FOUND', `数据库文件 ${sourceFile} 不存在`);
  fs.mkdirSync(path.dirname(targetFile), { recursive: true });
  const source = new SQLite(sourceFile, { readonly: true, timeout: SQLITE_BUSY_TIMEOUT_MS });
  try {
    source.prepare('VACUUM INTO ?').run(targetFile);
  } finally {
    source.close();
  }
  const copy = new SQLite(targetFile, { readonly: true });
  try {
    return { file: targetFile, bytes: fs.statSync(targetFile).size, auditHeadSeq: auditHeadSeq(copy) };
  } finally {
    copy.close();
  }
}

/**
 * Replaces the configured SQLite database with a backup: refuses while a server uses it,
 * checks the backup's integrity first, then swaps files by rename so a crash leaves either the
 * old or the new database, never half of one.
 */
export async function restoreDatabase(backupFile: string, target: Extract<DatabaseTarget, { dialect: 'sqlite' }>): Promise<{ auditHeadSeq: number }> {
  const pid = liveServerPid(target);
  if (pid) throw new AppError('CONFLICT', `平台服务（进程 ${pid}）正在使用该数据库，请先停止服务再恢复`);
  const backup = new SQLite(backupFile, { readonly: true, fileMustExist: true });
  let seq: number;
  try {
    const check = backup.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new AppError('BAD_FILE', `备份文件已损坏（integrity_check：${String(check)}）`);
    seq = auditHeadSeq(backup);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('BAD_FILE', `不是有效的平台备份文件：${(error as Error).message}`);
  } finally {
    backup.close();
  }
  fs.mkdirSync(path.dirname(target.file), { recursive: true });
  const staging = `${target.file}.restoring`;
  fs.copyFileSync(backupFile, staging);
  for (const suffix of ['-wal', '-shm']) fs.rmSync(`${target.file}${suffix}`, { force: true });
  fs.renameSync(staging, target.file);
  return { auditHeadSeq: seq };
}

/**
 * The pg_dump / pg_restore of the server's major version: Debian installs each client under
 * /usr/lib/postgresql/<major>/bin, and a pg_dump older than the server refuses to dump it. Falls
 * back to the ones on PATH.
 */
async function postgresTool(client: pg.Client, tool: 'pg_dump' | 'pg_restore'): Promise<string> {
  const { rows } = await client.query<{ v: string }>('show server_version_num');
  const major = Math.floor(Number(rows[0]!.v) / 10_000);
  const matching = `/usr/lib/postgresql/${major}/bin/${tool}`;
  return fs.existsSync(matching) ? matching : tool;
}

/** The connection string without its password, which travels in PGPASSWORD instead of argv (visible in `ps`). */
function libpqTarget(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { dbname: parsed.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', (error) => reject(new AppError('UNAVAILABLE', `无法运行 ${command}（请安装 postgresql-client）：${error.message}`)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new AppError('UNAVAILABLE', `${path.basename(command)} 失败（退出码 ${code}）：${stderr.trim().slice(0, 500)}`))));
  });
}

/**
 * A PostgreSQL backup in pg_dump's custom format, taken from an exported snapshot: the audit
 * head is read in that same snapshot, so the head reported is exactly the one the dump carries,
 * however many writes commit meanwhile.
 */
export async function backupPostgres(url: string, targetFile: string): Promise<{ file: string; bytes: number; auditHeadSeq: number }> {
  if (fs.existsSync(targetFile)) throw new AppError('CONFLICT', `备份文件 ${targetFile} 已存在，请换一个文件名`);
  fs.mkdirSync(path.dirname(targetFile), { recursive: true });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snapshot = (await client.query<{ id: string }>('select pg_export_snapshot() as id')).rows[0]!.id;
    const head = await client.query<{ seq: string | number }>('select seq from audit_head where id = 1');
    const { dbname, env } = libpqTarget(url);
    await run(await postgresTool(client, 'pg_dump'), ['--format=custom', `--snapshot=${snapshot}`, `--file=${targetFile}`, `--dbname=${dbname}`], env);
    await client.query('COMMIT');
    return { file: targetFile, bytes: fs.statSync(targetFile).size, auditHeadSeq: Number(head.rows[0]?.seq ?? 0) };
  } catch (error) {
    fs.rmSync(targetFile, { force: true });
    throw error;
  } finally {
    await client.end();
  }
}

/**
 * Restores a pg_dump backup into the configured PostgreSQL database (replacing the objects it
 * holds, `--clean --if-exists`) in one transaction, so a failure leaves the database as it was.
 */
export async function restorePostgres(backupFile: string, url: string): Promise<{ auditHeadSeq: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { dbname, env } = libpqTarget(url);
    await run(await postgresTool(client, 'pg_restore'), ['--clean', '--if-exists', '--no-owner', '--single-transaction', '--exit-on-error', `--dbname=${dbname}`, backupFile], env);
    const head = await client.query<{ seq: string | number }>('select seq from audit_head where id = 1');
    return { auditHeadSeq: Number(head.rows[0]?.seq ?? 0) };
  } finally {
    await client.end();
  }
}
