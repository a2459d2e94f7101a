import { describe, expect, it } from 'vitest';
import { annualRow, criterion, evaluate, input } from '#tests/support/cultivation-input.ts';

// 规模以上工业: industrial and 主营业务收入 ≥ 2 000万元 (inclusive) in the data year.

describe('规模以上工业企业', () => {
  it.each([
    ['1999.99', 'not_eligible'],
    ['1999.9999', 'not_eligible'],
    ['2000', 'eligible'],
    ['2000.01', 'eligible'],
  ])('主营业务收入 %s万元 → %s', (mainBusinessRevenue, outcome) => {
    expect(evaluate('above_scale', input([annualRow(2021, { mainBusinessRevenue })])).outcome).toBe(outcome);
  });

  it('says how far a 规下 enterprise is from 2000万元', () => {
    const e = evaluate('above_scale', input([annualRow(2021, { mainBusinessRevenue: '1650.5' })]));
    expect(e.gaps).toEqual([{ criterion: 'main_revenue', message: '2021年主营业务收入 1650.5万元，需 ≥ 2000万元：尚差 349.5万元', shortfall: '349.5', unit: '万元' }]);
  });

  it('does not apply to a non-industrial enterprise', () => {
    const e = evaluate('above_scale', input([annualRow(2021, { mainBusinessRevenue: '9000' })], { industryCode: '5211' }));
    expect(criterion(e, 'industrial').met).toBe(false);
    expect(e.outcome).toBe('not_eligible');
  });

  it('answers insufficient_data without the data year’s revenue, even with another year’s', () => {
    const e = evaluate('above_scale', input([annualRow(2020, { mainBusinessRevenue: '9000' })]));
    expect(e).toMatchObject({ outcome: 'insufficient_data', missing: ['2021年主营业务收入'], dataYear: 2021 });
  });
});
