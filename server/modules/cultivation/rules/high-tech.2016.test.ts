import { describe, expect, it } from 'vitest';
import type { AnnualFigures } from '#common/contracts/cultivation.ts';
import { annualRow, criterion, evaluate, input, sameYears } from '#tests/support/cultivation-input.ts';

// 高新技术企业 (国科发火〔2016〕32号 第十一条 + 工作指引): every computable condition at its
// boundary. The best answer is needs_review: the innovation score is the experts'.

const YEARS = [2019, 2020, 2021];
const PASSING: Partial<AnnualFigures> = {
  staffTotal: 100,
  techStaff: 10,
  operatingRevenue: '4000',
  totalRevenue: '4000',
  highTechRevenue: '2400',
  rdExpense: '200',
  domesticRdExpense: '200',
  ip1Count: 1,
  ip2Count: 0,
  netAssets: '1000',
};

const withFigures = (figures: Partial<AnnualFigures>, registrationDate = '2010-01-01') => evaluate('high_tech', input(sameYears(YEARS, { ...PASSING, ...figures }), { registrationDate }));

describe('高新技术企业 2016', () => {
  it('with every computable condition met answers needs_review, never eligible, and names the expert-judged criteria', () => {
    const e = withFigures({});
    expect(e.outcome).toBe('needs_review');
    expect(e.score).toBeNull();
    expect(e.ruleSet?.id).toBe('high_tech.2016');
    expect(e.dataYear).toBe(2021);
    const review = e.criteria.filter((c) => c.basis === 'review').map((c) => c.id);
    expect(review).toEqual(expect.arrayContaining(['owns_core_ip', 'key_field', 'innovation_score']));
    expect(criterion(e, 'no_major_accident')).toMatchObject({ met: true, basis: 'default', note: '默认满足（无不良记录）' });
  });

  it.each([
    // techStaff of 100: just below, at, just above 10 %
    [9, false, 'not_eligible'],
    [10, true, 'needs_review'],
    [11, true, 'needs_review'],
  ] as const)('科技人员 %i / 100 → met %s', (techStaff, met, outcome) => {
    const e = withFigures({ techStaff });
    expect(criterion(e, 'tech_staff_ratio').met).toBe(met);
    expect(e.outcome).toBe(outcome);
  });

  it.each([
    // latest-year sales, R&D per year (three equal years), met: the band boundaries 5 000万（含） and 2亿（含）
    ['5000', '250', true, '5%'],
    ['5000', '249.99', false, '5%'],
    ['5000.01', '200.0004', true, '4%'],
    ['5000.01', '200', false, '4%'],
    ['20000', '800', true, '4%'],
    ['20000', '799.99', false, '4%'],
    ['20000.01', '600.0003', true, '3%'],
    ['20000.01', '600', false, '3%'],
  ] as const)('销售收入 %s万元, 研发费用 %s万元 → met %s (band %s)', (sales, rd, met, band) => {
    const e = withFigures({ operatingRevenue: sales, totalRevenue: sales, highTechRevenue: sales, rdExpense: rd, domesticRdExpense: rd });
    const c = criterion(e, 'rd_ratio');
    expect(c.met).toBe(met);
    expect(c.threshold).toContain(`≥ ${band}`);
  });

  it('takes the band from the latest year and the ratio over three years', () => {
    // 2019–2020 small, 2021 above 5 000万: band 4 %; 3-year ratio (50+50+210)/(1000+1000+5250) = 4.27 %.
    const annual = [
      annualRow(2019, { ...PASSING, operatingRevenue: '1000', rdExpense: '50', domesticRdExpense: '50' }),
      annualRow(2020, { ...PASSING, operatingRevenue: '1000', rdExpense: '50', domesticRdExpense: '50' }),
      annualRow(2021, { ...PASSING, operatingRevenue: '5250', rdExpense: '210', domesticRdExpense: '210' }),
    ];
    const c = criterion(evaluate('high_tech', input(annual)), 'rd_ratio');
    expect(c).toMatchObject({ met: true, threshold: expect.stringContaining('≥ 4%') });
    expect(c.value).toMatch(/^4\.27%/);
  });

  it.each([
    ['149.99', false],
    ['150', true],
    ['150.01', true],
  ] as const)('境内研发费用 %s / 250 → met %s (≥ 60 %%)', (domestic, met) => {
    const e = withFigures({ operatingRevenue: '5000', totalRevenue: '5000', highTechRevenue: '3000', rdExpense: '250', domesticRdExpense: domestic });
    expect(criterion(e, 'rd_domestic_share').met).toBe(met);
  });

  it.each([
    ['2399.99', false],
    ['2400', true],
    ['2400.01', true],
  ] as const)('高新技术产品收入 %s / 4000 → met %s (≥ 60 %%)', (ht, met) => {
    expect(criterion(withFigures({ highTechRevenue: ht }), 'high_tech_revenue_ratio').met).toBe(met);
  });

  it.each([
    ['2021-12-30', true],
    ['2021-12-31', true],
    ['2022-01-01', false],
  ] as const)('registered on %s, applying on 2022-12-31 → a full year: %s', (registered, met) => {
    expect(criterion(withFigures({}, registered), 'registered_one_year').met).toBe(met);
  });

  it('uses the actual years of a younger enterprise (fewer than three)', () => {
    // Founded 2020: 2020 and 2021 only; 2019 has no row and is not asked for.
    const annual = [annualRow(2020, PASSING), annualRow(2021, PASSING)];
    const e = evaluate('high_tech', input(annual, { registrationDate: '2020-03-01' }));
    expect(criterion(e, 'rd_ratio')).toMatchObject({ met: true, label: expect.stringContaining('近2个会计年度') });
    expect(e.missing).not.toContain('2019年研发费用');
  });

  it('answers insufficient_data and lists what to collect when a year is missing', () => {
    const annual = [annualRow(2020, PASSING), annualRow(2021, PASSING)];
    const e = evaluate('high_tech', input(annual));
    expect(e.outcome).toBe('insufficient_data');
    expect(e.missing).toEqual(expect.arrayContaining(['2019年研发费用', '2019年营业收入']));
    expect(criterion(e, 'rd_ratio').met).toBeNull();
  });

  it('treats an unknown staff count as unknown, never as 0', () => {
    const e = withFigures({ staffTotal: null });
    expect(criterion(e, 'tech_staff_ratio')).toMatchObject({ met: null, basis: 'missing' });
    expect(e.missing).toContain('2021年职工总数');
  });

  it('fails when the enterprise has no IP at all, with the gap said', () => {
    const e = withFigures({ ip1Count: 0, ip2Count: 0 });
    expect(e.outcome).toBe('not_eligible');
    expect(e.gaps.find((g) => g.criterion === 'owns_core_ip')?.message).toContain('知识产权');
  });

  it('quantifies the staff gap as ⌈(r·T − S)/(1 − r)⌉ and the R&D gap against revenue', () => {
    const e = withFigures({ techStaff: 8, rdExpense: '155', domesticRdExpense: '155' });
    const staff = e.gaps.find((g) => g.criterion === 'tech_staff_ratio')!;
    expect(staff).toMatchObject({ shortfall: '3', unit: '人' }); // (10 − 8)/0.9 = 2.2 → 3
    expect(staff.message).toBe('2021年科技人员占比 8%，需 ≥ 10%：须再有 3 名科技人员（新增人员同时计入职工总数）');
    const rd = e.gaps.find((g) => g.criterion === 'rd_ratio')!;
    // 3 × 4000 × 5 % − 3 × 155 = 600 − 465 = 135
    expect(rd).toMatchObject({ shortfall: '135', unit: '万元' });
    expect(rd.message).toContain('近三个会计年度研发费用占比 3.87%，需 ≥ 5%');
  });

  it('records an adverse platform record against the compliance condition', () => {
    const data = input(sameYears(YEARS, PASSING));
    data.adverseRecords = [{ kind: 'safety_accident', date: '2022-06-01', note: '重大安全事故' }];
    const e = evaluate('high_tech', data);
    expect(criterion(e, 'no_major_accident')).toMatchObject({ met: false, basis: 'data' });
    expect(e.outcome).toBe('not_eligible');
  });

  it('computes the growth rates of the 工作指引 for information, without points', () => {
    const annual = [annualRow(2019, { ...PASSING, netAssets: '1000' }), annualRow(2020, { ...PASSING, netAssets: '1200' }), annualRow(2021, { ...PASSING, netAssets: '1500' })];
    const c = criterion(evaluate('high_tech', input(annual)), 'net_asset_growth');
    // ½ × (1.2 + 1.25) − 1 = 22.5 %
    expect(c).toMatchObject({ value: '22.5%', points: null, basis: 'review' });
  });
});
