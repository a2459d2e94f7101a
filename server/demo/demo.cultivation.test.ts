import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestEnv } from '#tests/support/test-env.ts';
import type { TestEnv } from '#tests/support/test-env.ts';
import { testDialects } from '#tests/support/databases.ts';
import { systemActor } from '#server/platform/audit.ts';
import { demoFigures, loadDemoCultivation } from '#server/demo/demo.cultivation.ts';
import { prng } from '#server/demo/demo.enterprises.ts';
import { DEMO_AS_OF } from '#server/modules/cultivation/cultivation.service.ts';

// The template every test database is copied from carries the demo district, cultivation included.
describe.each(testDialects())('demo cultivation on %s', (dialect) => {
  let env: TestEnv;
  beforeEach(async () => {
    env = await createTestEnv(dialect);
  });
  afterEach(async () => {
    await env.close();
  });

  it('gives every rung members and candidates as of 2022-12-31, with the plan’s three 高企 measures', async () => {
    const leader = await env.login('leader');
    const response = await leader.get(`/api/cultivation/ladder?asOf=${DEMO_AS_OF}`);
    expect(response.statusCode, response.body).toBe(200);
    const ladder = response.json<{ rungs: { rung: string; count: number; candidates: number; flows: { added: number; firstTime: number | null; renewed: number | null } }[]; registers: { kind: string; count: number }[] }>();
    for (const rung of ladder.rungs) {
      expect(rung.count, rung.rung).toBeGreaterThan(0);
      if (rung.rung !== 'champion') expect(rung.candidates, rung.rung).toBeGreaterThan(0);
    }
    const highTech = ladder.rungs.find((r) => r.rung === 'high_tech')!;
    expect(highTech.flows.firstTime).toBeGreaterThan(0);
    expect(highTech.flows.renewed).toBeGreaterThan(0);
    for (const register of ladder.registers) expect(register.count, register.kind).toBeGreaterThan(0);

    // Each pool shows eligible or 需评审 candidates at its head.
    for (const rung of ['above_scale', 'tech_sme', 'high_tech', 'innovative_sme', 'specialized_sme', 'little_giant']) {
      const pool = (await leader.get(`/api/cultivation/pools/${rung}?asOf=${DEMO_AS_OF}&pageSize=5`)).json<{ items: { outcome: string }[] }>();
      expect(['eligible', 'needs_review'], rung).toContain(pool.items[0]?.outcome);
    }
    const reminders = (await leader.get(`/api/cultivation/qualifications/expiring?asOf=${DEMO_AS_OF}`)).json<{ items: unknown[] }>();
    expect(reminders.items.length).toBeGreaterThan(0);
  });

  it('is deterministic and loads in well under a second', async () => {
    const a = demoFigures(prng(7), 'star');
    const b = demoFigures(prng(7), 'star');
    expect(a).toEqual(b);
    await env.deps.db.deleteFrom('enterprise_annual_data').execute();
    await env.deps.db.deleteFrom('qualifications').execute();
    const started = performance.now();
    const loaded = await loadDemoCultivation(env.deps, systemActor('demo'));
    const elapsed = performance.now() - started;
    expect(loaded.annualRows).toBeGreaterThan(800);
    expect(loaded.qualifications).toBeGreaterThan(100);
    expect(elapsed).toBeLessThan(dialect === 'sqlite' ? 1000 : 3000);
  });
});
