import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateUscc } from '#common/uscc.ts';
import { checkIndustryCode } from '#common/industry.ts';
import { createTestEnv } from '#tests/support/test-env.ts';
import type { TestEnv } from '#tests/support/test-env.ts';
import { testDialects } from '#tests/support/databases.ts';
import { buildDemoRoster } from '#server/demo/demo.enterprises.ts';

// The template every test database is copied from is built by loadDemoDistrict.
describe.each(testDialects())('demo enterprise roster on %s', (dialect) => {
  let env: TestEnv;
  beforeEach(async () => {
    env = await createTestEnv(dialect);
  });
  afterEach(async () => {
    await env.close();
  });

  it('has 300+ enterprises in every active town and every chain, with valid codes and a 规上 history', async () => {
    const db = env.deps.db;
    const rows = await db
      .selectFrom('enterprises as e')
      .innerJoin('units as u', 'u.id', 'e.town_id')
      .select(['e.id', 'e.uscc', 'e.name', 'e.industry_code', 'e.uscc_warnings', 'e.above_scale', 'u.name as town', 'u.active'])
      .execute();
    expect(rows.length).toBeGreaterThanOrEqual(300);
    expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length);
    const towns = await db.selectFrom('units').select(['name', 'active']).where('kind', 'in', ['street', 'town', 'zone']).execute();
    for (const town of towns.filter((t) => t.active === 1)) expect(rows.some((r) => r.town === town.name), town.name).toBe(true);
    expect(rows.some((r) => r.town === '随州市经济开发区')).toBe(false);
    const chained = await db.selectFrom('enterprise_chains').select('chain_id').distinct().execute();
    expect(chained).toHaveLength(7);
    for (const r of rows) {
      const check = validateUscc(r.uscc);
      expect(check.errors, r.uscc).toEqual([]);
      // Only the few deliberately failing codes carry a warning, and it is stored.
      expect(JSON.parse(r.uscc_warnings)).toEqual(check.warnings);
      expect(checkIndustryCode(r.industry_code).className, r.industry_code).not.toBeNull();
    }
    expect(rows.filter((r) => JSON.parse(r.uscc_warnings).length > 0).length).toBeGreaterThan(0);
    const spells = await db.selectFrom('enterprise_scale_history').select(['enterprise_id', 'from_period', 'from_reason', 'to_period']).execute();
    expect(spells.some((s) => s.from_period.startsWith('2022') && s.from_reason === '月度入库')).toBe(true);
    expect(spells.some((s) => s.from_period === '2022-02' && s.from_reason === '年度入库')).toBe(true);
    expect(spells.some((s) => s.to_period !== null)).toBe(true);
    // The current flag agrees with the history.
    const open = new Set(spells.filter((s) => s.to_period === null).map((s) => s.enterprise_id));
    for (const r of rows) expect(r.above_scale === 1, r.name).toBe(open.has(r.id));
    const group = await db.selectFrom('enterprises as e').innerJoin('enterprise_groups as g', 'g.id', 'e.group_id').select('e.name').where('g.name', '=', '程力集团').execute();
    expect(group.length).toBeGreaterThanOrEqual(3);
  });

  it('attaches the demo enterprise account to a 何店镇 enterprise', async () => {
    const row = await env.deps.db
      .selectFrom('users as us')
      .innerJoin('enterprises as e', 'e.id', 'us.enterprise_id')
      .innerJoin('units as u', 'u.id', 'e.town_id')
      .select(['e.name', 'u.name as town'])
      .where('us.username', '=', 'qiye')
      .executeTakeFirstOrThrow();
    expect(row.town).toBe('何店镇');
  });
});

describe('demo roster generation', () => {
  it('is the same list every time, and quick', () => {
    const towns = ['西城街道', '东城街道', '南郊街道', '北郊街道', '涢水街道', '万店镇', '何店镇', '洛阳镇', '府河镇', '淅河镇', '湖北曾都经济开发区'].map((name) => ({ id: `u-${name}`, name }));
    const chains = ['专汽及零部件', '农产品加工', '移动应急装备', '软体新材料/新型建材', '电子元器件', '装备制造', '氢能及新能源汽车'].map((name) => ({ id: `c-${name}`, name }));
    const started = performance.now();
    const first = buildDemoRoster(towns, chains);
    expect(performance.now() - started).toBeLessThan(500);
    expect(buildDemoRoster(towns, chains)).toEqual(first);
    expect(new Set(first.map((s) => s.uscc)).size).toBe(first.length);
  });
});
