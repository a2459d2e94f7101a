import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestEnv } from '#tests/support/test-env.ts';
import type { TestEnv } from '#tests/support/test-env.ts';
import { testDialects } from '#tests/support/databases.ts';
import { buildEnterprise } from '#tests/support/factories.ts';
import type { BuiltEnterprise } from '#tests/support/factories.ts';
import { runCli } from '#server/cli.ts';
import { upload } from '#tests/support/upload.ts';
import { clearDistrict, putReport, reorderZip, workbook } from '#server/modules/monitoring/monitoring.test-support.ts';
import { readMonthlyWorkbook } from '#server/modules/monitoring/monitoring.import.ts';

const HEADER = ['统一社会信用代码', '企业名称', '报告期', '工业总产值本年累计', '工业总产值上年同期', '营业收入本年累计', '营业收入上年同期', '利润总额本年累计', '利润总额上年同期'];

type Problem = { level: string; row: number | null; column: string | null; message: string };

describe('reading the monthly workbook', () => {
  it('reads a workbook that stores xl/workbook.xml after its worksheets (as ExcelJS sometimes writes them)', async () => {
    const file = await workbook(
      { name: '说明', rows: [['填报说明：按月报送']] },
      { name: '月报', rows: [HEADER.slice(0, 5), ['91421303MA4KL0JU6T', '甲', '2022-06', 100, 90]] },
    );
    const order = (name: string) => (name === 'xl/workbook.xml' ? 99 : name === 'xl/sharedStrings.xml' ? 1 : name.startsWith('xl/worksheets/') ? 2 : 0);
    const reordered = reorderZip(file, order);
    const source = await readMonthlyWorkbook(reordered, 'reordered.xlsx');
    expect(source.sheet).toBe('月报');
    expect(source.rows).toHaveLength(1);
  });
});

