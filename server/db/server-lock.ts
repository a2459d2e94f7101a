import fs from 'node:fs';
import type { DatabaseTarget } from '#server/config.ts';

/**
 * A running server marks its SQLite database with a pid file beside it, so that `restore`
 * can refuse to replace a database under a live server.
 */
export function serverLockFile(target: DatabaseTarget): string | null {
  return target.dialect === 'sqlite' && target.file !== ':memory:' ? `${target.file}.server.pid` : null;
}

/** The pid of a live server using the database, or null (a stale pid file is ignored). */
export function liveServerPid(target: DatabaseTarget): number | null {
  const file = serverLockFile(target);
  if (!file || !fs.existsSync(file)) return null;
  const pid = Number(fs.readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}
