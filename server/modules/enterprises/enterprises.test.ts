import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { Chain, EnterpriseDetail, EnterpriseListItem } from '#common/contracts/enterprises.ts';
import { createTestEnv, unitIdOf } from '#tests/support/test-env.ts';
import type { Client, TestEnv } from '#tests/support/test-env.ts';
import { testDialects } from '#tests/support/databases.ts';
import { buildEnterprise, nextUscc } from '#tests/support/factories.ts';
import { registryCounts, upload } from '#tests/support/upload.ts';

type Page = { items: EnterpriseListItem[]; total: number };

async function readSheet(buffer: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  const rows: string[][] = [];
  wb.worksheets[0]!.eachRow((row) => rows.push(Array.from((row.values as unknown[]).slice(1), (v) => (v === null || v === undefined ? '' : String(v)))));
  return rows;
}

describe.each(testDialects())('enterprise registry on %s', (dialect) => {
  let env: TestEnv;
  let admin: Client;
  let chains: Chain[];
  let hedianId: string;
  let xichengId: string;
  const chainId = (name: string) => chains.find((c) => c.name === name)!.id;

  beforeEach(async () => {
    env = await createTestEnv(dialect);
    admin = await env.login('admin');
    chains = (await admin.get('/api/chains')).json<{ items: Chain[] }>().items;
    hedianId = await unitIdOf(env, '何店镇');
    xichengId = await unitIdOf(env, '西城街道');
  });
  afterEach(async () => {
    await env.close();
  });

  const form = (overrides: Record<string, unknown> = {}) => ({
    uscc: nextUscc(),
    name: '随州市表单测试专用汽车有限公司',
    townId: hedianId,
    industryCode: '3630',
    chainIds: [chainId('专汽及零部件')],
    aboveScale: true,
    scaleSince: '2021-02',
    ...overrides,
  });

  describe('统一社会信用代码', () => {
    it('accepts the valid reference codes (criteria.md §1.6) without a warning', async () => {
      for (const uscc of ['91350100M000100Y43', '91310230MA1K314J7C', '91310230MA1K314K57', '91421303MA48YD010M', '91421303MA49PK7K1T', '9142130370694X3L39']) {
        const response = await admin.post('/api/enterprises', form({ uscc, name: `参考代码${uscc}有限公司` }));
        expect(response.statusCode, response.body).toBe(200);
        expect(response.json<EnterpriseDetail>().warnings).toEqual([]);
      }
    });

    it('keeps a code failing its check digit, with the warning on the record', async () => {
      const response = await admin.post('/api/enterprises', form({ uscc: ' 91350100m0001tgqxm ' }));
      expect(response.statusCode).toBe(200);
      const created = response.json<EnterpriseDetail>();
      expect(created.uscc).toBe('91350100M0001TGQXM');
      const detail = (await admin.get(`/api/enterprises/${created.id}`)).json<EnterpriseDetail>();
      expect(detail.warnings).toEqual([{ field: 'uscc', message: expect.stringContaining('第18位应为「1」') }]);
    });

    it('refuses a wrong length or a forbidden character with a field message, and writes nothing', async () => {
      const before = await registryCounts(env.deps.db);
      const short = await admin.post('/api/enterprises', form({ uscc: '91421303MA48YD010' }));
      expect(short.statusCode).toBe(400);
      expect(short.json().error).toMatchObject({ code: 'VALIDATION', details: [{ field: 'uscc', message: expect.stringContaining('应为18位，当前为17位') }] });
      const letterO = await admin.post('/api/enterprises', form({ uscc: '91421303MA48YDO10M' }));
      expect(letterO.statusCode).toBe(400);
      expect(letterO.json().error.message).toContain('是否应为数字 0');
      expect(await registryCounts(env.deps.db)).toEqual(before);
    });

    it('refuses a duplicate with 409, naming the holder only to someone who may see it', async () => {
      const other = await buildEnterprise(env.deps.db, { town: '西城街道', name: '随州市西城已登记有限公司' });
      const dup = await admin.post('/api/enterprises', form({ uscc: other.uscc }));
      expect(dup.statusCode).toBe(409);
      expect(dup.json().error.message).toContain('随州市西城已登记有限公司');
      const hedian = await env.login('hedian');
      const hidden = await hedian.post('/api/enterprises', form({ uscc: other.uscc }));
      expect(hidden.statusCode).toBe(409);
      expect(hidden.json().error.message).toContain('已登记在其他镇街');
      expect(hidden.json().error.message).not.toContain('西城已登记');
      // Changing another record's code to a taken one is refused the same way.
      const mine = await buildEnterprise(env.deps.db, { town: '何店镇' });
      expect((await admin.patch(`/api/enterprises/${mine.id}`, { uscc: other.uscc })).statusCode).toBe(409);
    });
  });

  describe('the form', () => {
    it('stores a complete record and shows it back with industry names, chains, group, tags and 规上 history', async () => {
      const response = await admin.post(
        '/api/enterprises',
        form({
          scaleSince: '2022年6月',
          registrationDate: '2015/6/30',
          address: '何店镇工业园路8号',
          contactName: '王伟',
          contactPhone: '13800000001',
          groupName: '程力集团',
          tags: ['专精特新', '专精特新', '高新技术企业'],
          chainIds: [chainId('专汽及零部件'), chainId('移动应急装备')],
        }),
      );
      expect(response.statusCode, response.body).toBe(200);
      const d = response.json<EnterpriseDetail>();
      expect(d).toMatchObject({
        town: { id: hedianId, name: '何店镇' },
        industry: { code: '3630', section: 'C', divisionCode: '36', divisionName: '汽车制造业', className: '改装汽车制造' },
        group: { name: '程力集团' },
        aboveScale: true,
        scaleSince: '2022-06',
        scaleHistory: [{ fromPeriod: '2022-06', fromReason: '月度入库', toPeriod: null, toReason: null }],
        registrationDate: '2015-06-30',
        tags: ['专精特新', '高新技术企业'],
      });
      expect(d.chains.map((c) => c.name)).toEqual(['专汽及零部件', '移动应急装备']);
      const audit = await env.deps.db.selectFrom('audit_log').select(['action', 'actor_name']).where('entity_id', '=', d.id).execute();
      expect(audit).toEqual([{ action: 'enterprise.create', actor_name: 'admin' }]);
    });

    it('explains in Chinese what to fix, field by field', async () => {
      const response = await admin.post('/api/enterprises', form({ industryCode: '36', scaleSince: null, registrationDate: '2099-01-01', townId: 'nope' }));
      expect(response.statusCode).toBe(400);
      const fields = Object.fromEntries((response.json().error.details as { field: string; message: string }[]).map((d) => [d.field, d.message]));
      expect(fields.industryCode).toContain('行业大类代码，请填到4位小类');
      expect(fields.townId).toContain('所选镇街不存在');
      expect(fields.registrationDate).toContain('晚于今天');
      expect(fields.scaleSince).toContain('请填写规上起始年月');
      const before = await registryCounts(env.deps.db);
      const nul = await admin.post('/api/enterprises', form({ name: '坏\u0000名字' }));
      expect(nul.statusCode).toBe(400);
      expect(nul.json().error.message).toMatch(/无法保存的字符|控制字符|有误/);
      expect(await registryCounts(env.deps.db)).toEqual(before);
    });

    it('keeps a well-formed industry code outside the list, with a warning', async () => {
      const response = await admin.post('/api/enterprises', form({ industryCode: '3699' }));
      expect(response.statusCode).toBe(200);
      expect(response.json<EnterpriseDetail>().warnings).toEqual([{ field: 'industryCode', message: expect.stringContaining('不在 GB/T 4754-2017') }]);
    });

    it('stores hostile-looking text verbatim', async () => {
      const name = `<script>alert(1)</script>'; DROP TABLE enterprises;-- =1+1 \u202Eabc 😀`;
      const response = await admin.post('/api/enterprises', form({ name }));
      expect(response.statusCode).toBe(200);
      expect((await admin.get(`/api/enterprises/${response.json<EnterpriseDetail>().id}`)).json<EnterpriseDetail>().name).toBe(name);
    });

    it('edits only what is sent, and records 退库 and a later re-entry as spells', async () => {
      const created = (await admin.post('/api/enterprises', form({ tags: ['龙头企业'], address: '旧地址' }))).json<EnterpriseDetail>();
      const renamed = await admin.patch(`/api/enterprises/${created.id}`, { name: '随州市改名后有限公司', chainIds: [chainId('装备制造')] });
      expect(renamed.statusCode).toBe(200);
      expect(renamed.json<EnterpriseDetail>()).toMatchObject({ name: '随州市改名后有限公司', address: '旧地址', tags: ['龙头企业'], chains: [{ name: '装备制造' }] });

      const out = (await admin.patch(`/api/enterprises/${created.id}`, { aboveScale: false, scaleExit: '2023-02' })).json<EnterpriseDetail>();
      expect(out.aboveScale).toBe(false);
      expect(out.scaleHistory).toEqual([{ id: expect.any(String), fromPeriod: '2021-02', fromReason: '年度入库', toPeriod: '2022-12', toReason: '退库' }]);
      const early = await admin.patch(`/api/enterprises/${created.id}`, { aboveScale: true, scaleSince: '2022-06' });
      expect(early.statusCode).toBe(400);
      expect(early.json().error.details[0].field).toBe('scaleSince');
      const back = (await admin.patch(`/api/enterprises/${created.id}`, { aboveScale: true, scaleSince: '2024-07' })).json<EnterpriseDetail>();
      expect(back.scaleHistory.map((s) => [s.fromPeriod, s.fromReason, s.toPeriod])).toEqual([
        ['2021-02', '年度入库', '2022-12'],
        ['2024-07', '月度入库', null],
      ]);
      const actions = await env.deps.db.selectFrom('audit_log').select('action').where('entity_id', '=', created.id).orderBy('seq').execute();
      expect(actions.map((a) => a.action)).toEqual(['enterprise.create', 'enterprise.update', 'enterprise.update', 'enterprise.update']);
    });
  });

  describe('the list', () => {
    beforeEach(async () => {
      await buildEnterprise(env.deps.db, { name: '筛选甲专用汽车有限公司', town: '何店镇', industryCode: '3630', chains: ['专汽及零部件'], aboveScale: true, tags: ['专精特新'] });
      await buildEnterprise(env.deps.db, { name: '筛选乙汽车零部件有限公司', town: '何店镇', industryCode: '3670', chains: ['专汽及零部件', '氢能及新能源汽车'] });
      await buildEnterprise(env.deps.db, { name: '筛选丙食品有限公司', town: '西城街道', industryCode: '1372', chains: ['农产品加工'], aboveScale: true });
    });
    const names = async (client: Client, query: string) => (await client.get(`/api/enterprises?search=筛选&pageSize=200&${query}`)).json<Page>().items.map((i) => i.name).sort();

    it('answers the contract shape', async () => {
      const page = (await admin.get('/api/enterprises?search=筛选甲')).json<Page>();
      expect(page.total).toBe(1);
      expect(Object.keys(page.items[0]!).sort()).toEqual(['aboveScale', 'chains', 'id', 'industryCode', 'name', 'town', 'uscc']);
      expect(page.items[0]).toMatchObject({ town: { id: hedianId, name: '何店镇' }, industryCode: '3630', chains: [{ id: chainId('专汽及零部件'), name: '专汽及零部件' }], aboveScale: true });
    });

    it('filters by town, chain, industry division or class, 规上 and tag; searches name or USCC', async () => {
      expect(await names(admin, '')).toHaveLength(3);
      expect(await names(admin, `town=${xichengId}`)).toEqual(['筛选丙食品有限公司']);
      expect(await names(admin, `chain=${chainId('专汽及零部件')}`)).toEqual(['筛选乙汽车零部件有限公司', '筛选甲专用汽车有限公司']);
      expect(await names(admin, `chain=${chainId('氢能及新能源汽车')}`)).toEqual(['筛选乙汽车零部件有限公司']);
      expect(await names(admin, 'industry=36')).toEqual(['筛选乙汽车零部件有限公司', '筛选甲专用汽车有限公司']);
      expect(await names(admin, 'industry=3670')).toEqual(['筛选乙汽车零部件有限公司']);
      expect(await names(admin, 'aboveScale=true')).toEqual(['筛选丙食品有限公司', '筛选甲专用汽车有限公司']);
      expect(await names(admin, 'aboveScale=false')).toEqual(['筛选乙汽车零部件有限公司']);
      expect(await names(admin, `tag=${encodeURIComponent('专精特新')}`)).toEqual(['筛选甲专用汽车有限公司']);
      const one = (await admin.get('/api/enterprises?search=筛选丙')).json<Page>().items[0]!;
      const byCode = (await admin.get(`/api/enterprises?search=${one.uscc.slice(8, 16).toLowerCase()}`)).json<Page>();
      expect(byCode.items.map((i) => i.id)).toEqual([one.id]);
      // LIKE wildcards typed by a user are text, not patterns.
      expect((await admin.get('/api/enterprises?search=%25')).json<Page>().total).toBe(0);
      expect((await admin.get('/api/enterprises?industry=3x')).statusCode).toBe(400);
    });

    it('pages and sorts', async () => {
      const first = (await admin.get('/api/enterprises?search=筛选&pageSize=2&page=1&sort=industryCode')).json<Page>();
      const second = (await admin.get('/api/enterprises?search=筛选&pageSize=2&page=2&sort=industryCode')).json<Page>();
      expect(first.total).toBe(3);
      expect([...first.items, ...second.items].map((i) => i.industryCode)).toEqual(['1372', '3630', '3670']);
      const desc = (await admin.get('/api/enterprises?search=筛选&sort=-industryCode')).json<Page>();
      expect(desc.items.map((i) => i.industryCode)).toEqual(['3670', '3630', '1372']);
      const all = (await admin.get('/api/enterprises?pageSize=200')).json<Page>();
      expect(all.total).toBeGreaterThanOrEqual(300);
      expect(all.items).toHaveLength(200);
      expect((await admin.get('/api/enterprises?pageSize=201')).statusCode).toBe(400);
    });

    it('lists tags and groups', async () => {
      const tags = (await admin.get('/api/enterprises/tags')).json<{ items: { tag: string; count: number }[] }>().items;
      expect(tags.find((t) => t.tag === '专精特新')!.count).toBeGreaterThanOrEqual(1);
      const groups = (await admin.get('/api/enterprise-groups')).json<{ items: { name: string; count: number }[] }>().items;
      expect(groups.find((g) => g.name === '程力集团')!.count).toBe(4);
    });
  });

  describe('data scope', () => {
    it('a town user lists only its own town, row by row, and gets 404 for another town', async () => {
      const other = await buildEnterprise(env.deps.db, { town: '西城街道' });
      const hedian = await env.login('hedian');
      const page = (await hedian.get('/api/enterprises?pageSize=200')).json<Page>();
      expect(page.total).toBeGreaterThan(0);
      expect(page.total).toBeLessThanOrEqual(200);
      for (const item of page.items) expect(item.town).toEqual({ id: hedianId, name: '何店镇' });
      expect((await hedian.get(`/api/enterprises?town=${xichengId}`)).json<Page>().total).toBe(0);
      expect((await hedian.get(`/api/enterprises/${other.id}`)).statusCode).toBe(404);
      expect((await hedian.patch(`/api/enterprises/${other.id}`, { name: '改' })).statusCode).toBe(404);
      const created = await hedian.post('/api/enterprises', form({ townId: xichengId }));
      expect(created.statusCode).toBe(400);
      expect(created.json().error.details).toEqual([{ field: 'townId', message: '只能登记本镇街的企业' }]);
      const mine = await buildEnterprise(env.deps.db, { town: '何店镇' });
      const moved = await hedian.patch(`/api/enterprises/${mine.id}`, { townId: xichengId });
      expect(moved.statusCode).toBe(400);
      expect(moved.json().error.details[0].message).toContain('不能把企业划转');
    });

    it('a town user exports only its own town', async () => {
      await buildEnterprise(env.deps.db, { town: '西城街道', name: '导出范围测试西城有限公司' });
      const hedian = await env.login('hedian');
      const response = await hedian.get('/api/enterprises/export');
      expect(response.statusCode).toBe(200);
      const rows = await readSheet(response.rawPayload);
      expect(rows[0]!.slice(0, 3)).toEqual(['统一社会信用代码', '企业名称', '所属镇街']);
      expect(rows.length).toBeGreaterThan(1);
      for (const row of rows.slice(1)) expect(row[2]).toBe('何店镇');
    });

    it('an enterprise user sees its own enterprise only and cannot write', async () => {
      const qiye = await env.login('qiye');
      const page = (await qiye.get('/api/enterprises?pageSize=200')).json<Page>();
      expect(page.items.map((i) => i.name)).toEqual(['随州齐星专用车有限公司']);
      const own = page.items[0]!;
      expect((await qiye.get(`/api/enterprises/${own.id}`)).statusCode).toBe(200);
      const other = await buildEnterprise(env.deps.db, { town: '何店镇' });
      expect((await qiye.get(`/api/enterprises/${other.id}`)).statusCode).toBe(404);
      expect((await qiye.post('/api/enterprises', form())).statusCode).toBe(403);
      expect((await qiye.patch(`/api/enterprises/${own.id}`, { name: '改' })).statusCode).toBe(403);
      expect((await upload(env, qiye, '/api/enterprises/import?dryRun=true', 'a.xlsx', Buffer.from('x'))).statusCode).toBe(403);
    });

    it('asks for a session', async () => {
      expect((await env.anonymous().get('/api/enterprises')).statusCode).toBe(401);
      expect((await env.anonymous().get('/api/chains')).statusCode).toBe(401);
    });
  });

  describe('chains, export and template', () => {
    it('lists the district chains from configuration, pillar ones first', async () => {
      expect(chains.map((c) => [c.name, c.kind])).toEqual([
        ['专汽及零部件', 'pillar'],
        ['农产品加工', 'pillar'],
        ['移动应急装备', 'emerging'],
        ['软体新材料/新型建材', 'emerging'],
        ['电子元器件', 'emerging'],
        ['装备制造', 'emerging'],
        ['氢能及新能源汽车', 'emerging'],
      ]);
    });

    it('exports the filtered list in the template layout, and the export imports back unchanged', async () => {
      await buildEnterprise(env.deps.db, { name: '往返测试甲有限公司', chains: ['专汽及零部件', '装备制造'], aboveScale: true, scaleSince: '2022-05', tags: ['专精特新'], group: '往返集团', address: '=HYPERLINK("x")' });
      await buildEnterprise(env.deps.db, { name: '往返测试乙有限公司', registrationDate: '2010-01-02', spells: [{ fromPeriod: '2016-02', fromReason: '年度入库', toPeriod: '2021-12', toReason: '退库' }] });
      const response = await admin.get(`/api/enterprises/export?search=${encodeURIComponent('往返测试')}&sort=name`);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-disposition']).toContain("filename*=UTF-8''%E4%BC%81%E4%B8%9A%E5%90%8D%E5%BD%95");
      const rows = await readSheet(response.rawPayload);
      expect(rows[0]).toEqual(['统一社会信用代码', '企业名称', '所属镇街', '国民经济行业代码', '产业链', '是否规上', '规上起始年月', '退库年月', '成立日期', '地址', '联系人', '联系电话', '所属集团', '标签', '行业名称']);
      expect(rows.slice(1).map((r) => [r[1], r[4], r[5], r[6], r[7], r[12], r[13]])).toEqual([
        ['往返测试乙有限公司', '', '否', '', '2022-02', '', ''],
        ['往返测试甲有限公司', '专汽及零部件、装备制造', '是', '2022-05', '', '往返集团', '专精特新'],
      ]);
      // A formula-looking address is exported inert.
      expect(rows[2]![9]).toBe(`'=HYPERLINK("x")`);

      const before = await registryCounts(env.deps.db);
      const again = await upload(env, admin, '/api/enterprises/import?dryRun=false', '往返.xlsx', response.rawPayload);
      expect(again.statusCode, again.body).toBe(200);
      // The neutralised address comes back with its guard quote: the one field that changes.
      expect(again.json()).toMatchObject({ creates: 0, unchanged: 1, updates: 1, errorCount: 0 });
      expect(again.json().changes.find((c: { action: string }) => c.action === 'update').fields).toEqual(['地址']);
      expect((await registryCounts(env.deps.db)).enterprises).toBe(before.enterprises);
    });

    it('serves an import template that names every column', async () => {
      const response = await admin.get('/api/enterprises/import-template');
      expect(response.statusCode).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['企业名录', '填写说明']);
      expect((wb.worksheets[0]!.getRow(1).values as unknown[]).slice(1)).toContain('规上起始年月');
      const asIs = await upload(env, admin, '/api/enterprises/import?dryRun=true', '模板.xlsx', response.rawPayload);
      expect(asIs.statusCode).toBe(400);
      expect(asIs.json().error.message).toContain('没有数据行');
      expect((await (await env.login('leader')).get('/api/enterprises/import-template')).statusCode).toBe(403);
    });
  });
});
