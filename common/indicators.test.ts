import { describe, expect, it } from 'vitest';
import {
  CHANGE_STATE_LABELS,
  INDICATORS,
  INDICATOR_CODES,
  REPORTED_INDICATORS,
  indicatorOf,
  isIndicatorCode,
  moneyUnitOf,
  scaleBandOf,
} from './indicators.ts';

describe('the indicator catalogue', () => {
  it('has every monthly indicator of the issue, with its Chinese name and unit', () => {
    expect(INDICATORS.map((i) => [i.code, i.name, i.unit])).toEqual([
      ['output_value', '工业总产值', '千元'],
      ['sales_value', '工业销售产值', '千元'],
      ['export_value', '出口交货值', '千元'],
      ['revenue', '营业收入', '千元'],
      ['profit', '利润总额', '千元'],
      ['electricity', '用电量', '万千瓦时'],
      ['employees', '平均用工人数', '人'],
      ['rd_expense', '研发费用', '千元'],
    ]);
    expect(INDICATOR_CODES).toHaveLength(8);
  });

  it('marks what the rules treat differently: profit may be negative, employees is an average without a required 上年同期', () => {
    expect(indicatorOf('profit').signed).toBe(true);
    expect(INDICATORS.filter((i) => i.signed).map((i) => i.code)).toEqual(['profit']);
    expect(indicatorOf('employees')).toMatchObject({ average: true, previousRequired: false, money: false });
    expect(INDICATORS.filter((i) => !i.previousRequired).map((i) => i.code)).toEqual(['employees']);
  });

  it('tells money indicators, which convert between 元/千元/万元/亿元, from physical ones', () => {
    expect(moneyUnitOf('output_value')).toBe('千元');
    expect(moneyUnitOf('electricity')).toBeNull();
    expect(isIndicatorCode('output_value')).toBe(true);
    expect(isIndicatorCode('gdp')).toBe(false);
  });

  it('keeps value-added growth among the figures reported by the statistics bureau, not computed ones', () => {
    expect(REPORTED_INDICATORS.map((r) => r.code)).toContain('industrial_va_growth');
    expect(INDICATOR_CODES as readonly string[]).not.toContain('industrial_va_growth');
  });

  it("bands enterprises by last year's output value (千元), lower bounds inclusive", () => {
    expect(scaleBandOf(1_000_000n)).toBe('over_1b');
    expect(scaleBandOf(999_999n)).toBe('over_100m');
    expect(scaleBandOf(100_000n)).toBe('over_100m');
    expect(scaleBandOf(20_000n)).toBe('over_20m');
    expect(scaleBandOf(19_999n)).toBe('under_20m');
    expect(scaleBandOf(-5n)).toBe('under_20m');
  });

  it("names every change state in the bulletins' words", () => {
    expect(CHANGE_STATE_LABELS).toMatchObject({ turnaround: '扭亏', loss_reduced: '减亏', loss_increased: '增亏', to_loss: '由盈转亏' });
  });
});
