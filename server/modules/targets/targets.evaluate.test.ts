import { describe, expect, it } from 'vitest';
import type { Period } from '#common/period.ts';
import { checkQuotas, completionPct, DEFAULT_SETTINGS, expectedValue, isMet, statusOf, timeProgressPct } from '#server/modules/targets/targets.evaluate.ts';
import type { TargetRule } from '#server/modules/targets/targets.evaluate.ts';

const june = '2022-06' as Period;
const rule = (over: Partial<TargetRule>): TargetRule => ({ kind: 'count', comparator: '=', value: '20', tolerance: '1', ...over });

describe('comparators as officials mean them', () => {
  it('a bare count and 新增 N 家 are floors: more is met, fewer is not', () => {
    expect(isMet(rule({ comparator: '=', value: '20' }), '21')).toBe(true);
    expect(isMet(rule({ comparator: '=', value: '20' }), '20')).toBe(true);
    expect(isMet(rule({ comparator: '=', value: '20' }), '19')).toBe(false);
  });

  it('突破 / 超过 (>) needs more than the value; 以上 (≥) the value itself', () => {
    expect(isMet(rule({ comparator: '>', value: '60' }), '60')).toBe(false);
    expect(isMet(rule({ comparator: '>', value: '60' }), '61')).toBe(true);
    expect(isMet(rule({ comparator: '>=', value: '3' }), '3')).toBe(true);
  });

  it('左右 (≈) is met within the tolerance below, and the tolerance is configurable', () => {
    const about10 = rule({ kind: 'growth', comparator: '≈', value: '10', tolerance: '1' });
    expect(isMet(about10, '9')).toBe(true);
    expect(isMet(about10, '8.9')).toBe(false);
    expect(isMet(about10, '12')).toBe(true);
    expect(isMet({ ...about10, tolerance: '0.5' }, '9.4')).toBe(false);
  });

  it('以内 (≤) is a ceiling', () => {
    expect(isMet(rule({ comparator: '<=', value: '5' }), '5')).toBe(true);
    expect(isMet(rule({ comparator: '<=', value: '5' }), '5.1')).toBe(false);
  });
});

describe('expected by time progress', () => {
  it('counts and amounts accumulate: half the year gives half the annual value', () => {
    expect(timeProgressPct(june)).toBe(50);
    expect(expectedValue(rule({ value: '20' }), june)).toBe('10');
    expect(expectedValue(rule({ kind: 'amount', value: '100' }), '2022-03' as Period)).toBe('25');
  });

  it('growth rates are cumulative: the expected rate is the annual rate', () => {
    expect(expectedValue(rule({ kind: 'growth', value: '13' }), june)).toBe('13');
  });

  it('a level (有效高企总数 > 60) is not paced by time: 39 valid in June is 65% of it, 预警', () => {
    const valid = rule({ comparator: '>', value: '60', stock: true });
    expect(expectedValue(valid, june)).toBe('60');
    expect(statusOf(valid, '39', june, DEFAULT_SETTINGS)).toBe('warning');
    expect(statusOf(valid, '58', june, DEFAULT_SETTINGS)).toBe('normal');
    // The same 39 counted as recognitions accumulated through the year would be on pace.
    expect(statusOf(rule({ comparator: '>', value: '60' }), '39', june, DEFAULT_SETTINGS)).toBe('normal');
  });
});

describe('growth completion is measured on the increment', () => {
  it('actual rate over target rate when the target is positive', () => {
    expect(completionPct(rule({ kind: 'growth', value: '10' }), '5')).toBe(50);
  });

  it('a negative actual gives a negative completion instead of breaking', () => {
    expect(completionPct(rule({ kind: 'growth', value: '10' }), '-2')).toBe(-20);
  });

  it('a zero quota is a floor on the level: 100 plus the points above it', () => {
    expect(completionPct(rule({ kind: 'growth', value: '0' }), '3')).toBe(103);
    expect(completionPct(rule({ kind: 'growth', value: '0' }), '-1.5')).toBe(98.5);
  });
});

