import { describe, expect, it } from 'vitest';
import { periodLabel, periodOptions } from '#web/features/plans/periods.ts';
import { targetText, withUnit } from '#web/features/targets/targetText.ts';

describe('targets as the plan words them', () => {
  it('reads each comparator the way officials write it', () => {
    expect(targetText({ comparator: '>', value: '13', unit: '%', kind: 'growth' })).toBe('增长超过 13%');
    expect(targetText({ comparator: '≈', value: '10', unit: '%', kind: 'growth' })).toBe('增长 10%左右');
    expect(targetText({ comparator: '>=', value: '3', unit: '个', kind: 'count' })).toBe('3个以上');
    expect(targetText({ comparator: '>', value: '100', unit: '亿元', kind: 'amount' })).toBe('突破 100亿元');
    expect(targetText({ comparator: '=', value: '20', unit: '家', kind: 'count' })).toBe('20家');
    expect(targetText({ comparator: '=', value: null, unit: null, kind: 'milestone' })).toBe('完成');
  });

  it('shows computed growth to two places and keeps short figures as they are', () => {
    expect(withUnit('9.161355', '%')).toBe('9.16%');
    expect(withUnit('12.5', '%')).toBe('12.5%');
    expect(withUnit(null, '%')).toBe('—');
  });

  it('lists the eleven reporting periods of a year, 1–2月 first', () => {
    const options = periodOptions(2022);
    expect(options).toHaveLength(11);
    expect(options[0]).toEqual({ value: '2022-02', label: '2022年1-2月' });
    expect(periodLabel('2022-06')).toBe('2022年1-6月');
  });
});
