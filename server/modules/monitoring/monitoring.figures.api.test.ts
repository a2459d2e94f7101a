import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INDICATOR_CODES } from '#common/indicators.ts';
import { createTestEnv, unitIdOf } from '#tests/support/test-env.ts';
import type { TestEnv } from '#tests/support/test-env.ts';
import { testDialects } from '#tests/support/databases.ts';
import { buildEnterprise } from '#tests/support/factories.ts';
import type { BuiltEnterprise } from '#tests/support/factories.ts';
import { clearDistrict, putReport } from '#server/modules/monitoring/monitoring.test-support.ts';

/**
 * The hand-computed district (output value, 千元, 2022年1-6月):
 *   A 何店镇, chains 专汽 + 应急, div 36: 120 / 100   (1–5月: 100 / 90)
 *   B 何店镇, chain 专汽,        div 13:  50 /  60
 *   C 西城街道,                  div 36:  30 /   0   ← a base of 0
 *   D 西城街道, 规上,            no report           ← missing
 *   E 西城街道, not 规上: 1000 / 10                  ← outside the comparable scope
 * District 200/160 = +25 %; 何店镇 170/160 = +6.25 % (拉动 6.25); 西城街道 null (拉动 18.75).
 */
describe.each(testDialects())('monitoring figures on %s', (dialect) => {
  let env: TestEnv;
  let a: BuiltEnterprise;
  let b: BuiltEnterprise;
  let c: BuiltEnterprise;
  let d: BuiltEnterprise;
  let e: BuiltEnterprise;

  beforeEach(async () => {
    env = await createTestEnv(dialect);
    await clearDistrict(env);
    const db = env.deps.db;
    a = await buildEnterprise(db, { name: '甲专用汽车有限公司', town: '何店镇', chains: ['专汽及零部件', '移动应急装备'], industryCode: '3630', aboveScale: true });
    b = await buildEnterprise(db, { name: '乙食品有限公司', town: '何店镇', chains: ['专汽及零部件'], industryCode: '1372', aboveScale: true });
    c = await buildEnterprise(db, { name: '丙专用车有限公司', town: '西城街道', industryCode: '3630', aboveScale: true });
    d = await buildEnterprise(db, { name: '丁米业有限公司', town: '西城街道', industryCode: '1311', aboveScale: true });
    e = await buildEnterprise(db, { name: '戊小微有限公司', town: '西城街道', industryCode: '3630', aboveScale: false });
    await putReport(env, a.id, '2022-06', { output_value: ['120', '100'], profit: ['20', '-50'] });
    await putReport(env, b.id, '2022-06', { output_value: ['50', '60'], profit: ['-20', '-50'] });
    await putReport(env, c.id, '2022-06', { output_value: ['30', '0'], profit: ['-10', '30'] });
    await putReport(env, e.id, '2022-06', { output_value: ['1000', '10'] });
    await putReport(env, a.id, '2022-05', { output_value: ['100', '90'] });
  });
  afterEach(async () => {
    await env.close();
  });

  it('answers the summary contract: district total, every town and chain, every indicator', async () => {
    const client = await env.login('yunxing');
    const response = await client.get('/api/monitoring/summary?period=2022-06');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.period).toBe('2022-06');
    expect(Object.keys(body.total).sort()).toEqual([...INDICATOR_CODES].sort());
    expect(body.total.output_value).toEqual({ current: '200', previous: '160', growthPct: 25, state: null, enterprises: 3 });
    const hedian = body.byTown.find((t: { unit: { name: string } }) => t.unit.name === '何店镇');
    const xicheng = body.byTown.find((t: { unit: { name: string } }) => t.unit.name === '西城街道');
    expect(hedian.unit.id).toBe(await unitIdOf(env, '何店镇'));
    expect(hedian.output_value).toEqual({ current: '170', previous: '160', growthPct: 6.25, state: null, contributionPts: 6.25 });
    // A base of 0: growth null, the state named, the contribution still counted.
    expect(xicheng.output_value).toEqual({ current: '30', previous: '0', growthPct: null, state: 'no_base', contributionPts: 18.75 });
    const townSum = body.byTown.reduce((s: number, t: { output_value: { contributionPts: number | null } }) => s + (t.output_value.contributionPts ?? 0), 0);
    expect(townSum).toBeCloseTo(25, 12);
    // An enterprise in two chains counts in both.
    const chain = (name: string) => body.byChain.find((x: { chain: { name: string } }) => x.chain.name === name);
    expect(chain('专汽及零部件').output_value).toMatchObject({ current: '170', previous: '160', growthPct: 6.25 });
    expect(chain('移动应急装备').output_value).toMatchObject({ current: '120', previous: '100', growthPct: 20, contributionPts: 12.5 });
    expect(chain('农产品加工').output_value).toEqual({ current: '0', previous: '0', growthPct: null, state: null, contributionPts: 0 });
    // Profit: -20 over +... the district 10 / -70 has no growth; its state is named.
    expect(body.total.profit).toMatchObject({ current: '-10', previous: '-70', growthPct: null, state: 'loss_reduced' });
  });

  it('sends the summary gzip-compressed to a client that accepts it, the same answer', async () => {
    const client = await env.login('yunxing');
    const plain = await client.get('/api/monitoring/summary?period=2022-06');
    const compressed = await env.app.inject({ method: 'GET', url: '/api/monitoring/summary?period=2022-06', headers: { cookie: client.cookie!, 'accept-encoding': 'gzip, deflate, br' } });
    expect(compressed.statusCode).toBe(200);
    expect(compressed.headers['content-encoding']).toBe('gzip');
    expect(compressed.headers.vary).toContain('accept-encoding');
    expect(compressed.rawPayload.length).toBeLessThan(plain.rawPayload.length);
    expect(JSON.parse(gunzipSync(compressed.rawPayload).toString('utf8'))).toEqual(plain.json());
    expect(plain.headers['content-encoding']).toBeUndefined();
    // gzip;q=0 refuses it.
    const refused = await env.app.inject({ method: 'GET', url: '/api/monitoring/summary?period=2022-06', headers: { cookie: client.cookie!, 'accept-encoding': 'gzip;q=0, identity' } });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.json()).toEqual(plain.json());
  });

  it('lets every town see the aggregates but drill down only into its own enterprises', async () => {
    const hedian = await env.login('hedian');
    const summary = await hedian.get('/api/monitoring/summary?period=2022-06');
    expect(summary.statusCode).toBe(200);
    expect(summary.json().total.output_value.current).toBe('200');

    const district = (await hedian.get('/api/monitoring/drilldown?period=2022-06&indicator=output_value&dimension=district')).json();
    expect(district.figure).toMatchObject({ current: '200', previous: '160', growthPct: 25, enterprises: 3, missing: 1 });
    expect(district.rows.map((r: { enterprise: { id: string } }) => r.enterprise.id).sort()).toEqual([a.id, b.id].sort());
    expect(district.hiddenRows).toBe(1);
    expect(district.missing).toEqual([]);
    expect(district.hiddenMissing).toBe(1);
    const rowA = district.rows.find((r: { enterprise: { id: string } }) => r.enterprise.id === a.id);
    expect(rowA).toMatchObject({ current: '120', previous: '100', growthPct: 20, contributionPts: 12.5, monthly: { current: '20', previous: '10' } });

    const xichengId = await unitIdOf(env, '西城街道');
    const other = (await hedian.get(`/api/monitoring/drilldown?period=2022-06&dimension=town&key=${xichengId}`)).json();
    expect(other.figure).toMatchObject({ current: '30', previous: '0', growthPct: null, state: 'no_base' });
    expect(other.rows).toEqual([]);
    expect(other.hiddenRows).toBe(1);

    const xicheng = await env.login('xicheng');
    const own = (await xicheng.get(`/api/monitoring/drilldown?period=2022-06&dimension=town&key=${xichengId}`)).json();
    expect(own.rows.map((r: { enterprise: { name: string } }) => r.enterprise.name)).toEqual(['丙专用车有限公司']);
    expect(own.missing.map((m: { name: string }) => m.name)).toEqual(['丁米业有限公司']);
    // The reports list is scoped too.
    const reports = (await hedian.get('/api/monitoring/reports?period=2022-06')).json();
    expect(reports.items.map((r: { enterprise: { id: string } }) => r.enterprise.id).sort()).toEqual([a.id, b.id].sort());
  });

  it('groups by division, scale band and new entrants, with monthly values by difference', async () => {
    const client = await env.login('yunxing');
    const byDivision = (await client.get('/api/monitoring/figures?period=2022-06&indicator=output_value&dimension=division')).json();
    expect(byDivision.partition).toBe(true);
    expect(byDivision.groups.map((g: { key: string }) => g.key)).toEqual(['13', '36']);
    const div36 = byDivision.groups.find((g: { key: string }) => g.key === '36');
    expect(div36).toMatchObject({ current: '150', previous: '100', growthPct: 50, contributionPts: 31.25, enterprises: 2, growing: 2, falling: 0 });
    const div13 = byDivision.groups.find((g: { key: string }) => g.key === '13');
    expect(div13).toMatchObject({ current: '50', previous: '60', enterprises: 1, missing: 1, falling: 1 });
    expect(byDivision.divisionsGrowing).toEqual({ divisions: 2, growing: 1, sharePct: 50 });
    expect(byDivision.district).toMatchObject({ growthPct: 25, enterprises: 3, missing: 1, growing: 2, falling: 1 });
    // Only A reported 1–5月: this month alone is 20 over 10.
    expect(byDivision.district.monthly).toEqual({ current: '20', previous: '10', growthPct: 100, enterprises: 1 });

    const chains = (await client.get('/api/monitoring/figures?period=2022-06&dimension=chain')).json();
    expect(chains.partition).toBe(false);
    const entrants = (await client.get('/api/monitoring/figures?period=2022-06&dimension=entrant')).json();
    expect(entrants.groups.find((g: { key: string }) => g.key === 'existing')).toMatchObject({ current: '200', enterprises: 3 });
  });

  it('keeps no stale total when an enterprise changes town, chain or 规上 status', async () => {
    const admin = await env.login('admin');
    const before = (await admin.get('/api/monitoring/summary?period=2022-06')).json();
    expect(before.byTown.find((t: { unit: { name: string } }) => t.unit.name === '何店镇').output_value.current).toBe('170');

    const xichengId = await unitIdOf(env, '西城街道');
    const moved = await admin.patch(`/api/enterprises/${b.id}`, { townId: xichengId, chainIds: [] });
    expect(moved.statusCode, moved.body).toBe(200);
    const after = (await admin.get('/api/monitoring/summary?period=2022-06')).json();
    const town = (name: string) => after.byTown.find((t: { unit: { name: string } }) => t.unit.name === name).output_value;
    expect(town('何店镇')).toMatchObject({ current: '120', previous: '100', growthPct: 20 });
    expect(town('西城街道')).toMatchObject({ current: '80', previous: '60' });
    expect(after.byChain.find((x: { chain: { name: string } }) => x.chain.name === '专汽及零部件').output_value).toMatchObject({ current: '120', previous: '100' });
    expect(after.total.output_value).toMatchObject({ current: '200', previous: '160' });

    // B leaves the 规上 roster from 2022-06 (last counted period 2022-05): no longer in June's scope.
    const exited = await admin.patch(`/api/enterprises/${b.id}`, { aboveScale: false, scaleExit: '2022-06' });
    expect(exited.statusCode, exited.body).toBe(200);
    const out = (await admin.get('/api/monitoring/summary?period=2022-06')).json();
    expect(out.total.output_value).toEqual({ current: '150', previous: '100', growthPct: 50, state: null, enterprises: 2 });
    void d;
  });

  it('reads 1–2月 as one period and refuses January alone', async () => {
    const client = await env.login('yunxing');
    await putReport(env, a.id, '2022-02', { output_value: ['40', '35'] });
    const february = (await client.get('/api/monitoring/figures?period=2022年1-2月&dimension=district')).json();
    expect(february.period).toBe('2022-02');
    // 1–2月 is its own month: the monthly value is the cumulative one.
    expect(february.district.monthly).toMatchObject({ current: '40', previous: '35' });
    const january = await client.get('/api/monitoring/summary?period=2022-01');
    expect(january.statusCode).toBe(400);
    expect(JSON.stringify(january.json())).toContain('1–2月合并报送，请填 2022年1-2月');
  });

  it('traces cumulative growth by month beside last year', async () => {
    const client = await env.login('yunxing');
    await putReport(env, a.id, '2021-06', { output_value: ['100', '80'] });
    const trend = (await client.get('/api/monitoring/trend?year=2022&indicator=output_value')).json();
    expect(trend.points).toHaveLength(11);
    const june = trend.points.find((p: { period: string }) => p.period === '2022-06');
    expect(june.cumulative).toMatchObject({ current: '200', previous: '160', growthPct: 25 });
    expect(june.lastYear).toMatchObject({ current: '100', previous: '80', growthPct: 25 });
    expect(trend.points.find((p: { period: string }) => p.period === '2022-03').cumulative).toBeNull();
  });

  it('forecasts the year end from last year\'s seasonal share', async () => {
    await putReport(env, a.id, '2021-12', { output_value: ['250', '230'] });
    const client = await env.login('yunxing');
    const forecast = (await client.get('/api/monitoring/forecast?period=2022-06&indicator=output_value&targetGrowthPct=13')).json();
    // Only A reported last December: share = 100 / 250 = 40 %.
    expect(forecast.district).toMatchObject({ method: 'seasonal_share', sharePct: 40, current: '200', previous: '160', projected: '500', lastYearTotal: '400' });
    expect(forecast.district.projectedGrowthPct).toBeCloseTo(25, 12);
    expect(forecast.district.targetValue).toBe('452');
    expect(forecast.district.gap).toBe('252');
    expect(forecast.district.requiredRemainingGrowthPct).toBeCloseTo((252 / 240 - 1) * 100, 9);
    expect(forecast.method).toContain('比重');
  });

  it('forecasts 平均用工人数 as an average, by last year\'s ratio of the year\'s average to the 1–N月 average', async () => {
    await putReport(env, a.id, '2022-06', { employees: ['120', '100'] });
    await putReport(env, b.id, '2022-06', { employees: ['60', '50'] });
    await putReport(env, a.id, '2021-12', { employees: ['110', '105'] });
    const client = await env.login('yunxing');
    const forecast = (await client.get('/api/monitoring/forecast?period=2022-06&indicator=employees&targetGrowthPct=10')).json();
    // Only A reported last December: q = 110 / 100; the district's 180 people average → 198.
    expect(forecast.district).toMatchObject({ method: 'average_ratio', current: '180', previous: '150', projected: '198', lastYearTotal: '165', targetValue: '181.5' });
    expect(forecast.district.projectedGrowthPct).toBeCloseTo(20, 12);
    expect(forecast.method).toContain('平均数不能按累计比重推算');
  });

  it('publishes OpenAPI for the monitoring routes', async () => {
    const docs = await env.anonymous().get('/api/docs/json');
    expect(docs.statusCode).toBe(200);
    expect(Object.keys(docs.json().paths)).toContain('/api/monitoring/summary');
  });

  it('offers its figures to targets through the metric registry', async () => {
    const growth = env.deps.metrics.get('monitoring.output_value_growth')!;
    expect(growth).toMatchObject({ kind: 'growth', origin: 'computed', byTown: true });
    expect(await growth.compute(env.deps, { period: '2022-06' })).toMatchObject({ value: '25', current: '200', previous: '160' });
    expect((await growth.compute(env.deps, { period: '2022-06', townId: await unitIdOf(env, '何店镇') })).value).toBe('6.25');
    expect((await growth.compute(env.deps, { period: '2022-06', townId: await unitIdOf(env, '西城街道') })).value).toBeNull();
    const chain = env.deps.metrics.get('monitoring.chain_zq_output_value_growth')!;
    expect((await chain.compute(env.deps, { period: '2022-06' })).value).toBe('6.25');
    const amount = env.deps.metrics.get('monitoring.output_value')!;
    expect(await amount.compute(env.deps, { period: '2022-06' })).toMatchObject({ value: '0.002', previous: '0.0016' });
    expect((await growth.forecast!(env.deps, { period: '2022-06' })).method).toContain('时间进度');
  });

  it('offers the total output of a configured enterprise group (程力集团) for the plan\'s 100 亿元 target', async () => {
    const f = await buildEnterprise(env.deps.db, { name: '程力甲有限公司', town: '何店镇', group: '程力集团', aboveScale: true });
    const g = await buildEnterprise(env.deps.db, { name: '程力乙有限公司', town: '西城街道', group: '程力集团', aboveScale: true });
    await putReport(env, f.id, '2022-06', { output_value: ['300000', '250000'] });
    await putReport(env, g.id, '2022-06', { output_value: ['150000', '100000'] });
    const source = env.deps.metrics.get('monitoring.group_chengli_output_value')!;
    expect(source).toMatchObject({ unit: '亿元', kind: 'amount', origin: 'computed', byTown: false });
    // 450 000 千元 = 4.5 亿元; A, B, C (not in the group) are left out.
    expect(await source.compute(env.deps, { period: '2022-06' })).toMatchObject({ value: '4.5', current: '4.5', previous: '3.5', detail: { enterprises: 2 } });
    // Membership follows the registry as it is now: g leaves the group.
    await env.deps.db.updateTable('enterprises').set({ group_id: null }).where('id', '=', g.id).execute();
    expect((await source.compute(env.deps, { period: '2022-06' })).value).toBe('3');
    expect((await source.forecast!(env.deps, { period: '2022-06' })).value).toBe('6');
  });

  it('records the statistics bureau\'s figures with their source and history, never derived', async () => {
    const yunxing = await env.login('yunxing');
    const first = await yunxing.post('/api/monitoring/reported', { code: 'industrial_va_growth', period: '2022-06', value: '9.8%', source: '区统计局6月快报' });
    expect(first.statusCode, first.body).toBe(200);
    const second = await yunxing.post('/api/monitoring/reported', { code: 'industrial_va_growth', period: '2022年1-6月', value: 9.6, source: '区统计局6月月报', note: '修订' });
    const items = second.json().items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ code: 'industrial_va_growth', name: '规上工业增加值增速', period: '2022-06', value: '9.6', source: '区统计局6月月报', note: '修订' });
    expect(items[0].history).toEqual([expect.objectContaining({ value: '9.8', source: '区统计局6月快报' })]);
    expect((await env.deps.metrics.get('monitoring.industrial_va_growth')!.compute(env.deps, { period: '2022-06' })).value).toBe('9.6');
    // The computed output value growth (25 %) is not the value-added growth.
    expect((await yunxing.get('/api/monitoring/summary?period=2022-06')).json().total.output_value.growthPct).toBe(25);
    const refused = await yunxing.post('/api/monitoring/reported', { code: 'industrial_va', period: '2022-06', value: '-1', source: '区统计局' });
    expect(refused.statusCode).toBe(400);
    const hedian = await env.login('hedian');
    expect((await hedian.post('/api/monitoring/reported', { code: 'industrial_va_growth', period: '2022-06', value: '1', source: 'x' })).statusCode).toBe(403);
    expect((await hedian.get('/api/monitoring/reported?year=2022')).json().items[0].value).toBe('9.6');
  });
});
