import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestEnv } from '#tests/support/test-env.ts';
import type { TestEnv } from '#tests/support/test-env.ts';
import { testDialects } from '#tests/support/databases.ts';
import { upload } from '#tests/support/upload.ts';
import { fingerprint } from '#tests/proofs/fixtures.ts';
import { workbook } from '#server/modules/monitoring/monitoring.test-support.ts';

const URL = '/api/monitoring/reported/import';
const HEADER = ['指标', '报告期', '数值', '来源', '备注'];

describe.each(testDialects())('importing the statistics bureau\'s figures on %s', (dialect) => {
  let env: TestEnv;
  beforeEach(async () => {
    env = await createTestEnv(dialect);
  });
  afterEach(async () => {
    await env.close();
  });

  const reportedAudits = async () => (await env.deps.db.selectFrom('audit_log').select('action').where('action', '=', 'monitoring.reported_value').execute()).length;

  it('checks, then records every figure as the newest entry of its history', async () => {
    const file = await workbook({
      name: '统计局快报',
      rows: [['2022年6月统计局公布指标'], HEADER, ['规上工业增加值增速', '2022年1-6月', '9.6%', '区统计局6月月报', null], ['高新技术产业增加值 增速（%）', 202206, 12.25, '区统计局6月月报', '快报数']],
    });
    const admin = await env.login('yunxing');
    const audits = await reportedAudits();
    const before = (await admin.get('/api/monitoring/reported?year=2022')).json().items.filter((i: { period: string }) => i.period === '2022-06');

    const preview = await upload(env, admin, `${URL}?dryRun=true`, 'reported.xlsx', file);
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({ committed: false, sheet: '统计局快报', rows: 2, errorCount: 0 });
    expect(preview.json().items.map((i: { code: string; value: string }) => `${i.code}=${i.value}`)).toEqual(['industrial_va_growth=9.6', 'hightech_va_growth=12.25']);
    expect(await reportedAudits()).toBe(audits);

    const committed = await upload(env, admin, `${URL}?dryRun=false`, 'reported.xlsx', file);
    expect(committed.statusCode, committed.body).toBe(200);
    expect(committed.json()).toMatchObject({ committed: true });
    const items = (await admin.get('/api/monitoring/reported?year=2022')).json().items.filter((i: { period: string }) => i.period === '2022-06');
    const va = items.find((i: { code: string }) => i.code === 'industrial_va_growth');
    expect(va).toMatchObject({ value: '9.6', source: '区统计局6月月报' });
    // What was there before is kept as history.
    const earlier = before.find((i: { code: string }) => i.code === 'industrial_va_growth');
    expect(va.history).toHaveLength(earlier ? earlier.history.length + 1 : 0);
    expect(va.history[0]?.value).toBe(earlier?.value);
    expect(items.find((i: { code: string }) => i.code === 'hightech_va_growth')).toMatchObject({ value: '12.25', note: '快报数' });
    expect((await env.deps.metrics.get('monitoring.industrial_va_growth')!.compute(env.deps, { period: '2022-06' })).value).toBe('9.6');
    expect(await reportedAudits()).toBe(audits + 2);
  });

  it('refuses the whole file for one bad row, saying where, and writes nothing', async () => {
    const file = await workbook({
      name: 'S',
      rows: [
        HEADER,
        ['规上工业增加值增速', '2022-06', '9.6', '区统计局', null],
        ['工业增加值', '2022-06', '5', '区统计局', null],
        ['工业投资增速', '2022-01', '5', '区统计局', null],
        ['技改投资增速', '2022-06', '暂无', '区统计局', null],
        ['规上工业增加值增速', '2022年1-6月', '9.7', '区统计局', null],
        ['高新技术产业增加值增速', '2022-06', '8', null, null],
      ],
    });
    const admin = await env.login('yunxing');
    const before = await fingerprint(env.deps.db);
    const response = await upload(env, admin, `${URL}?dryRun=false`, 'reported.xlsx', file);
    expect(response.statusCode).toBe(400);
    const error = response.json().error;
    expect(error.message).toContain('未导入任何数据');
    const at = (row: number) => error.details.errors.filter((e: { row: number }) => e.row === row).map((e: { column: string; message: string }) => `${e.column}: ${e.message}`).join(' | ');
    expect(at(2)).toBe('');
    expect(at(3)).toMatch(/^A: 指标「工业增加值」不是统计局公布的指标/);
    expect(at(4)).toContain('B: 1–2月合并报送，请填 2022年1-2月');
    expect(at(5)).toMatch(/^C: /);
    expect(at(6)).toContain('与第 2 行重复');
    expect(at(7)).toContain('D: 请填写数据来源');
    expect(error.details.errorCount).toBe(5);
    expect(await fingerprint(env.deps.db)).toEqual(before);
  });

  it('is for those who manage monitoring: a town clerk is refused', async () => {
    const file = await workbook({ name: 'S', rows: [HEADER, ['规上工业增加值增速', '2022-06', '9.6', '区统计局', null]] });
    const town = await env.login('hedian');
    expect((await upload(env, town, `${URL}?dryRun=true`, 'reported.xlsx', file)).statusCode).toBe(403);
  });
});
