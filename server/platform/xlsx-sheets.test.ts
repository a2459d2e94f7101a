import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { AppError } from '#server/platform/errors.ts';
import { CELL_ERRORS, openXlsx } from '#server/platform/xlsx-sheets.ts';
import type { CellValue, XlsxBook } from '#server/platform/xlsx-sheets.ts';
import { readXlsxTable } from '#server/platform/xlsx-reader.ts';
import { makeZip } from '#tests/support/zip.ts';
import type { ZipSpec } from '#tests/support/zip.ts';

// Workbooks are built by hand, part by part, to hold what Excel, WPS, LibreOffice and the .NET
// OpenXML SDK write and ExcelJS never does (prefixed tags, rows without r, phonetic runs …).

const MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const REL = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const TYPE = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

type SheetSpec = { name: string; data: string; state?: 'hidden' | 'veryHidden' };

/** The parts of a workbook (sheets numbered in the given order), ready for makeZip. */
function workbookParts(sheets: SheetSpec[], options: { strings?: string; styles?: string; workbookPr?: string } = {}): ZipSpec[] {
  const sheetList = sheets.map((s, i) => `<sheet name="${s.name}" sheetId="${i + 1}"${s.state ? ` state="${s.state}"` : ''} r:id="rId${i + 1}"/>`).join('');
  const rels = [
    ...sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${TYPE}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`),
    options.strings ? `<Relationship Id="rS" Type="${TYPE}/sharedStrings" Target="/xl/sharedStrings.xml"/>` : '',
    options.styles ? `<Relationship Id="rT" Type="${TYPE}/styles" Target="styles.xml"/>` : '',
  ].join('');
  const parts: ZipSpec[] = [
    { name: 'xl/workbook.xml', data: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><workbook ${MAIN} ${REL}>${options.workbookPr ?? ''}<sheets>${sheetList}</sheets></workbook>`) },
    { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>`) },
    ...sheets.map((s, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, data: Buffer.from(`<worksheet ${MAIN}><sheetData>${s.data}</sheetData></worksheet>`) })),
  ];
  if (options.strings) parts.push({ name: 'xl/sharedStrings.xml', data: Buffer.from(`<sst ${MAIN}>${options.strings}</sst>`) });
  if (options.styles) parts.push({ name: 'xl/styles.xml', data: Buffer.from(`<styleSheet ${MAIN}>${options.styles}</styleSheet>`) });
  return parts;
}

/** Each visible sheet's cells as { A1: value } (errors as 'ERROR: message'). */
function cellsOf(book: XlsxBook): Record<string, Record<string, CellValue | string>> {
  const out: Record<string, Record<string, CellValue | string>> = {};
  for (const sheet of book.sheets) {
    const cells: Record<string, CellValue | string> = {};
    for (const row of sheet.rows()) {
      row.columns.forEach((column, i) => {
        const error = row.errors[i];
        cells[`${String.fromCharCode(64 + column)}${row.row}`] = error ? `ERROR: ${error}` : row.values[i]!;
      });
    }
    out[sheet.name] = cells;
  }
  return out;
}

async function read(sheets: SheetSpec[], options?: Parameters<typeof workbookParts>[1]) {
  return cellsOf(await openXlsx(makeZip(workbookParts(sheets, options))));
}

async function refusal(buffer: Buffer): Promise<AppError> {
  try {
    await openXlsx(buffer);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected the file to be refused');
}

describe('cell values', () => {
  it('reads inline strings, plain or in runs, without trimming them', async () => {
    const cells = await read([
      {
        name: '表',
        data: '<row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve"> 随州 </t></is></c><c r="B1" t="inlineStr"><is><r><t>曾都</t></r><r><rPr><b/></rPr><t>区</t></r></is></c></row>',
      },
    ]);
    expect(cells['表']).toEqual({ A1: ' 随州 ', B1: '曾都区' });
  });

  it('joins the runs of a rich shared string and leaves out its phonetic guide', async () => {
    const strings = '<si><t>统一社会信用代码</t></si><si><r><t>湖北</t></r><r><rPr><b/></rPr><t>某某</t></r><rPh sb="0" eb="2"><t>HUBEI</t></rPh><phoneticPr fontId="1"/></si>';
    const cells = await read([{ name: '表', data: '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>7</v></c></row>' }], { strings });
    expect(cells['表']).toEqual({ A1: '统一社会信用代码', B1: '湖北某某', C1: `ERROR: ${CELL_ERRORS.missingSharedString}` });
  });

  it('decodes XML entities and the _xHHHH_ escapes Excel writes for characters XML cannot hold', async () => {
    const strings = '<si><t>A&amp;B &lt;甲&gt; &quot;乙&quot; &apos;丙&apos; &#20013;&#x6587;</t></si><si><t>第一行_x000D_\n第二行 _x005F_x0041_</t></si>';
    const cells = await read([{ name: '表', data: '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="str"><f>"x"</f><v>&lt;_x0041_&gt;</v></c></row>' }], { strings });
    expect(cells['表']).toEqual({ A1: 'A&B <甲> "乙" \'丙\' 中文', B1: '第一行\r\n第二行 _x0041_', C1: '<A>' });
  });

  it('reads tags with a namespace prefix, as the .NET OpenXML SDK writes them', async () => {
    const X = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
    const parts = workbookParts([{ name: 'unused', data: '' }]).map((part) => {
      if (part.name === 'xl/workbook.xml') return { ...part, data: Buffer.from(`<x:workbook ${X} ${REL}><x:sheets><x:sheet name="名录" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>`) };
      if (part.name === 'xl/worksheets/sheet1.xml') {
        return { ...part, data: Buffer.from(`<x:worksheet ${X}><x:sheetData><x:row r="2"><x:c r="B2" t="s"><x:v>0</x:v></x:c><x:c r="C2"><x:v>12.5</x:v></x:c></x:row></x:sheetData></x:worksheet>`) };
      }
      return part;
    });
    parts.push({ name: 'xl/sharedStrings.xml', data: Buffer.from(`<x:sst ${X}><x:si><x:t>企业名称</x:t></x:si></x:sst>`) });
    expect(cellsOf(await openXlsx(makeZip(parts)))).toEqual({ 名录: { B2: '企业名称', C2: 12.5 } });
  });

  it('places cells and rows that carry no reference by their order', async () => {
    const cells = await read([{ name: '表', data: '<row><c><v>1</v></c><c><v>2</v></c></row><row r="4"><c r="C4"><v>3</v></c><c><v>4</v></c></row><row><c t="inlineStr"><is><t>五</t></is></c></row>' }]);
    expect(cells['表']).toEqual({ A1: 1, B1: 2, C4: 3, D4: 4, A5: '五' });
  });

  it('gives Dates for numbers in a built-in or custom date format, in either date system', async () => {
    const styles = '<numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;"/></numFmts><cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="176"><alignment horizontal="center"/></xf><xf numFmtId="4"/></cellXfs><dxfs count="1"><dxf><numFmt numFmtId="176" formatCode="0.00"/></dxf></dxfs>';
    const data = '<row r="1"><c r="A1" s="1"><v>44713</v></c><c r="B1" s="2"><v>44713.5</v></c><c r="C1" s="3"><v>44713</v></c><c r="D1"><v>44713</v></c><c r="E1" t="d"><v>2022-06-01T00:00:00</v></c></row>';
    expect((await read([{ name: '表', data }], { styles }))['表']).toEqual({
      A1: new Date(Date.UTC(2022, 5, 1)),
      B1: new Date(Date.UTC(2022, 5, 1, 12)),
      C1: 44713,
      D1: 44713,
      E1: new Date(Date.UTC(2022, 5, 1)),
    });
    const in1904 = await read([{ name: '表', data: '<row r="1"><c r="A1" s="1"><v>43251</v></c></row>' }], { styles, workbookPr: '<workbookPr date1904="1"/>' });
    expect(in1904['表']).toEqual({ A1: new Date(Date.UTC(2022, 5, 1)) });
  });

  it('reads booleans and refuses error values, naming the error', async () => {
    const cells = await read([{ name: '表', data: '<row r="1"><c r="A1" t="b"><v>1</v></c><c r="B1" t="b"><v>0</v></c><c r="C1" t="e"><v>#N/A</v></c><c r="D1"><v>abc</v></c></row>' }]);
    expect(cells['表']).toEqual({ A1: true, B1: false, C1: `ERROR: ${CELL_ERRORS.errorValue('#N/A')}`, D1: `ERROR: ${CELL_ERRORS.badNumber}` });
  });

  it('gives a formula its cached result, shared formulas too, and refuses one without a result', async () => {
    const data =
      '<row r="1"><c r="A1"><f>1+1</f><v>2</v></c><c r="B1"><f t="shared" ref="B1:C1" si="0">A1*2</f><v>4</v></c><c r="C1"><f t="shared" si="0"/><v>8</v></c>' +
      '<c r="D1"><f>SUM(X1:X9)</f></c><c r="E1"><f>SUM(X1:X9)</f><v></v></c><c r="F1" t="str"><f>""&amp;""</f><v></v></c><c r="G1" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="H1" t="b"><f>TRUE()</f><v>1</v></c></row>';
    expect((await read([{ name: '表', data }]))['表']).toEqual({
      A1: 2,
      B1: 4,
      C1: 8,
      D1: `ERROR: ${CELL_ERRORS.noCachedResult}`,
      E1: `ERROR: ${CELL_ERRORS.noCachedResult}`,
      F1: `ERROR: ${CELL_ERRORS.noCachedResult}`,
      G1: `ERROR: ${CELL_ERRORS.formulaError('#DIV/0!')}`,
      H1: true,
    });
  });

  it('leaves out empty cells and empty rows', async () => {
    const cells = await read([{ name: '表', data: '<row r="1" spans="1:3"><c r="A1" s="1"/><c r="B1"><v></v></c><c r="C1"><v>7</v></c></row><row r="2"/><row r="3"></row>' }]);
    expect(cells['表']).toEqual({ C1: 7 });
  });
});

describe('sheets', () => {
  it('reports a hidden sheet as not visible', async () => {
    const book = await openXlsx(makeZip(workbookParts([{ name: '封面', data: '' }, { name: '数据', data: '<row r="1"><c r="A1"><v>1</v></c></row>', state: 'hidden' }, { name: '备用', data: '', state: 'veryHidden' }])));
    expect(book.sheets.map((s) => [s.name, s.visible])).toEqual([
      ['封面', true],
      ['数据', false],
      ['备用', false],
    ]);
  });

  it('takes the sheet order from workbook.xml, whatever order the zip stores the parts in', async () => {
    const parts = workbookParts([{ name: '说明', data: '<row r="1"><c r="A1" t="s"><v>0</v></c></row>' }, { name: '月报', data: '<row r="1"><c r="A1" t="s"><v>1</v></c></row>' }], { strings: '<si><t>说明文字</t></si><si><t>数据</t></si>' });
    const byName = (name: string) => parts.find((p) => p.name === name)!;
    const reordered = ['xl/worksheets/sheet2.xml', 'xl/worksheets/sheet1.xml', 'xl/sharedStrings.xml', 'xl/_rels/workbook.xml.rels', 'xl/workbook.xml'].map(byName);
    expect(cellsOf(await openXlsx(makeZip(reordered)))).toEqual({ 说明: { A1: '说明文字' }, 月报: { A1: '数据' } });
  });

  it('reads an ordinary workbook written by ExcelJS, and the table reader finds its header in it', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('月报');
    ws.addRow(['统一社会信用代码', '企业名称', '报告期']);
    ws.addRow(['91421300MA0000000X', '随州某某有限公司', new Date(Date.UTC(2022, 5, 30))]);
    ws.getCell('C2').numFmt = 'yyyy-mm-dd';
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());
    expect(cellsOf(await openXlsx(buffer))['月报']).toEqual({
      A1: '统一社会信用代码',
      B1: '企业名称',
      C1: '报告期',
      A2: '91421300MA0000000X',
      B2: '随州某某有限公司',
      C2: new Date(Date.UTC(2022, 5, 30)),
    });
    const table = await readXlsxTable(buffer, {
      what: '名录',
      columns: [
        { key: 'uscc', header: '统一社会信用代码', required: true },
        { key: 'date', header: '报告期', required: true },
      ],
    });
    expect(table.rows.map((r) => [r.cells.uscc?.text, r.cells.date?.text])).toEqual([['91421300MA0000000X', '2022-06-30']]);
  });
});

describe('Chinese text', () => {
  it('reads every name of a large sheet whole (ExcelJS streaming split characters across its chunks into U+FFFD)', async () => {
    // 4,000 distinct names, ≈ 200 KB of shared strings: many times the inflater's chunk size.
    const names = Array.from({ length: 4000 }, (_, i) => `随州市曾都区第${i}号专用汽车零部件制造有限公司`);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名录');
    ws.addRow(['统一社会信用代码', '企业名称']);
    names.forEach((name, i) => ws.addRow([`91421303MA${String(i).padStart(8, '0')}`, name]));
    const book = await openXlsx(Buffer.from(await wb.xlsx.writeBuffer()));
    const read: string[] = [];
    for (const row of book.sheets[0]!.rows()) if (row.row > 1) read.push(String(row.values[row.columns.indexOf(2)]));
    expect(read).toEqual(names);
  });
});

describe('the zip it is given', () => {
  it('refuses an entry that inflates to more than its declared size, and one that inflates to less', async () => {
    const sheet = '<row r="1"><c r="A1"><v>1</v></c></row>'.repeat(2000);
    const lying = (declaredSize: number) =>
      makeZip(workbookParts([{ name: '表', data: sheet }]).map((p) => (p.name === 'xl/worksheets/sheet1.xml' ? { ...p, declaredSize } : p)));
    expect((await refusal(lying(1000))).message).toContain('压缩炸弹');
    expect((await refusal(lying(1000))).message).toContain('xl/worksheets/sheet1.xml');
    expect((await refusal(lying(200_000))).message).toContain('大小与目录不符');
  });

  it('checks the entries it does not read too', async () => {
    const parts = [...workbookParts([{ name: '表', data: '' }]), { name: 'xl/media/image1.png', data: Buffer.alloc(50_000, 1), declaredSize: 100 }];
    expect((await refusal(makeZip(parts))).message).toMatch(/压缩炸弹.*image1\.png/);
  });

  it('refuses what is not a workbook before reading anything', async () => {
    expect((await refusal(makeZip([{ name: 'word/document.xml', data: Buffer.from('<w:document/>') }]))).message).toContain('Word 文档');
  });
});
