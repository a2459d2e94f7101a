import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INDICATOR_CODES } from '#common/indicators.ts';
import { createDeps } from '#server/bootstrap.ts';
import { systemActor } from '#server/platform/audit.ts';
import { loadDistrictConfig, syncDistrictUnits } from '#server/modules/org/org.district.ts';
import { syncIndustryChains } from '#server/modules/enterprises/enterprises.chains.ts';
import { makePeriod } from '#common/period.ts';
import { fromThousandths } from '#common/quantity.ts';
import { getSummary } from '#server/modules/monitoring/monitoring.service.ts';
import { heldSummarySums, thousandthsToDecimal } from '#server/modules/monitoring/monitoring.held.ts';
import { sumByTownAndChain } from '#server/modules/monitoring/monitoring.repo.ts';
import { clearDistrict, putReport, workbook } from '#server/modules/monitoring/monitoring.test-support.ts';
import { createTestEnv, unitIdOf } from '#tests/support/test-env.ts';
import type { TestEnv } from '#tests/support/test-env.ts';
import { testDialects } from '#tests/support/databases.ts';
import { buildEnterprise } from '#tests/support/factories.ts';
import type { BuiltEnterprise } from '#tests/support/factories.ts';
import { upload } from '#tests/support/upload.ts';

/**
 * The summary adds up rows held in memory behind the data version (ADR 0008). Each test warms the
 * held copy, writes through one of the paths that can change a figure, and shows the very next
 * summary has the change: no write path leaves a stale copy behind.
 *
 *   A 何店镇, chains 专汽 + 应急: output 120 / 100
 *   B 何店镇, chain 专汽:         output  50 /  60
 */
const PERIOD = makePeriod(2022, 6);

describe('thousandths as decimal text', () => {
  it('writes what fromThousandths writes, for any safe integer', () => {
    fc.assert(fc.property(fc.maxSafeInteger(), (n) => thousandthsToDecimal(n) === fromThousandths(BigInt(n))));
    for (const n of [0, 1, -1, 999, -1000, 1500, 9007199254740991, -9007199254740991]) expect(thousandthsToDecimal(n)).toBe(fromThousandths(BigInt(n)));
  });
});

