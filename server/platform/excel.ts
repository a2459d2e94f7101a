import ExcelJS from 'exceljs';

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
  const workbook = new ExcelJS.Workbook();
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
