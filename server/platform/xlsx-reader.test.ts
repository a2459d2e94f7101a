import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { AppError } from '#server/platform/errors.ts';
import { cellText, columnLetter, isDateFormat, normaliseHeader, readXlsxTable } from '#server/platform/xlsx-reader.ts';
import type { TableContract } from '#server/platform/xlsx-reader.ts';
import { annotateXlsx } from '#server/platform/excel.ts';

// A small contract shaped like the monthly report's: group headers over 本年累计 | 上年同期.
const MONTHLY: TableContract<'uscc' | 'name' | 'outputNow' | 'outputLast' | 'note'> = {
  what: '月度报表',
  columns: [
    { key: 'uscc', header: '统一社会信用代码', required: true },
    { key: 'name', header: '企业名称', required: true },
    { key: 'outputNow', header: '工业总产值本年累计', required: true },
    { key: 'outputLast', header: '工业总产值上年同期', required: true },
    { key: 'note', header: '备注', aliases: ['说明'] },
  ],
};

async function book(build: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function refusal(buffer: Buffer): Promise<AppError> {
  try {
    await readXlsxTable(buffer, MONTHLY);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected a refusal');
}

describe('header text', () => {
  it('ignores spaces, line breaks, full-width brackets and required marks, and keeps the unit apart', () => {
    expect(normaliseHeader(' 工业总产值\n本年累计（千元） ')).toEqual({ full: '工业总产值本年累计(千元)', base: '工业总产值本年累计', unit: '千元' });
    expect(normaliseHeader('*统一社会信用代码：')).toEqual({ full: '统一社会信用代码', base: '统一社会信用代码', unit: null });
    expect(normaliseHeader('营业收入 (万元)').unit).toBe('万元');
  });

  it('names columns as Excel does', () => {
    expect([1, 26, 27, 52, 703].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'AAA']);
  });

  it('tells date formats from number formats', () => {
    expect(['yyyy-mm-dd', 'm/d/yy', 'yyyy"年"m"月"', 'mm-dd-yy', '[$-804]yyyy年m月d日'].every(isDateFormat)).toBe(true);
    expect(['0.00', '#,##0', '@', 'General', '0%', '[Red]0.0'].some(isDateFormat)).toBe(false);
  });

  it('reads values as text: long numbers without exponent, dates as days', () => {
    expect(cellText(123456789012)).toBe('123456789012');
    expect(cellText(new Date(Date.UTC(2015, 5, 30)))).toBe('2015-06-30');
  });
});

describe('finding the table in a workbook', () => {
  it('reads a plain one-row header and keeps the sheet row numbers', async () => {
    const buffer = await book((wb) => {
      const ws = wb.addWorksheet('报表');
      ws.addRow(['统一社会信用代码', '企业名称', '工业总产值本年累计', '工业总产值上年同期']);
      ws.addRow(['A', '甲', 10, 8]);
      ws.addRow([]);
      ws.addRow(['B', '乙', 20, 15]);
    });
    const table = await readXlsxTable(buffer, MONTHLY);
    expect(table.sheet).toBe('报表');
    expect(table.headerRows).toEqual([1]);
    expect(table.rows.map((r) => [r.row, r.cells.uscc?.text, r.cells.outputNow?.value])).toEqual([
      [2, 'A', 10],
      [4, 'B', 20],
    ]);
  });

  it('joins a two-row header whose group cells are merged, under title rows, on the second sheet', async () => {
    const buffer = await book((wb) => {
      wb.addWorksheet('说明').getCell('A1').value = '本表由统计局下发';
      const ws = wb.addWorksheet('1-6月');
      ws.mergeCells('A1:E1');
      ws.getCell('A1').value = '2022年1-6月规上工业企业主要指标';
      ws.getCell('A2').value = '单位：千元';
      ws.getCell('A3').value = '统一社会信用代码';
      ws.mergeCells('A3:A4');
      ws.getCell('B3').value = '企业\n名称';
      ws.mergeCells('B3:B4');
      ws.getCell('C3').value = '工业总产值（千元）';
      ws.mergeCells('C3:D3');
      ws.getCell('C4').value = '本年累计';
      ws.getCell('D4').value = '上年同期';
      ws.getCell('E3').value = '说明';
      ws.getRow(5).values = ['A', '甲', 10, { formula: 'C5*0.8', result: 8 } as ExcelJS.CellFormulaValue, ''];
      ws.getRow(6).values = ['合 计', '', 10, 8];
    });
    const table = await readXlsxTable(buffer, MONTHLY);
    expect(table.sheet).toBe('1-6月');
    expect(table.headerRows).toEqual([3, 4]);
    expect(Object.fromEntries(table.columns.map((c) => [c.key, `${c.letter}:${c.unit ?? ''}`]))).toEqual({
      uscc: 'A:',
      name: 'B:',
      outputNow: 'C:千元',
      outputLast: 'D:千元',
      note: 'E:',
    });
    expect(table.rows).toHaveLength(1);
    expect(table.rows[0]!.cells.outputLast?.value).toBe(8);
    expect(table.skipped).toEqual([{ row: 6, reason: '合计行，已跳过' }]);
  });

  it('lists headers it does not use, skips notes below the table and says when another sheet matched too', async () => {
    const buffer = await book((wb) => {
      for (const name of ['本期', '上期']) {
        const ws = wb.addWorksheet(name);
        ws.addRow(['序号', '统一社会信用代码', '企业名称', '工业总产值本年累计', '工业总产值上年同期', '填报人']);
        ws.addRow([1, 'A', '甲', 1, 1, '张三']);
        ws.addRow(['填表人：陈静']);
      }
    });
    const table = await readXlsxTable(buffer, MONTHLY);
    expect(table.sheet).toBe('本期');
    expect(table.unknownHeaders.map((h) => `${h.letter}:${h.header}`)).toEqual(['A:序号', 'F:填报人']);
    expect(table.skipped).toEqual([{ row: 3, reason: '说明文字，已跳过' }]);
    expect(table.notes.join()).toContain('「上期」');
  });

  it('marks a formula without a cached result as an error on that cell only', async () => {
    const buffer = await book((wb) => {
      const ws = wb.addWorksheet('表');
      ws.addRow(['统一社会信用代码', '企业名称', '工业总产值本年累计', '工业总产值上年同期']);
      ws.addRow(['A', '甲', { formula: 'SUM(X1:X9)' } as ExcelJS.CellFormulaValue, 3]);
    });
    const [row] = (await readXlsxTable(buffer, MONTHLY)).rows;
    expect(row!.cells.outputNow?.error).toContain('没有保存计算结果');
    expect(row!.cells.outputNow?.address).toBe('C2');
    expect(row!.cells.outputLast?.error).toBeNull();
  });

  it('names the missing headers of the sheet that came closest', async () => {
    const buffer = await book((wb) => wb.addWorksheet('表').addRow(['统一社会信用代码', '企业名称', '营业收入本年累计']));
    const error = await refusal(buffer);
    expect(error.code).toBe('BAD_FILE');
    expect(error.message).toContain('缺少：工业总产值本年累计、工业总产值上年同期');
    expect(error.details).toMatchObject({ sheet: '表', missing: ['工业总产值本年累计', '工业总产值上年同期'] });
  });

  it('refuses an empty workbook, a header without data and a column given twice', async () => {
    expect((await refusal(await book((wb) => wb.addWorksheet('空')))).message).toContain('工作簿是空的');
    const headerOnly = await book((wb) => wb.addWorksheet('表').addRow(['统一社会信用代码', '企业名称', '工业总产值本年累计', '工业总产值上年同期']));
    expect((await refusal(headerOnly)).message).toContain('没有数据行');
    const twice = await book((wb) => {
      const ws = wb.addWorksheet('表');
      ws.addRow(['统一社会信用代码', '企业名称', '工业总产值本年累计', '工业总产值上年同期', '企业名称']);
      ws.addRow(['A', '甲', 1, 1, '甲']);
    });
    expect((await refusal(twice)).message).toMatch(/「企业名称」（B、E列）出现了不止一次/);
  });

  it('does not read hidden sheets and says so when nothing else matches', async () => {
    const buffer = await book((wb) => {
      wb.addWorksheet('封面').getCell('A1').value = '封面';
      const hidden = wb.addWorksheet('数据', { state: 'hidden' });
      hidden.addRow(['统一社会信用代码', '企业名称', '工业总产值本年累计', '工业总产值上年同期']);
      hidden.addRow(['A', '甲', 1, 1]);
    });
    expect((await refusal(buffer)).message).toContain('隐藏的工作表「数据」未读取');
  });
});

describe('the annotated workbook', () => {
  it('marks bad cells, adds a 错误说明 column and clears the marks of an earlier annotation', async () => {
    const original = await book((wb) => {
      const ws = wb.addWorksheet('表');
      ws.addRow(['统一社会信用代码', '企业名称', '工业总产值本年累计', '工业总产值上年同期']);
      ws.addRow(['A', '甲', 'abc', 1]);
      ws.addRow(['B', '乙', 2, 1]);
    });
    const once = await annotateXlsx(original, '表', 1, [
      { row: 2, column: 3, message: '「abc」不是数值', level: 'error' },
      { row: 3, column: null, message: '同比增长异常', level: 'warning' },
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(once as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('表')!;
    expect(ws.getCell('E1').value).toBe('错误说明');
    expect(ws.getCell('E2').value).toBe('「abc」不是数值');
    expect(ws.getCell('E3').value).toBe('【提示】同比增长异常');
    expect((ws.getCell('C2').fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC7CE');
    expect(String(JSON.stringify(ws.getCell('C2').note))).toContain('不是数值');

    // The clerk fixes C2 and the file is checked again: the old mark and note are gone.
    const twice = await annotateXlsx(once, '表', 1, [{ row: 3, column: 2, message: '名称有误', level: 'error' }]);
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(twice as unknown as ArrayBuffer);
    const ws2 = wb2.getWorksheet('表')!;
    expect(ws2.getCell('C2').note).toBeUndefined();
    expect(ws2.getCell('E2').value).toBeNull();
    expect(ws2.getCell('E3').value).toBe('名称有误');
    expect(ws2.getCell('F1').value).toBeNull();
    // The 错误说明 column is not taken for data when the annotated file is read again.
    const table = await readXlsxTable(twice, MONTHLY);
    expect(table.unknownHeaders).toEqual([]);
  });
});
