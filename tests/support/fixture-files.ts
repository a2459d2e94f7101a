import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';

// What the fixture generators share (scripts/make-fixtures.ts for the roster,
// tests/fixtures/monthly/generate.ts for the monthly reports): workbooks whose bytes do not
// change between runs, and LibreOffice's copies of a valid one.

const FIXED_DATE = new Date(Date.UTC(2026, 10, 27));

/** A workbook with fixed metadata, so that generating the fixtures again gives the same files. */
export function fixtureWorkbook(): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'kejing fixtures';
  wb.created = FIXED_DATE;
  wb.modified = FIXED_DATE;
  return wb;
}

/** LibreOffice's `soffice` when it is on PATH. */
export function findSoffice(): string | null {
  try {
    return execFileSync('which', ['soffice'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/**
 * A valid workbook saved again by LibreOffice, as .xlsx (`xlsxTarget`, the "file saved by
 * LibreOffice" the corpus must import) and as an old .xls (`xlsTarget`, which it must refuse).
 */
export function saveWithLibreOffice(soffice: string, validXlsx: string, targets: { xlsx: string; xls: string }): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kejing-fixtures-'));
  try {
    const source = path.join(dir, 'book.xlsx');
    fs.copyFileSync(validXlsx, source);
    const outDir = path.join(dir, 'out');
    const env = { ...process.env, HOME: dir };
    const convert = (filter: string) => execFileSync(soffice, ['--headless', '--norestore', '--convert-to', filter, '--outdir', outDir, source], { stdio: 'ignore', env, timeout: 120_000 });
    convert('xlsx:Calc MS Excel 2007 XML');
    fs.copyFileSync(path.join(outDir, 'book.xlsx'), targets.xlsx);
    convert('xls:MS Excel 97');
    fs.copyFileSync(path.join(outDir, 'book.xls'), targets.xls);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
