import { describe, expect, it } from 'vitest';
import type { AnnualFigures, Award } from '#common/contracts/cultivation.ts';
import { annualRow, criterion, evaluate, input } from '#tests/support/cultivation-input.ts';

// 专精特新中小企业认定标准 (2022): the four conditions at their boundaries, every computable
// indicator's bands, and the score decided as an interval — 35 points are 需评审 (④ judged;
// ⑨ ⑫ ⑬ UNCONFIRMED), so only known ≥ 60 is eligible and known + 35 < 60 is not.

/** Known indicators at full marks: 65 points; the review indicators add 0–35. */
const FULL: Partial<AnnualFigures> = {
  staffTotal: 200,
  rdStaff: 30,
  operatingRevenue: '5000',
  mainBusinessRevenue: '4000',
  rdExpense: '500',
  netProfit: '500',
  totalAssets: '5000',
  totalLiabilities: '2000',
  ip1Count: 1,
  ip1HighValueCount: 1,
  ip1OwnCount: 1,
  ip2Count: 3,
  nicheYears: 10,
  digitalLevel: 3,
  qualityCertified: true,
  ownBrand: true,
  awards: [],
  standards: [],
  equityFinancing: '0',
};

const run = (figures: Partial<AnnualFigures>, earlier: { y2?: Partial<AnnualFigures>; y1?: Partial<AnnualFigures> } = {}) =>
  evaluate(
    'specialized_sme',
    input([
      annualRow(2019, { mainBusinessRevenue: '3000', rdExpense: '400', equityFinancing: '0', ...earlier.y2 }),
      annualRow(2020, { mainBusinessRevenue: '3500', rdExpense: '400', equityFinancing: '0', ...earlier.y1 }),
      annualRow(2021, { ...FULL, ...figures }),
    ]),
  );

