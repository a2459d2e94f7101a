import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { INDICATORS } from '#common/indicators.ts';
import { makePeriod } from '#common/period.ts';
import { loadConfig } from '#server/config.ts';
import { createDeps, prepareDatabase } from '#server/bootstrap.ts';
import { loadProvince, provincePeriods, provinceReported, provinceValue } from '#bench/province.ts';
import type { Province } from '#bench/province.ts';
import type { Bench, BenchLine } from '#bench/bench.types.ts';
import { median, round } from '#bench/bench.types.ts';
import { bundleShipped } from '#bench/shipped.ts';

/**
 * Issue 3 §7: import of a 20,000-row monthly workbook (1–2月 2023, every indicator) into the
 * province-scale district (20,000 enterprises × 36 months of reports already held): read,
 * validate, commit, recompute warnings — through the real import service, in a child process
 * whose whole-process peak RSS is reported. Beside it, in another child of the same run,
 * ExcelJS's streaming reader merely reading the same file. SQLite always; PostgreSQL when
 * BENCH_DATABASE_URL or TEST_DATABASE_URL names a server (a scratch database is created and
 * dropped).
 *
 * The children run the code as the server ships it: bundled by esbuild as `npm start` bundles
 * the server (no tsx, whose keep-names wrapper makes every closure cost more). On a shared VM one
 * run of either moves by ±40 %, so the two take turns for ROUNDS rounds (each import into a fresh
 * copy of the database) and the medians are compared.
 */

const PERIOD = makePeriod(2023, 2);
const ROUNDS = 5;
const GOAL_MS = 20_000;
const GOAL_RSS_MB = 1024;

async function writeWorkbook(file: string, province: Province): Promise<number> {
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: false });
  const sheet = writer.addWorksheet('月报');
  const header = ['统一社会信用代码', '企业名称', '报告期', ...INDICATORS.flatMap((i) => [`${i.name}本年累计`, `${i.name}上年同期`])];
  sheet.addRow(header).commit();
  let rows = 0;
  province.enterprises.forEach((e, index) => {
    if (!provinceReported(index, PERIOD)) return;
    const values = INDICATORS.flatMap((i) => provinceValue(e, PERIOD, i.code).map((v) => Number(v) / 1000));
    sheet.addRow([e.uscc, e.name, '2023年1-2月', ...values]).commit();
    rows++;
  });
  sheet.commit();
  await writer.commit();
  return rows;
}

type ChildResult = { ms: number; maxRssMb: number; rows: number; warnings?: number; inserted?: number; cells?: number; readingMs?: number; validatingMs?: number; writingMs?: number; recomputingMs?: number; reads?: number; medianReadMs?: number; maxReadMs?: number };

const phasesOf = (r: ChildResult) => `phases: reading ${round(r.readingMs ?? 0, 0)} ms, validating ${round(r.validatingMs ?? 0, 0)} ms, writing ${round(r.writingMs ?? 0, 0)} ms, recomputing ${round(r.recomputingMs ?? 0, 0)} ms`;

function child(script: string, args: string[]): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    proc.on('close', (code) => {
      if (code !== 0) reject(new Error(`child ${args[0]} failed (${code}): ${err.slice(-2000)}`));
      else resolve(JSON.parse(out.trim().split('\n').pop()!) as ChildResult);
    });
  });
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Migrates, loads the province and writes the workbook; returns what the children need. */
async function prepare(databaseUrl: string, keyFile: string, workbook: string | null, years: readonly number[]): Promise<{ loadMs: number; rows: number; province: Province }> {
  const config = loadConfig({ DATABASE_URL: databaseUrl, AUDIT_KEY_FILE: keyFile, LOG_LEVEL: 'silent' });
  const deps = createDeps(config);
  try {
    await prepareDatabase(deps);
    const started = performance.now();
    const province = await loadProvince(deps, { periods: provincePeriods(years) });
    const loadMs = performance.now() - started;
    const rows = workbook ? await writeWorkbook(workbook, province) : 0;
    return { loadMs, rows, province };
  } finally {
    await deps.close();
  }
}

/** The round whose time is the median (its phases and memory go with it); ROUNDS is odd. */
const medianRound = (results: readonly ChildResult[]) => results.find((r) => r.ms === median(results.map((x) => x.ms)))!;

/** A fresh copy of the prepared SQLite database for one import (the WAL is checkpointed in the file). */
function freshCopy(file: string, round: number): string {
  const copy = `${file}.round${round}`;
  fs.copyFileSync(file, copy);
  return copy;
}

const machine = () => `${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, load ${os.loadavg()[0]!.toFixed(1)}`;

