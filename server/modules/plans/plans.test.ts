import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ParsedPlan, PlanDetail, PlanItemDetail, PlanParseResult } from '#common/contracts/plans.ts';
import { toNumber } from '#server/db/client.ts';
import { testDialects } from '#tests/support/databases.ts';
import { createTestEnv, unitIdOf } from '#tests/support/test-env.ts';
import type { Client, TestEnv } from '#tests/support/test-env.ts';
import { upload } from '#tests/support/upload.ts';

// A small notice of our own (year 2023, so the demo district's 2022 plan does not mix in).
const NOTICE = `测试区 2023 年度工作要点

主要目标：新增规上工业企业 10 家，规上工业产值增长 12%以上。

一、抓运行调度

1.抓好首季开局。确保一季度规上工业增加值增长 12%。

2.抓好任务分解。层层分解目标至各地、各企业。

二、抓企业培育

3.实施中小企业成长工程。力争新增规模以上工业企业 10 家，支持龙头企业产值突破 50 亿元。
`;

async function auditCount(env: TestEnv, action: string, entityId?: string): Promise<number> {
  let query = env.deps.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).where('action', '=', action);
  if (entityId) query = query.where('entity_id', '=', entityId);
  return toNumber((await query.executeTakeFirstOrThrow()).n as string | number);
}

async function importNotice(client: Client, edit: (plan: ParsedPlan) => void = () => {}): Promise<PlanDetail> {
  const parsed = await client.post('/api/plans/parse', { text: NOTICE });
  expect(parsed.statusCode).toBe(200);
  const body = parsed.json<PlanParseResult>();
  edit(body.plan);
  const saved = await client.post('/api/plans', { text: body.text, fileName: null, plan: body.plan });
  expect(saved.statusCode, saved.body).toBe(200);
  return saved.json<PlanDetail>();
}

const itemOf = (plan: PlanDetail, label: string) => plan.nodes.find((n) => n.kind === 'item' && n.label === label)!;

