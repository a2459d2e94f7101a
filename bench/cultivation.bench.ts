import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '#server/config.ts';
import { createDeps, prepareDatabase } from '#server/bootstrap.ts';
import { newId, nowIso } from '#server/platform/ids.ts';
import { prng } from '#server/demo/demo.enterprises.ts';
import { demoFigures, drawArchetype } from '#server/demo/demo.cultivation.ts';
import { composeUscc, insertEnterpriseSeeds } from '#server/modules/enterprises/enterprises.seed.ts';
import type { EnterpriseSeed } from '#server/modules/enterprises/enterprises.seed.ts';
import { figuresToColumns } from '#server/modules/cultivation/cultivation.annual.ts';
import { evaluateEligibility, evaluateSummary } from '#server/modules/cultivation/cultivation.eligibility.ts';
import { insertAnnualRows, insertQualificationRows } from '#server/modules/cultivation/cultivation.repo.ts';
import { emptyAnnualRow, evaluatePopulation, getLadder, getPool } from '#server/modules/cultivation/cultivation.service.ts';
import type { EligibilityInput } from '#server/modules/cultivation/rules/facts.ts';
import type { EnterpriseAnnualDataTable, QualificationsTable } from '#server/db/schema.ts';
import type { Bench, BenchLine } from '#bench/bench.types.ts';
import { median, round } from '#bench/bench.types.ts';

/**
 * Province scale for the eligibility engine (issue 5: "evaluating all enterprises at province
 * scale (20,000) completes in ≤ 5 s"): 20,000 synthetic enterprises with three years of annual
 * figures each and a register of qualifications, on the embedded database. Measured: the pure
 * engine over all six rules, the same from the database (load + evaluate), the ladder (every
 * pool rule for every enterprise plus the register counts) and one ranked pool page.
 */

const ENTERPRISES = 20_000;
const AS_OF = '2022-12-31';
const GOAL_MS = 5000;
const INDUSTRY_CODES = ['3630', '3670', '3660', '1372', '3989', '3484', '2924', '3612', '1311', '3511'];

/** Wall time and CPU time of one call, in ms. */
async function timed<T>(fn: () => Promise<T> | T): Promise<{ wall: number; cpu: number; result: T }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await fn();
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000, result };
}

async function best<T>(runs: number, fn: () => Promise<T> | T): Promise<{ wall: number; cpu: number; result: T }> {
  const all: { wall: number; cpu: number; result: T }[] = [];
  for (let i = 0; i < runs; i++) all.push(await timed(fn));
  const wall = median(all.map((r) => r.wall));
  return { wall, cpu: median(all.map((r) => r.cpu)), result: all[all.length - 1]!.result };
}

const line = (name: string, t: { wall: number; cpu: number }, note: string): BenchLine => ({
  name,
  value: round(t.wall, 0),
  unit: 'ms',
  baseline: GOAL_MS,
  ratio: round(t.wall / GOAL_MS),
  note: `${note}; CPU ${round(t.cpu, 0)} ms; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} CPUs`,
});

