import { describe, expect, it } from 'vitest';
import { formatGrowth, formatPoints, formatValue, groupThousands, periodLabel, roundDecimal, valueIn } from '#web/features/monitoring/format.ts';

describe('monitoring number formats', () => {
  it('rounds decimal strings exactly, half away from zero', () => {
    expect(roundDecimal('1.005', 2)).toBe('1.01');
    expect(roundDecimal('-1.005', 2)).toBe('-1.01');
    expect(roundDecimal('123', 2)).toBe('123.00');
    expect(roundDecimal('0.004', 2)).toBe('0.00');
    expect(roundDecimal('-0.004', 2)).toBe('0.00');
    expect(roundDecimal('99.95', 1)).toBe('100.0');
    expect(groupThousands('-1234567.89')).toBe('-1,234,567.89');
  });

  it('shows amounts in 万元 below 1亿元 and in 亿元 above, from values in 千元', () => {
    expect(formatValue('58641343', '千元')).toBe('586.41 亿元');
    expect(formatValue('12345.6', '千元')).toBe('1,234.56 万元');
    expect(formatValue('12345.6', '千元', '亿元')).toBe('0.12 亿元');
    expect(formatValue('290851.84', '万千瓦时')).toBe('290,851.8 万千瓦时');
    expect(formatValue('106192', '人')).toBe('106,192 人');
    expect(formatValue(null, '千元')).toBe('—');
    expect(valueIn('58641343', '千元', '亿元')).toBeCloseTo(586.41343, 10);
  });

  it('writes growth in %, contributions in 百分点, and the state where growth is null', () => {
    expect(formatGrowth(9.9248)).toBe('+9.9%');
    expect(formatGrowth(-12.04)).toBe('-12.0%');
    expect(formatGrowth(null, 'turnaround')).toBe('扭亏');
    expect(formatGrowth(-133.3, 'to_loss')).toBe('-133.3%（由盈转亏）');
    expect(formatGrowth(null)).toBe('—');
    expect(formatPoints(4.4812)).toBe('+4.48 个百分点');
    expect(periodLabel('2022-02')).toBe('2022年1-2月');
  });
});
