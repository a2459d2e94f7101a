import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root: the nearest folder above this file holding package.json. Files shipped
 * beside the code (package.json, the demo's seed notice) are found from here, because the same
 * code runs from `server/platform/` through tsx and from the `dist/server/` bundle `npm start`
 * runs (ADR 0010), where a path relative to `import.meta.url` would point elsewhere.
 */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`package.json not found above ${from}`);
  }
}

export const PROJECT_ROOT = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));