describe.each(testDialects())('summary held in memory on %s', (dialect) => {
  let env: TestEnv;
  let a: BuiltEnterprise;
  let b: BuiltEnterprise;

  beforeEach(async () => {
    env = await createTestEnv(dialect);
    await clearDistrict(env);
    a = await buildEnterprise(env.deps.db, { name: '甲专用汽车有限公司', town: '何店镇', chains: ['专汽及零部件', '移动应急装备'], aboveScale: true });
    b = await buildEnterprise(env.deps.db, { name: '乙食品有限公司', town: '何店镇', chains: ['专汽及零部件'], industryCode: '1372', aboveScale: true });
    await putReport(env, a.id, '2022-06', { output_value: ['120', '100'] });
    await putReport(env, b.id, '2022-06', { output_value: ['50', '60'] });
  });
  afterEach(async () => {
    await env.close();
  });

  type Body = Awaited<ReturnType<typeof getSummary>>;
  const summary = async (): Promise<Body> => {
    const admin = await env.login('admin');
    const response = await admin.get('/api/monitoring/summary?period=2022-06');
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as Body;
  };
  const town = (body: Body, name: string) => body.byTown.find((t) => t.unit.name === name)!.output_value;
  const chain = (body: Body, name: string) => body.byChain.find((c) => c.chain.name === name)?.output_value;

  it('shows a committed import, and a cell emptied by a later import, in the next summary', async () => {
    expect((await summary()).total.output_value).toMatchObject({ current: '170', previous: '160', enterprises: 2 });
    const yunxing = await env.login('yunxing');
    const header = ['统一社会信用代码', '企业名称', '报告期', '工业总产值本年累计', '工业总产值上年同期'];
    const first = await upload(env, yunxing, '/api/monitoring/imports?dryRun=false', 'm.xlsx', await workbook({ name: 'S', rows: [header, [a.uscc, a.name, '2022-06', 130, 100]] }));
    expect(first.statusCode, first.body).toBe(200);
    expect((await summary()).total.output_value).toMatchObject({ current: '180', previous: '160', enterprises: 2 });
    // B's output cells are present but empty (营业收入 keeps the row): its output value goes.
    const emptyOutput = await workbook({ name: 'S', rows: [[...header, '营业收入本年累计', '营业收入上年同期'], [b.uscc, b.name, '2022-06', null, null, 10, 9]] });
    const emptied = await upload(env, yunxing, '/api/monitoring/imports?dryRun=false', 'm.xlsx', emptyOutput);
    expect(emptied.statusCode, emptied.body).toBe(200);
    expect((await summary()).total.output_value).toMatchObject({ current: '130', previous: '100', enterprises: 1 });
  });

  it('shows a monthly form filled online in the next summary', async () => {
    await summary();
    await env.deps.db.updateTable('users').set({ enterprise_id: b.id }).where('username', '=', 'qiye').execute();
    const qiye = await env.login('qiye');
    const saved = await qiye.post('/api/monitoring/form', { enterpriseId: b.id, period: '2022-06', values: { output_value: { current: '70', previous: '60' } } });
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await summary()).total.output_value).toMatchObject({ current: '190', previous: '160' });
  });

  it('follows a registry edit of town and chains at once', async () => {
    await summary();
    const admin = await env.login('admin');
    const xicheng = await unitIdOf(env, '西城街道');
    expect((await admin.patch(`/api/enterprises/${b.id}`, { townId: xicheng })).statusCode).toBe(200);
    const moved = await summary();
    expect(town(moved, '西城街道')).toMatchObject({ current: '50', previous: '60' });
    expect(town(moved, '何店镇')).toMatchObject({ current: '120', previous: '100' });
    expect((await admin.patch(`/api/enterprises/${b.id}`, { chainIds: [] })).statusCode).toBe(200);
    expect(chain(await summary(), '专汽及零部件')).toMatchObject({ current: '120', previous: '100' });
  });

  it('follows 规上 spells: an exit drops the enterprise, a new entry brings it back', async () => {
    await summary();
    const admin = await env.login('admin');
    const exited = await admin.patch(`/api/enterprises/${b.id}`, { aboveScale: false, scaleExit: '2022-06' });
    expect(exited.statusCode, exited.body).toBe(200);
    expect((await summary()).total.output_value).toMatchObject({ current: '120', previous: '100', enterprises: 1 });
    const back = await admin.patch(`/api/enterprises/${b.id}`, { aboveScale: true, scaleSince: '2022-06' });
    expect(back.statusCode, back.body).toBe(200);
    expect((await summary()).total.output_value).toMatchObject({ current: '170', previous: '160', enterprises: 2 });
  });

  it('follows a roster import that moves an enterprise to another town', async () => {
    await summary();
    const yunxing = await env.login('yunxing');
    const roster = await workbook({
      name: '名录',
      rows: [
        ['统一社会信用代码', '企业名称', '所属镇街', '国民经济行业代码', '产业链', '是否规上', '规上起始年月'],
        [b.uscc, b.name, '西城街道', '1372', '专汽及零部件', '是', '2018-02'],
      ],
    });
    const imported = await upload(env, yunxing, '/api/enterprises/import?dryRun=false', 'roster.xlsx', roster);
    expect(imported.statusCode, imported.body).toBe(200);
    expect(town(await summary(), '西城街道')).toMatchObject({ current: '50', previous: '60' });
  });

  it('follows the district configuration: a renamed chain and a renamed town', async () => {
    await summary();
    const config = loadDistrictConfig(env.config.districtFile);
    const chains = config.chains.map((c) => (c.name === '移动应急装备' ? { ...c, name: '应急装备' } : c));
    await syncIndustryChains(env.deps, systemActor(), chains);
    const renamed = await summary();
    expect(chain(renamed, '应急装备')).toMatchObject({ current: '120', previous: '100' });
    expect(chain(renamed, '移动应急装备')).toBeUndefined();
    const units = { ...config, towns: config.towns.map((t) => (t.name === '何店镇' ? { ...t, name: '何店新镇' } : t)) };
    await syncDistrictUnits(env.deps, systemActor(), units, env.config.includeCityDevZone);
    expect(town(await summary(), '何店新镇')).toMatchObject({ current: '170', previous: '160' });
  });

  it('sees a change made by another server process on the same database', async () => {
    const other = createDeps(env.config);
    try {
      expect((await getSummary(other, PERIOD)).total.output_value.current).toBe('170');
      await putReport(env, b.id, '2022-06', { output_value: ['80', '60'] });
      expect((await getSummary(other, PERIOD)).total.output_value.current).toBe('200');
    } finally {
      await other.close();
    }
  });

  it('adds up exactly beyond 2^53 thousandths (the bigint path)', async () => {
    // Each value is exact as a float; their sum is not: the held copy must switch to bigint.
    await putReport(env, a.id, '2022-06', { output_value: ['4000000000000.001', '2999999999999.999'] });
    await putReport(env, b.id, '2022-06', { output_value: ['4000000000000.003', '1.001'] });
    const c = await buildEnterprise(env.deps.db, { name: '丙有限公司', town: '西城街道', aboveScale: true });
    await putReport(env, c.id, '2022-06', { output_value: ['4000000000000.005', '0.001'] });
    const body = await summary();
    // 12,000,000,000,000,009 thousandths: odd and above 2^53, which no float can hold.
    expect(body.total.output_value).toMatchObject({ current: '12000000000000.009', previous: '3000000000001.001', enterprises: 3 });
    expect(town(body, '何店镇')).toMatchObject({ current: '8000000000000.004', previous: '3000000000001' });
  });

  it('adds up exactly what the database adds up, on a mixed district', async () => {
    const towns = ['何店镇', '西城街道', '东城街道'];
    const chains = [['专汽及零部件'], ['专汽及零部件', '移动应急装备'], [], ['农产品加工']];
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647);
    for (let i = 0; i < 24; i++) {
      const e = await buildEnterprise(env.deps.db, { name: `企业${i}有限公司`, town: towns[i % 3]!, chains: chains[i % 4]!, aboveScale: i % 5 !== 0 });
      const values: Parameters<typeof putReport>[3] = {};
      for (const code of INDICATOR_CODES) {
        if (next() % 4 === 0) continue;
        const signed = code === 'profit' && next() % 2 === 0 ? '-' : '';
        values[code] = [`${signed}${next() % 100000}.${next() % 1000}`, next() % 6 === 0 ? null : `${next() % 90000}.${next() % 1000}`];
      }
      await putReport(env, e.id, '2022-06', values);
    }
    const held = await heldSummarySums(env.deps.db, '2022-06');
    const database = await sumByTownAndChain(env.deps.db, '2022-06');
    const big = (s: { current: number | bigint; previous: number | bigint; enterprises: number }) => ({ current: BigInt(s.current), previous: BigInt(s.previous), enterprises: s.enterprises });
    for (const code of INDICATOR_CODES) {
      const raw = held.byIndicator.get(code)!;
      const sums = { district: big(raw.district), towns: raw.towns.map(big), chains: raw.chains.map(big) };
      const expectGroups = (list: typeof database.towns, names: { id: string }[], got: typeof sums.towns) => {
        names.forEach((n, i) => {
          const row = list.find((r) => r.indicator === code && r.key === n.id);
          expect(got[i], `${code} ${n.id}`).toEqual(row ? { current: row.current, previous: row.previous, enterprises: row.enterprises } : { current: 0n, previous: 0n, enterprises: 0 });
        });
      };
      expectGroups(database.towns, held.towns, sums.towns);
      expectGroups(database.chains, held.chains, sums.chains);
      const rows = database.towns.filter((r) => r.indicator === code);
      expect(sums.district).toEqual({
        current: rows.reduce((s, r) => s + r.current, 0n),
        previous: rows.reduce((s, r) => s + r.previous, 0n),
        enterprises: rows.reduce((s, r) => s + r.enterprises, 0),
      });
    }
  });
});