describe.each(testDialects())('monthly import on %s', (dialect) => {
  let env: TestEnv;
  let a: BuiltEnterprise;
  let b: BuiltEnterprise;
  let x: BuiltEnterprise;

  beforeEach(async () => {
    env = await createTestEnv(dialect);
    await clearDistrict(env);
    a = await buildEnterprise(env.deps.db, { name: '甲专用汽车有限公司', town: '何店镇', aboveScale: true });
    b = await buildEnterprise(env.deps.db, { name: '乙食品有限公司', town: '何店镇', industryCode: '1372', aboveScale: true });
    x = await buildEnterprise(env.deps.db, { name: '西城某机械有限公司', town: '西城街道', industryCode: '3484', aboveScale: true });
  });
  afterEach(async () => {
    await env.close();
  });

  const values = async () =>
    (await env.deps.db.selectFrom('monitoring_values').select(['enterprise_id', 'period', 'indicator', 'current_value', 'previous_value']).orderBy('enterprise_id').orderBy('indicator').execute()).map((v) => ({
      ...v,
      current_value: String(v.current_value),
      previous_value: v.previous_value === null ? null : String(v.previous_value),
    }));
  const valueOf = async (enterpriseId: string, period: string, indicator: string) =>
    (await values()).find((v) => v.enterprise_id === enterpriseId && v.period === period && v.indicator === indicator);
  const auditCount = async () => Number((await env.deps.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('reads title rows, a merged two-row header, units in headers and a totals row; previews, then commits', async () => {
    const file = await workbook({
      name: '月报',
      rows: [
        ['何店镇规上工业企业主要指标月报'],
        ['单位：见表头'],
        ['统一社会信用代码', '企业名称', '报告期', '工业总产值（万元）', null, '营业收入', null, '平均用工人数'],
        [null, null, null, '本年累计', '上年同期', '本年累计（千元）', '上年同期（千元）', null],
        [a.uscc, a.name, '2022年1-6月', 12.3456, 10, 5000, 4000, 120],
        [b.uscc, b.name, 202206, 3, 4, 800, 900, 45],
        ['合计', null, null, 15.3456, 14, 5800, 4900, 165],
      ],
      merges: ['D3:E3', 'F3:G3', 'A3:A4', 'B3:B4', 'C3:C4', 'H3:H4'],
    });
    const town = await env.login('hedian');
    const preview = await upload(env, town, '/api/monitoring/imports?dryRun=true', 'monthly.xlsx', file);
    expect(preview.statusCode, preview.body).toBe(200);
    const body = preview.json();
    expect(body.problems.filter((p: Problem) => p.level === 'error')).toEqual([]);
    expect(body).toMatchObject({ dryRun: true, committed: false, sheet: '月报', headerRow: 4, rows: 2, errorCount: 0, periods: ['2022-06'], enterprises: 2 });
    expect(body.columns).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ column: 'D', indicator: 'output_value', valueColumn: 'current', unit: '万元', unitFromHeader: true }),
        expect.objectContaining({ column: 'F', indicator: 'revenue', valueColumn: 'current', unit: '千元', unitFromHeader: true }),
        expect.objectContaining({ column: 'H', indicator: 'employees', valueColumn: 'current', unit: '人', unitFromHeader: false }),
      ]),
    );
    expect(body.changes).toEqual({ inserted: 6, replaced: 0, unchanged: 0, removed: 0 });
    expect(await values()).toEqual([]);

    const committed = await upload(env, town, '/api/monitoring/imports?dryRun=false', 'monthly.xlsx', file);
    expect(committed.statusCode, committed.body).toBe(200);
    expect(committed.json()).toMatchObject({ committed: true, errorCount: 0 });
    // 12.3456 万元 = 123.456 千元, exactly.
    expect(await valueOf(a.id, '2022-06', 'output_value')).toMatchObject({ current_value: '123456', previous_value: '100000' });
    expect(await valueOf(b.id, '2022-06', 'revenue')).toMatchObject({ current_value: '800000', previous_value: '900000' });
    expect(await valueOf(a.id, '2022-06', 'employees')).toMatchObject({ current_value: '120000', previous_value: null });
    const summary = (await town.get('/api/monitoring/summary?period=2022-06')).json();
    expect(summary.total.output_value).toMatchObject({ current: '153.456', previous: '140', enterprises: 2 });
    const audit = await env.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'monitoring.import').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.after_json!)).toMatchObject({ periods: ['2022-06'], enterprises: 2, inserted: 6, replaced: 0 });
  });

  it('writes nothing when one row is bad (all or nothing), and says where', async () => {
    const file = await workbook({
      name: 'Sheet1',
      rows: [HEADER, [a.uscc, a.name, '2022-06', 100, 90, 50, 40, 5, 4], [b.uscc, b.name, '2022-06', '暂无', 90, 50, 40, 5, 4]],
    });
    const town = await env.login('hedian');
    const audits = await auditCount();
    const response = await upload(env, town, '/api/monitoring/imports?dryRun=false', 'monthly.xlsx', file);
    expect(response.statusCode).toBe(400);
    const error = response.json().error;
    expect(error.message).toContain('未导入任何数据');
    expect(error.details.problems).toEqual(expect.arrayContaining([expect.objectContaining({ level: 'error', row: 3, column: 'D', message: expect.stringContaining('不是数值') })]));
    expect(await values()).toEqual([]);
    expect(await env.deps.db.selectFrom('monitoring_reports').selectAll().execute()).toEqual([]);
    expect(await auditCount()).toBe(audits);
  });

  it('re-imports idempotently, and an absent column keeps its stored values', async () => {
    const town = await env.login('hedian');
    const full = await workbook({ name: 'S', rows: [HEADER, [a.uscc, a.name, '2022-06', 100, 90, 50, 40, -5, 4]] });
    expect((await upload(env, town, '/api/monitoring/imports?dryRun=false', 'monthly.xlsx', full)).statusCode).toBe(200);
    const stored = await values();
    const again = await upload(env, town, '/api/monitoring/imports?dryRun=false', 'monthly.xlsx', full);
    expect(again.json().changes).toEqual({ inserted: 0, replaced: 0, unchanged: 3, removed: 0 });
    expect(await values()).toEqual(stored);

    // Only output value this time: revenue and profit are "not in this file", never 0.
    const partial = await workbook({ name: 'S', rows: [['统一社会信用代码', '报告期', '工业总产值本年累计', '工业总产值上年同期'], [a.uscc, '2022-06', 110, 90]] });
    const response = await upload(env, town, '/api/monitoring/imports?dryRun=false', 'monthly.xlsx', partial);
    expect(response.json().changes).toEqual({ inserted: 0, replaced: 1, unchanged: 0, removed: 0 });
    expect(await valueOf(a.id, '2022-06', 'output_value')).toMatchObject({ current_value: '110000' });
    expect(await valueOf(a.id, '2022-06', 'revenue')).toMatchObject({ current_value: '50000', previous_value: '40000' });
    expect(await valueOf(a.id, '2022-06', 'profit')).toMatchObject({ current_value: '-5000' });
  });

  it('keeps a town to its own enterprises and an enterprise to itself', async () => {
    const file = await workbook({ name: 'S', rows: [HEADER, [a.uscc, a.name, '2022-06', 100, 90, 50, 40, 5, 4], [x.uscc, x.name, '2022-06', 100, 90, 50, 40, 5, 4]] });
    const hedian = await env.login('hedian');
    const preview = (await upload(env, hedian, '/api/monitoring/imports?dryRun=true', 'monthly.xlsx', file)).json();
    expect(preview.problems).toEqual(expect.arrayContaining([expect.objectContaining({ level: 'error', row: 3, column: 'A', message: expect.stringContaining('不在您的管辖范围内') })]));
    // The other town's enterprise is not named.
    expect(JSON.stringify(preview)).not.toContain(x.name);
    expect((await upload(env, hedian, '/api/monitoring/imports?dryRun=false', 'monthly.xlsx', file)).statusCode).toBe(400);
    expect(await values()).toEqual([]);

    await env.deps.db.updateTable('users').set({ enterprise_id: a.id }).where('username', '=', 'qiye').execute();
    const qiye = await env.login('qiye');
    const own = await workbook({ name: 'S', rows: [HEADER, [a.uscc, a.name, '2022-06', 100, 90, 50, 40, 5, 4]] });
    expect((await upload(env, qiye, '/api/monitoring/imports?dryRun=false', 'monthly.xlsx', own)).statusCode).toBe(200);
    const other = await workbook({ name: 'S', rows: [HEADER, [b.uscc, b.name, '2022-06', 100, 90, 50, 40, 5, 4]] });
    const refused = (await upload(env, qiye, '/api/monitoring/imports?dryRun=true', 'monthly.xlsx', other)).json();
    expect(refused.problems[0].message).toContain('只能填报本企业的数据');
  });

  it('refuses January alone, missing and future periods, unknown enterprises, duplicates and negative output', async () => {
    const file = await workbook({
      name: 'S',
      rows: [
        HEADER,
        [a.uscc, a.name, '2022-01', 100, 90, 50, 40, 5, 4],
        [a.uscc, a.name, null, 100, 90, 50, 40, 5, 4],
        [a.uscc, a.name, '2099-03', 100, 90, 50, 40, 5, 4],
        ['91421303MA4KL0JU6T', '不存在的企业', '2022-06', 100, 90, 50, 40, 5, 4],
        [b.uscc, b.name, '2022-06', -1, 90, 50, 40, 5, 4],
        [a.uscc, a.name, '2022年1-2月', 100, 90, 50, 40, -5, 4],
        [a.uscc, a.name, '2022-02', 100, 90, 50, 40, 5, 4],
      ],
    });
    const town = await env.login('hedian');
    const body = (await upload(env, town, '/api/monitoring/imports?dryRun=true', 'monthly.xlsx', file)).json();
    const at = (row: number) => body.problems.filter((p: Problem) => p.row === row && p.level === 'error').map((p: Problem) => p.message).join(' | ');
    expect(at(2)).toContain('1–2月合并报送，请填 2022年1-2月');
    expect(at(3)).toContain('请填写报告期');
    expect(at(4)).toContain('尚未开始');
    expect(at(5)).toContain('企业名录中没有');
    expect(at(6)).toContain('不能为负数');
    // A negative profit is a loss, not an error; the second 1–2月 row of A is a duplicate.
    expect(at(7)).toBe('');
    expect(at(8)).toContain('与第 7 行重复');
    expect(body.problems.filter((p: Problem) => p.level === 'error').map((p: Problem) => `${p.row}${p.column}: ${p.message}`)).toHaveLength(6);
  });

  it('warns about a cumulative value below last month and a likely unit slip, and lists unmatched headers', async () => {
    await putReport(env, a.id, '2022-05', { output_value: ['100', '90'], revenue: ['60', '50'], profit: ['9', '8'] });
    const file = await workbook({
      name: 'S',
      rows: [
        [...HEADER, '税金合计本年累计', '工业总产值本月'],
        [a.uscc, '甲专汽', '2022-06', 1000, 900, 55, 45, 3, 4, 7, 12],
      ],
    });
    const town = await env.login('hedian');
    const body = (await upload(env, town, '/api/monitoring/imports?dryRun=true', 'monthly.xlsx', file)).json();
    expect(body.problems.filter((p: Problem) => p.level === 'error')).toEqual([]);
    const warnings = body.problems.filter((p: Problem) => p.level === 'warning').map((p: Problem) => `${p.column}: ${p.message}`);
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^D: 工业总产值 1000 约为上月 100 的 10 倍/),
        expect.stringMatching(/^F: 营业收入本年累计 55 低于上月累计 60/),
        expect.stringMatching(/^B: 企业名称「甲专汽」与企业名录中的/),
        expect.stringMatching(/^J: 表头「税金合计本年累计」未能识别/),
      ]),
    );
    // Profit may fall month on month: no warning for H.
    expect(warnings.some((w: string) => w.startsWith('H:'))).toBe(false);
    expect(body.unmatchedHeaders).toEqual(expect.arrayContaining([{ column: 'J', header: '税金合计本年累计' }]));
  });

  it('imports formulas by their cached value, refuses one without, and reads the 产品产量 sheet', async () => {
    const good = await workbook(
      { name: '说明', rows: [['填报说明：本表按月报送']] },
      { name: '月报', rows: [HEADER.slice(0, 5), [a.uscc, a.name, '2022-06', { formula: '60+40', result: 100 }, 90]] },
      { name: '产品产量', rows: [['统一社会信用代码', '报告期', '产品名称', '计量单位', '本年累计', '上年同期'], [a.uscc, '2022-06', '改装汽车', '辆', 321, 300]] },
    );
    const town = await env.login('hedian');
    const response = await upload(env, town, '/api/monitoring/imports?dryRun=false', 'monthly.xlsx', good);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ sheet: '月报', productSheet: '产品产量', productRows: 1 });
    expect(await valueOf(a.id, '2022-06', 'output_value')).toMatchObject({ current_value: '100000' });
    const products = await env.deps.db.selectFrom('monitoring_products').selectAll().execute();
    expect(products.map((p) => ({ name: p.product_name, unit: p.unit, current: String(p.current_value) }))).toEqual([{ name: '改装汽车', unit: '辆', current: '321000' }]);

    const bad = await workbook({ name: '月报', rows: [HEADER.slice(0, 5), [b.uscc, b.name, '2022-06', { formula: 'A1*2' }, 90]] });
    const refused = (await upload(env, town, '/api/monitoring/imports?dryRun=true', 'monthly.xlsx', bad)).json();
    expect(refused.problems).toEqual(expect.arrayContaining([expect.objectContaining({ level: 'error', row: 2, column: 'D', message: expect.stringContaining('没有保存计算结果') })]));
  });

  it('answers a clear 400 for a file that is not a workbook or has no usable header', async () => {
    const town = await env.login('hedian');
    const notXlsx = await upload(env, town, '/api/monitoring/imports?dryRun=true', 'x.xlsx', Buffer.from('hello'));
    expect(notXlsx.statusCode).toBe(400);
    expect(notXlsx.json().error.message).toContain('.xlsx');
    const wrong = await workbook({ name: 'S', rows: [['名称', '金额'], ['甲', 1]] });
    const noHeader = await upload(env, town, '/api/monitoring/imports?dryRun=true', 'monthly.xlsx', wrong);
    expect(noHeader.statusCode).toBe(400);
    expect(noHeader.json().error.message).toContain('统一社会信用代码');
  });

  it('returns the workbook with bad cells marked and a note column', async () => {
    const file = await workbook({ name: '月报', rows: [HEADER, [a.uscc, a.name, '2022-01', 100, 90, 50, 40, 5, 4]] });
    const town = await env.login('hedian');
    const response = await upload(env, town, '/api/monitoring/imports/annotated', 'monthly.xlsx', file);
    expect(response.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('月报')!;
    expect(ws.getRow(1).getCell(10).value).toBe('错误说明');
    expect(String(ws.getRow(2).getCell(10).value)).toContain('1–2月合并报送');
    expect(JSON.stringify(ws.getRow(2).getCell(3).note)).toContain('1–2月合并报送');
  });

  it('lets an enterprise fill its own monthly form online with the same checks', async () => {
    await env.deps.db.updateTable('users').set({ enterprise_id: a.id }).where('username', '=', 'qiye').execute();
    const qiye = await env.login('qiye');
    const bad = await qiye.post('/api/monitoring/form', { enterpriseId: a.id, period: '2022-06', values: { output_value: { current: '-3', previous: '90' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.problems[0]).toMatchObject({ column: 'output_value.current', message: expect.stringContaining('不能为负数') });
    const ok = await qiye.post('/api/monitoring/form', {
      enterpriseId: a.id,
      period: '2022年1-6月',
      values: { output_value: { current: '1,234.5', previous: '1000' }, employees: { current: '88', previous: null } },
      products: [{ productName: '改装汽车', unit: '辆', current: '12', previous: '10' }],
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await valueOf(a.id, '2022-06', 'output_value')).toMatchObject({ current_value: '1234500' });
    const form = (await qiye.get(`/api/monitoring/form?enterpriseId=${a.id}&period=2022-06`)).json();
    expect(form.report.values.output_value).toEqual({ current: '1234.5', previous: '1000' });
    expect(form.report.products).toEqual([{ productName: '改装汽车', unit: '辆', current: '12', previous: '10' }]);
    expect((await qiye.get(`/api/monitoring/form?enterpriseId=${b.id}&period=2022-06`)).statusCode).toBe(404);
    expect((await qiye.post('/api/monitoring/form', { enterpriseId: b.id, period: '2022-06', values: { output_value: { current: '1', previous: '1' } } })).statusCode).toBe(404);
  });

  it('imports from the command line with the same checks (npx kejing import monthly FILE)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kejing-monthly-'));
    const good = path.join(dir, 'good.xlsx');
    const bad = path.join(dir, 'bad.xlsx');
    fs.writeFileSync(good, await workbook({ name: 'S', rows: [HEADER, [a.uscc, a.name, '2022-06', 100, 90, 50, 40, 5, 4]] }));
    fs.writeFileSync(bad, await workbook({ name: 'S', rows: [HEADER, [a.uscc, a.name, '2022-01', 100, 90, 50, 40, 5, 4]] }));
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (line: string) => out.push(line), err: (line: string) => err.push(line), stdin: async () => '' };
    try {
      expect(await runCli(['import', 'monthly', good, '--dry-run'], env.config, io)).toBe(0);
      expect(out.join('\n')).toContain('--dry-run，未写入');
      expect(await values()).toEqual([]);
      expect(await runCli(['import', 'monthly', bad], env.config, io)).toBe(1);
      expect(err.join('\n')).toContain('1–2月合并报送，请填 2022年1-2月');
      expect(await values()).toEqual([]);
      expect(await runCli(['import', 'monthly', good, '--as', 'yunxing'], env.config, io)).toBe(0);
      expect(await valueOf(a.id, '2022-06', 'output_value')).toMatchObject({ current_value: '100000' });
      const audit = await env.deps.db.selectFrom('audit_log').select(['actor_kind', 'actor_name']).where('action', '=', 'monitoring.import').execute();
      expect(audit).toEqual([{ actor_kind: 'cli', actor_name: 'yunxing' }]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
