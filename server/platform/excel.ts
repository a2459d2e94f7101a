import type ExcelJS from 'exceljs';

/**
 * ExcelJS, loaded at the first workbook read or written rather than at start-up: it is the
 * heaviest library the server carries (≈ 28 MB of resident memory), and a server at rest
 * seldom touches a workbook. Node caches the module after the first call.
 */
export async function loadExcelJS(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default;
}

/** One column of an exported sheet. */
export type ExportColumn<T> = { header: string; width?: number; value: (row: T) => string | number | boolean | null | undefined };

/**
 * A cell that starts with = + - @ (or a tab / carriage return) would run as a formula in Excel
 * or WPS when the file is opened (CSV/formula injection). Exported text is prefixed with an
 * apostrophe-free guard: a leading single quote character is shown, the text stays inert.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The one xlsx writer: typed columns, bold frozen header, text cells neutralised. */
export async function writeXlsx<T>(sheets: { name: string; columns: ExportColumn<T>[]; rows: Iterable<T> }[]): Promise<Buffer> {
  const { Workbook } = await loadExcelJS();
  const workbook = new Workbook();
  workbook.creator = '科经信工作平台';
  workbook.created = new Date();
  for (const sheet of sheets) {
    const ws = workbook.addWorksheet(sheet.name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = sheet.columns.map((c) => ({ header: c.header, width: c.width ?? Math.max(10, c.header.length * 2 + 2) }));
    ws.getRow(1).font = { bold: true };
    for (const row of sheet.rows) {
      ws.addRow(
        sheet.columns.map((c) => {
          const v = c.value(row);
          if (v === null || v === undefined) return null;
          return typeof v === 'string' ? neutraliseFormula(v) : v;
        }),
      );
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Content-Disposition that keeps a Chinese file name (RFC 5987) with an ASCII fallback. */
export function attachmentHeader(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** Messages may quote what a clerk typed; XML 1.0 cannot carry control characters or lone surrogates. */
function xmlSafe(text: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
}

/** A problem to mark in an uploaded workbook: a cell (column set) or a whole row (column null). */
export type CellMark = { row: number; column: number | null; message: string; level: 'error' | 'warning' };

const MARK_PREFIX = '【导入检查】';
const ERROR_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
const WARNING_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFEB9C' } };
const NO_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'none' };

/**
 * The clerk's copy of an uploaded workbook with the import's problems marked: each bad cell
 * filled red (a warning yellow) with a comment, and a 错误说明 column at the end of the header
 * saying what is wrong in each row. Marks from an earlier annotation are cleared first, so a
 * corrected file annotated again shows only what is still wrong. The buffer must already have
 * passed `assertSafeXlsx`.
 */
export async function annotateXlsx(buffer: Buffer, sheetName: string, headerRow: number, marks: readonly CellMark[], noteHeader = '错误说明'): Promise<Buffer> {
  const { Workbook } = await loadExcelJS();
  const workbook = new Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  const ws = workbook.getWorksheet(sheetName);
  if (!ws) throw new Error(`annotateXlsx: no sheet ${sheetName}`);

  let lastColumn = 0;
  let noteColumn = 0;
  ws.eachRow({ includeEmpty: false }, (row) => {
    row.eachCell({ includeEmpty: false }, (cell, column) => {
      const note = cell.note;
      const text = typeof note === 'string' ? note : (note?.texts ?? []).map((t) => t.text).join('');
      if (text.startsWith(MARK_PREFIX)) {
        // ExcelJS has no "remove note": drop the cell's comment (kept in `_comment`) and set the
        // value again so the loaded model that still carries the comment is replaced.
        const value = cell.value;
        (cell as unknown as { _comment?: unknown })._comment = undefined;
        cell.value = value;
        cell.fill = NO_FILL;
      }
      if (row.number === headerRow && typeof cell.value === 'string' && cell.value.replace(/\s+/g, '') === noteHeader) noteColumn = column;
      else lastColumn = Math.max(lastColumn, column);
    });
  });
  if (noteColumn === 0) noteColumn = lastColumn + 1;
  // An earlier annotation's explanations go; this run writes its own.
  ws.eachRow({ includeEmpty: false }, (row) => {
    if (row.number > headerRow) row.getCell(noteColumn).value = null;
  });
  const header = ws.getRow(headerRow).getCell(noteColumn);
  header.value = noteHeader;
  header.font = { bold: true, color: { argb: 'FFC00000' } };
  ws.getColumn(noteColumn).width = 60;

  const byRow = new Map<number, CellMark[]>();
  for (const mark of marks) byRow.set(mark.row, [...(byRow.get(mark.row) ?? []), mark]);
  for (const [rowNumber, rowMarks] of byRow) {
    const row = ws.getRow(rowNumber);
    const byCell = new Map<number, CellMark[]>();
    for (const mark of rowMarks) if (mark.column !== null) byCell.set(mark.column, [...(byCell.get(mark.column) ?? []), mark]);
    for (const [column, cellMarks] of byCell) {
      const cell = row.getCell(column);
      const isError = cellMarks.some((m) => m.level === 'error');
      cell.fill = isError ? ERROR_FILL : WARNING_FILL;
      cell.note = xmlSafe(`${MARK_PREFIX}${cellMarks.map((m) => m.message).join('；')}`);
    }
    const explanation = rowMarks.map((m) => `${m.level === 'warning' ? '【提示】' : ''}${m.message}`).join('；');
    const cell = row.getCell(noteColumn);
    cell.value = neutraliseFormula(xmlSafe(explanation));
    cell.font = { color: { argb: rowMarks.some((m) => m.level === 'error') ? 'FFC00000' : 'FF9C5700' } };
    cell.alignment = { wrapText: true, vertical: 'top' };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
