import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * The audit chain's HMAC key lives in a file outside the database, so that someone who can
 * write the database cannot re-forge the chain. Whichever command first needs it creates it
 * (mode 0600, exclusive create so a racing CLI and server end up with the same key).
 */
export function loadOrCreateAuditKey(file: string): Buffer {
  try {
    return decodeKey(fs.readFileSync(file, 'utf8'), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    fs.writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return decodeKey(fs.readFileSync(file, 'utf8'), file);
}

function decodeKey(text: string, file: string): Buffer {
  const hex = text.trim();
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`审计密钥文件格式不正确：${file}（应为 64 位十六进制）`);
  return Buffer.from(hex, 'hex');
}
