import type { ImportProgress } from '#common/contracts/imports.ts';
import { IMPORT_PROGRESS_HEADER } from '#common/contracts/imports.ts';
import { http } from '#web/lib/http.ts';

/** Server calls shared by the workbook imports: the server-side progress of one upload. */

export type { ImportProgress };

/** A random token for one upload, and the header that carries it. */
export function newProgressToken(): { token: string; headers: Record<string, string> } {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const token = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return { token, headers: { [IMPORT_PROGRESS_HEADER]: token } };
}

export function fetchImportProgress(token: string): Promise<ImportProgress> {
  return http.get<ImportProgress>(`/api/imports/progress/${token}`);
}
