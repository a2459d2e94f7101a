import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { AppError } from '#server/platform/errors.ts';
import { assertSafeXlsx, inspectZipDirectory, safeFileName, XLSX_ZIP_LIMITS } from '#server/platform/upload.ts';
import { makeZip } from '#tests/support/zip.ts';
import { fixture } from '#tests/support/upload.ts';

async function smallWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('表').addRow(['统一社会信用代码', '企业名称']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function refusal(buffer: Buffer): Promise<AppError> {
  try {
    await assertSafeXlsx(buffer);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected the file to be refused');
}

const workbookXml = { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') };

describe('workbook upload checks (before anything is inflated)', () => {
  it('accepts workbooks written by ExcelJS and saved by LibreOffice', async () => {
    await expect(assertSafeXlsx(await smallWorkbook())).resolves.toBeUndefined();
    await expect(assertSafeXlsx(fixture('valid-libreoffice.xlsx'))).resolves.toBeUndefined();
  });

  it('tells an old .xls (OLE) apart and asks to save as .xlsx', async () => {
    const error = await refusal(fixture('refuse-old-format.xls'));
    expect(error.code).toBe('BAD_FILE');
    expect(error.message).toContain('请另存为 .xlsx 格式后上传');
  });

  it('refuses text, an empty file, a truncated zip and a Word document with their own messages', async () => {
    expect((await refusal(fixture('refuse-not-xlsx.xlsx'))).message).toContain('不是 Excel 工作簿');
    expect((await refusal(Buffer.alloc(0))).message).toContain('空的');
    expect((await refusal(fixture('refuse-truncated.xlsx'))).message).toContain('不完整或已损坏');
    const docx = makeZip([{ name: 'word/document.xml', data: Buffer.from('<w:document/>') }]);
    expect((await refusal(docx)).message).toContain('Word 文档');
  });

  it('refuses a directory claiming a huge uncompressed size without inflating it', async () => {
    const error = await refusal(fixture('refuse-zip-bomb.xlsx'));
    expect(error.message).toContain('压缩炸弹');
    // 250 entries claiming 1 MB each (each below the ratio check's floor) are caught by the total.
    const many = makeZip([workbookXml, ...Array.from({ length: 250 }, (_, i) => ({ name: `xl/media/${i}.bin`, data: Buffer.from('x'), declaredSize: 1024 * 1024 }))]);
    expect((await refusal(many)).message).toMatch(/压缩炸弹.*200 MB/);
  });

  it('refuses more entries than a workbook ever has', async () => {
    const zip = makeZip([workbookXml, ...Array.from({ length: XLSX_ZIP_LIMITS.maxEntries }, (_, i) => ({ name: `x/${i}`, data: Buffer.from('a'), method: 0 as const }))]);
    expect((await refusal(zip)).message).toContain('2001 个压缩项');
  });

  it('refuses an entry with an absurd compression ratio', async () => {
    const zeros = Buffer.alloc(8 * 1024 * 1024);
    const error = await refusal(makeZip([workbookXml, { name: 'xl/worksheets/sheet1.xml', data: zeros }]));
    expect(error.message).toMatch(/压缩比 \d+:1/);
  });

  it('stops inflating an entry the moment it exceeds the size its headers declared', async () => {
    const lying = makeZip([workbookXml, { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(3 * 1024 * 1024, 'a'), declaredSize: 1000 }]);
    // Declared 1000 bytes (ratio looks fine, total tiny): caught while inflating, after ~1000 bytes.
    expect((await refusal(lying)).message).toContain('实际大小超过其声明');
  });

  it('refuses overlapping entries and data the directory does not list', async () => {
    const parts = [workbookXml, { name: 'xl/a.xml', data: Buffer.from('<a/>') }, { name: 'xl/b.xml', data: Buffer.from('<b/>') }];
    expect((await refusal(makeZip(parts, { overlapLast: true }))).message).toMatch(/重叠|不一致/);
    expect((await refusal(makeZip(parts, { hiddenBytes: Buffer.alloc(200, 7) }))).message).toContain('未登记的数据');
  });

  it('refuses encrypted entries', async () => {
    const zip = makeZip([{ ...workbookXml, flags: 0x0801 }]);
    expect((await refusal(zip)).message).toContain('加密');
  });

  it('lists the entries of a sound zip from its central directory', () => {
    const entries = inspectZipDirectory(makeZip([workbookXml, { name: 'xl/styles.xml', data: Buffer.from('<s/>'), method: 0 }]));
    expect(entries.map((e) => [e.name, e.method, e.uncompressedSize])).toEqual([
      ['xl/workbook.xml', 8, 11],
      ['xl/styles.xml', 0, 4],
    ]);
  });

  it('keeps only a harmless base name of an uploaded file', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\clerk\\名录.xlsx')).toBe('名录.xlsx');
    expect(safeFileName('a\u0000b\u001f.xlsx')).toBe('ab.xlsx');
    expect(safeFileName('..')).toBe('上传文件.xlsx');
    expect(safeFileName(`${'长'.repeat(300)}.xlsx`).length).toBe(120);
  });
});
