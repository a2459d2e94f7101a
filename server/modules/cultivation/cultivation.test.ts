import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestEnv } from '#tests/support/test-env.ts';
import type { Client, TestEnv } from '#tests/support/test-env.ts';
import { testDialects } from '#tests/support/databases.ts';
import { buildEnterprise } from '#tests/support/factories.ts';
import type { BuiltEnterprise } from '#tests/support/factories.ts';
import { upload } from '#tests/support/upload.ts';
import { putReport } from '#server/modules/monitoring/monitoring.test-support.ts';
import { runCli } from '#server/cli.ts';

// Cultivation through the API on both databases: the eligibility contract, scope, the register,
// annual data by form and by import (all or nothing, units honoured), the ladder, pools and
// their exports, and the metric sources.

async function workbook(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('数据');
  for (const row of rows) ws.addRow(row);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

type Json = Record<string, unknown>;

/** Three years of figures that make a tech SME (score 100) and a 规上 enterprise. */
const STRONG = {
  staffTotal: 100,
  techStaff: 30,
  operatingRevenue: '3000',
  mainBusinessRevenue: '2500',
  totalCostsExpenses: '2600',
  rdExpense: '180',
  totalAssets: '4000',
  ip1Count: 1,
  ip2Count: 0,
};

describe.each(testDialects())('cultivation on %s', (dialect) => {
  let env: TestEnv;
  let section: Client;
  let hedianCo: BuiltEnterprise;
  let xichengCo: BuiltEnterprise;

  beforeEach(async () => {
    env = await createTestEnv(dialect);
    section = await env.login('yunxing');
    hedianCo = await buildEnterprise(env.deps.db, { name: '甲专用汽车有限公司', town: '何店镇', registrationDate: '2012-03-01' });
    xichengCo = await buildEnterprise(env.deps.db, { name: '乙机械有限公司', town: '西城街道', industryCode: '3484' });
  });
  afterEach(async () => {
    await env.close();
  });

  const putAnnual = async (client: Client, enterpriseId: string, year: number, figures: Json) => {
    const response = await client.put('/api/cultivation/annual-data', { enterpriseId, year, ...figures });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Json>();
  };
  const auditActions = async () => (await env.deps.db.selectFrom('audit_log').select('action').orderBy('seq').execute()).map((r) => r.action);

  it('answers the eligibility contract: one evaluation per rule with the rule set, the data year and the criteria', async () => {
    for (const year of [2019, 2020, 2021]) await putAnnual(section, hedianCo.id, year, STRONG);
    const response = await section.get(`/api/enterprises/${hedianCo.id}/eligibility?asOf=2022-12-31`);
    expect(response.statusCode, response.body).toBe(200);
    const evaluations = response.json<Json[]>();
    expect(evaluations.map((e) => e.rule)).toEqual(['tech_sme', 'high_tech', 'innovative_sme', 'specialized_sme', 'little_giant', 'above_scale']);
    const tech = evaluations.find((e) => e.rule === 'tech_sme')!;
    expect(tech).toMatchObject({ outcome: 'eligible', score: 100, dataYear: 2021, ruleSet: { id: 'tech_sme.2017' } });
    expect((tech.criteria as Json[])[0]).toEqual(expect.objectContaining({ id: expect.any(String), label: expect.any(String), value: expect.anything(), threshold: expect.anything(), met: true, points: null }));
    expect(evaluations.find((e) => e.rule === 'above_scale')).toMatchObject({ outcome: 'eligible' });
    expect(evaluations.find((e) => e.rule === 'high_tech')).toMatchObject({ outcome: 'insufficient_data', score: null, missing: ['2019年境内研发费用', '2020年境内研发费用', '2021年境内研发费用', '2021年高新技术产品（服务）收入', '2021年总收入'] });

    const after = await section.get(`/api/enterprises/${hedianCo.id}/eligibility?asOf=2026-04-01`);
    const lg = after.json<Json[]>().find((e) => e.rule === 'little_giant')!;
    expect(lg).toMatchObject({ outcome: 'no_rule_set', ruleSet: null, dataYear: 2025, reference: { ruleSet: { id: 'little_giant.2022' } } });
    expect((lg.reference as Json).note).toContain('仅供参考');

    expect((await section.get(`/api/enterprises/${hedianCo.id}/eligibility?asOf=2022-13-01`)).statusCode).toBe(400);
  });

  it('keeps evaluations in scope: a town sees only its own enterprises, an enterprise only itself', async () => {
    await putAnnual(section, hedianCo.id, 2021, STRONG);
    const hedian = await env.login('hedian');
    const xicheng = await env.login('xicheng');
    expect((await hedian.get(`/api/enterprises/${hedianCo.id}/eligibility?asOf=2022-12-31`)).statusCode).toBe(200);
    expect((await xicheng.get(`/api/enterprises/${hedianCo.id}/eligibility?asOf=2022-12-31`)).statusCode).toBe(404);
    expect((await xicheng.get(`/api/enterprises/${xichengCo.id}/eligibility?asOf=2022-12-31`)).statusCode).toBe(200);

    const qiye = await env.login('qiye');
    const own = (await env.deps.db.selectFrom('users').select('enterprise_id').where('username', '=', 'qiye').executeTakeFirstOrThrow()).enterprise_id!;
    const mine = await qiye.get(`/api/enterprises/${own}/eligibility?asOf=2022-12-31`);
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json<Json[]>()).toHaveLength(6);
    expect((await qiye.get(`/api/enterprises/${hedianCo.id}/eligibility?asOf=2022-12-31`)).statusCode).toBe(404);
    // An enterprise reads its advice but writes nothing.
    expect((await qiye.put('/api/cultivation/annual-data', { enterpriseId: own, year: 2021, staffTotal: 1 })).statusCode).toBe(403);
    // A town writes its own enterprises only.
    expect((await xicheng.put('/api/cultivation/annual-data', { enterpriseId: hedianCo.id, year: 2021, staffTotal: 1 })).statusCode).toBe(404);
    // The pool of a town lists only its enterprises.
    const pool = (await xicheng.get('/api/cultivation/pools/tech_sme?asOf=2022-12-31&pageSize=200')).json<{ items: { enterprise: { id: string } }[] }>();
    expect(pool.items.map((i) => i.enterprise.id)).not.toContain(hedianCo.id);
  });

  it('saves annual data by form: omitted keeps, null clears, money exact; audited', async () => {
    const first = await putAnnual(section, hedianCo.id, 2021, { operatingRevenue: '1999.9999', staffTotal: 50, awards: [{ year: 2021, level: 'provincial', kind: 'sci_tech', rank: 2, name: '湖北省科技进步奖二等奖' }] });
    expect(first).toMatchObject({ year: 2021, operatingRevenue: '1999.9999', staffTotal: 50, rdExpense: null, source: 'form' });
    const second = await putAnnual(section, hedianCo.id, 2021, { staffTotal: null, rdExpense: '0' });
    expect(second).toMatchObject({ operatingRevenue: '1999.9999', staffTotal: null, rdExpense: '0' });
    expect((second.awards as Json[])[0]).toMatchObject({ rank: 2 });
    expect(await auditActions()).toEqual(expect.arrayContaining(['cultivation.annual.create', 'cultivation.annual.update']));
    const list = (await section.get(`/api/cultivation/annual-data?enterpriseId=${hedianCo.id}`)).json<{ total: number }>();
    expect(list.total).toBe(1);
  });

  it('offers December’s monitoring figures for the form, in 万元, without writing them', async () => {
    const own = (await env.deps.db.selectFrom('users').select('enterprise_id').where('username', '=', 'qiye').executeTakeFirstOrThrow()).enterprise_id!;
    const form = (await section.get(`/api/monitoring/form?enterpriseId=${own}&period=2021-12`)).json<{ report: { values: { revenue: { current: string } | null } } | null }>();
    const offer = (await section.get(`/api/enterprises/${own}/annual-offer?year=2021`)).json<Json>();
    expect(offer.period).toBe('2021-12');
    expect(Number(offer.operatingRevenue) * 10).toBeCloseTo(Number(form.report!.values.revenue!.current), 6);
    expect((await section.get(`/api/enterprises/${own}/annual-offer?year=2019`)).json()).toMatchObject({ period: null, operatingRevenue: null });
    const xicheng = await env.login('xicheng');
    expect((await xicheng.get(`/api/enterprises/${own}/annual-offer?year=2021`)).statusCode).toBe(404);
  });

  it('registers qualifications: 高企 expiry by default, recognition required, revocation, history and reminders', async () => {
    const missing = await section.post('/api/cultivation/qualifications', { enterpriseId: hedianCo.id, kind: 'high_tech', grantedOn: '2020-12-01' });
    expect(missing.statusCode).toBe(400);
    const created = await section.post('/api/cultivation/qualifications', { enterpriseId: hedianCo.id, kind: 'high_tech', recognition: 'first', number: 'GR202042000001', grantedOn: '2020-12-01' });
    expect(created.statusCode, created.body).toBe(200);
    const q = created.json<Json>();
    expect(q).toMatchObject({ kind: 'high_tech', recognition: 'first', expiresOn: '2023-11-30', grantedOn: '2020-12-01' });
    expect((await section.post('/api/cultivation/qualifications', { enterpriseId: hedianCo.id, kind: 'high_tech', recognition: 'renewal', grantedOn: '2020-12-01' })).statusCode).toBe(409);

    // Reminders: 2023-11-30 is 90 days after 2023-09-01 and 30 days after 2023-10-31.
    const at = async (asOf: string) => (await section.get(`/api/cultivation/qualifications/expiring?asOf=${asOf}`)).json<{ items: { qualification: { id: string }; threshold: number }[] }>().items.filter((i) => i.qualification.id === q.id);
    expect(await at('2023-08-31')).toEqual([]);
    expect((await at('2023-09-01'))[0]?.threshold).toBe(90);
    expect((await at('2023-10-31'))[0]?.threshold).toBe(30);
    expect(await at('2023-12-01')).toEqual([]);

    const revoked = await section.post(`/api/cultivation/qualifications/${q.id}/revoke`, { revokedOn: '2022-06-01', reason: '复核不符合条件' });
    expect(revoked.json()).toMatchObject({ status: 'revoked', revokedOn: '2022-06-01' });
    const history = (await section.get(`/api/cultivation/qualifications?enterpriseId=${hedianCo.id}`)).json<{ items: Json[] }>();
    expect(history.items).toHaveLength(1);
    expect(await auditActions()).toEqual(expect.arrayContaining(['cultivation.qualification.create', 'cultivation.qualification.revoke']));

    const hedian = await env.login('hedian');
    const xicheng = await env.login('xicheng');
    expect((await xicheng.post('/api/cultivation/qualifications', { enterpriseId: hedianCo.id, kind: 'tech_sme', grantedOn: '2022-05-01' })).statusCode).toBe(404);
    expect((await hedian.post('/api/cultivation/qualifications', { enterpriseId: hedianCo.id, kind: 'tech_sme', grantedOn: '2022-05-01' })).statusCode).toBe(200);
    expect((await xicheng.get(`/api/cultivation/qualifications?enterpriseId=${hedianCo.id}`)).json<{ total: number }>().total).toBe(0);
  });

  it('uses a valid 高企 certificate as the tech-SME direct route', async () => {
    await putAnnual(section, hedianCo.id, 2021, { ...STRONG, techStaff: 0, rdExpense: '0', ip1Count: 0 });
    const before = (await section.get(`/api/enterprises/${hedianCo.id}/eligibility?asOf=2022-12-31`)).json<Json[]>();
    expect(before.find((e) => e.rule === 'tech_sme')?.outcome).toBe('not_eligible');
    await section.post('/api/cultivation/qualifications', { enterpriseId: hedianCo.id, kind: 'high_tech', recognition: 'first', grantedOn: '2021-11-01' });
    const after = (await section.get(`/api/enterprises/${hedianCo.id}/eligibility?asOf=2022-12-31`)).json<Json[]>();
    expect(after.find((e) => e.rule === 'tech_sme')?.outcome).toBe('eligible');
  });

  describe('annual import', () => {
    const header = ['统一社会信用代码', '企业名称', '年度', '营业收入（千元）', '研发费用（元）', 'I类知识产权数', '细分市场占有率（%）', '研发机构级别', '自有品牌', '获奖情况'];

    it('previews, then commits every row with the header units honoured exactly', async () => {
      const file = await workbook([
        ['企业年度数据'],
        header,
        [hedianCo.uscc, hedianCo.name, 2021, 12345.6, 1234567.89, 2, '12.5%', '省', '是', '2021|省级|科技奖|3|湖北省科技进步奖三等奖'],
        [xichengCo.uscc, xichengCo.name, '2021年', 800, '', 0, 3, '无', '否', '无'],
      ]);
      const preview = await upload(env, section, '/api/cultivation/annual-data/import?dryRun=true', '年度数据.xlsx', file);
      expect(preview.statusCode, preview.body).toBe(200);
      expect(preview.json()).toMatchObject({ committed: false, rows: 2, creates: 2, errorCount: 0, columns: expect.arrayContaining(['营业收入（千元）', '研发费用（元）']) });
      expect(await env.deps.db.selectFrom('enterprise_annual_data').select('id').where('enterprise_id', 'in', [hedianCo.id, xichengCo.id]).execute()).toEqual([]);

      const commit = await upload(env, section, '/api/cultivation/annual-data/import?dryRun=false', '年度数据.xlsx', file);
      expect(commit.statusCode, commit.body).toBe(200);
      expect(commit.json()).toMatchObject({ committed: true, creates: 2 });
      const [row] = (await section.get(`/api/cultivation/annual-data?enterpriseId=${hedianCo.id}`)).json<{ items: Json[] }>().items;
      expect(row).toMatchObject({ operatingRevenue: '1234.56', rdExpense: '123.456789', ip1Count: 2, nicheMarketShare: '12.5', rdInstitutionLevel: 'provincial', ownBrand: true, totalAssets: null });
      expect((row!.awards as Json[])[0]).toMatchObject({ year: 2021, level: 'provincial', kind: 'sci_tech', rank: 3 });
      const [other] = (await section.get(`/api/cultivation/annual-data?enterpriseId=${xichengCo.id}`)).json<{ items: Json[] }>().items;
      expect(other).toMatchObject({ rdExpense: null, awards: [], ownBrand: false, rdInstitutionLevel: 'none' });
      expect(await auditActions()).toContain('cultivation.annual.import');

      // Imported again with an empty cell: the stored figure stays.
      const again = await workbook([header, [hedianCo.uscc, hedianCo.name, 2021, 12345.6, '', 3, '', '', '', '']]);
      const update = await upload(env, section, '/api/cultivation/annual-data/import?dryRun=false', 'b.xlsx', again);
      expect(update.json()).toMatchObject({ updates: 1, changes: [expect.objectContaining({ fields: ['Ⅰ类知识产权数'] })] });
      const [kept] = (await section.get(`/api/cultivation/annual-data?enterpriseId=${hedianCo.id}`)).json<{ items: Json[] }>().items;
      expect(kept).toMatchObject({ rdExpense: '123.456789', ip1Count: 3 });
    });

    it('writes nothing when any row is wrong, and says where', async () => {
      const before = await env.deps.db.selectFrom('enterprise_annual_data').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      const audits = (await auditActions()).length;
      const file = await workbook([
        header,
        [hedianCo.uscc, hedianCo.name, 2021, 100, 10, 1, 5, '省', '是', ''],
        ['91421303MA49PK7K1T', '不存在的企业', 2021, 100, 10, 1, 5, '省', '是', ''],
        [xichengCo.uscc, xichengCo.name, 2021, '12万', 10, -1, 5, '乡镇', '也许', '2021|省级'],
      ]);
      const response = await upload(env, section, '/api/cultivation/annual-data/import?dryRun=false', 'bad.xlsx', file);
      expect(response.statusCode).toBe(400);
      const body = response.json<{ error: { code: string; details: { errors: { row: number; column: string; message: string }[]; committed: boolean } } }>();
      expect(body.error.code).toBe('VALIDATION');
      const errors = body.error.details.errors;
      expect(errors.map((e) => [e.row, e.column])).toEqual(
        expect.arrayContaining([
          [3, '统一社会信用代码'],
          [4, '营业收入（千元）'],
          [4, 'I类知识产权数'],
          [4, '研发机构级别'],
          [4, '自有品牌'],
          [4, '获奖情况'],
        ]),
      );
      const after = await env.deps.db.selectFrom('enterprise_annual_data').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
      expect((await auditActions()).length).toBe(audits);
    });

    it('imports from the command line the same way: --dry-run writes nothing, errors exit 1', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kejing-annual-'));
      const good = path.join(dir, '年度数据.xlsx');
      const bad = path.join(dir, 'bad.xlsx');
      fs.writeFileSync(good, await workbook([header, [hedianCo.uscc, hedianCo.name, 2021, 5000, 300000, 1, 10, '市', '是', '']]));
      fs.writeFileSync(bad, await workbook([header, [hedianCo.uscc, hedianCo.name, 2021, 'abc', 300000, 1, 10, '市', '是', '']]));
      const run = async (argv: string[]) => {
        const out: string[] = [];
        const err: string[] = [];
        const code = await runCli(argv, env.config, { out: (t) => out.push(t), err: (t) => err.push(t), stdin: async () => '' });
        return { code, out: out.join('\n'), err: err.join('\n') };
      };
      const rows = async () => (await section.get(`/api/cultivation/annual-data?enterpriseId=${hedianCo.id}`)).json<{ items: Json[] }>().items;
      const dry = await run(['import', 'annual', good, '--dry-run']);
      expect(dry.code, dry.err).toBe(0);
      expect(dry.out).toContain('新增 1');
      expect(await rows()).toEqual([]);
      const refused = await run(['import', 'annual', bad]);
      expect(refused.code).toBe(1);
      expect(refused.err).toContain('第 2 行「营业收入（千元）」');
      const done = await run(['import', 'annual', good]);
      expect(done.code, done.err).toBe(0);
      expect((await rows())[0]).toMatchObject({ operatingRevenue: '500', rdExpense: '30' });
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('refuses a money column without a unit, and a town importing another town’s enterprise', async () => {
      const noUnit = await workbook([['统一社会信用代码', '年度', '营业收入'], [hedianCo.uscc, 2021, 100]]);
      const r1 = await upload(env, section, '/api/cultivation/annual-data/import?dryRun=true', 'a.xlsx', noUnit);
      expect(r1.json()).toMatchObject({ errorCount: 1, errors: [expect.objectContaining({ message: expect.stringContaining('营业收入（万元）') })] });
      const hedian = await env.login('hedian');
      const foreign = await workbook([['统一社会信用代码', '年度', '营业收入（万元）'], [xichengCo.uscc, 2021, 100]]);
      const r2 = await upload(env, hedian, '/api/cultivation/annual-data/import?dryRun=true', 'b.xlsx', foreign);
      expect(r2.json()).toMatchObject({ errorCount: 1, errors: [expect.objectContaining({ row: 2, message: expect.stringContaining('不在您的数据范围内') })] });
    });
  });

  it('imports qualifications all or nothing, matching on enterprise, kind and date', async () => {
    const header = ['统一社会信用代码', '企业名称', '资质类型', '级别', '认定类型', '证书编号', '认定日期', '有效期至'];
    const good = await workbook([header, [hedianCo.uscc, hedianCo.name, '高企', '', '首次认定', 'GR2022', '2022-12-14', ''], [xichengCo.uscc, xichengCo.name, '隐形冠军', '', '', '', '2022/6/30', '2025-06-29']]);
    const ok = await upload(env, section, '/api/cultivation/qualifications/import?dryRun=false', 'q.xlsx', good);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ committed: true, creates: 2 });
    const items = (await section.get(`/api/cultivation/qualifications?enterpriseId=${xichengCo.id}`)).json<{ items: Json[] }>().items;
    expect(items[0]).toMatchObject({ kind: 'champion', level: 'provincial', grantedOn: '2022-06-30', expiresOn: '2025-06-29' });
    const hedianItems = (await section.get(`/api/cultivation/qualifications?enterpriseId=${hedianCo.id}`)).json<{ items: Json[] }>().items;
    expect(hedianItems[0]).toMatchObject({ kind: 'high_tech', recognition: 'first', expiresOn: '2025-12-13' });

    const bad = await workbook([header, [hedianCo.uscc, hedianCo.name, '高企', '', '', '', '2023-01-01', ''], [hedianCo.uscc, hedianCo.name, '科技型中小企业', '', '', '', '2023-02-30', '']]);
    const refused = await upload(env, section, '/api/cultivation/qualifications/import?dryRun=false', 'bad.xlsx', bad);
    expect(refused.statusCode).toBe(400);
    expect(refused.json<{ error: { details: { errorCount: number } } }>().error.details.errorCount).toBe(2);
    expect((await section.get(`/api/cultivation/qualifications?enterpriseId=${hedianCo.id}`)).json<{ total: number }>().total).toBe(1);
  });

  it('counts the ladder and the metric sources: first-time and re-recognitions apart, valid totals', async () => {
    const ladder = async () => (await section.get('/api/cultivation/ladder?asOf=2022-12-31')).json<{ rungs: { rung: string; count: number; countAtStartOfYear: number; flows: Json; candidates: number }[] }>();
    const highTech = async () => (await ladder()).rungs.find((r) => r.rung === 'high_tech')!;
    const metric = async (id: string) => (await env.deps.metrics.get(id)!.compute(env.deps, { period: '2022-12' })).value;
    const before = { rung: await highTech(), first: await metric('cultivation.high_tech_first'), renewed: await metric('cultivation.high_tech_renewed'), valid: await metric('cultivation.high_tech_valid') };

    await section.post('/api/cultivation/qualifications', { enterpriseId: hedianCo.id, kind: 'high_tech', recognition: 'first', grantedOn: '2022-11-10' });
    await section.post('/api/cultivation/qualifications', { enterpriseId: xichengCo.id, kind: 'high_tech', recognition: 'renewal', grantedOn: '2022-12-31' });
    const old = (await section.post('/api/cultivation/qualifications', { enterpriseId: xichengCo.id, kind: 'high_tech', recognition: 'first', grantedOn: '2019-12-31' })).json<{ id: string }>();
    expect(old.id).toBeTruthy();

    const after = await highTech();
    expect(after.count - before.rung.count).toBe(2); // the 2019 one expired on 2022-12-30
    expect(after.countAtStartOfYear - before.rung.countAtStartOfYear).toBe(1);
    expect((after.flows.added as number) - (before.rung.flows.added as number)).toBe(2);
    expect((after.flows.firstTime as number) - (before.rung.flows.firstTime as number)).toBe(1);
    expect((after.flows.renewed as number) - (before.rung.flows.renewed as number)).toBe(1);
    expect((after.flows.expired as number) - (before.rung.flows.expired as number)).toBe(1);
    expect(Number(await metric('cultivation.high_tech_first')) - Number(before.first)).toBe(1);
    expect(Number(await metric('cultivation.high_tech_renewed')) - Number(before.renewed)).toBe(1);
    expect(Number(await metric('cultivation.high_tech_valid')) - Number(before.valid)).toBe(2);
    const town = (await env.deps.metrics.get('cultivation.high_tech_recognized')!.compute(env.deps, { period: '2022-12', townId: xichengCo.townId })).value;
    const townBefore = Number(town);
    expect(townBefore).toBeGreaterThanOrEqual(1);
    expect(env.deps.metrics.list().map((s) => s.id)).toEqual(expect.arrayContaining(['cultivation.high_tech_recognized', 'cultivation.tech_sme_registered', 'cultivation.little_giant_valid']));
  });

  it('counts 亿元 / 十亿元 enterprises on monitoring output (工业总产值 本年累计, 1亿元 = 100 000 千元 inclusive)', async () => {
    type Bands = { period: string | null; reporting: number; over100m: number | null; over1b: number | null };
    const bands = async (asOf: string) => (await section.get(`/api/cultivation/ladder?asOf=${asOf}`)).json<{ outputBands: Bands }>().outputBands;
    // A year with no monthly reports: unknown, never 0.
    expect(await bands('2031-06-30')).toEqual({ period: null, reporting: 0, over100m: null, over1b: null });

    // The latest period with reports up to asOf: a November report counts for an asOf in December.
    const third = await buildEnterprise(env.deps.db, { name: '丁产值测试有限公司', town: '何店镇' });
    const fourth = await buildEnterprise(env.deps.db, { name: '戊产值测试有限公司', town: '西城街道' });
    await putReport(env, hedianCo.id, '2031-11', { output_value: ['99999.999', null] });
    await putReport(env, xichengCo.id, '2031-11', { output_value: ['100000', null] });
    await putReport(env, third.id, '2031-11', { output_value: ['1000000', null] });
    await putReport(env, fourth.id, '2031-11', { output_value: ['999999.999', null] });
    expect(await bands('2031-12-31')).toEqual({ period: '2031-11', reporting: 4, over100m: 3, over1b: 1 });
    expect(await bands('2031-10-31')).toEqual({ period: null, reporting: 0, over100m: null, over1b: null });

    const metric = async (id: string, townId?: string) => (await env.deps.metrics.get(id)!.compute(env.deps, { period: '2031-11', townId: townId ?? null })).value;
    expect(await metric('cultivation.output_100m_enterprises')).toBe('3');
    expect(await metric('cultivation.output_1b_enterprises')).toBe('1');
    expect(await metric('cultivation.output_100m_enterprises', xichengCo.townId)).toBe('2');
    expect(await metric('cultivation.output_1b_enterprises', xichengCo.townId)).toBe('0');
    expect((await env.deps.metrics.get('cultivation.output_1b_enterprises')!.compute(env.deps, { period: '2031-12' })).value).toBeNull();
  });

  it('ranks the pool by closeness with the gaps, and exports it as xlsx and a one-page docx', async () => {
    for (const year of [2019, 2020, 2021]) await putAnnual(section, hedianCo.id, year, STRONG);
    await putAnnual(section, xichengCo.id, 2021, { ...STRONG, techStaff: 10, rdExpense: '90' });
    const pool = (await section.get('/api/cultivation/pools/tech_sme?asOf=2022-12-31&pageSize=200')).json<{ items: { enterprise: { id: string }; outcome: string; rank: number; gaps: { message: string }[] }[]; ruleSet: { id: string } }>();
    expect(pool.ruleSet.id).toBe('tech_sme.2017');
    const a = pool.items.find((i) => i.enterprise.id === hedianCo.id)!;
    const b = pool.items.find((i) => i.enterprise.id === xichengCo.id)!;
    expect(a.outcome).toBe('eligible');
    expect(b.outcome).toBe('not_eligible');
    expect(a.rank).toBeLessThan(b.rank);
    expect(b.gaps.map((g) => g.message).join('；')).toContain('评价得分');
    // Too large for the SME rule: no gap to close, so not a candidate at all.
    const big = await buildEnterprise(env.deps.db, { name: '丙重工有限公司', town: '西城街道' });
    await putAnnual(section, big.id, 2021, { ...STRONG, staffTotal: 800, techStaff: 240 });
    const withBig = (await section.get('/api/cultivation/pools/tech_sme?asOf=2022-12-31&pageSize=200')).json<{ items: { enterprise: { id: string } }[] }>();
    expect(withBig.items.map((i) => i.enterprise.id)).not.toContain(big.id);
    // A member is not a candidate.
    await section.post('/api/cultivation/qualifications', { enterpriseId: hedianCo.id, kind: 'tech_sme', number: '202242130300001', grantedOn: '2022-05-01' });
    const again = (await section.get('/api/cultivation/pools/tech_sme?asOf=2022-12-31&pageSize=200')).json<{ items: { enterprise: { id: string } }[] }>();
    expect(again.items.map((i) => i.enterprise.id)).not.toContain(hedianCo.id);

    const xlsx = await section.get('/api/cultivation/pools/tech_sme/export?asOf=2022-12-31');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('培育库')!;
    expect(sheet.getRow(1).values).toEqual(expect.arrayContaining(['排名', '企业名称', '差距与建议']));
    const names: string[] = [];
    sheet.eachRow((row, n) => {
      if (n > 1) names.push(String(row.getCell(2).value));
    });
    expect(names).toContain('乙机械有限公司');

    const docx = await section.get('/api/cultivation/pools/tech_sme/list?asOf=2022-12-31');
    expect(docx.statusCode).toBe(200);
    expect(docx.headers['content-disposition']).toContain(encodeURIComponent('科技型中小企业培育对象清单'));
    const text = (await mammoth.extractRawText({ buffer: docx.rawPayload })).value;
    expect(text).toContain('科技型中小企业培育对象清单');
    const head = (await section.get('/api/cultivation/pools/tech_sme?asOf=2022-12-31&pageSize=1')).json<{ items: { enterprise: { name: string } }[]; total: number }>();
    expect(text).toContain(head.items[0]!.enterprise.name);
    expect(text).toContain(`候选 ${head.total} 家`);
  });
});
