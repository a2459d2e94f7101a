import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
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
