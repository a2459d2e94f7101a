import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { loadConfig } from '#server/config.ts';
import { createDeps } from '#server/bootstrap.ts';
import type { Deps } from '#server/platform/deps.ts';
import { systemActor } from '#server/platform/audit.ts';
import { importMonthlyReports } from '#server/modules/monitoring/monitoring.import.ts';

/**
 * One measurement of the import benchmark in its own process, so that its peak RSS
 * (process.resourceUsage().maxRSS, the whole process: Node, modules and the work) is its own.
 *   read FILE                    ExcelJS's streaming reader reads every cell, nothing else
 *   import FILE DATABASE KEYFILE the real monthly import: read, validate, commit, warnings
 *   reads FILE DATABASE KEYFILE  the same import yielding at each progress report, as the web
 *                                route's reporter does, while another request reads every 5 ms:
 *                                how long a read waits while the import holds the writer
 * Prints one JSON line: { ms, maxRssMb, … }.
 */

const [mode, file, database, keyFile] = process.argv.slice(2);

async function readOnly(): Promise<Record<string, number>> {
  let rows = 0;
  let cells = 0;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file!, { sharedStrings: 'cache', worksheets: 'emit', hyperlinks: 'ignore', styles: 'ignore', entries: 'ignore' });
  for await (const sheet of reader) {
    for await (const row of sheet) {
      rows++;
      (row as ExcelJS.Row).eachCell({ includeEmpty: false }, () => {
        cells++;
      });
    }
  }
  return { rows, cells };
}

/** The real import of FILE into DATABASE, reporting its progress to `progress`; refused is an error. */
async function importWith(progress: (phase: string) => Promise<void>, during: (deps: Deps, importing: () => boolean) => Promise<void> = async () => {}) {
  const deps = createDeps(loadConfig({ DATABASE_URL: database!, AUDIT_KEY_FILE: keyFile!, LOG_LEVEL: 'silent' }));
  try {
    const buffer = fs.readFileSync(file!);
    let finished = false;
    const importing = importMonthlyReports(deps, { scope: { kind: 'all' }, actor: systemActor('bench') }, { buffer, fileName: 'province.xlsx' }, { dryRun: false, source: 'cli', progress }).finally(() => (finished = true));
    const [result] = await Promise.all([importing, during(deps, () => !finished)]);
    if (result.errorCount > 0 || !result.committed) throw new Error(`import refused: ${JSON.stringify(result.problems.slice(0, 5))}`);
    return result;
  } finally {
    await deps.close();
  }
}

/** Enterprise searches, as the registry page runs them, timed from asking to answer. */
async function readsDuringImport(): Promise<Record<string, number>> {
  const waits: number[] = [];
  const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
  await importWith(yieldToEventLoop, async (deps, importing) => {
    while (importing()) {
      const asked = performance.now();
      await deps.db.selectFrom('enterprises').select((eb) => eb.fn.countAll().as('n')).where('name', 'like', '%机械%').executeTakeFirst();
      waits.push(performance.now() - asked);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  });
  waits.sort((a, b) => a - b);
  return { reads: waits.length, medianReadMs: waits[Math.floor(waits.length / 2)]!, maxReadMs: waits.at(-1)! };
}

async function importOnce(): Promise<Record<string, number>> {
  // Where the time goes: the import's own progress phases (reading, validating, writing,
  // recomputing), timed from one phase's first report to the next phase's.
  const phases: Record<string, number> = {};
  let phase = 'start';
  let since = performance.now();
  const result = await importWith(async (next) => {
    if (next === phase) return;
    phases[`${phase}Ms`] = (phases[`${phase}Ms`] ?? 0) + performance.now() - since;
    phase = next;
    since = performance.now();
  });
  delete phases.startMs;
  return { rows: result.rows, warnings: result.warningCount, inserted: result.changes.inserted, ...phases };
}

const started = performance.now();
const outcome = mode === 'read' ? await readOnly() : mode === 'reads' ? await readsDuringImport() : await importOnce();
const ms = performance.now() - started;
process.stdout.write(`${JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, ...outcome })}\n`);
