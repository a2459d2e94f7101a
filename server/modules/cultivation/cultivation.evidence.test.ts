import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestEnv } from '#tests/support/test-env.ts';
import type { Client, TestEnv } from '#tests/support/test-env.ts';
import { testDialects } from '#tests/support/databases.ts';
import { buildEnterprise } from '#tests/support/factories.ts';
import type { BuiltEnterprise } from '#tests/support/factories.ts';
import { upload } from '#tests/support/upload.ts';
import { makeZip } from '#tests/support/zip.ts';

// Evidence files of qualifications and the adverse-record register, through the API on both
// databases: types by content, safe names, scope like the qualification, audit, and the
// compliance conditions at their look-back windows' edges.

type Json = Record<string, unknown>;

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj <<>> endobj\n', 'latin1'), Buffer.from('trailer <<>>\n%%EOF\n')]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 1)]);
const JPG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(32, 2)]);
const OFD = makeZip([{ name: 'OFD.xml', data: Buffer.from('<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"/>') }, { name: 'Doc_0/Document.xml', data: Buffer.from('<ofd:Document/>') }]);

describe.each(testDialects())('qualification evidence files on %s', (dialect) => {
  let env: TestEnv;
  let section: Client;
  let hedian: Client;
  let xicheng: Client;
  let company: BuiltEnterprise;
  let qualificationId: string;

  beforeEach(async () => {
    env = await createTestEnv(dialect);
    section = await env.login('yunxing');
    hedian = await env.login('hedian');
    xicheng = await env.login('xicheng');
    company = await buildEnterprise(env.deps.db, { name: '甲证明材料有限公司', town: '何店镇' });
    const created = await section.post('/api/cultivation/qualifications', { enterpriseId: company.id, kind: 'high_tech', recognition: 'first', grantedOn: '2021-11-24', number: 'GR202142000123' });
    expect(created.statusCode, created.body).toBe(200);
    qualificationId = created.json<Json>().id as string;
  });
  afterEach(async () => {
    await env.close();
  });

  const auditOf = (action: string) => env.deps.db.selectFrom('audit_log').select(['action', 'entity_id', 'after_json', 'before_json']).where('action', '=', action).execute();

  it('stores an upload by content type under a safe name, lists it, serves it with an RFC 5987 name, and audits it', async () => {
    const response = await upload(env, hedian, `/api/cultivation/qualifications/${qualificationId}/files`, 'C:\\Users\\clerk\\证书 扫描件.pdf', PDF);
    expect(response.statusCode, response.body).toBe(200);
    const file = response.json<Json>();
    expect(file).toMatchObject({ qualificationId, fileName: '证书 扫描件.pdf', fileType: 'pdf', size: PDF.length });

    const list = await hedian.get(`/api/cultivation/qualifications/${qualificationId}/files`);
    expect(list.json<{ items: Json[] }>().items.map((f) => f.fileName)).toEqual(['证书 扫描件.pdf']);

    const download = await hedian.get(`/api/cultivation/files/${file.id as string}`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('证书 扫描件.pdf')}`);
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(download.rawPayload, PDF)).toBe(0);

    const audits = await auditOf('cultivation.evidence.attach');
    expect(audits).toHaveLength(1);
    expect(audits[0]!.entity_id).toBe(file.id);
    expect(audits[0]!.after_json).toContain('证书 扫描件.pdf');

    for (const [name, content, type] of [['证书.PNG', PNG, 'png'], ['通知.jpeg', JPG, 'jpg'], ['电子证照.ofd', OFD, 'ofd']] as const) {
      const r = await upload(env, section, `/api/cultivation/qualifications/${qualificationId}/files`, name, content);
      expect(r.statusCode, `${name}: ${r.body}`).toBe(200);
      expect(r.json<Json>().fileType).toBe(type);
    }
  });

  it('refuses files whose content is not what the name says, unknown types, empty and oversized files', async () => {
    const url = `/api/cultivation/qualifications/${qualificationId}/files`;
    const cases: [string, Buffer, number, string][] = [
      ['伪装.pdf', Buffer.from('MZ\x90\x00 this is an executable'), 400, '不是有效的 PDF'],
      ['图片.jpg', PNG, 400, '与扩展名 .jpg 不符'],
      ['说明.pdf', JPG, 400, '与扩展名 .pdf 不符'],
      ['证照.ofd', makeZip([{ name: 'word/document.xml', data: Buffer.from('<w/>') }]), 400, '不是有效的 OFD'],
      ['程序.exe', PDF, 400, '不支持的文件类型 .exe'],
      ['无扩展名', PDF, 400, '不支持的文件类型'],
      ['空.pdf', Buffer.alloc(0), 400, '空的'],
    ];
    for (const [name, content, status, message] of cases) {
      const r = await upload(env, section, url, name, content);
      expect(r.statusCode, `${name}: ${r.body}`).toBe(status);
      expect(r.json<{ error: { message: string } }>().error.message, name).toContain(message);
    }
    const tooLarge = await upload(env, section, url, '大.pdf', Buffer.concat([PDF, Buffer.alloc(20 * 1024 * 1024)]));
    expect(tooLarge.statusCode).toBe(413);
    expect((await section.get(`/api/cultivation/qualifications/${qualificationId}/files`)).json<{ items: Json[] }>().items).toEqual([]);
    expect(await auditOf('cultivation.evidence.attach')).toEqual([]);
  });

  it('scopes files like their qualification: another town and an enterprise account get 404 and change nothing', async () => {
    const file = (await upload(env, hedian, `/api/cultivation/qualifications/${qualificationId}/files`, '证书.pdf', PDF)).json<Json>();
    const qiye = await env.login('qiye');
    for (const client of [xicheng, qiye]) {
      expect((await client.get(`/api/cultivation/qualifications/${qualificationId}/files`)).statusCode).toBe(404);
      expect((await client.get(`/api/cultivation/files/${file.id as string}`)).statusCode).toBe(404);
    }
    expect((await upload(env, xicheng, `/api/cultivation/qualifications/${qualificationId}/files`, '证书.pdf', PDF)).statusCode).toBe(404);
    expect((await xicheng.delete(`/api/cultivation/files/${file.id as string}`)).statusCode).toBe(404);
    // The enterprise account reads, never writes.
    expect((await qiye.delete(`/api/cultivation/files/${file.id as string}`)).statusCode).toBe(403);
    expect((await hedian.get(`/api/cultivation/qualifications/${qualificationId}/files`)).json<{ items: Json[] }>().items).toHaveLength(1);

    const removed = await hedian.delete(`/api/cultivation/files/${file.id as string}`);
    expect(removed.statusCode, removed.body).toBe(200);
    expect((await hedian.get(`/api/cultivation/files/${file.id as string}`)).statusCode).toBe(404);
    const audits = await auditOf('cultivation.evidence.delete');
    expect(audits.map((a) => a.entity_id)).toEqual([file.id]);
    expect(audits[0]!.before_json).toContain('证书.pdf');
  });
});

describe.each(testDialects())('adverse records and the compliance conditions on %s', (dialect) => {
  let env: TestEnv;
  let section: Client;
  let company: BuiltEnterprise;

  beforeEach(async () => {
    env = await createTestEnv(dialect);
    section = await env.login('yunxing');
    company = await buildEnterprise(env.deps.db, { name: '丙合规测试有限公司', town: '何店镇', registrationDate: '2012-03-01' });
  });
  afterEach(async () => {
    await env.close();
  });

  const evaluate = async (asOf: string) => {
    const response = await section.get(`/api/enterprises/${company.id}/eligibility?asOf=${asOf}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ rule: string; outcome: string; criteria: { id: string; met: boolean | null; basis: string; note: string | null }[]; gaps: { criterion: string; message: string }[] }[]>();
  };

  // Windows (criteria.md): 高企 "the year before applying" = [asOf − 1 year, asOf]; 科技型中小企业
  // "the previous year and the current year" = [1 January of the data year, asOf]; the 2022
  // gradient rules state no window and read the same two years (ADR 0007).
  const AS_OF = '2022-12-31';
  const cases: { rule: string; criterion: string; kind: string; on: string; met: boolean }[] = [
    { rule: 'high_tech', criterion: 'no_major_accident', kind: 'safety_accident', on: '2021-12-30', met: true },
    { rule: 'high_tech', criterion: 'no_major_accident', kind: 'safety_accident', on: '2021-12-31', met: false },
    { rule: 'high_tech', criterion: 'no_major_accident', kind: 'environmental_violation', on: '2022-12-31', met: false },
    { rule: 'high_tech', criterion: 'no_major_accident', kind: 'quality_accident', on: '2023-01-01', met: true },
    { rule: 'tech_sme', criterion: 'no_major_accident', kind: 'quality_accident', on: '2020-12-31', met: true },
    { rule: 'tech_sme', criterion: 'no_major_accident', kind: 'quality_accident', on: '2021-01-01', met: false },
    { rule: 'tech_sme', criterion: 'no_major_accident', kind: 'research_misconduct', on: '2022-12-31', met: false },
    { rule: 'tech_sme', criterion: 'not_listed', kind: 'dishonest', on: '2023-01-01', met: true },
    { rule: 'tech_sme', criterion: 'products_allowed', kind: 'prohibited_products', on: '2021-01-01', met: false },
    { rule: 'innovative_sme', criterion: 'not_listed', kind: 'abnormal_operation', on: '2020-12-31', met: true },
    { rule: 'innovative_sme', criterion: 'not_listed', kind: 'abnormal_operation', on: '2021-01-01', met: false },
    { rule: 'specialized_sme', criterion: 'no_major_accident', kind: 'environmental_violation', on: '2021-01-01', met: false },
    { rule: 'specialized_sme', criterion: 'no_major_accident', kind: 'research_misconduct', on: '2022-06-01', met: true },
    { rule: 'little_giant', criterion: 'not_listed', kind: 'dishonest', on: '2022-12-31', met: false },
    { rule: 'little_giant', criterion: 'not_listed', kind: 'dishonest', on: '2020-12-31', met: true },
  ];

  it('turns a default-met condition unmet, naming the record, exactly inside each rule’s window', async () => {
    const before = await evaluate(AS_OF);
    for (const e of before.filter((x) => x.rule !== 'above_scale')) {
      expect(e.criteria.find((c) => c.id === 'no_major_accident'), e.rule).toMatchObject({ met: true, basis: 'default', note: '默认满足（无不良记录）' });
    }
    const wrong: string[] = [];
    for (const c of cases) {
      const created = await section.post(`/api/enterprises/${company.id}/adverse-records`, { kind: c.kind, occurredOn: c.on, description: `边界 ${c.on}`, source: '随州市应急管理局通报' });
      expect(created.statusCode, created.body).toBe(200);
      const evaluation = (await evaluate(AS_OF)).find((e) => e.rule === c.rule)!;
      const criterion = evaluation.criteria.find((x) => x.id === c.criterion);
      if (criterion?.met !== c.met) wrong.push(`${c.rule} ${c.criterion} ${c.kind} on ${c.on}: expected met ${c.met}, got ${String(criterion?.met)}`);
      if (!c.met && !(criterion?.note ?? '').includes(`边界 ${c.on}`)) wrong.push(`${c.rule} ${c.criterion}: the record is not named (${criterion?.note})`);
      if (!c.met && !evaluation.gaps.some((g) => g.criterion === c.criterion && g.message.includes('随州市应急管理局通报'))) wrong.push(`${c.rule} ${c.criterion}: no gap naming the record`);
      expect((await section.delete(`/api/cultivation/adverse-records/${created.json<Json>().id as string}`)).statusCode).toBe(200);
    }
    expect(wrong).toEqual([]);
  });

  it('makes an otherwise eligible enterprise not eligible, and is scoped and audited', async () => {
    for (const year of [2019, 2020, 2021]) {
      const r = await section.put('/api/cultivation/annual-data', { enterpriseId: company.id, year, staffTotal: 100, techStaff: 30, operatingRevenue: '3000', mainBusinessRevenue: '2500', totalCostsExpenses: '2600', rdExpense: '180', totalAssets: '4000', ip1Count: 1, ip2Count: 0 });
      expect(r.statusCode, r.body).toBe(200);
    }
    expect((await evaluate(AS_OF)).find((e) => e.rule === 'tech_sme')?.outcome).toBe('eligible');

    const hedian = await env.login('hedian');
    const xicheng = await env.login('xicheng');
    const body = { kind: 'dishonest', occurredOn: '2022-05-10', description: '列入严重违法失信名单', source: '信用中国' };
    expect((await xicheng.post(`/api/enterprises/${company.id}/adverse-records`, body)).statusCode).toBe(404);
    expect((await hedian.post(`/api/enterprises/${company.id}/adverse-records`, { ...body, occurredOn: '2099-01-01' })).statusCode).toBe(400);
    const created = await hedian.post(`/api/enterprises/${company.id}/adverse-records`, body);
    expect(created.statusCode, created.body).toBe(200);
    expect((await evaluate(AS_OF)).find((e) => e.rule === 'tech_sme')?.outcome).toBe('not_eligible');

    expect((await xicheng.get(`/api/enterprises/${company.id}/adverse-records`)).statusCode).toBe(404);
    expect((await hedian.get(`/api/enterprises/${company.id}/adverse-records`)).json<{ items: Json[] }>().items).toMatchObject([{ kind: 'dishonest', occurredOn: '2022-05-10', source: '信用中国' }]);
    expect((await xicheng.delete(`/api/cultivation/adverse-records/${created.json<Json>().id as string}`)).statusCode).toBe(404);

    // The pool reads the same records: the enterprise is no longer an eligible tech-SME candidate.
    const pool = await section.get('/api/cultivation/pools/tech_sme?asOf=2022-12-31&pageSize=200');
    expect(pool.json<{ items: { enterprise: { id: string }; outcome: string }[] }>().items.find((c) => c.enterprise.id === company.id)?.outcome).not.toBe('eligible');

    const actions = (await env.deps.db.selectFrom('audit_log').select('action').where('action', 'like', 'cultivation.adverse.%').execute()).map((r) => r.action);
    expect(actions).toEqual(['cultivation.adverse.create']);
  });
});
