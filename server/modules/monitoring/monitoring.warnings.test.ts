import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestEnv } from '#tests/support/test-env.ts';
import type { Client, TestEnv } from '#tests/support/test-env.ts';
import { testDialects } from '#tests/support/databases.ts';
import { buildEnterprise, nextUscc } from '#tests/support/factories.ts';
import type { BuiltEnterprise } from '#tests/support/factories.ts';
import { upload } from '#tests/support/upload.ts';
import { clearDistrict, putReport, workbook } from '#server/modules/monitoring/monitoring.test-support.ts';
import { makePeriod } from '#common/period.ts';
import { refreshWarnings } from '#server/modules/monitoring/monitoring.warnings.ts';

const HEADER = ['统一社会信用代码', '报告期', '工业总产值本年累计', '工业总产值上年同期', '用电量本年累计', '用电量上年同期', '营业收入本年累计', '营业收入上年同期'];

type W = { id: string; rule: string; level: string; status: string; active: boolean; subject: { kind: string; id: string; name: string }; indicator: string | null; reason: string };

/**
 * 何店镇, 2022年1-6月 (output value / electricity / revenue, this year over last):
 *   drop40  60/100       → 产值下降 40 % : red
 *   drop15  85/100       → 产值下降 15 % : yellow
 *   elec   120/100, electricity 80/100 → 产值增长而用电量下降 20 %
 *   silent  no report, nor in 1–5月 → 本期未报 (orange)
 *   below  100/100, revenue 55 after 60 in 1–5月 → 累计值低于上月
 * 何店镇: 365/400 = −8.75 % → below the 13 % target and negative: red.
 */
