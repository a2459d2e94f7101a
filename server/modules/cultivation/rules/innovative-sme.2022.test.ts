import { describe, expect, it } from 'vitest';
import type { AnnualFigures } from '#common/contracts/cultivation.ts';
import { annualRow, criterion, evaluate, held, input } from '#tests/support/cultivation-input.ts';
import type { HeldQualification } from '#server/modules/cultivation/rules/facts.ts';

// 创新型中小企业评价标准 (2022): six indicators at their boundaries, the three category minimums,
// the pass mark, the SME size test and the four direct routes.

const FULL: Partial<AnnualFigures> = {
  staffTotal: 100,
  operatingRevenue: '1000',
  mainBusinessRevenue: '800',
  rdExpense: '50',
  ip1Count: 1,
  ip1HighValueCount: 1,
  ip1OwnCount: 1,
  ip2Count: 0,
  totalAssets: '1000',
  totalLiabilities: '500',
  strategicEmerging: true,
};
const PREVIOUS: Partial<AnnualFigures> = { mainBusinessRevenue: '600' };
/** Scores 5: nothing but the non-strategic field. */
const POOR: Partial<AnnualFigures> = {
  ...FULL,
  mainBusinessRevenue: '400',
  rdExpense: '0',
  ip1Count: 0,
  ip1HighValueCount: 0,
  ip1OwnCount: 0,
  ip2Count: 0,
  totalLiabilities: '800',
  strategicEmerging: false,
};

const run = (figures: Partial<AnnualFigures>, previous: Partial<AnnualFigures> = PREVIOUS, qualifications: HeldQualification[] = []) =>
  evaluate('innovative_sme', input([annualRow(2019, { equityFinancing: '0' }), annualRow(2020, { ...previous, equityFinancing: '0' }), annualRow(2021, { equityFinancing: '0', ...figures })], { qualifications }));

