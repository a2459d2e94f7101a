// Generates the workbook fixtures of the enterprise import under tests/fixtures/enterprises/:
// awkward but valid rosters that must import, and broken files that must be refused with a
// Chinese message and nothing written. Run: npx tsx scripts/make-fixtures.ts
// A LibreOffice-saved copy and a real .xls are made when `soffice` is on PATH.
import fs from 'node:fs';
import path from 'node:path';
import type ExcelJS from 'exceljs';
import { composeUscc } from '#server/modules/enterprises/enterprises.seed.ts';
import { findSoffice, fixtureWorkbook, saveWithLibreOffice } from '#tests/support/fixture-files.ts';

const OUT = path.resolve('tests/fixtures/enterprises');

/** The enterprises the fixtures hold; tests import them and check the registry. */
export const FIXTURE_USCC = {
  a: composeUscc('FX000001'),
  b: composeUscc('FX000002'),
  c: composeUscc('FX000003'),
  d: composeUscc('FX000004'),
};

const HEADERS = ['统一社会信用代码', '企业名称', '所属镇街', '国民经济行业代码', '产业链', '是否规上', '规上起始年月', '成立日期', '地址', '联系人', '联系电话'];

type Row = (string | number | Date | null | ExcelJS.CellFormulaValue)[];

const BASIC_ROWS: Row[] = [
  [FIXTURE_USCC.a, '随州市鸿运专用汽车有限公司', '何店镇', '3630', '专汽及零部件、移动应急装备', '是', '2021-02', '2012-05-18', '何店镇工业园路8号', '王伟', '13800000001'],
  [FIXTURE_USCC.b, '湖北香源食品有限公司', '何店镇', '1372', '农产品加工', '否', '', '2018-03-01', '', '', ''],
  [FIXTURE_USCC.c, '随州市精诚机械有限公司', '何店镇', '3484', '', '是', '2022年6月', '', '', '', ''],
];


async function save(wb: ExcelJS.Workbook, name: string): Promise<string> {
  const file = path.join(OUT, name);
  fs.writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
  return file;
}

