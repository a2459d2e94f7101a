import { describe, expect, it } from 'vitest';
import type { AnnualFigures, Award, StandardRecord } from '#common/contracts/cultivation.ts';
import { annualRow, criterion, evaluate, held, input } from '#tests/support/cultivation-input.ts';
import type { HeldQualification } from '#server/modules/cultivation/rules/facts.ts';

// 科技型中小企业 (国科发政〔2017〕115号): size limits, every scoring band at its lower-inclusive
// boundary, the pass mark, the non-zero staff indicator and the four direct routes.

const FULL_MARKS: Partial<AnnualFigures> = {
  staffTotal: 100,
  techStaff: 30,
  operatingRevenue: '1000',
  totalCostsExpenses: '10000',
  rdExpense: '60',
  totalAssets: '1000',
  ip1Count: 1,
  ip2Count: 0,
};
/** Scores 0: no S&T staff, no R&D, no IP. */
const ZERO_SCORE: Partial<AnnualFigures> = { ...FULL_MARKS, techStaff: 0, rdExpense: '0', ip1Count: 0, ip2Count: 0 };

const run = (figures: Partial<AnnualFigures>, qualifications: HeldQualification[] = []) => evaluate('tech_sme', input([annualRow(2021, figures)], { qualifications }));

describe('科技型中小企业 2017', () => {
  it('scores full marks and is eligible, compliance conditions by default', () => {
    const e = run(FULL_MARKS);
    expect(e).toMatchObject({ outcome: 'eligible', score: 100, passScore: 60, dataYear: 2021 });
    expect(e.criteria.filter((c) => c.basis === 'default').map((c) => c.note)).toEqual(Array(4).fill('默认满足（无不良记录）'));
  });

  it.each([
    ['staff_limit', { staffTotal: 500, techStaff: 150 }, true],
    ['staff_limit', { staffTotal: 501, techStaff: 151 }, false],
    ['revenue_limit', { operatingRevenue: '20000', rdExpense: '1200' }, true],
    ['revenue_limit', { operatingRevenue: '20000.01', rdExpense: '1200' }, false],
    ['assets_limit', { totalAssets: '20000' }, true],
    ['assets_limit', { totalAssets: '20000.01' }, false],
  ] as const)('%s with %o → met %s', (id, figures, met) => {
    const e = run({ ...FULL_MARKS, ...figures });
    expect(criterion(e, id).met).toBe(met);
    expect(e.outcome).toBe(met ? 'eligible' : 'not_eligible');
  });

  it.each([
    [300, 20],
    [299, 16],
    [250, 16],
    [249, 12],
    [200, 12],
    [150, 8],
    [149, 4],
    [100, 4],
    [99, 0],
  ])('科技人员 %i / 1000 → %i 分', (techStaff, points) => {
    expect(criterion(run({ ...FULL_MARKS, staffTotal: 1000, techStaff }), 'tech_staff_points').points).toBe(points);
  });

  it.each([
    ['60', 50],
    ['59.99', 40],
    ['50', 40],
    ['40', 30],
    ['39.99', 20],
    ['30', 20],
    ['20', 10],
    ['19.99', 0],
  ])('研发费用 %s / 销售收入 1000 → %i 分', (rdExpense, points) => {
    expect(criterion(run({ ...FULL_MARKS, rdExpense }), 'rd_points').points).toBe(points);
  });

  it.each([
    ['100', 50],
    ['100.01', 40],
    ['120', 40],
    ['120.01', 30],
    ['300', 10],
    ['300.01', 0],
  ])('研发费用 30 / 成本费用总额 %s → %i 分 (the better measure counts)', (totalCostsExpenses, points) => {
    // By revenue 30/100000 scores 0, so the cost measure decides.
    expect(criterion(run({ ...FULL_MARKS, operatingRevenue: '100000', rdExpense: '30', totalCostsExpenses }), 'rd_points').points).toBe(points);
  });

  it('compares exactly: 0.35 / 7 is 5 %, which a float computes as 4.9999…', () => {
    expect(0.35 / 7 >= 0.05).toBe(false);
    expect(criterion(run({ ...FULL_MARKS, operatingRevenue: '7', rdExpense: '0.35' }), 'rd_points').points).toBe(40);
  });

  it.each([
    [1, 0, 30],
    [0, 5, 24],
    [0, 4, 24],
    [0, 3, 18],
    [0, 2, 12],
    [0, 1, 6],
    [0, 0, 0],
  ])('Ⅰ类 %i, Ⅱ类 %i → %i 分', (ip1Count, ip2Count, points) => {
    expect(criterion(run({ ...FULL_MARKS, ip1Count, ip2Count }), 'ip_points').points).toBe(points);
  });

  it.each([
    // staff (of 100), R&D (of 1000), Ⅱ类 → total: just below, at and just above 60
    [25, '40', 2, 58, 'not_eligible'],
    [30, '50', 0, 60, 'eligible'],
    [30, '40', 2, 62, 'eligible'],
  ] as const)('科技人员 %i, 研发 %s, Ⅱ类 %i → %i 分, %s', (techStaff, rdExpense, ip2Count, score, outcome) => {
    const e = run({ ...FULL_MARKS, techStaff, rdExpense, ip1Count: 0, ip2Count });
    expect(e.score).toBe(score);
    expect(e.outcome).toBe(outcome);
  });

  it('refuses a passing total when the S&T staff indicator scores 0', () => {
    const e = run({ ...FULL_MARKS, techStaff: 9 });
    expect(e.score).toBe(80);
    expect(criterion(e, 'tech_staff_nonzero').met).toBe(false);
    expect(e.outcome).toBe('not_eligible');
    expect(e.gaps.some((g) => g.criterion === 'tech_staff_points' && g.message.includes('须再有 2 名科技人员'))).toBe(true);
  });

  describe('direct qualification', () => {
    const award = (a: Partial<Award>): Award => ({ year: 2020, level: 'national', kind: 'sci_tech', rank: 1, name: '国家科学技术进步奖二等奖', ...a });
    const standard = (s: Partial<StandardRecord>): StandardRecord => ({ year: 2020, level: 'national', role: 'lead', name: 'GB/T 0000', ...s });

    it.each([
      ['a valid 高企 certificate', {}, [held('high_tech', '2020-11-01', '2023-10-31')], 'eligible'],
      ['a 高企 certificate expired the day before', {}, [held('high_tech', '2019-12-30', '2022-12-30')], 'not_eligible'],
      ['a revoked 高企 certificate', {}, [held('high_tech', '2020-11-01', '2023-10-31', '2022-05-01')], 'not_eligible'],
      ['a national award ranked 3rd within five years', { awards: [award({ year: 2018, rank: 3 })] }, [], 'eligible'],
      ['a national award ranked 4th', { awards: [award({ rank: 4 })] }, [], 'not_eligible'],
      ['a national award six years ago', { awards: [award({ year: 2017 })] }, [], 'not_eligible'],
      ['a provincial award', { awards: [award({ level: 'provincial' })] }, [], 'not_eligible'],
      ['a provincial R&D institution', { rdInstitutionLevel: 'provincial' }, [], 'eligible'],
      ['a municipal R&D institution', { rdInstitutionLevel: 'municipal' }, [], 'not_eligible'],
      ['an industry standard led', { standards: [standard({ level: 'industry' })] }, [], 'eligible'],
      ['a national standard only participated in', { standards: [standard({ role: 'participate' })] }, [], 'not_eligible'],
      ['a group standard led', { standards: [standard({ level: 'group' })] }, [], 'not_eligible'],
    ] as const)('with a score of 0 and %s → %s', (_what, figures, qualifications, outcome) => {
      expect(run({ ...ZERO_SCORE, ...(figures as Partial<AnnualFigures>) }, [...qualifications]).outcome).toBe(outcome);
    });

    it('does not lift the size limits', () => {
      expect(run({ ...ZERO_SCORE, staffTotal: 501 }, [held('high_tech', '2020-11-01', '2023-10-31')]).outcome).toBe('not_eligible');
    });
  });

  describe('missing data', () => {
    it('is insufficient_data when the unknown indicator could still decide, and says what to collect', () => {
      const e = run({ ...FULL_MARKS, rdExpense: null });
      expect(e).toMatchObject({ outcome: 'insufficient_data', score: null, scoreRange: { min: 50, max: 100 } });
      expect(e.missing).toContain('2021年研发费用');
    });

    it('is decided when even full marks on the unknown indicator cannot reach 60', () => {
      const e = run({ ...FULL_MARKS, techStaff: 10, ip1Count: 0, ip2Count: 0, rdExpense: null });
      expect(e).toMatchObject({ outcome: 'not_eligible', scoreRange: { min: 4, max: 54 } });
    });

    it('bounds the IP indicator by what is known', () => {
      const e = run({ ...FULL_MARKS, ip1Count: null, ip2Count: 2 });
      expect(e.scoreRange).toEqual({ min: 82, max: 100 });
      expect(criterion(e, 'ip_points')).toMatchObject({ met: null, points: null, basis: 'missing' });
    });

    it('with no annual row at all lists the figures of the data year', () => {
      const e = evaluate('tech_sme', input([]));
      expect(e.outcome).toBe('insufficient_data');
      expect(e.missing).toEqual(expect.arrayContaining(['2021年职工总数', '2021年营业收入', '2021年资产总额', '2021年研发费用']));
    });
  });

  it('suggests the next band of each indicator when the score falls short', () => {
    const e = run({ ...FULL_MARKS, techStaff: 25, rdExpense: '40', ip1Count: 0, ip2Count: 2 });
    const messages = e.gaps.map((g) => g.message);
    expect(messages).toContain('评价得分 58分，需 ≥ 60分：至少还差 2 分');
    expect(messages).toContain('科技人员占比 25% → 30% 可得 20 分（+4）：须再有 8 名科技人员'); // (30 − 25)/0.7 = 7.1 → 8
    expect(messages).toContain('研发费用占销售收入 4% → 5% 可得 40 分（+10）：按2021年销售收入须再投入 10万元');
  });
});
