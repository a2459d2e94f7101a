import { IMPORT_PROGRESS_HEADER, progressTokenSchema } from '#common/contracts/imports.ts';
import type { ImportPhase, ImportProgress } from '#common/contracts/imports.ts';

/**
 * Server-side progress of long imports, in memory: an upload names a random token, the import
 * reports its phases under (user, token), and the same user polls them. Entries live a few
 * minutes; a restart forgets them (a poller then sees "waiting" and the upload's own answer
 * ends the wait). Keyed by user so a token seen by someone else reveals nothing.
 */

/** Reports a phase and how far it has got; awaiting it lets the event loop answer polls. */
export type ProgressReporter = (phase: Exclude<ImportPhase, 'waiting'>, done?: number, total?: number) => Promise<void>;

export const noProgress: ProgressReporter = async () => {};

const TTL_MS = 10 * 60 * 1000;
const MAX_ENTRIES = 1000;
/** The overall percent each phase spans. */
const SPANS: Record<ImportPhase, [number, number]> = {
  waiting: [0, 0],
  reading: [0, 10],
  validating: [10, 50],
  writing: [50, 90],
  recomputing: [90, 99],
  done: [100, 100],
  failed: [100, 100],
};
const LABELS: Record<ImportPhase, string> = {
  waiting: '等待服务器开始处理',
  reading: '正在读取工作簿',
  validating: '正在逐行检查',
  writing: '正在写入',
  recomputing: '正在重新计算汇总与预警',
  done: '处理完成',
  failed: '处理未完成',
};

const entries = new Map<string, ImportProgress & { at: number }>();

const keyOf = (userId: string, token: string) => `${userId}\u0000${token}`;

function prune(now: number): void {
  for (const [key, entry] of entries) if (now - entry.at > TTL_MS) entries.delete(key);
  // Oldest first (insertion order): a flood of tokens cannot grow the map without bound.
  while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
}

/** The progress of the caller's own upload; "waiting" when nothing has been reported under it. */
export function readImportProgress(userId: string, token: string): ImportProgress {
  const entry = entries.get(keyOf(userId, token));
  if (!entry || Date.now() - entry.at > TTL_MS) return { phase: 'waiting', done: 0, total: 0, percent: 0, message: LABELS.waiting };
  const { at: _at, ...progress } = entry;
  return progress;
}

/** Yields to the event loop so that a poll waiting on this process can be answered. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A reporter for one upload (or `noProgress` without a token). Counts within a phase are
 * throttled to about one report per percent, each followed by a turn of the event loop.
 */
export function progressReporter(userId: string | null, token: string | null): ProgressReporter {
  if (!userId || !token) return noProgress;
  const key = keyOf(userId, token);
  let last: { phase: ImportPhase; percent: number } | null = null;
  return async (phase, done = 0, total = 0) => {
    const [from, to] = SPANS[phase];
    const percent = Math.round((from + (total > 0 ? ((to - from) * Math.min(done, total)) / total : 0)) * 10) / 10;
    if (last && last.phase === phase && percent - last.percent < 1 && done < total) return;
    last = { phase, percent };
    const counted = total > 0 ? `（${done} / ${total}）` : '';
    const now = Date.now();
    entries.delete(key);
    entries.set(key, { phase, done, total, percent, message: `${LABELS[phase]}${counted}`, at: now });
    prune(now);
    await yieldToEventLoop();
  };
}

/** The reporter an upload request asked for with its X-Import-Progress header (none without it). */
export function progressOf(request: { headers: Record<string, string | string[] | undefined>; principal?: { userId: string } | null }): ProgressReporter {
  const raw = request.headers[IMPORT_PROGRESS_HEADER];
  const token = progressTokenSchema.safeParse(Array.isArray(raw) ? raw[0] : raw);
  return token.success ? progressReporter(request.principal?.userId ?? null, token.data) : noProgress;
}