describe('创新型中小企业 2022', () => {
  it('scores full marks and is eligible under the 2022 set', () => {
    const e = run(FULL);
    expect(e).toMatchObject({ outcome: 'eligible', score: 100, ruleSet: { id: 'innovative_sme.2022', effectiveFrom: '2022-08-01', effectiveTo: '2026-03-31' } });
  });

  it.each([
    ['50', 20],
    ['49.99', 15],
    ['30', 15],
    ['29.99', 10],
    ['20', 10],
    ['10', 5],
    ['9.99', 0],
  ])('研发费用 %s / 营业收入 1000 → %i 分', (rdExpense, points) => {
    expect(criterion(run({ ...FULL, rdExpense }), 'rd_points').points).toBe(points);
  });

  it.each([
    ['1150', 20],
    ['1149.99', 15],
    ['1100', 15],
    ['1099.99', 10],
    ['1050', 10],
    ['1000', 5],
    ['999.99', 0],
  ])('主营业务收入 %s over 1000 the year before → %i 分', (mainBusinessRevenue, points) => {
    expect(criterion(run({ ...FULL, operatingRevenue: '2000', mainBusinessRevenue }, { mainBusinessRevenue: '1000' }), 'growth_points').points).toBe(points);
  });

  it.each([
    ['550', 10],
    ['550.01', 5],
    ['750', 5],
    ['750.01', 0],
  ])('负债 %s / 资产 1000 → %i 分 (upper-inclusive)', (totalLiabilities, points) => {
    expect(criterion(run({ ...FULL, totalLiabilities }), 'debt_points').points).toBe(points);
  });

  it.each([
    ['700', 20],
    ['699.99', 15],
    ['600', 15],
    ['599.99', 10],
    ['550', 10],
    ['500', 5],
    ['499.99', 0],
  ])('主营业务收入 %s / 营业收入 1000 → %i 分', (mainBusinessRevenue, points) => {
    expect(criterion(run({ ...FULL, mainBusinessRevenue }, { mainBusinessRevenue: '100' }), 'main_share_points').points).toBe(points);
  });

  it.each([
    [{ ip1HighValueCount: 1 }, 20],
    [{ ip1HighValueCount: 0, ip1OwnCount: 1 }, 15],
    [{ ip1HighValueCount: 0, ip1OwnCount: 0 }, 10],
    [{ ip1Count: 0, ip1HighValueCount: null, ip1OwnCount: null, ip2Count: 1 }, 5],
    [{ ip1Count: 0, ip1HighValueCount: null, ip1OwnCount: null, ip2Count: 0 }, 0],
  ] as const)('知识产权 %o → %i 分', (figures, points) => {
    expect(criterion(run({ ...FULL, ...figures }), 'ip_points').points).toBe(points);
  });

  it('leaves 主导产品所属领域 as a 5–10 range when unknown', () => {
    const e = run({ ...FULL, strategicEmerging: null });
    expect(e.scoreRange).toEqual({ min: 95, max: 100 });
    expect(e.outcome).toBe('eligible'); // 95 passes whatever the field
  });

  it.each([
    // [figures, previous MBR, total, outcome, failing category]
    // 创新能力 5 + 15, 成长性 15 + 10, 专业化 10 + 5
    ['at 60 with 专业化 at its minimum', { ip1Count: 0, ip1HighValueCount: 0, ip1OwnCount: 0, ip2Count: 1, rdExpense: '30', mainBusinessRevenue: '540' }, '480', 60, 'eligible', null],
    ['just below 60 (资产负债率 60 %)', { ip1Count: 0, ip1HighValueCount: 0, ip1OwnCount: 0, ip2Count: 1, rdExpense: '30', mainBusinessRevenue: '540', totalLiabilities: '600' }, '480', 55, 'not_eligible', 'score'],
    ['创新能力 15 < 20 with a total of 75', { ip1Count: 0, ip1HighValueCount: 0, ip1OwnCount: 0, ip2Count: 1, rdExpense: '20' }, '600', 75, 'not_eligible', 'score_innovation'],
    ['成长性 10 < 15', { mainBusinessRevenue: '800', totalLiabilities: '600' }, '780', 80, 'not_eligible', 'score_growth'],
    ['专业化 10 < 15', { mainBusinessRevenue: '520', strategicEmerging: false }, '400', 80, 'not_eligible', 'score_specialization'],
  ] as const)('%s', (_what, figures, previousMain, total, outcome, failing) => {
    const e = run({ ...FULL, ...figures }, { mainBusinessRevenue: previousMain });
    expect(e.score).toBe(total);
    expect(e.outcome).toBe(outcome);
    if (failing) expect(criterion(e, failing).met).toBe(false);
  });

  it.each([
    ['a valid 高企 certificate', {}, [held('high_tech', '2021-11-01', '2024-10-31')], 'eligible'],
    ['a provincial S&T award in 2020', { awards: [{ year: 2020, level: 'provincial', kind: 'sci_tech', rank: null, name: '湖北省科技进步奖' }] }, [], 'eligible'],
    ['a provincial S&T award in 2019 (four years back)', { awards: [{ year: 2019, level: 'provincial', kind: 'sci_tech', rank: null, name: '湖北省科技进步奖' }] }, [], 'not_eligible'],
    ['a municipal S&T award', { awards: [{ year: 2021, level: 'municipal', kind: 'sci_tech', rank: null, name: '随州市科技进步奖' }] }, [], 'not_eligible'],
    ['a provincial R&D institution', { rdInstitutionLevel: 'provincial' }, [], 'eligible'],
    ['500万元 of equity financing over three years', { equityFinancing: '500' }, [], 'eligible'],
    ['499.99万元 of equity financing', { equityFinancing: '499.99' }, [], 'not_eligible'],
  ] as const)('scoring 5 but with %s → %s', (_what, figures, qualifications, outcome) => {
    const e = run({ ...POOR, ...(figures as Partial<AnnualFigures>) }, { mainBusinessRevenue: '600' }, [...qualifications]);
    expect(e.score).toBe(5);
    expect(e.outcome).toBe(outcome);
  });

  it.each([
    [1000, '40000', false],
    [999, '40000', true],
    [1000, '39999.99', true],
  ] as const)('SME size: %i staff, %s万元 → %s', (staffTotal, operatingRevenue, met) => {
    const e = run({ ...FULL, staffTotal, operatingRevenue, mainBusinessRevenue: operatingRevenue, rdExpense: '2000' }, { mainBusinessRevenue: '100' });
    expect(criterion(e, 'sme_size').met).toBe(met);
    expect(e.outcome).toBe(met ? 'eligible' : 'not_eligible');
  });

  it('leaves a non-industrial enterprise’s size class to review', () => {
    const e = evaluate('innovative_sme', input([annualRow(2020, PREVIOUS), annualRow(2021, FULL)], { industryCode: '6513' }));
    expect(criterion(e, 'sme_size').basis).toBe('review');
    expect(e.outcome).toBe('needs_review');
  });

  it('quantifies the steps to the next bands when the score falls short', () => {
    // 创新能力 0 + 15 < 20 fails the category, so every indicator's next band is shown.
    const e = run({ ...FULL, ip1Count: 0, ip1HighValueCount: 0, ip1OwnCount: 0, ip2Count: 0, rdExpense: '30', mainBusinessRevenue: '560', totalLiabilities: '600' }, { mainBusinessRevenue: '500' });
    const byCriterion = Object.fromEntries(e.gaps.map((g) => [g.criterion, g]));
    expect(byCriterion.rd_points).toMatchObject({ shortfall: '20', unit: '万元' }); // 3 % → 5 % of 1000
    expect(byCriterion.debt_points).toMatchObject({ shortfall: '111.12', unit: '万元' }); // (600 − 0.55·1000)/0.45 = 111.11…
    expect(byCriterion.growth_points?.message).toContain('2021年主营业务收入须达到 575万元'); // 500 × 1.15
  });
});
