import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlanDetail, Unreported } from '#common/contracts/plans.ts';
import type { RankingResult, Target } from '#common/contracts/targets.ts';
import { testDialects } from '#tests/support/databases.ts';
import { createTestEnv } from '#tests/support/test-env.ts';
import type { TestEnv } from '#tests/support/test-env.ts';
import { DEMO_SOURCES } from '#server/demo/demo.plans.ts';

describe.each(testDialects())('the demo district’s 2022 plan on %s', (dialect) => {
  let env: TestEnv;
  beforeEach(async () => {
    env = await createTestEnv(dialect);
  });
  afterEach(async () => {
    await env.close();
  });

  it('is the seed read by the parser, with lead units, progress, who has not reported, bound targets, quotas and a ranking', async () => {
    const admin = await env.login('admin');
    const plans = (await admin.get('/api/plans')).json<{ items: { id: string; year: number; title: string; itemCount: number }[] }>().items;
    const plan = plans.find((p) => p.year === 2022)!;
    expect(plan).toMatchObject({ title: '曾都区 2022 年度科技和经信工作要点', itemCount: 27 });

    const tree = (await admin.get(`/api/plans/${plan.id}`)).json<PlanDetail>();
    expect(tree.period).toBe('2022-06');
    const items = tree.nodes.filter((n) => n.kind === 'item');
    expect(items.every((i) => i.leadUnit !== null && i.ownerSection !== null)).toBe(true);
    expect(items.find((i) => i.label === '2')!.cooperatingUnits).toHaveLength(11);
    expect(tree.plan.progress).toBeGreaterThan(20);
    expect(new Set(tree.nodes.map((n) => n.light)).size).toBeGreaterThan(1);
    expect(tree.mainTargets).toHaveLength(7);

    const unreported = (await admin.get(`/api/plans/${plan.id}/unreported`)).json<Unreported>();
    expect(unreported.missing.map((m) => m.unit.name)).toEqual(expect.arrayContaining(['西城街道', '安全股']));
    expect(unreported.overdueMilestones.map((m) => m.milestone.title)).toContain('程力电泳涂装项目建成投产');

    const targets = (await admin.get(`/api/targets?planId=${plan.id}`)).json<{ period: string; items: Target[] }>();
    expect(targets.period).toBe('2022-06');
    const bySubject = (s: string) => targets.items.find((t) => t.subject === s)!;
    expect(bySubject('全区规模以上工业产值').binding.sourceId).toBe(DEMO_SOURCES.outputGrowth);
    expect(bySubject('全区规模以上工业增加值').binding.sourceId).toBe(DEMO_SOURCES.industrialVaGrowth);
    expect(bySubject('新增规上工业企业')).toMatchObject({ binding: { kind: 'manual' }, hasQuotas: true, evaluation: { actual: '11' } });
    // Every source the demo binds is registered by its module, and the monitoring-bound growth
    // reads the demo's monthly reports.
    expect(targets.items.filter((t) => t.binding.kind === 'metric').every((t) => t.binding.registered)).toBe(true);
    expect(bySubject('全区规模以上工业产值').evaluation.actual).toMatch(/^-?\d+(\.\d+)?$/);
    // 支持程力集团产值突破 100 亿元: the group's 1–N月 output, in 亿元 like the target.
    expect(bySubject('程力集团产值')).toMatchObject({ unit: '亿元', binding: { kind: 'metric', sourceId: DEMO_SOURCES.chengliGroupOutput, registered: true } });
    expect(Number(bySubject('程力集团产值').evaluation.actual)).toBeGreaterThan(10);
    expect(bySubject('通过创新型县（市、区）验收评审').evaluation).toMatchObject({ actual: '0', status: 'normal' });
    // 全区高新技术企业突破 60 家 is a valid total, not paced by time; 新认定 9 家 accumulates.
    expect(bySubject('全区高新技术企业')).toMatchObject({ stock: true, evaluation: { expected: '60' } });
    expect(bySubject('新认定高新技术企业')).toMatchObject({ stock: false, evaluation: { expected: '4.5' } });

    const rankings = (await admin.get('/api/targets/rankings?year=2022')).json<{ items: { id: string }[] }>().items;
    expect(rankings).toHaveLength(1);
    const result = (await admin.get(`/api/targets/rankings/${rankings[0]!.id}/result?period=2022-06`)).json<RankingResult>();
    expect(result.rows).toHaveLength(11);
    expect(result.rows[0]!.rank).toBe(1);
    // 报送及时率 reads the demo's reports through the registry the app fills at start-up.
    const hedian = result.rows.find((r) => r.town.name === '何店镇')!;
    expect(hedian.cells.find((c) => c.key === 'reporting')!.rate).toBe(100);
    expect(result.rows.find((r) => r.town.name === '西城街道')!.cells.find((c) => c.key === 'reporting')!.rate).toBe(0);
  });
});