export const cultivationBench: Bench = {
  name: 'cultivation',
  async *run({ full }) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kejing-bench-cultivation-'));
    const config = loadConfig({ DATABASE_URL: path.join(dir, 'bench.db'), AUDIT_KEY_FILE: path.join(dir, 'audit.key'), LOG_LEVEL: 'silent' });
    const deps = createDeps(config);
    try {
      await prepareDatabase(deps);
      const towns = await deps.db.selectFrom('units').select('id').where('kind', 'in', ['street', 'town', 'zone']).where('active', '=', 1).execute();
      const random = prng(42);
      const now = nowIso();
      const seeds: EnterpriseSeed[] = [];
      for (let i = 0; i < ENTERPRISES; i++) {
        const body = `B${String(i).padStart(7, '0')}`;
        seeds.push({
          uscc: composeUscc(body),
          name: `基准测试企业${i}有限公司`,
          townId: towns[i % towns.length]!.id,
          industryCode: INDUSTRY_CODES[i % INDUSTRY_CODES.length]!,
          registrationDate: `${2000 + (i % 20)}-0${1 + (i % 9)}-15`,
          spells: i % 3 === 0 ? [] : [{ fromPeriod: '2018-02', fromReason: '年度入库' }],
        });
      }
      const setup = await timed(async () => {
        const ids = await deps.db.transaction().execute((trx) => insertEnterpriseSeeds(trx, seeds, now));
        const annual: EnterpriseAnnualDataTable[] = [];
        const qualifications: QualificationsTable[] = [];
        ids.forEach((id, i) => {
          const archetype = drawArchetype(random, { aboveScale: i % 3 !== 0 });
          for (const { year, ...figures } of demoFigures(random, archetype)) annual.push({ ...emptyAnnualRow(newId(), id, year, 'bench', now), ...figuresToColumns(figures).set });
          if (archetype === 'star' || (archetype === 'tech' && i % 2 === 0)) {
            const kind = archetype === 'star' ? 'high_tech' : 'tech_sme';
            qualifications.push({ id: newId(), enterprise_id: id, kind, level: null, recognition: kind === 'high_tech' ? 'first' : null, number: null, granted_on: '2021-11-24', expires_on: kind === 'high_tech' ? '2024-11-23' : '2022-12-31', revoked_on: null, revoke_reason: null, note: null, created_at: now, updated_at: now });
          }
          if (archetype === 'star' && i % 5 === 0) qualifications.push({ id: newId(), enterprise_id: id, kind: 'specialized_sme', level: 'provincial', recognition: null, number: null, granted_on: '2022-09-30', expires_on: '2025-09-29', revoked_on: null, revoke_reason: null, note: null, created_at: now, updated_at: now });
        });
        await deps.db.transaction().execute(async (trx) => {
          await insertAnnualRows(trx, annual);
          await insertQualificationRows(trx, qualifications);
        });
        return { annual: annual.length, qualifications: qualifications.length };
      });
      // How fast this machine is right now, so figures from different machines can be compared.
      const calibration = await timed(() => {
        let s = 0;
        for (let i = 0; i < 1e8; i++) s += i;
        return s;
      });
      yield { name: 'cultivation_calibration_loop_1e8', value: round(calibration.wall, 0), unit: 'ms', note: `a plain 10^8-iteration loop (≈ 100 ms on an idle modern core); CPU ${round(calibration.cpu, 0)} ms` };
      yield { name: 'cultivation_setup_20k', value: round(setup.wall, 0), unit: 'ms', note: `${ENTERPRISES} enterprises, ${setup.result.annual} annual rows, ${setup.result.qualifications} qualifications (SQLite)` };

      const runs = full ? 5 : 3;
      const all = { kind: 'all' } as const;
      // The engine alone, on inputs already in memory.
      const population = await evaluatePopulation(deps, all, AS_OF, { rules: [] });
      const inputs: EligibilityInput[] = population.map((m) => m.input);
      const engine = await best(runs, () => {
        let eligible = 0;
        for (const input of inputs) for (const e of evaluateEligibility(input, AS_OF)) if (e.outcome === 'eligible') eligible++;
        return eligible;
      });
      yield line('cultivation_engine_20k_all_rules', engine, `pure engine with every text (criteria, values, gaps), ${inputs.length} enterprises × 6 rules (${engine.result} eligible answers)`);
      const summary = await best(runs, () => {
        let eligible = 0;
        for (const input of inputs) for (const e of evaluateSummary(input, AS_OF)) if (e.outcome === 'eligible') eligible++;
        return eligible;
      });
      yield line('cultivation_engine_20k_summary', summary, `pure engine as pools run it (outcomes, scores, closeness; texts only for what is shown), ${inputs.length} × 6 rules (${summary.result} eligible answers)`);

      const fromDb = await best(runs, () => evaluatePopulation(deps, all, AS_OF));
      yield line('cultivation_evaluate_20k_from_db', fromDb, 'load enterprises, annual rows and qualifications from SQLite, then evaluate every rule (summary mode, as pools and the ladder do)');

      const ladder = await best(runs, () => getLadder(deps, AS_OF));
      yield line('cultivation_ladder_20k', ladder, 'GET /api/cultivation/ladder work: every pool rule for every enterprise plus register counts');

      const pool = await best(runs, () => getPool(deps, all, 'high_tech', { asOf: AS_OF, page: 1, pageSize: 20 }));
      yield line('cultivation_pool_page_20k', pool, `one ranked pool (高企, ${pool.result.total} candidates), first page`);
    } finally {
      await deps.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