describe('专精特新中小企业 2022', () => {
  it('is eligible when the known indicators alone reach 60, the rest left to review', () => {
    const e = run({});
    expect(e).toMatchObject({ outcome: 'eligible', score: null, scoreRange: { min: 65, max: 100 } });
    expect(e.criteria.filter((c) => c.basis === 'review').map((c) => c.id)).toEqual(['field_points', 'local_points', 'rd_staff_points', 'rd_institution_points']);
    expect(criterion(e, 'local_points').note).toContain('UNCONFIRMED');
  });

  it.each([
    // known points: 60 → eligible; 58 → undecided (58–93) → needs_review
    ['netProfit 300 (6 %), nicheYears 8', { netProfit: '300', nicheYears: 8 }, 60, 'eligible'],
    ['netProfit 200 (4 %), nicheYears 8', { netProfit: '200', nicheYears: 8 }, 58, 'needs_review'],
  ] as const)('%s → known %i → %s', (_what, figures, min, outcome) => {
    const e = run(figures);
    expect(e.scoreRange?.min).toBe(min);
    expect(e.outcome).toBe(outcome);
  });

  const POOR: Partial<AnnualFigures> = {
    ...FULL,
    operatingRevenue: '3333.34',
    mainBusinessRevenue: '1900',
    rdExpense: '100.0002',
    netProfit: '0',
    totalLiabilities: '4000',
    ip1Count: 0,
    ip1HighValueCount: 0,
    ip1OwnCount: 0,
    ip2Count: 1,
    nicheYears: 2,
    digitalLevel: 1,
    qualityCertified: false,
    ownBrand: false,
  };

  it('is not eligible when even full marks on every review indicator cannot reach 60', () => {
    const e = run(POOR, { y2: { mainBusinessRevenue: '2000' }, y1: { mainBusinessRevenue: '2000' } });
    expect(e.scoreRange).toEqual({ min: 5, max: 40 });
    expect(e.outcome).toBe('not_eligible');
    expect(e.gaps.find((g) => g.criterion === 'score')?.message).toBe('评价得分 5–40分，需 ≥ 60分：至少还差 20 分');
  });

  const award = (a: Partial<Award>): Award => ({ year: 2021, level: 'provincial', kind: 'sci_tech', rank: 3, name: '湖北省科技进步奖', ...a });
  it.each([
    ['a provincial award ranked 3rd', { awards: [award({})] }, {}, 'eligible'],
    ['a provincial award ranked 4th', { awards: [award({ rank: 4 })] }, {}, 'not_eligible'],
    ['a national award ranked 5th', { awards: [award({ level: 'national', rank: 5 })] }, {}, 'eligible'],
    ['a national award ranked 6th', { awards: [award({ level: 'national', rank: 6 })] }, {}, 'not_eligible'],
    ['创客中国 national top 500', { awards: [award({ kind: 'makers_china', level: 'national', rank: 500 })] }, {}, 'eligible'],
    ['创客中国 placing 501', { awards: [award({ kind: 'makers_china', level: 'national', rank: 501 })] }, {}, 'not_eligible'],
    ['6000万元 equity in two years', { equityFinancing: '3000' }, { y1: { equityFinancing: '3000' } }, 'eligible'],
    ['5999.99万元 equity in two years', { equityFinancing: '2999.99' }, { y1: { equityFinancing: '3000' } }, 'not_eligible'],
    ['average R&D of 1000万元 over two years', { rdExpense: '1100', operatingRevenue: '20000' }, { y1: { rdExpense: '900' } }, 'eligible'],
    ['average R&D of 999.995万元', { rdExpense: '1099.99', operatingRevenue: '20000' }, { y1: { rdExpense: '900' } }, 'not_eligible'],
  ] as const)('scoring below 60 but with %s → %s', (_what, figures, earlier, outcome) => {
    const e = run({ ...POOR, ...(figures as Partial<AnnualFigures>) }, { y2: { mainBusinessRevenue: '2000' }, y1: { mainBusinessRevenue: '2000', ...(earlier as { y1?: Partial<AnnualFigures> }).y1 } });
    expect(e.outcome).toBe(outcome);
  });

  describe('conditions 1–3', () => {
    it.each([
      ['niche_years', { nicheYears: 2 }, true],
      ['niche_years', { nicheYears: 1 }, false],
      ['rd_amount', { rdExpense: '100', operatingRevenue: '2000' }, true],
      ['rd_amount', { rdExpense: '99.99', operatingRevenue: '2000' }, false],
      ['rd_ratio', { rdExpense: '150' }, true],
      ['rd_ratio', { rdExpense: '149.99' }, false],
      ['revenue_or_equity', { operatingRevenue: '1000', mainBusinessRevenue: '900', rdExpense: '100' }, true],
      ['revenue_or_equity', { operatingRevenue: '999.99', mainBusinessRevenue: '900', rdExpense: '100', equityFinancing: '1000' }, true],
      ['revenue_or_equity', { operatingRevenue: '999.99', mainBusinessRevenue: '900', rdExpense: '100', equityFinancing: '999.99' }, false],
    ] as const)('%s with %o → met %s', (id, figures, met) => {
      // The year before brings 1 000万元 of equity: 2 000 over two years with 1 000 in the data year.
      const e = run(figures, { y1: { equityFinancing: '1000' } });
      expect(criterion(e, id).met).toBe(met);
      if (!met) expect(e.outcome).toBe('not_eligible');
    });

    it('says how much R&D closes the 3 % gap', () => {
      const e = run({ rdExpense: '120' });
      expect(e.gaps.find((g) => g.criterion === 'rd_ratio')).toMatchObject({ shortfall: '30', message: '2021年研发费用占比 2.4%，需 ≥ 3%：按当年营业收入须再投入 30万元' });
    });
  });

  describe('indicator bands', () => {
    it.each([
      ['4000', 5],
      ['3999.99', 3],
      ['3500', 3],
      ['3000', 1],
      ['2999.99', 0],
    ])('① 主营业务收入 %s / 5000 → %i 分', (mainBusinessRevenue, points) => {
      expect(criterion(run({ mainBusinessRevenue }), 'main_share_points').points).toBe(points);
    });

    it.each([
      ['1200', 10],
      ['1199.99', 8],
      ['1160', 8],
      ['1120', 6],
      ['1080', 4],
      ['1079.99', 2],
      ['1000', 2],
      ['999.99', 0],
    ])('② 主营业务收入 1000 → 1000 → %s: average growth → %i 分', (mainBusinessRevenue, points) => {
      expect(criterion(run({ mainBusinessRevenue }, { y2: { mainBusinessRevenue: '1000' }, y1: { mainBusinessRevenue: '1000' } }), 'growth_points').points).toBe(points);
    });

    it.each([
      [12, 5],
      [10, 5],
      [9, 4],
      [3, 1],
      [2, 1],
    ])('③ %i years in the niche → %i 分', (nicheYears, points) => {
      expect(criterion(run({ nicheYears }), 'niche_points').points).toBe(points);
    });

    it.each([
      [4, 5],
      [3, 5],
      [2, 3],
      [1, 0],
    ])('⑤ 数字化水平 %i 级 → %i 分', (digitalLevel, points) => {
      expect(criterion(run({ digitalLevel }), 'digital_points').points).toBe(points);
    });

    it.each([
      [{ qualityCertified: true, ownBrand: false }, 3, 3],
      [{ qualityCertified: true, ownBrand: true }, 5, 5],
      [{ qualityCertified: false, ownBrand: false }, 0, 0],
      [{ qualityCertified: false, ownBrand: false, standards: [{ year: 2015, level: 'group', role: 'participate', name: 'T/XX 1' }] }, 3, 3],
      [{ qualityCertified: true, ownBrand: null }, 3, 5],
    ] as const)('⑥ %o → %i–%i 分', (figures, lo, hi) => {
      const e = run(figures as Partial<AnnualFigures>);
      const c = criterion(e, 'quality_points');
      expect(lo === hi ? c.points : c.met).toBe(lo === hi ? lo : null);
      expect(e.scoreRange!.max - e.scoreRange!.min).toBe(35 + hi - lo);
    });

    it.each([
      ['500', 10],
      ['499.99', 8],
      ['100', 2],
      ['99.99', 0],
    ])('⑦ 净利润 %s / 5000 → %i 分', (netProfit, points) => {
      expect(criterion(run({ netProfit }), 'margin_points').points).toBe(points);
    });

    it.each([
      ['2500', 5],
      ['2500.01', 3],
      ['3000', 3],
      ['3500', 1],
      ['3500.01', 0],
    ])('⑧ 负债 %s / 资产 5000 → %i 分', (totalLiabilities, points) => {
      expect(criterion(run({ totalLiabilities }), 'debt_points').points).toBe(points);
    });

    it.each([
      ['500', '100000', 10],
      ['499.99', '100000', 8],
      ['100', '100000', 2],
      ['99.99', '100000', 0],
      ['100', '1000', 10],
      ['99.99', '1000', 8],
    ])('⑪ 研发费用 %s, 营业收入 %s → %i 分 (the better of amount and intensity)', (rdExpense, operatingRevenue, points) => {
      expect(criterion(run({ rdExpense, operatingRevenue }), 'rd_points').points).toBe(points);
    });
  });

  it('lists missing figures and answers insufficient_data when they could decide', () => {
    const e = run({ netProfit: null, digitalLevel: null, nicheYears: 4, totalLiabilities: '3500' });
    expect(e.outcome).toBe('insufficient_data');
    expect(e.missing).toEqual(expect.arrayContaining(['2021年净利润', '2021年数字化水平等级']));
  });
});
