import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv } from '#tests/support/test-env.ts';
import type { Client, TestEnv } from '#tests/support/test-env.ts';
import { testDialects } from '#tests/support/databases.ts';
import { buildEnterprise } from '#tests/support/factories.ts';
import type { BuiltEnterprise } from '#tests/support/factories.ts';
import { multipart } from '#tests/support/upload.ts';
import { workbook } from '#server/modules/monitoring/monitoring.test-support.ts';
import { importMonthlyReports } from '#server/modules/monitoring/monitoring.import.ts';
import type { ProgressReporter } from '#server/platform/import-progress.ts';

const HEADER = ['统一社会信用代码', '企业名称', '报告期', '工业总产值本年累计', '工业总产值上年同期'];

describe.each(testDialects())('import progress on %s', (dialect) => {
  let env: TestEnv;
  let a: BuiltEnterprise;
  let b: BuiltEnterprise;
  let town: Client;

  beforeAll(async () => {
    env = await createTestEnv(dialect);
    a = await buildEnterprise(env.deps.db, { town: '何店镇', aboveScale: true });
    b = await buildEnterprise(env.deps.db, { town: '何店镇', aboveScale: true });
    town = await env.login('hedian');
  });
  afterAll(async () => {
    await env.close();
  });

  const uploadWithToken = (client: Client, url: string, content: Buffer, token: string) => {
    const { payload, contentType } = multipart('monthly.xlsx', content);
    return env.app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType, 'x-import-progress': token, cookie: client.cookie!, 'x-csrf-token': client.csrfToken! } });
  };

  it('reports the phases of a monthly import in order, with counts', async () => {
    const file = await workbook({ name: '月报', rows: [HEADER, [a.uscc, a.name, '2022-06', 100, 90], [b.uscc, b.name, '2022-06', 50, 40]] });
    const seen: string[] = [];
    const progress: ProgressReporter = async (phase, done, total) => void seen.push(total ? `${phase} ${done}/${total}` : phase);
    const actor = { kind: 'cli' as const, userId: null, name: 'test', activeUnitId: null, ip: null, requestId: null };
    await importMonthlyReports(env.deps, { scope: { kind: 'all' }, actor }, { buffer: file, fileName: 'monthly.xlsx' }, { dryRun: false, source: 'upload', progress });
    expect(seen).toEqual(['reading', 'validating 0/2', 'validating 2/2', 'writing 0/2', 'writing 2/2', 'recomputing', 'done']);
  });

  it('answers the uploader their own progress by token, and nobody else', async () => {
    const file = await workbook({ name: '月报', rows: [HEADER, [a.uscc, a.name, '2022-07', 120, 100]] });
    const token = 'tok_monthly_0001';
    expect((await town.get(`/api/imports/progress/${token}`)).json()).toMatchObject({ phase: 'waiting', percent: 0 });
    const response = await uploadWithToken(town, '/api/monitoring/imports?dryRun=false', file, token);
    expect(response.statusCode, response.body).toBe(200);
    expect((await town.get(`/api/imports/progress/${token}`)).json()).toEqual({ phase: 'done', done: 0, total: 0, percent: 100, message: '处理完成' });
    // Another account asking with the same token learns nothing.
    const other = await env.login('xicheng');
    expect((await other.get(`/api/imports/progress/${token}`)).json()).toMatchObject({ phase: 'waiting' });
  });

  it('ends a refused import as failed, and refuses a malformed token', async () => {
    const bad = await workbook({ name: '月报', rows: [HEADER, [a.uscc, a.name, '2022-01', 120, 100]] });
    const token = 'tok_monthly_0002';
    expect((await uploadWithToken(town, '/api/monitoring/imports?dryRun=false', bad, token)).statusCode).toBe(400);
    expect((await town.get(`/api/imports/progress/${token}`)).json()).toMatchObject({ phase: 'failed', message: '处理未完成' });
    expect((await town.get('/api/imports/progress/x')).statusCode).toBe(400);
  });

  it('reports the enterprise roster import too', async () => {
    const roster = await workbook({
      name: '名录',
      rows: [
        ['统一社会信用代码', '企业名称', '所属镇街', '国民经济行业代码', '产业链', '是否规上', '规上起始年月'],
        [a.uscc, a.name, '何店镇', '3630', '', '是', '2020-02'],
      ],
    });
    const token = 'tok_roster_0001';
    const response = await uploadWithToken(town, '/api/enterprises/import?dryRun=true', roster, token);
    expect(response.statusCode, response.body).toBe(200);
    expect((await town.get(`/api/imports/progress/${token}`)).json()).toMatchObject({ phase: 'done', percent: 100 });
  });
});
