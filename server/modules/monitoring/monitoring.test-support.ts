// Shared by the monitoring tests: a clean district, reports written directly, workbooks built in
// memory (uploaded with tests/support/upload.ts).
import { crc32, inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import type { IndicatorCode } from '#common/indicators.ts';
import { toThousandths } from '#common/quantity.ts';
import type { TestEnv } from '#tests/support/test-env.ts';
import { bumpDataVersion } from '#server/platform/data-version.ts';
import { inspectZipDirectory } from '#server/platform/upload.ts';
import { upsertReports, upsertValues } from '#server/modules/monitoring/monitoring.repo.ts';

/**
 * Removes the demo district's enterprises and reports, so that hand-computed figures are the
 * only data (the accounts stay; the demo enterprise account is detached).
 */
export async function clearDistrict(env: TestEnv): Promise<void> {
  const db = env.deps.db;
  await db.updateTable('users').set({ enterprise_id: null }).execute();
  const tables = [
    'monitoring_warnings',
    'monitoring_products',
    'monitoring_values',
    'monitoring_reports',
    'monitoring_reported_values',
    'monitoring_imports',
    'enterprise_tags',
    'enterprise_scale_history',
    'enterprise_chains',
    'enterprises',
  ] as const;
  if (env.dialect === 'postgres') {
    // TRUNCATE leaves no dead rows: a mass DELETE would wake autovacuum, whose worker the
    // test database's DROP … WITH (FORCE) may not terminate (it runs as another role).
    await sql.raw(`truncate table ${tables.join(', ')} cascade`).execute(db);
  } else {
    for (const table of tables) await db.deleteFrom(table).execute();
  }
  // Behind the services' backs: tell the in-memory figures (ADR 0008).
  await bumpDataVersion(db, 'monitoring');
}

/** Values in the indicator's unit as decimal strings: [本年累计, 上年同期]. */
export type ReportValues = Partial<Record<IndicatorCode, [string, string | null]>>;

/** Writes a report directly (no validation, no warnings), for figure tests. */
export async function putReport(env: TestEnv, enterpriseId: string, period: string, values: ReportValues): Promise<void> {
  const at = new Date().toISOString();
  await upsertReports(env.deps.db, [{ enterpriseId, period, source: 'import', batchId: 'test', at, by: null }]);
  await upsertValues(
    env.deps.db,
    Object.entries(values).map(([indicator, [current, previous]]) => ({
      enterpriseId,
      period,
      indicator,
      current: toThousandths(current).thousandths,
      previous: previous === null ? null : toThousandths(previous).thousandths,
    })),
  );
}

export type SheetSpec = { name: string; rows: (string | number | Date | null | { formula: string; result?: number })[][]; merges?: string[] };

/** An xlsx workbook from rows of cells (a formula cell may carry its cached result). */
export async function workbook(...sheets: SheetSpec[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const sheet of sheets) {
    const ws = wb.addWorksheet(sheet.name);
    for (const row of sheet.rows) ws.addRow(row.map((cell) => (cell && typeof cell === 'object' && 'formula' in cell ? { formula: cell.formula, result: cell.result } : cell)));
    for (const range of sheet.merges ?? []) ws.mergeCells(range);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * The same workbook with its zip entries stored (uncompressed) in the order given by `rank`:
 * for files whose entry order readers trip over (xl/workbook.xml after the worksheets).
 */
export function reorderZip(buffer: Buffer, rank: (name: string) => number): Buffer {
  const entries = inspectZipDirectory(buffer).map((e) => {
    const raw = buffer.subarray(e.dataOffset, e.dataOffset + e.compressedSize);
    return { name: e.name, data: e.method === 0 ? Buffer.from(raw) : inflateRawSync(raw) };
  });
  entries.sort((a, b) => rank(a.name) - rank(b.name));
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(entry.data.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, entry.data);
    centrals.push(central, name);
    offset += 30 + name.length + entry.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