describe.each(testDialects())('plans on %s', (dialect) => {
  let env: TestEnv;
  beforeEach(async () => {
    env = await createTestEnv(dialect);
  });
  afterEach(async () => {
    await env.close();
  });

  async function assign(client: Client, itemId: string, lead: string, cooperating: string[], owner = lead) {
    const response = await client.patch(`/api/plans/items/${itemId}`, {
      leadUnitId: await unitIdOf(env, lead),
      cooperatingUnitIds: await Promise.all(cooperating.map((name) => unitIdOf(env, name))),
      ownerSectionId: await unitIdOf(env, owner),
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<PlanItemDetail>();
  }

  it('parses a pasted notice for review without saving, then saves the corrected plan with its original text and targets', async () => {
    const yunxing = await env.login('yunxing');
    const plansBefore = (await yunxing.get('/api/plans')).json<{ items: unknown[] }>().items.length;
    const parsed = (await yunxing.post('/api/plans/parse', { text: NOTICE })).json<PlanParseResult>();
    expect(parsed.plan.groups.map((g) => g.items.length)).toEqual([2, 1]);
    expect(parsed.related.map((r) => r.subject)).toContain('规上工业企业');
    expect((await yunxing.get('/api/plans')).json<{ items: unknown[] }>().items.length).toBe(plansBefore);

    // The reviewer corrects one candidate: the leading enterprise's threshold is 60 亿元.
    const plan = await importNotice(yunxing, (p) => {
      p.groups[1]!.items[0]!.targets[1]!.value = 60;
    });
    expect(plan.plan).toMatchObject({ year: 2023, title: '测试区 2023 年度工作要点', itemCount: 3, targetCount: 5, progress: 0 });
    expect(plan.nodes.map((n) => `${n.kind}:${n.label}`)).toEqual(['group:一', 'item:1', 'item:2', 'group:二', 'item:3']);
    expect(plan.mainTargets.map((t) => `${t.subject} ${t.comparator} ${t.value}${t.unit}`)).toEqual(['新增规上工业企业 = 10家', '规上工业产值 >= 12%']);

    const source = (await yunxing.get(`/api/plans/${plan.plan.id}/source`)).json<{ text: string }>();
    expect(source.text).toBe(NOTICE);
    const targets = (await yunxing.get(`/api/targets?planId=${plan.plan.id}`)).json<{ items: { subject: string; value: string; itemLabel: string | null; relatedKey: string | null }[] }>().items;
    expect(targets.find((t) => t.subject === '龙头企业产值')).toMatchObject({ value: '60', itemLabel: '3' });
    // 新增规上工业企业 (main) and 新增规模以上工业企业 (item 3) measure one subject.
    const related = targets.filter((t) => t.relatedKey === '规上工业企业');
    expect(related).toHaveLength(2);
    expect(await auditCount(env, 'plan.create', plan.plan.id)).toBe(1);
    expect(await auditCount(env, 'target.create_from_plan', plan.plan.id)).toBe(1);
  });

  it('reads an uploaded Word notice and refuses files it cannot read with what to do instead', async () => {
    const yunxing = await env.login('yunxing');
    const docx = fs.readFileSync(path.resolve('tests/fixtures/plans/zengdu-2022-excerpt.docx'));
    const read = await upload(env, yunxing, '/api/plans/parse-file', '通知.docx', docx);
    expect(read.statusCode, read.body).toBe(200);
    const result = read.json<PlanParseResult>();
    expect(result.fileName).toBe('通知.docx');
    expect(result.plan.title).toBe('曾都区 2022 年度科技和经信工作要点');
    expect(result.plan.mainTargets.length).toBe(7);

    // A .txt saved by Chinese Windows is GB18030, not UTF-8.
    const gbk = await upload(env, yunxing, '/api/plans/parse-file', '通知.txt', fs.readFileSync(path.resolve('tests/fixtures/plans/notice-gb18030.txt')));
    expect(gbk.statusCode, gbk.body).toBe(200);
    expect(gbk.json<PlanParseResult>().plan).toMatchObject({ title: '测试区 2023 年度工作要点', groups: [{ title: '抓运行调度' }] });

    const pdf = await upload(env, yunxing, '/api/plans/parse-file', '通知.pdf', Buffer.from('%PDF-1.7\n...'));
    expect(pdf.statusCode).toBe(400);
    expect(pdf.json().error.message).toContain('粘贴');
    const doc = await upload(env, yunxing, '/api/plans/parse-file', '通知.doc', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]));
    expect(doc.statusCode).toBe(400);
    expect(doc.json().error.message).toContain('.docx');
    // A town may report but not import plans.
    const hedian = await env.login('hedian');
    expect((await hedian.post('/api/plans/parse', { text: NOTICE })).statusCode).toBe(403);
  });

  it('rolls progress up from sub-items to items and groups, averaged or weighted', async () => {
    const yunxing = await env.login('yunxing');
    const plan = await importNotice(yunxing);
    const item1 = itemOf(plan, '1');
    const item2 = itemOf(plan, '2');
    const a = (await yunxing.post('/api/plans/items', { parentId: item1.id, title: '节前调度' })).json<PlanItemDetail>();
    const b = (await yunxing.post('/api/plans/items', { parentId: item1.id, title: '节后复工' })).json<PlanItemDetail>();
    expect(a.node.label).toBe('1.1');
    expect((await yunxing.patch(`/api/plans/items/${a.node.id}`, { progress: 100, weight: '3' })).statusCode).toBe(200);
    expect((await yunxing.patch(`/api/plans/items/${b.node.id}`, { progress: 20, weight: '1' })).statusCode).toBe(200);
    expect((await yunxing.patch(`/api/plans/items/${item2.id}`, { progress: 40 })).statusCode).toBe(200);

    const tree = async () => (await yunxing.get(`/api/plans/${plan.plan.id}?period=2023-06`)).json<PlanDetail>();
    let nodes = (await tree()).nodes;
    const progressOf = (id: string) => nodes.find((n) => n.id === id)!.progress;
    expect(progressOf(item1.id)).toBe(60);
    expect(progressOf(item1.parentId!)).toBe(50);

    await yunxing.patch(`/api/plans/items/${item1.id}`, { rollup: 'weighted' });
    nodes = (await tree()).nodes;
    expect(progressOf(item1.id)).toBe(80);
    expect(progressOf(item1.parentId!)).toBe(60);
    // A parent's own progress is not typed in: it follows its children.
    const refused = await yunxing.patch(`/api/plans/items/${item1.id}`, { progress: 10 });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toContain('由下级汇总');
    expect((await tree()).plan.progress).toBe(30);
  });

  it('a town reports only on items assigned to it: another town’s item answers 404, and the report shows in its work points', async () => {
    const yunxing = await env.login('yunxing');
    const plan = await importNotice(yunxing);
    const mine = itemOf(plan, '1');
    const theirs = itemOf(plan, '2');
    await assign(yunxing, mine.id, '运行科', ['何店镇']);
    await assign(yunxing, theirs.id, '企业股', ['西城街道']);

    const hedian = await env.login('hedian');
    const report = { period: '2023-06', progress: 40, text: '已完成节后复工调度', figures: [{ label: '复工企业', value: '36', unit: '家' }] };
    const filed = await hedian.post(`/api/plans/items/${mine.id}/reports`, report);
    expect(filed.statusCode, filed.body).toBe(200);
    const detail = filed.json<PlanItemDetail>();
    expect(detail.reports).toHaveLength(1);
    expect(detail.reports[0]).toMatchObject({ unit: { name: '何店镇' }, progress: 40, status: 'submitted', figures: [{ label: '复工企业', value: '36', unit: '家' }] });
    expect(detail.reportAs.map((u) => u.name)).toEqual(['何店镇']);

    expect((await hedian.post(`/api/plans/items/${theirs.id}/reports`, report)).statusCode).toBe(404);
    expect((await hedian.get(`/api/plans/items/${theirs.id}`)).statusCode).toBe(404);
    // Reporting as another town on an item it shares: 404, that unit is not the caller's.
    const xichengId = await unitIdOf(env, '西城街道');
    expect((await hedian.post(`/api/plans/items/${mine.id}/reports`, { ...report, unitId: xichengId })).statusCode).toBe(404);

    // The town's tree holds only its item (and the group above it).
    const tree = (await hedian.get(`/api/plans/${plan.plan.id}?period=2023-06`)).json<PlanDetail>();
    expect(tree.nodes.map((n) => n.label)).toEqual(['一', '1']);
    const myItems = (await hedian.get('/api/plans/my-items?period=2023-06')).json<{ items: { node: { id: string }; role: string; report: { progress: number } | null }[] }>();
    expect(myItems.items).toEqual([expect.objectContaining({ node: expect.objectContaining({ id: mine.id }), role: 'cooperate', report: expect.objectContaining({ progress: 40 }) })]);
    // A section reports only as its own unit, on items its unit is assigned to.
    const jiediao = await env.login('jiediao');
    expect((await jiediao.post(`/api/plans/items/${theirs.id}/reports`, report)).statusCode).toBe(404);
  });

  it('the owning section approves a lead unit’s report and the item’s progress follows; a returned report is corrected', async () => {
    const yunxing = await env.login('yunxing');
    const admin = await env.login('admin');
    const plan = await importNotice(yunxing);
    const item = itemOf(plan, '3');
    await assign(yunxing, item.id, '运行科', ['何店镇']);
    const filed = (await yunxing.post(`/api/plans/items/${item.id}/reports`, { period: '2023-06', progress: 55, text: '新增规上企业 4 家' })).json<PlanItemDetail>();
    const reportId = filed.reports[0]!.id;

    const returned = await yunxing.post(`/api/plans/reports/${reportId}/review`, { decision: 'return', note: '请补充企业名单' });
    expect(returned.json<PlanItemDetail>().reports[0]).toMatchObject({ status: 'returned', reviewNote: '请补充企业名单' });
    expect((await yunxing.post(`/api/plans/reports/${reportId}/review`, { decision: 'return' })).statusCode).toBe(400);
    await yunxing.post(`/api/plans/items/${item.id}/reports`, { period: '2023-06', progress: 60, text: '新增规上企业 4 家：甲、乙、丙、丁' });
    const approved = (await yunxing.post(`/api/plans/reports/${reportId}/review`, { decision: 'approve' })).json<PlanItemDetail>();
    expect(approved.reports[0]).toMatchObject({ status: 'approved', progress: 60, reviewedBy: 'yunxing' });
    expect(approved.node).toMatchObject({ ownProgress: 60, progress: 60, status: 'in_progress' });
    expect(approved.timeline.map((t) => t.kind)).toEqual(expect.arrayContaining(['report', 'review']));

    const again = await yunxing.post(`/api/plans/items/${item.id}/reports`, { period: '2023-06', progress: 70, text: '再报' });
    expect(again.statusCode).toBe(409);
    // Another section may not review 运行科's item; the administrator may.
    await yunxing.patch(`/api/plans/items/${item.id}`, { ownerSectionId: await unitIdOf(env, '企业股') });
    const hedian = await env.login('hedian');
    const townReport = (await hedian.post(`/api/plans/items/${item.id}/reports`, { period: '2023-06', progress: 30, text: '何店镇新增 1 家' })).json<PlanItemDetail>();
    const townReportId = townReport.reports.find((r) => r.unit.name === '何店镇')!.id;
    const refused = await yunxing.post(`/api/plans/reports/${townReportId}/review`, { decision: 'approve' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toContain('企业股');
    expect((await admin.post(`/api/plans/reports/${townReportId}/review`, { decision: 'approve' })).statusCode).toBe(200);
    // A cooperating town's approved report does not move the lead's progress.
    expect((await admin.get(`/api/plans/items/${item.id}`)).json<PlanItemDetail>().node.ownProgress).toBe(60);
  });

  it('lists who has not reported and the overdue milestones, reminds each once, and feeds the reporting rate', async () => {
    const yunxing = await env.login('yunxing');
    const plan = await importNotice(yunxing);
    await assign(yunxing, itemOf(plan, '1').id, '运行科', ['何店镇', '西城街道']);
    await assign(yunxing, itemOf(plan, '3').id, '企业股', ['何店镇'], '企业股');
    await yunxing.post(`/api/plans/items/${itemOf(plan, '1').id}/milestones`, { title: '一季度调度会', dueDate: '2023-03-31' });
    const hedian = await env.login('hedian');
    // Filed on 5 July 2023: on time for 1–6月 (due by the 10th of the next month).
    const back = Date.parse('2023-07-05T02:00:00Z') - Date.now();
    env.advance(back);
    await hedian.post(`/api/plans/items/${itemOf(plan, '1').id}/reports`, { period: '2023-06', progress: 50, text: '按期推进' });
    env.advance(-back);

    const unreported = (await yunxing.get(`/api/plans/${plan.plan.id}/unreported?period=2023-06`)).json<{
      missing: { item: { label: string }; unit: { name: string }; reminded: boolean }[];
      overdueMilestones: { milestone: { title: string } }[];
      byUnit: { unit: { name: string }; missing: number; assigned: number }[];
    }>();
    expect(unreported.missing.map((m) => `${m.item.label}:${m.unit.name}`).sort()).toEqual(['1:西城街道', '1:运行科', '3:企业股', '3:何店镇'].sort());
    expect(unreported.overdueMilestones.map((m) => m.milestone.title)).toEqual(['一季度调度会']);
    expect(unreported.byUnit.find((u) => u.unit.name === '何店镇')).toMatchObject({ missing: 1, assigned: 2 });
    const tree = (await yunxing.get(`/api/plans/${plan.plan.id}?period=2023-06`)).json<PlanDetail>();
    expect(tree.nodes.find((n) => n.label === '1')).toMatchObject({ light: 'red', overdueMilestones: 1 });

    expect((await yunxing.post(`/api/plans/${plan.plan.id}/remind?period=2023-06`)).json()).toEqual({ created: 4 });
    expect((await yunxing.post(`/api/plans/${plan.plan.id}/remind?period=2023-06`)).json()).toEqual({ created: 0 });
    expect(await auditCount(env, 'plan.remind', plan.plan.id)).toBe(1);

    // The town sees its own lines only.
    const mine = (await hedian.get(`/api/plans/${plan.plan.id}/unreported?period=2023-06`)).json<{ missing: { unit: { name: string }; reminded: boolean }[] }>();
    expect(mine.missing).toEqual([expect.objectContaining({ unit: expect.objectContaining({ name: '何店镇' }), reminded: true })]);

    // 报送及时率 per town, through the metric registry the ranking reads: 何店镇 1 of 2 on time.
    const source = env.deps.metrics.get('plans.reporting_rate')!;
    expect((await source.compute(env.deps, { period: '2023-06', townId: await unitIdOf(env, '何店镇') })).value).toBe('50.0');
    expect((await source.compute(env.deps, { period: '2023-06', townId: await unitIdOf(env, '西城街道') })).value).toBe('0.0');
  });

  it('refuses reports on a group, outside the plan year, and milestones and notes for outsiders', async () => {
    const yunxing = await env.login('yunxing');
    const plan = await importNotice(yunxing);
    const group = plan.nodes.find((n) => n.kind === 'group')!;
    const item = itemOf(plan, '1');
    await assign(yunxing, item.id, '运行科', []);
    expect((await yunxing.post(`/api/plans/items/${item.id}/reports`, { period: '2022-06', progress: 1, text: 'x' })).statusCode).toBe(400);
    const onGroup = await yunxing.post(`/api/plans/items/${group.id}/reports`, { period: '2023-06', progress: 1, text: 'x' });
    expect(onGroup.statusCode).toBe(400);
    expect(onGroup.json().error.message).toContain('分组不报送进展');
    const bad = await yunxing.post(`/api/plans/items/${item.id}/reports`, { period: '2023-01', progress: 120, text: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.map((d: { field: string }) => d.field).sort()).toEqual(['period', 'progress', 'text']);
    const note = await yunxing.post(`/api/plans/items/${item.id}/notes`, { kind: 'supervision', text: '请加快进度', unitId: await unitIdOf(env, '何店镇') });
    expect(note.statusCode).toBe(400);
    const leader = await env.login('leader');
    expect((await leader.patch(`/api/plans/items/${item.id}`, { progress: 10 })).statusCode).toBe(403);
    expect((await leader.get(`/api/plans/items/${item.id}`)).statusCode).toBe(200);
  });

  it('writes an audit record for every change, in the same transaction', async () => {
    const yunxing = await env.login('yunxing');
    const plan = await importNotice(yunxing);
    const item = itemOf(plan, '1');
    await assign(yunxing, item.id, '运行科', ['何店镇']);
    const notesBefore = await auditCount(env, 'plan_note.create');
    const withMilestone = (await yunxing.post(`/api/plans/items/${item.id}/milestones`, { title: '节点', dueDate: '2023-09-30' })).json<PlanItemDetail>();
    const milestoneId = withMilestone.milestones[0]!.id;
    await yunxing.patch(`/api/plans/milestones/${milestoneId}`, { doneDate: '2023-09-01' });
    const filed = (await yunxing.post(`/api/plans/items/${item.id}/reports`, { period: '2023-06', progress: 30, text: '进展' })).json<PlanItemDetail>();
    const reportId = filed.reports[0]!.id;
    await yunxing.post(`/api/plans/items/${item.id}/reports`, { period: '2023-06', progress: 35, text: '更正' });
    const attached = await upload(env, yunxing, `/api/plans/reports/${reportId}/files`, '现场.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
    expect(attached.statusCode, attached.body).toBe(200);
    const fileId = attached.json<PlanItemDetail>().reports[0]!.attachments[0]!.id;
    const download = await yunxing.get(`/api/plans/files/${fileId}`);
    expect(download.headers['content-type']).toContain('image/png');
    expect(download.rawPayload.length).toBe(7);
    await yunxing.post(`/api/plans/reports/${reportId}/review`, { decision: 'approve' });
    await yunxing.post(`/api/plans/items/${item.id}/notes`, { kind: 'supervision', text: '请加快进度' });
    await yunxing.delete(`/api/plans/milestones/${milestoneId}`);

    expect(await auditCount(env, 'plan_item.update', item.id)).toBe(1);
    expect(await auditCount(env, 'plan_milestone.create', milestoneId)).toBe(1);
    expect(await auditCount(env, 'plan_milestone.update', milestoneId)).toBe(1);
    expect(await auditCount(env, 'plan_milestone.delete', milestoneId)).toBe(1);
    expect(await auditCount(env, 'plan_report.submit', reportId)).toBe(1);
    expect(await auditCount(env, 'plan_report.resubmit', reportId)).toBe(1);
    expect(await auditCount(env, 'plan_report.attach', reportId)).toBe(1);
    expect(await auditCount(env, 'plan_report.approve', reportId)).toBe(1);
    expect(await auditCount(env, 'plan_note.create')).toBe(notesBefore + 1);
    const update = await env.deps.db.selectFrom('audit_log').select(['before_json', 'after_json', 'actor_name']).where('action', '=', 'plan_item.update').where('entity_id', '=', item.id).executeTakeFirstOrThrow();
    expect(JSON.parse(update.before_json!)).toMatchObject({ leadUnitId: null });
    expect(JSON.parse(update.after_json!)).toMatchObject({ leadUnitId: await unitIdOf(env, '运行科') });
    expect(update.actor_name).toBe('yunxing');

    expect((await yunxing.delete(`/api/plans/${plan.plan.id}`)).statusCode).toBe(204);
    expect(await auditCount(env, 'plan.delete', plan.plan.id)).toBe(1);
    expect(await auditCount(env, 'target.delete_with_plan', plan.plan.id)).toBe(1);
    expect((await yunxing.get(`/api/plans/${plan.plan.id}`)).statusCode).toBe(404);
    expect((await env.deps.audit.verify(env.deps.db)).ok).toBe(true);
  });
});