describe('status thresholds', () => {
  const settings = { ...DEFAULT_SETTINGS, normalPct: 95, laggingPct: 80 };

  it('达标 once the annual value is reached, whatever the month', () => {
    expect(statusOf(rule({ value: '20' }), '20', '2022-03' as Period, settings)).toBe('met');
  });

  it('counts: 正常 at or above 95% of time progress, 滞后 from 80%, 预警 below', () => {
    // 20 a year, June: 10 expected.
    expect(statusOf(rule({ value: '20' }), '9.5', june, settings)).toBe('normal');
    expect(statusOf(rule({ value: '20' }), '9', june, settings)).toBe('lagging');
    expect(statusOf(rule({ value: '20' }), '7.9', june, settings)).toBe('warning');
  });

  it('moving the thresholds moves the status', () => {
    expect(statusOf(rule({ value: '20' }), '9', june, { ...settings, normalPct: 90 })).toBe('normal');
    expect(statusOf(rule({ value: '20' }), '7.9', june, { ...settings, laggingPct: 70 })).toBe('lagging');
  });

  it('growth compares the year-to-date rate with the annual rate', () => {
    expect(statusOf(rule({ kind: 'growth', comparator: '>', value: '13' }), '12.5', june, settings)).toBe('normal');
    expect(statusOf(rule({ kind: 'growth', comparator: '>', value: '13' }), '11', june, settings)).toBe('lagging');
    expect(statusOf(rule({ kind: 'growth', comparator: '>', value: '13' }), '-1', june, settings)).toBe('warning');
  });

  it('no figure is 无数据; a milestone not done is 正常 until December', () => {
    expect(statusOf(rule({}), null, june, settings)).toBe('no_data');
    expect(statusOf(rule({ kind: 'milestone', value: null }), '0', june, settings)).toBe('normal');
    expect(statusOf(rule({ kind: 'milestone', value: null }), '0', '2022-12' as Period, settings)).toBe('warning');
    expect(statusOf(rule({ kind: 'milestone', value: null }), '1', june, settings)).toBe('met');
  });
});

describe('decomposition checks', () => {
  const count = { ...rule({ value: '20' }), base: null, unit: '家' };

  it('count quotas must add up to the district target exactly', () => {
    expect(checkQuotas(count, [{ townId: 'a', value: '12', base: null }, { townId: 'b', value: '8', base: null }])).toMatchObject({ ok: true, sum: '20' });
    const short = checkQuotas(count, [{ townId: 'a', value: '12', base: null }, { townId: 'b', value: '7', base: null }]);
    expect(short.ok).toBe(false);
    expect(short.messages[0]).toContain('合计 19 家');
    expect(short.messages[0]).toContain('相差 -1');
  });

  it('amounts add up exactly in decimals (0.1 + 0.2 is 0.3)', () => {
    const amount = { ...rule({ kind: 'amount', value: '0.3' }), base: null, unit: '亿元' };
    expect(checkQuotas(amount, [{ townId: 'a', value: '0.1', base: null }, { townId: 'b', value: '0.2', base: null }]).ok).toBe(true);
  });

  it('growth quotas: Σ base × (1 + quota) ≥ district base × (1 + target), else a warning', () => {
    const growth = { ...rule({ kind: 'growth', comparator: '>', value: '13' }), base: '300', unit: '%' };
    // 100 × 1.10 + 200 × 1.15 = 340 ≥ 300 × 1.13 = 339.
    expect(checkQuotas(growth, [{ townId: 'a', value: '10', base: '100' }, { townId: 'b', value: '15', base: '200' }])).toMatchObject({ ok: true, messages: [] });
    // 100 × 1.15 + 200 × 1.12 = 339 ≥ 339: consistent at the boundary.
    expect(checkQuotas(growth, [{ townId: 'a', value: '15', base: '100' }, { townId: 'b', value: '12', base: '200' }]).ok).toBe(true);
    // A high quota on a small base: 100 × 1.16 + 200 × 1.11 = 338 < 339, though the plain
    // average of the quotas (13.5%) exceeds 13%.
    const lopsided = checkQuotas(growth, [{ townId: 'a', value: '16', base: '100' }, { townId: 'b', value: '11', base: '200' }]);
    expect(lopsided.ok).toBe(false);
    expect(lopsided.messages[0]).toContain('相当于全区增长 12.67%');
  });

  it('a growth decomposition without bases cannot be checked and says so', () => {
    const growth = { ...rule({ kind: 'growth', value: '13' }), base: null, unit: '%' };
    const result = checkQuotas(growth, [{ townId: 'a', value: '13', base: null }]);
    expect(result.ok).toBe(false);
    expect(result.messages[0]).toContain('未填基数');
  });
});
