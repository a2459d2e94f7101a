import { z } from 'zod';

/** Header an upload carries to have its server-side progress reported (a random token). */
export const IMPORT_PROGRESS_HEADER = 'x-import-progress';

/** A progress token: random, chosen by the client per upload. */
export const progressTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '进度标识应为 8–64 位字母、数字、_ 或 -');

export const IMPORT_PHASES = ['waiting', 'reading', 'validating', 'writing', 'recomputing', 'done', 'failed'] as const;
export type ImportPhase = (typeof IMPORT_PHASES)[number];

/** Where an import stands on the server: its phase, the count of that phase, an overall percent. */
export const importProgressSchema = z.object({
  phase: z.enum(IMPORT_PHASES),
  done: z.number().int(),
  total: z.number().int(),
  percent: z.number(),
  message: z.string(),
});
export type ImportProgress = z.infer<typeof importProgressSchema>;
