import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsedPlanSchema } from '#common/contracts/plans.ts';
import type { ParsedPlan } from '#common/contracts/plans.ts';
import { loadConfig } from '#server/config.ts';
import { runCli } from '#server/cli.ts';

const SEED = path.resolve(process.cwd(), '../shared/seed/zengdu-2022-work-plan.txt');

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, loadConfig({ LOG_LEVEL: 'silent' }), { out: (s) => out.push(s), err: (s) => err.push(s), stdin: async () => '' });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('kejing plan parse', () => {
  it('prints exactly the contract for the seed: header, main targets, 8 groups of 27 items with their targets', async () => {
    const { code, out } = await cli(['plan', 'parse', SEED, '--json']);
    expect(code).toBe(0);
    const plan = JSON.parse(out) as ParsedPlan;
    expect(Object.keys(plan)).toEqual(['title', 'noticeTitle', 'issuer', 'date', 'overview', 'mainTargets', 'groups']);
    // Nothing beyond the contract: stripping unknown keys changes nothing.
    expect(parsedPlanSchema.parse(plan)).toEqual(plan);
    expect(plan).toMatchObject({
      title: '曾都区 2022 年度科技和经信工作要点',
      noticeTitle: '关于印发《曾都区 2022 年度科技和经信工作要点》的通知',
      issuer: '随州市曾都区科学技术和经济信息化局',
      date: '2022-02-11',
    });
    expect(plan.groups.map((g) => `${g.number}:${g.label}`)).toEqual(['1:一', '2:二', '3:三', '4:四', '5:五', '6:六', '7:七', '8:八']);
    const items = plan.groups.flatMap((g) => g.items);
    expect(items.map((i) => i.number)).toEqual(Array.from({ length: 27 }, (_, i) => i + 1));
    expect(items.every((i) => i.label === String(i.number))).toBe(true);
    for (const target of [...plan.mainTargets, ...items.flatMap((i) => i.targets)]) {
      expect(Object.keys(target)).toEqual(['text', 'subject', 'comparator', 'value', 'unit', 'kind']);
    }
    expect(items[7]!.targets.map((t) => `${t.subject} ${t.comparator} ${t.value} ${t.unit}`)).toEqual([
      '新增规模以上工业企业 = 20 家',
      '新增产值过亿元企业 = 10 家',
      '新增产值过十亿元企业 = 2 家',
      '程力集团产值 > 100 亿元',
    ]);
  });

  it('without --json prints a summary; a missing file is an error that says so', async () => {
    const summary = await cli(['plan', 'parse', SEED]);
    expect(summary.out).toContain('8 个部分，27 项工作要点');
    const missing = await cli(['plan', 'parse', '/nonexistent/notice.txt']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('不存在');
    expect((await cli(['plan', 'read', SEED])).code).toBe(2);
  });

  it('runs as `npx kejing plan parse FILE --json`', () => {
    const result = spawnSync(process.execPath, ['bin/kejing.mjs', 'plan', 'parse', SEED, '--json'], { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent' } });
    expect(result.status, result.stderr).toBe(0);
    const plan = JSON.parse(result.stdout) as ParsedPlan;
    expect(plan.groups.flatMap((g) => g.items)).toHaveLength(27);
  }, 60_000);
});
