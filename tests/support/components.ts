import fs from 'node:fs';
import { execFileSync } from 'node:child_process';

/** Optional components of the test run and whether this machine has them. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function hasChromium(): boolean {
  return fs.existsSync(CHROMIUM_PATH);
}

export function libreOfficePath(): string | null {
  for (const candidate of ['soffice', 'libreoffice']) {
    try {
      return execFileSync('which', [candidate], { encoding: 'utf8' }).trim() || null;
    } catch {
      // not on PATH; try the next name
    }
  }
  return null;
}

export const required = (name: 'POSTGRES' | 'BROWSER' | 'LIBREOFFICE') => process.env[`REQUIRE_${name}`] === '1';