describe.each(testDialects())('warnings on %s', (dialect) => {
  let env: TestEnv;
  let town: Client;
  let drop40: BuiltEnterprise;
  let drop15: BuiltEnterprise;
  let elec: BuiltEnterprise;
  let silent: BuiltEnterprise;
  let below: BuiltEnterprise;

  const importRows = async (rows: (string | number | null)[][]) => {
    const response = await upload(env, town, '/api/monitoring/imports?dryRun=false', 'monthly.xlsx', await workbook({ name: 'S', rows: [HEADER, ...rows] }));
    expect(response.statusCode, response.body).toBe(200);
  };
  const warnings = async (client: Client, query = 'period=2022-06') => (await client.get(`/api/monitoring/warnings?${query}`)).json() as { items: W[]; counts: Record<string, number> };
  const find = (list: W[], rule: string, subjectId: string) => list.find((w) => w.rule === rule && w.subject.id === subjectId);

  beforeEach(async () => {
    env = await createTestEnv(dialect);
    await clearDistrict(env);
    const db = env.deps.db;
    drop40 = await buildEnterprise(db, { name: '降四成有限公司', aboveScale: true, chains: ['专汽及零部件'] });
    drop15 = await buildEnterprise(db, { name: '降一成半有限公司', aboveScale: true });
    elec = await buildEnterprise(db, { name: '电量存疑有限公司', aboveScale: true });
    silent = await buildEnterprise(db, { name: '未报有限公司', aboveScale: true });
    below = await buildEnterprise(db, { name: '累计倒退有限公司', aboveScale: true });
    await putReport(env, below.id, '2022-05', { revenue: ['60', '50'] });
    town = await env.login('hedian');
    await importRows([
      [drop40.uscc, '2022-06', 60, 100, 10, 10, null, null],
      [drop15.uscc, '2022-06', 85, 100, 10, 10, null, null],
      [elec.uscc, '2022-06', 120, 100, 80, 100, null, null],
      [below.uscc, '2022-06', 100, 100, 10, 10, 55, 45],
    ]);
  });
  afterEach(async () => {
    await env.close();
  });

  it('raises each rule after the import, with level, reason and figures', async () => {
    const { items, counts } = await warnings(town);
    expect(find(items, 'output_falling', drop40.id)).toMatchObject({ level: 'red', status: 'open', active: true, indicator: 'output_value' });
    expect(find(items, 'output_falling', drop40.id)!.reason).toContain('同比下降 40.0%');
    expect(find(items, 'output_falling', drop15.id)).toMatchObject({ level: 'yellow' });
    expect(find(items, 'output_falling', elec.id)).toBeUndefined();
    expect(find(items, 'output_up_electricity_down', elec.id)).toMatchObject({ level: 'yellow', indicator: 'electricity' });
    // It missed 1–5月 too (someone else filed then): orange.
    expect(find(items, 'not_reported', silent.id)).toMatchObject({ level: 'orange', subject: { kind: 'enterprise', name: '未报有限公司' } });
    expect(find(items, 'not_reported', silent.id)!.reason).toContain('上期也未报送');
    expect(find(items, 'cumulative_below_previous', below.id)).toMatchObject({ indicator: 'revenue' });
    const hedian = items.find((w) => w.rule === 'group_below_target' && w.subject.kind === 'town');
    expect(hedian).toMatchObject({ level: 'red', subject: { name: '何店镇' } });
    expect(hedian!.reason).toContain('低于全区目标 13%');
    const chain = items.find((w) => w.rule === 'group_below_target' && w.subject.kind === 'chain');
    expect(chain).toMatchObject({ subject: { name: '专汽及零部件' }, level: 'red' });
    expect(counts.red).toBeGreaterThanOrEqual(3);
  });

  it('shows another town only the aggregate warnings, and hides its enterprises from status changes', async () => {
    const xicheng = await env.login('xicheng');
    const { items } = await warnings(xicheng);
    expect(items.every((w) => w.subject.kind !== 'enterprise')).toBe(true);
    expect(items.some((w) => w.rule === 'group_below_target' && w.subject.name === '何店镇')).toBe(true);
    const target = find((await warnings(town)).items, 'output_falling', drop40.id)!;
    expect((await xicheng.patch(`/api/monitoring/warnings/${target.id}`, { status: 'acknowledged' })).statusCode).toBe(404);
  });

  it('is acknowledged and closed with a note, audited', async () => {
    const target = find((await warnings(town)).items, 'output_falling', drop40.id)!;
    const ack = await town.patch(`/api/monitoring/warnings/${target.id}`, { status: 'acknowledged', note: '已电话核实，订单减少' });
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json()).toMatchObject({ status: 'acknowledged', note: '已电话核实，订单减少' });
    const noNote = await town.patch(`/api/monitoring/warnings/${target.id}`, { status: 'closed' });
    expect(noNote.statusCode).toBe(400);
    const closed = await town.patch(`/api/monitoring/warnings/${target.id}`, { status: 'closed', note: '企业已说明原因' });
    expect(closed.json()).toMatchObject({ status: 'closed' });
    const audit = await env.deps.db.selectFrom('audit_log').select('action').where('entity_id', '=', target.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['monitoring.warning_status', 'monitoring.warning_status']);
  });

  it('closes what corrected data resolves and re-evaluates when thresholds change', async () => {
    await importRows([
      [drop15.uscc, '2022-06', 95, 100, 10, 10, null, null],
      [silent.uscc, '2022-06', 100, 90, 10, 10, null, null],
    ]);
    const all = (await warnings(town, 'period=2022-06&activeOnly=false')).items;
    expect(find(all, 'output_falling', drop15.id)).toMatchObject({ active: false, status: 'closed' });
    expect(find(all, 'not_reported', silent.id)).toMatchObject({ active: false, status: 'closed' });
    expect(find((await warnings(town)).items, 'output_falling', drop15.id)).toBeUndefined();

    const admin = await env.login('admin');
    const settings = (await admin.get('/api/monitoring/settings')).json();
    const put = await admin.put('/api/monitoring/settings', { ...settings, outputDropPct: { yellow: 3, orange: 20, red: 30 } });
    expect(put.statusCode, put.body).toBe(200);
    // −5 % is now beyond the yellow threshold: the system-closed warning opens again.
    expect(find((await warnings(town)).items, 'output_falling', drop15.id)).toMatchObject({ level: 'yellow', status: 'open', active: true });
    const invalid = await admin.put('/api/monitoring/settings', { ...settings, outputDropPct: { yellow: 30, orange: 20, red: 10 } });
    expect(invalid.statusCode).toBe(400);
  });

  it('computes the warnings of an import from the period as its writes leave it, as the database has it', async () => {
    // Replaces one report, clears a value (a blank cell in a column that is present) and leaves
    // the other enterprises' rows of the period alone: the import evaluates the period from what
    // it read before writing plus its writes (ADR 0012), not from a read after them.
    await importRows([
      [below.uscc, '2022-06', 100, 100, 10, 10, null, null],
      [drop40.uscc, '2022-06', 70, 100, 10, 10, 30, 20],
    ]);
    const all = (await warnings(town, 'period=2022-06&activeOnly=false')).items;
    expect(find(all, 'cumulative_below_previous', below.id)).toMatchObject({ active: false, status: 'closed' });
    expect(find(all, 'output_falling', drop40.id)).toMatchObject({ active: true, level: 'orange' });
    expect(find(all, 'output_falling', drop15.id)).toMatchObject({ active: true, level: 'yellow' });
    // Evaluated again from the database alone, nothing changes.
    const again = await env.deps.db.transaction().execute((trx) => refreshWarnings(trx, [makePeriod(2022, 6), makePeriod(2022, 7)], new Date().toISOString()));
    expect(again).toEqual({ raised: 0, updated: 0, closed: 0 });
  });

  it('re-evaluates the warnings when the registry moves an enterprise or ends its 规上 spell', async () => {
    const admin = await env.login('admin');
    const xicheng = (await env.deps.db.selectFrom('units').select('id').where('name', '=', '西城街道').executeTakeFirstOrThrow()).id;
    const before = (await warnings(admin)).items;
    const chainWarning = before.find((w) => w.rule === 'group_below_target' && w.subject.kind === 'chain')!;
    expect(chainWarning).toMatchObject({ subject: { name: '专汽及零部件' }, active: true });
    expect(before.some((w) => w.rule === 'group_below_target' && w.subject.name === '西城街道')).toBe(false);

    // drop40 (60/100) leaves the chain and moves to 西城街道: the chain has no reporting member
    // left, and 西城街道 now stands at −40 %.
    const moved = await admin.patch(`/api/enterprises/${drop40.id}`, { townId: xicheng, chainIds: [] });
    expect(moved.statusCode, moved.body).toBe(200);
    let all = (await warnings(admin, 'period=2022-06&activeOnly=false')).items;
    expect(all.find((w) => w.id === chainWarning.id)).toMatchObject({ active: false, status: 'closed' });
    expect(all.find((w) => w.rule === 'group_below_target' && w.subject.name === '西城街道')).toMatchObject({ active: true, level: 'red' });
    // The enterprise's own warning now belongs to 西城街道's view, not 何店镇's.
    expect(find((await warnings(town)).items, 'output_falling', drop40.id)).toBeUndefined();

    // silent leaves the 规上 roster from 1–6月 (退库 2022-06): no longer expected to report.
    expect(find((await warnings(admin)).items, 'not_reported', silent.id)).toMatchObject({ active: true });
    const exited = await admin.patch(`/api/enterprises/${silent.id}`, { aboveScale: false, scaleExit: '2022-06' });
    expect(exited.statusCode, exited.body).toBe(200);
    all = (await warnings(admin, 'period=2022-06&activeOnly=false')).items;
    expect(find(all, 'not_reported', silent.id)).toMatchObject({ active: false, status: 'closed' });
  });

  it('expects a newly registered 规上 enterprise to report from its first 规上 period, not before', async () => {
    const admin = await env.login('admin');
    const hedian = (await env.deps.db.selectFrom('units').select('id').where('name', '=', '何店镇').executeTakeFirstOrThrow()).id;
    const register = async (name: string, scaleSince: string) => {
      const response = await admin.post('/api/enterprises', { uscc: nextUscc(), name, townId: hedian, industryCode: '3630', chainIds: [], aboveScale: true, scaleSince });
      expect(response.statusCode, response.body).toBe(200);
      return response.json<{ id: string }>().id;
    };
    const june = await register('六月入库有限公司', '2022-06');
    const july = await register('七月入库有限公司', '2022-07');
    const items = (await warnings(admin)).items;
    expect(find(items, 'not_reported', june)).toMatchObject({ active: true });
    expect(find(items, 'not_reported', july)).toBeUndefined();
    expect(find((await warnings(admin, 'period=2022-05&activeOnly=false')).items, 'not_reported', june)).toBeUndefined();
  });

  it('flags a likely unit slip against last month', async () => {
    await putReport(env, drop15.id, '2022-07', { output_value: ['8500', '115'] });
    await importRows([[drop15.uscc, '2022-06', 85, 100, 10, 10, null, null]]);
    const { items } = await warnings(town, 'period=2022-07');
    expect(find(items, 'unit_slip', drop15.id)).toMatchObject({ indicator: 'output_value', level: 'yellow' });
  });
});
