import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv } from '#tests/support/test-env.ts';
import type { TestEnv } from '#tests/support/test-env.ts';
import { testDialects } from '#tests/support/databases.ts';

// The demo district as the template databases hold it (loaded by `kejing demo`).
describe.each(testDialects())('demo monthly reports on %s', (dialect) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv(dialect);
  });
  afterAll(async () => {
    await env.close();
  });

  it('is internally consistent: each 2022 上年同期 equals the 2021 本年累计 of the same month', async () => {
    const rows = await env.deps.db.selectFrom('monitoring_values').select(['enterprise_id', 'period', 'indicator', 'current_value', 'previous_value']).execute();
    const current2021 = new Map(rows.filter((r) => r.period.startsWith('2021')).map((r) => [`${r.enterprise_id}|${r.period.slice(5)}|${r.indicator}`, String(r.current_value)]));
    let compared = 0;
    for (const r of rows.filter((x) => x.period.startsWith('2022'))) {
      const last = current2021.get(`${r.enterprise_id}|${r.period.slice(5)}|${r.indicator}`);
      if (last === undefined) continue;
      expect(String(r.previous_value), `${r.enterprise_id} ${r.period} ${r.indicator}`).toBe(last);
      compared++;
    }
    expect(compared).toBeGreaterThan(10_000);
  });

  it('shows the Spring Festival dip, decliners, new entrants and missing reports', async () => {
    const client = await env.login('leader');
    const trend = (await client.get('/api/monitoring/trend?year=2022&indicator=output_value')).json();
    const monthly = (period: string) => Number(trend.points.find((p: { period: string }) => p.period === period).monthly.current);
    // 1–2月 are two months, yet weigh less than two ordinary months.
    expect(monthly('2022-02')).toBeLessThan(2 * monthly('2022-03'));
    expect(monthly('2022-02')).toBeGreaterThan(monthly('2022-03'));

    const december = (await client.get('/api/monitoring/figures?period=2022-12&dimension=entrant')).json();
    expect(december.groups.find((g: { key: string }) => g.key === 'new').enterprises).toBeGreaterThan(5);
    expect(december.district.falling).toBeGreaterThan(5);
    expect(december.district.missing).toBeGreaterThan(0);
    const growth = december.district.growthPct;
    expect(growth).toBeGreaterThan(0);
    expect(growth).toBeLessThan(30);

    const warnings = (await client.get('/api/monitoring/warnings?period=2022-12')).json();
    expect(warnings.items.some((w: { rule: string }) => w.rule === 'output_falling')).toBe(true);
    const reported = (await client.get('/api/monitoring/reported?year=2022')).json();
    expect(reported.items.find((r: { code: string; period: string }) => r.code === 'industrial_va_growth' && r.period === '2022-12').value).toBe('7.5');
  });

  it('leaves the demo enterprise account its December to fill online', async () => {
    const qiye = await env.login('qiye');
    const me = (await qiye.get('/api/auth/me')).json();
    const form = (await qiye.get(`/api/monitoring/form?enterpriseId=${me.enterpriseId}&period=2022-12`)).json();
    expect(form.report).toBeNull();
    expect(form.previousReport.values.output_value).not.toBeNull();
  });
});