export const monitoringImportBench: Bench = {
  name: 'monitoring-import',
  async *run({ full }) {
    // The import reads the registry and the enterprises' reports of the year before; --full loads
    // all three years as the summary benchmark does.
    const years = full ? [2020, 2021, 2022] : [2022];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kejing-bench-import-'));
    const keyFile = path.join(dir, 'audit.key');
    const workbook = path.join(dir, 'province-2023-02.xlsx');
    try {
      const sqliteFile = path.join(dir, 'bench.db');
      const prepared = await prepare(sqliteFile, keyFile, workbook, years);
      const size = fs.statSync(workbook).size;
      yield { name: 'monitoring_import_setup', value: round(prepared.loadMs / 1000, 1), unit: 's', note: `20,000 enterprises with reports of ${years.join(', ')} loaded into SQLite (${prepared.province.valueRows} values); workbook ${prepared.rows} rows × 19 columns, ${round(size / 1024 / 1024, 1)} MB` } satisfies BenchLine;

      const script = await bundleShipped('bench/monitoring-import.child.ts');
      const reads: ChildResult[] = [];
      const imports: ChildResult[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        reads.push(await child(script, ['read', workbook]));
        const copy = freshCopy(sqliteFile, i);
        imports.push(await child(script, ['import', workbook, copy, keyFile]));
        fs.rmSync(copy, { force: true });
      }
      const read = medianRound(reads);
      const imported = medianRound(imports);
      const rounds = (results: readonly ChildResult[]) => results.map((r) => round(r.ms, 0)).join(' / ');
      yield { name: 'monitoring_import_exceljs_stream_read', value: round(read.ms, 0), unit: 'ms', note: `ExcelJS.stream.xlsx.WorkbookReader reading every cell (${read.rows} rows, ${read.cells} cells), own process, peak RSS ${round(read.maxRssMb, 0)} MB; median of ${ROUNDS} rounds: ${rounds(reads)}` };
      yield { name: 'monitoring_import_sqlite', value: round(imported.ms, 0), unit: 'ms', baseline: GOAL_MS, ratio: round(imported.ms / GOAL_MS, 3), note: `${imported.rows} rows: read, validate, commit (${imported.inserted} values), warnings (${imported.warnings} import warnings); median of ${ROUNDS} rounds: ${rounds(imports)}; its ${phasesOf(imported)}; goal ≤ 20 s; ${machine()}` };
      yield { name: 'monitoring_import_sqlite_vs_exceljs_read', value: round(imported.ms, 0), unit: 'ms', baseline: round(read.ms, 0), ratio: round(imported.ms / read.ms, 2), note: `goal ratio ≤ 2: medians of ${ROUNDS} alternating rounds of the same run; per round ${imports.map((r, i) => round(r.ms / reads[i]!.ms, 2)).join(' / ')}` };
      yield { name: 'monitoring_import_sqlite_peak_rss', value: round(Math.max(...imports.map((r) => r.maxRssMb)), 0), unit: 'MB', baseline: GOAL_RSS_MB, ratio: round(Math.max(...imports.map((r) => r.maxRssMb)) / GOAL_RSS_MB, 3), note: 'process.resourceUsage().maxRSS of the import child, highest of the rounds (whole process: Node, modules, import); goal ≤ 1 GB' };

      const copy = freshCopy(sqliteFile, ROUNDS);
      const during = await child(script, ['reads', workbook, copy, keyFile]);
      fs.rmSync(copy, { force: true });
      yield { name: 'monitoring_import_read_wait_sqlite', value: round(during.maxReadMs ?? 0, 1), unit: 'ms', note: `the longest an enterprise search waited while the same import ran (${during.reads} searches, one every 5 ms, median ${round(during.medianReadMs ?? 0, 1)} ms; the import yielding at each progress report as the web route does); reads go to SQLite's reading connection (ADR 0013)` };

      const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
      if (serverUrl) {
        const name = `kejing_bench_${process.pid}`;
        await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
        try {
          const url = withDatabase(serverUrl, name);
          const pgPrepared = await prepare(url, keyFile, null, years);
          yield { name: 'monitoring_import_pg_setup', value: round(pgPrepared.loadMs / 1000, 1), unit: 's', note: `the same loaded into PostgreSQL (unnest inserts)` };
          const pgImported = await child(script, ['import', workbook, url, keyFile]);
          yield { name: 'monitoring_import_postgres', value: round(pgImported.ms, 0), unit: 'ms', baseline: round(imported.ms, 0), ratio: round(pgImported.ms / imported.ms, 2), note: `same workbook on PostgreSQL (local server); baseline is SQLite's; ${phasesOf(pgImported)}; peak RSS ${round(pgImported.maxRssMb, 0)} MB` };
        } finally {
          await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
