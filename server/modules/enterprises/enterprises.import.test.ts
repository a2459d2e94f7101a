import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { EnterpriseDetail, EnterpriseImportPreview, EnterpriseListItem } from '#common/contracts/enterprises.ts';
import { runCli } from '#server/cli.ts';
import { composeUscc } from '#server/modules/enterprises/enterprises.seed.ts';
import { createTestEnv } from '#tests/support/test-env.ts';
import type { Client, TestEnv } from '#tests/support/test-env.ts';
import { testDialects } from '#tests/support/databases.ts';
import { buildEnterprise } from '#tests/support/factories.ts';
import { fixture, FIXTURES, multipart, registryCounts, upload } from '#tests/support/upload.ts';

// The USCCs the fixtures hold (scripts/make-fixtures.ts).
const A = composeUscc('FX000001');
const B = composeUscc('FX000002');
const C = composeUscc('FX000003');
const D = composeUscc('FX000004');

const HEADERS = ['统一社会信用代码', '企业名称', '所属镇街', '国民经济行业代码', '产业链', '是否规上', '规上起始年月'];

async function roster(rows: unknown[][], headers: string[] = HEADERS): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('企业名录');
  ws.addRow(headers);
  for (const row of rows) ws.addRow(row);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe.each(testDialects())('enterprise roster import on %s', (dialect) => {
  let env: TestEnv;
  let admin: Client;

  beforeEach(async () => {
    env = await createTestEnv(dialect);
    admin = await env.login('admin');
  });
  afterEach(async () => {
    await env.close();
  });

  const importFile = (client: Client, name: string, content: Buffer, dryRun = false) => upload(env, client, `/api/enterprises/import?dryRun=${dryRun}`, name, content);
  const byUscc = async (uscc: string): Promise<EnterpriseDetail> => {
    const item = (await admin.get(`/api/enterprises?search=${uscc}`)).json<{ items: EnterpriseListItem[] }>().items[0];
    if (!item) throw new Error(`no enterprise ${uscc}`);
    return (await admin.get(`/api/enterprises/${item.id}`)).json<EnterpriseDetail>();
  };

  it('previews without writing, then commits the roster with its chains and 规上 history', async () => {
    const before = await registryCounts(env.deps.db);
    const dry = await importFile(admin, 'valid-basic.xlsx', fixture('valid-basic.xlsx'), true);
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json<EnterpriseImportPreview>()).toMatchObject({ sheet: '企业名录', rows: 3, creates: 3, updates: 0, errorCount: 0, committed: false });
    expect(await registryCounts(env.deps.db)).toEqual(before);

    const done = await importFile(admin, 'valid-basic.xlsx', fixture('valid-basic.xlsx'));
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json<EnterpriseImportPreview>()).toMatchObject({ creates: 3, committed: true });
    const a = await byUscc(A);
    expect(a).toMatchObject({ name: '随州市鸿运专用汽车有限公司', town: { name: '何店镇' }, industryCode: '3630', aboveScale: true, registrationDate: '2012-05-18', contactPhone: '13800000001' });
    expect(a.chains.map((c) => c.name)).toEqual(['专汽及零部件', '移动应急装备']);
    expect(a.scaleHistory).toMatchObject([{ fromPeriod: '2021-02', fromReason: '年度入库', toPeriod: null }]);
    expect((await byUscc(B)).aboveScale).toBe(false);
    expect((await byUscc(C)).scaleHistory).toMatchObject([{ fromPeriod: '2022-06', fromReason: '月度入库' }]);

    const audit = await env.deps.db.selectFrom('audit_log').select(['action', 'after_json']).where('seq', '>', before.audit_log).orderBy('seq').execute();
    expect(audit.map((r) => r.action)).toEqual(['enterprise.create', 'enterprise.create', 'enterprise.create', 'enterprise.import']);
    expect(JSON.parse(audit[3]!.after_json!)).toMatchObject({ fileName: 'valid-basic.xlsx', sheet: '企业名录', rows: 3, creates: 3, updates: 0 });
  });

  it('is idempotent: the same file again changes nothing, and a changed file updates by USCC', async () => {
    await importFile(admin, 'valid-basic.xlsx', fixture('valid-basic.xlsx'));
    const after = await registryCounts(env.deps.db);
    const again = (await importFile(admin, 'valid-basic.xlsx', fixture('valid-basic.xlsx'))).json<EnterpriseImportPreview>();
    expect(again).toMatchObject({ creates: 0, updates: 0, unchanged: 3, committed: true });
    expect(await registryCounts(env.deps.db)).toEqual({ ...after, audit_log: after.audit_log + 1 });

    const changed = (await importFile(admin, 'valid-two-row-header.xlsx', fixture('valid-two-row-header.xlsx'))).json<EnterpriseImportPreview>();
    expect(changed).toMatchObject({ sheet: '名录', creates: 0, updates: 2 });
    expect(changed.changes.map((c) => [c.uscc, c.fields])).toEqual([
      [A, ['产业链']],
      [C, ['产业链']],
    ]);
    expect((await byUscc(A)).chains.map((c) => c.name)).toEqual(['专汽及零部件']);
    // Optional columns left out (地址, 联系电话) keep what was stored.
    expect((await byUscc(A)).address).toBe('何店镇工业园路8号');
    expect((await registryCounts(env.deps.db)).enterprises).toBe(after.enterprises);
  });

  it('reads awkward headers: title rows, any order, extra columns, spaces, full-width brackets, a totals row, dates, a former town name', async () => {
    const response = await importFile(admin, 'valid-awkward-headers.xlsx', fixture('valid-awkward-headers.xlsx'));
    expect(response.statusCode, response.body).toBe(200);
    const preview = response.json<EnterpriseImportPreview>();
    expect(preview).toMatchObject({ sheet: 'Sheet1', rows: 3, creates: 3, errorCount: 0 });
    expect(preview.ignoredColumns).toEqual(['序号（A列）', '备注（J列）']);
    expect(preview.skippedRows).toEqual([
      { row: 8, reason: '合计行，已跳过' },
      { row: 10, reason: '说明文字，已跳过' },
    ]);
    const a = await byUscc(A);
    expect(a.uscc).toBe(A);
    expect(a.scaleSince).toBe('2021-02');
    expect(a.chains.map((c) => c.name)).toEqual(['专汽及零部件', '移动应急装备']);
    const d = await byUscc(D);
    expect(d).toMatchObject({ town: { name: '涢水街道' }, scaleSince: '2022-02', registrationDate: '2019-07-09' });
    expect(d.chains.map((c) => c.name)).toEqual(['软体新材料/新型建材']);
    expect((await byUscc(B)).registrationDate).toBe('2018-03-01');
  });

  it('reads a two-row header with merged cells on the second sheet, formulas by their cached value, and a LibreOffice file', async () => {
    const twoRow = (await importFile(admin, 'two-row.xlsx', fixture('valid-two-row-header.xlsx'))).json<EnterpriseImportPreview>();
    expect(twoRow).toMatchObject({ sheet: '名录', rows: 2, creates: 2, errorCount: 0 });
    expect((await byUscc(A)).industryCode).toBe('3630');
    expect((await byUscc(A)).contactName).toBe('王伟');
    const lo = (await importFile(admin, 'lo.xlsx', fixture('valid-libreoffice.xlsx'))).json<EnterpriseImportPreview>();
    expect(lo).toMatchObject({ rows: 3, creates: 1, errorCount: 0 });
    expect((await byUscc(B)).chains.map((c) => c.name)).toEqual(['农产品加工']);
  });

  it('writes nothing when one row is bad, and says which row and column', async () => {
    const before = await registryCounts(env.deps.db);
    const response = await importFile(admin, 'bad.xlsx', fixture('refuse-one-bad-row.xlsx'));
    expect(response.statusCode).toBe(400);
    const error = response.json().error;
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toContain('未导入任何数据');
    expect(error.details.errors).toEqual([{ row: 3, column: '统一社会信用代码', cell: 'A3', message: expect.stringContaining('应为18位，当前为17位') }]);
    expect(await registryCounts(env.deps.db)).toEqual(before);
  });

  it('lets a town user import only its own town, writing nothing otherwise', async () => {
    const hedian = await env.login('hedian');
    const before = await registryCounts(env.deps.db);
    const response = await importFile(hedian, 'other-town.xlsx', fixture('refuse-other-town.xlsx'));
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.errors).toEqual([{ row: 3, column: '所属镇街', cell: 'C3', message: expect.stringContaining('只能导入本镇街的企业') }]);
    expect(await registryCounts(env.deps.db)).toEqual(before);

    // A USCC registered in another town cannot be taken over by naming one's own town.
    const west = await buildEnterprise(env.deps.db, { town: '西城街道' });
    const takeover = await importFile(hedian, 'takeover.xlsx', await roster([[west.uscc, '抢过来有限公司', '何店镇', '3630', '', '否', '']]));
    expect(takeover.json().error.details.errors[0]).toMatchObject({ row: 2, column: '统一社会信用代码', message: expect.stringContaining('已登记在其他镇街') });

    // The district imports the same file.
    expect((await importFile(admin, 'other-town.xlsx', fixture('refuse-other-town.xlsx'))).statusCode).toBe(200);
    // And the town imports its own rows.
    expect((await importFile(hedian, 'basic.xlsx', fixture('valid-basic.xlsx'))).json()).toMatchObject({ committed: true, updates: 0, unchanged: 1, creates: 2 });
  });

  it('checks every cell and names the problems in Chinese', async () => {
    const existing = await buildEnterprise(env.deps.db, { town: '何店镇', aboveScale: true, scaleSince: '2019-02' });
    const content = await roster(
      [
        [A, '甲有限公司', '何店镇', '36', '专汽、飞船', '也许', ''],
        [A, '', '火星镇', 3630, '', '是', ''],
        ['91350100M0001TGQXM', '早期代码有限公司', '何店镇', '3699', '', '是', '2022-13'],
        [existing.uscc, '退库企业有限公司', '何店镇', '3630', '', '否', ''],
        // An all-digit code typed into a number cell: Excel keeps only 15 significant digits.
        [914213037069453200, '数字代码有限公司', '何店镇', '3630', '', '否', ''],
      ],
      [...HEADERS],
    );
    const preview = (await importFile(admin, 'messy.xlsx', content, true)).json<EnterpriseImportPreview>();
    const at = (row: number, column: string) => preview.errors.filter((e) => e.row === row && e.column === column).map((e) => e.message);
    expect(at(2, '国民经济行业代码')[0]).toContain('大类代码');
    expect(at(2, '产业链')[0]).toContain('产业链「飞船」不存在');
    expect(at(2, '是否规上')[0]).toContain('请填“是”或“否”');
    expect(at(3, '统一社会信用代码')[0]).toContain('与第 2 行重复');
    expect(at(3, '企业名称')[0]).toBe('请填写企业名称');
    expect(at(3, '所属镇街')[0]).toContain('不是本区的镇街');
    expect(at(4, '规上起始年月')[0]).toContain('月份不对');
    expect(at(6, '统一社会信用代码')[0]).toContain('存成了数字');
    const warnings = preview.warnings.map((w) => `${w.row}:${w.column}:${w.message}`);
    expect(warnings.some((w) => w.startsWith('4:统一社会信用代码:') && w.includes('校验位不符'))).toBe(true);
    expect(warnings.some((w) => w.startsWith('4:国民经济行业代码:'))).toBe(true);
    expect(warnings.some((w) => w.startsWith('5:是否规上:') && w.includes('按本期'))).toBe(true);
  });

  it('keeps hostile-looking text verbatim and keeps messages about huge cells short', async () => {
    const name = `<img src=x onerror=alert(1)>'); DELETE FROM enterprises;-- \u202E😀`;
    const good = await roster([[composeUscc('FX000011'), name, '何店镇', '3630', '', '否', '']]);
    expect((await importFile(admin, 'hostile.xlsx', good)).statusCode).toBe(200);
    expect((await byUscc(composeUscc('FX000011'))).name).toBe(name);

    // (ExcelJS and Excel cannot put control characters in a cell; the form refuses them.)
    const bad = await roster([[composeUscc('FX000012'), '长文本有限公司', '镇'.repeat(20_000), '3630', '', '否', '']]);
    const response = await importFile(admin, 'long.xlsx', bad);
    expect(response.statusCode).toBe(400);
    const [problem] = response.json().error.details.errors as { column: string; message: string }[];
    expect(problem!.column).toBe('所属镇街');
    expect(problem!.message.length).toBeLessThanOrEqual(301);
    const marked = await upload(env, admin, '/api/enterprises/import/annotated', 'long.xlsx', bad);
    expect(marked.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(marked.rawPayload as unknown as ArrayBuffer);
    expect(String(wb.getWorksheet('企业名录')!.getCell('H2').value)).toContain('不是本区的镇街');
  });

  it('closes a 规上 spell on 退库 and keeps a failing check digit as a warning', async () => {
    const existing = await buildEnterprise(env.deps.db, { town: '何店镇', aboveScale: true, scaleSince: '2019-02' });
    const content = await roster(
      [
        [existing.uscc, existing.name, '何店镇', '3630', '', '否', '', '2023-02'],
        ['91350100M0001TGQXM', '早期代码有限公司', '何店镇', '3630', '', '否', '', ''],
      ],
      [...HEADERS, '退库年月'],
    );
    const response = await importFile(admin, 'exit.xlsx', content);
    expect(response.statusCode, response.body).toBe(200);
    const detail = (await admin.get(`/api/enterprises/${existing.id}`)).json<EnterpriseDetail>();
    expect(detail.aboveScale).toBe(false);
    expect(detail.scaleHistory).toMatchObject([{ fromPeriod: '2019-02', toPeriod: '2022-12', toReason: '退库' }]);
    expect((await byUscc('91350100M0001TGQXM')).warnings[0]?.field).toBe('uscc');
  });

  describe('files that are refused with a 4xx, a Chinese message, and nothing written', () => {
    const cases: [string, number, RegExp][] = [
      ['refuse-not-xlsx.xlsx', 400, /不是 Excel 工作簿/],
      ['refuse-old-format.xls', 400, /请另存为 \.xlsx 格式后上传/],
      ['refuse-zip-bomb.xlsx', 400, /压缩炸弹/],
      ['refuse-truncated.xlsx', 400, /不完整或已损坏/],
      ['refuse-empty-sheet.xlsx', 400, /工作簿是空的/],
      ['refuse-headers-only.xlsx', 400, /没有数据行/],
      ['refuse-wrong-headers.xlsx', 400, /缺少：国民经济行业代码、产业链、是否规上、规上起始年月/],
      ['refuse-text-in-date.xlsx', 400, /未导入任何数据/],
      ['refuse-formula-without-result.xlsx', 400, /未导入任何数据/],
    ];
    it.each(cases)('%s', async (name, status, message) => {
      const before = await registryCounts(env.deps.db);
      const response = await importFile(admin, name, fixture(name));
      expect(response.statusCode).toBe(status);
      expect(response.json().error.message).toMatch(message);
      expect(await registryCounts(env.deps.db)).toEqual(before);
    });

    it('names the cell of a date written as text and of a formula without a cached result', async () => {
      const date = (await importFile(admin, 'd.xlsx', fixture('refuse-text-in-date.xlsx'))).json().error.details.errors;
      expect(date).toEqual([{ row: 3, column: '成立日期', cell: 'H3', message: '成立日期「去年三月」无法识别为日期，请填写如 2015-06-30' }]);
      const formula = (await importFile(admin, 'f.xlsx', fixture('refuse-formula-without-result.xlsx'))).json().error.details.errors;
      expect(formula[0]).toMatchObject({ row: 2, column: '国民经济行业代码', cell: 'D2', message: expect.stringContaining('没有保存计算结果') });
    });

    it('refuses a file over 20 MB with 413, a request without a file, and a non-multipart body', async () => {
      const before = await registryCounts(env.deps.db);
      const big = await importFile(admin, 'big.xlsx', Buffer.alloc(21 * 1024 * 1024, 1));
      expect(big.statusCode).toBe(413);
      expect(big.json().error.message).toContain('20 MB');
      const json = await admin.post('/api/enterprises/import?dryRun=false', { file: 'x' });
      expect(json.statusCode).toBe(415);
      const { contentType } = multipart('x.xlsx', Buffer.alloc(0));
      const empty = await env.app.inject({
        method: 'POST',
        url: '/api/enterprises/import',
        headers: { 'content-type': contentType, cookie: admin.cookie!, 'x-csrf-token': admin.csrfToken! },
        payload: `--${contentType.split('boundary=')[1]}--\r\n`,
      });
      expect(empty.statusCode).toBe(400);
      expect(empty.json().error.message).toContain('没有收到文件');
      expect(await registryCounts(env.deps.db)).toEqual(before);
    });
  });

  it('returns the uploaded workbook with bad cells marked and a 错误说明 column', async () => {
    const response = await upload(env, admin, '/api/enterprises/import/annotated', '名录.xlsx', fixture('refuse-one-bad-row.xlsx'));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toContain(encodeURIComponent('名录-错误标注.xlsx'));
    expect(response.headers['x-import-errors']).toBe('1');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('企业名录')!;
    expect(ws.getCell('L1').value).toBe('错误说明');
    expect(String(ws.getCell('L3').value)).toContain('应为18位');
    expect(ws.getCell('L2').value).toBeNull();
    expect((ws.getCell('A3').fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC7CE');
    // The annotated file, corrected, imports: its 错误说明 column is not taken for data.
    ws.getCell('A3').value = composeUscc('FX000005');
    const fixed = Buffer.from(await wb.xlsx.writeBuffer());
    const again = (await importFile(admin, '名录-错误标注.xlsx', fixed)).json<EnterpriseImportPreview>();
    expect(again).toMatchObject({ committed: true, creates: 3, ignoredColumns: [] });
  });

  it('imports from the command line, dry run first, with the same checks', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => err.push(s), stdin: async () => '' };
    const before = await registryCounts(env.deps.db);
    expect(await runCli(['import', 'enterprises', path.join(FIXTURES, 'valid-basic.xlsx'), '--dry-run'], env.config, io)).toBe(0);
    expect(out.join('\n')).toContain('新增 3');
    expect(await registryCounts(env.deps.db)).toEqual(before);

    expect(await runCli(['import', 'enterprises', path.join(FIXTURES, 'refuse-one-bad-row.xlsx')], env.config, io)).toBe(1);
    expect(err.join('\n')).toContain('第 3 行「统一社会信用代码」（A3）');
    expect(await registryCounts(env.deps.db)).toEqual(before);

    expect(await runCli(['import', 'enterprises', path.join(FIXTURES, 'valid-basic.xlsx'), '--as', 'yunxing'], env.config, io)).toBe(0);
    const last = await env.deps.db.selectFrom('audit_log').select(['action', 'actor_name', 'actor_kind']).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(last).toEqual({ action: 'enterprise.import', actor_name: 'yunxing', actor_kind: 'cli' });
    expect((await registryCounts(env.deps.db)).enterprises).toBe(before.enterprises + 3);

    const bomb = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kejing-cli-')), 'bomb.xlsx');
    fs.copyFileSync(path.join(FIXTURES, 'refuse-zip-bomb.xlsx'), bomb);
    expect(await runCli(['import', 'enterprises', bomb], env.config, io)).toBe(1);
    expect(err.join('\n')).toContain('压缩炸弹');
  });
});