function simpleSheet(wb: ExcelJS.Workbook, name: string, headers: string[], rows: Row[]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name);
  ws.addRow(headers);
  for (const row of rows) ws.addRow(row.map((v) => (v === '' ? null : v)));
  ws.getColumn(1).numFmt = '@';
  return ws;
}

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });

  // ---- valid -------------------------------------------------------------------------------
  {
    const wb = fixtureWorkbook();
    simpleSheet(wb, '企业名录', HEADERS, BASIC_ROWS);
    await save(wb, 'valid-basic.xlsx');
  }
  {
    // Title rows, columns in another order, extra columns, spaces, line breaks, full-width
    // brackets, a required mark, a blank row, a totals row and a note at the bottom; a Date in
    // 成立日期 and 规上起始年月, a lower-case USCC and the former name of 涢水街道.
    const wb = fixtureWorkbook();
    const ws = wb.addWorksheet('Sheet1');
    ws.mergeCells('A1:H1');
    ws.getCell('A1').value = '曾都区重点工业企业名录（2022年）';
    ws.getCell('A2').value = '填报单位：何店镇经发办';
    const headers = ['序号', '企业\n名称', ' 统一社会信用代码 ', '所属镇街', '国民经济行业代码（4位小类）', '是否规上', '*规上起始年月', '产业链', '成立日期', '备注'];
    ws.getRow(3).values = headers;
    ws.getRow(4).values = [1, '随州市鸿运专用汽车有限公司', FIXTURE_USCC.a.toLowerCase(), '何店镇', 3630, '是', new Date(Date.UTC(2021, 1, 1)), '专汽, 移动应急装备', new Date(Date.UTC(2012, 4, 18)), '重点'];
    ws.getRow(6).values = [2, '湖北香源食品有限公司', FIXTURE_USCC.b, '何店镇', '1372', '否', null, '农产品加工', '2018/3/1', ''];
    ws.getRow(7).values = [3, '随州市涢水新材料有限公司', FIXTURE_USCC.d, '城南新区街道', '2924', '是', '2022年1-2月', '新材料', '2019年7月9日', ''];
    ws.getRow(8).values = ['合计', '', '', '', '', '', '', '', '', ''];
    ws.getRow(10).values = ['填表人：陈静   联系电话：0722-1234567'];
    ws.getCell('I4').numFmt = 'yyyy-mm-dd';
    ws.getCell('G4').numFmt = 'yyyy"年"m"月"';
    await save(wb, 'valid-awkward-headers.xlsx');
  }
  {
    // A two-row header with merged group cells, data on the second sheet, a formula with its
    // cached result (3600+30 → 3630) in 国民经济行业代码.
    const wb = fixtureWorkbook();
    const help = wb.addWorksheet('填报说明');
    help.getCell('A1').value = '请在“名录”工作表填写，每家企业一行。';
    const ws = wb.addWorksheet('名录');
    ws.getCell('A1').value = '基本信息';
    ws.mergeCells('A1:C1');
    ws.getCell('D1').value = '行业与产业链';
    ws.mergeCells('D1:E1');
    ws.getCell('F1').value = '规上情况';
    ws.mergeCells('F1:G1');
    ws.getCell('H1').value = '联系人';
    ws.mergeCells('H1:H2');
    ws.getRow(2).values = ['统一社会信用代码', '企业名称', '所属镇街', '国民经济行业代码', '产业链', '是否规上', '规上起始年月'];
    ws.getRow(3).values = [FIXTURE_USCC.a, '随州市鸿运专用汽车有限公司', '何店镇', null, '专汽及零部件', '是', '2021-02', '王伟'];
    ws.getCell('D3').value = { formula: '3600+30', result: 3630 };
    ws.getRow(4).values = [FIXTURE_USCC.c, '随州市精诚机械有限公司', '何店镇', '3484', '装备制造', '是', '2022-06', ''];
    await save(wb, 'valid-two-row-header.xlsx');
  }

  // ---- refused -------------------------------------------------------------------------------
  {
    const wb = fixtureWorkbook();
    simpleSheet(wb, '企业名录', HEADERS, [
      BASIC_ROWS[0]!,
      [composeUscc('FX000005').slice(0, 17), '随州市少一位有限公司', '何店镇', '3630', '', '否', '', '', '', '', ''],
      BASIC_ROWS[1]!,
    ]);
    await save(wb, 'refuse-one-bad-row.xlsx');
  }
  {
    const wb = fixtureWorkbook();
    simpleSheet(wb, '企业名录', HEADERS, [
      BASIC_ROWS[0]!,
      [composeUscc('FX000006'), '随州市西城电子有限公司', '西城街道', '3989', '电子元器件', '否', '', '', '', '', ''],
    ]);
    await save(wb, 'refuse-other-town.xlsx');
  }
  {
    const wb = fixtureWorkbook();
    simpleSheet(wb, '企业名录', HEADERS, [BASIC_ROWS[0]!, [composeUscc('FX000007'), '随州市日期有误有限公司', '何店镇', '3630', '', '否', '', '去年三月', '', '', '']]);
    await save(wb, 'refuse-text-in-date.xlsx');
  }
  {
    const wb = fixtureWorkbook();
    const ws = simpleSheet(wb, '企业名录', HEADERS, [BASIC_ROWS[0]!]);
    ws.getCell('D2').value = { formula: 'VLOOKUP(B2,行业!A:B,2,0)' } as ExcelJS.CellFormulaValue;
    await save(wb, 'refuse-formula-without-result.xlsx');
  }
  {
    const wb = fixtureWorkbook();
    simpleSheet(wb, '企业名录', ['企业名称', '地址', '统一社会信用代码', '所属镇街'], [['随州市鸿运专用汽车有限公司', '何店镇', FIXTURE_USCC.a, '何店镇']]);
    await save(wb, 'refuse-wrong-headers.xlsx');
  }
  {
    const wb = fixtureWorkbook();
    wb.addWorksheet('Sheet1');
    await save(wb, 'refuse-empty-sheet.xlsx');
  }
  {
    const wb = fixtureWorkbook();
    simpleSheet(wb, '企业名录', HEADERS, []);
    await save(wb, 'refuse-headers-only.xlsx');
  }
  {
    // A zip whose central directory claims ~3.9 GB for the sheet: refused before inflating.
    const wb = fixtureWorkbook();
    simpleSheet(wb, '企业名录', HEADERS, BASIC_ROWS);
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());
    fs.writeFileSync(path.join(OUT, 'refuse-zip-bomb.xlsx'), claimHugeSize(buffer, 'xl/worksheets/sheet1.xml'));
    fs.writeFileSync(path.join(OUT, 'refuse-truncated.xlsx'), buffer.subarray(0, Math.floor(buffer.length / 2)));
  }
  fs.writeFileSync(path.join(OUT, 'refuse-not-xlsx.xlsx'), '统一社会信用代码,企业名称\n91421303MA48YD010M,随州市测试有限公司\n', 'utf8');

  // ---- LibreOffice -----------------------------------------------------------------------------
  const soffice = findSoffice();
  const oldXls = path.join(OUT, 'refuse-old-format.xls');
  if (soffice) {
    saveWithLibreOffice(soffice, path.join(OUT, 'valid-basic.xlsx'), { xlsx: path.join(OUT, 'valid-libreoffice.xlsx'), xls: oldXls });
  } else if (!fs.existsSync(oldXls)) {
    // Without LibreOffice: the OLE compound-file signature every .xls starts with, and padding.
    fs.writeFileSync(oldXls, Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(4088)]));
  }
  process.stdout.write(`fixtures written to ${OUT}${soffice ? '' : ' (soffice not found: no LibreOffice-saved copy)'}\n`);
}

/** Rewrites one entry's uncompressed size in both its local header and its directory record. */
function claimHugeSize(zip: Buffer, entryName: string): Buffer {
  const out = Buffer.from(zip);
  for (let i = 0; i + 46 < out.length; i++) {
    const sig = out.readUInt32LE(i);
    if (sig === 0x02014b50) {
      const nameLength = out.readUInt16LE(i + 28);
      if (out.toString('utf8', i + 46, i + 46 + nameLength) === entryName) {
        out.writeUInt32LE(0xf0000000, i + 24);
        out.writeUInt32LE(0xf0000000, out.readUInt32LE(i + 42) + 22);
      }
    }
  }
  return out;
}

if (process.argv[1]?.endsWith('make-fixtures.ts')) {
  main().catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
}
