import { describe, expect, it } from 'vitest';
import type { AnnualFigures } from '#common/contracts/cultivation.ts';
import { annualRow, criterion, evaluate, held, input } from '#tests/support/cultivation-input.ts';
import type { HeldQualification } from '#server/modules/cultivation/rules/facts.ts';

// 专精特新"小巨人" (2022): the provincial title first, then 专、精、特、新 at their boundaries.
// 产业链配套 (SINGLE) and 主导产品所属领域 (UNCONFIRMED) are judged: the best answer is needs_review.

const SPECIALIZED = held('specialized_sme', '2021-06-01', '2024-05-31');
const FULL: Partial<AnnualFigures> = {
  staffTotal: 200,
  rdStaff: 40,
  operatingRevenue: '10000',
  mainBusinessRevenue: '9000',
  rdExpense: '400',
  totalAssets: '10000',
  totalLiabilities: '5000',
  ip1Count: 2,
  nicheYears: 5,
  nicheMarketShare: '12',
  qualityCertified: true,
  ownBrand: true,
  rdInstitutionLevel: 'provincial',
  digitalLevel: 3,
  awards: [],
  equityFinancing: '0',
};
const Y2: Partial<AnnualFigures> = { mainBusinessRevenue: '8000', operatingRevenue: '10000', rdExpense: '400', equityFinancing: '0' };
const Y1: Partial<AnnualFigures> = { mainBusinessRevenue: '8500', operatingRevenue: '10000', rdExpense: '400', equityFinancing: '0' };

const run = (figures: Partial<AnnualFigures>, y1: Partial<AnnualFigures> = {}, qualifications: HeldQualification[] = [SPECIALIZED], y2: Partial<AnnualFigures> = {}) =>
  evaluate('little_giant', input([annualRow(2019, { ...Y2, ...y2 }), annualRow(2020, { ...Y1, ...y1 }), annualRow(2021, { ...FULL, ...figures })], { qualifications }));

describe('专精特新"小巨人" 2022', () => {
  it('with every computable condition met answers needs_review (industry chain and field are judged)', () => {
    const e = run({});
    expect(e.outcome).toBe('needs_review');
    expect(e.score).toBeNull();
    expect(e.criteria.filter((c) => c.met === false && !c.group.includes('直接满足'))).toEqual([]);
    expect(criterion(e, 'leading_field').note).toContain('UNCONFIRMED');
    expect(criterion(e, 'industry_chain').note).toContain('SINGLE');
  });

  it('requires the provincial 专精特新 title first', () => {
    const expired = held('specialized_sme', '2019-06-01', '2022-05-31');
    expect(run({}, {}, []).outcome).toBe('not_eligible');
    expect(run({}, {}, [expired]).outcome).toBe('not_eligible');
    expect(run({}, {}, []).gaps[0]?.message).toBe('须先认定为省级专精特新中小企业');
  });

  it.each([
    ['niche_years', { nicheYears: 3 }, {}, true],
    ['niche_years', { nicheYears: 2 }, {}, false],
    ['main_share', { mainBusinessRevenue: '7000' }, { mainBusinessRevenue: '6000' }, true],
    ['main_share', { mainBusinessRevenue: '6999.99' }, { mainBusinessRevenue: '6000' }, false],
    ['debt_ratio', { totalLiabilities: '7000' }, {}, true],
    ['debt_ratio', { totalLiabilities: '7000.01' }, {}, false],
    ['market_share', { nicheMarketShare: '10' }, {}, true],
    ['market_share', { nicheMarketShare: '9.999' }, {}, false],
    ['ip1_two', { ip1Count: 2 }, {}, true],
    ['ip1_two', { ip1Count: 1 }, {}, false],
    ['own_brand', { ownBrand: false }, {}, false],
  ] as const)('%s with %o → met %s', (id, figures, y1, met) => {
    // The same main-business revenue two years back keeps the average growth test out of the way.
    const e = run(figures, y1, [SPECIALIZED], y1);
    expect(criterion(e, id).met).toBe(met);
    expect(e.outcome).toBe(met ? 'needs_review' : 'not_eligible');
  });

  it.each([
    ['8800', true],
    ['8799.99', false],
  ])('近2年主营业务收入平均增长率: 8000 → 8000 → %s → met %s (≥ 5 %%)', (mainBusinessRevenue, met) => {
    const e = run({ mainBusinessRevenue }, { mainBusinessRevenue: '8000' }, [SPECIALIZED], { mainBusinessRevenue: '8000' });
    expect(criterion(e, 'main_growth').met).toBe(met);
  });

  describe('R&D intensity by size', () => {
    it.each([
      // operating revenue of the data year (both years), R&D each year, criterion prefix, met
      ['10000', '300', '3%', true],
      ['10000', '299.99', '3%', false],
      ['9999.99', '600', '6%', true],
      ['9999.99', '599.99', '6%', false],
      ['5000', '300', '6%', true],
    ] as const)('营业收入 %s万元, 研发 %s万元 → band %s, met %s', (operatingRevenue, rdExpense, band, met) => {
      const e = run({ operatingRevenue, mainBusinessRevenue: operatingRevenue, rdExpense }, { operatingRevenue, rdExpense, mainBusinessRevenue: operatingRevenue }, [SPECIALIZED], { mainBusinessRevenue: operatingRevenue });
      const c = criterion(e, 'rd_intensity_2021');
      expect(c.threshold).toBe(`≥ ${band}`);
      expect(c.met).toBe(met);
    });

    it('needs the ratio in each of the last two years', () => {
      const e = run({}, { rdExpense: '299.99' });
      expect(criterion(e, 'rd_intensity_2020').met).toBe(false);
      expect(criterion(e, 'rd_intensity_2021').met).toBe(true);
      expect(e.outcome).toBe('not_eligible');
    });

    it('below 5000万元 asks for 8000万元 of financing, 3000万元 of R&D and 50 % R&D staff', () => {
      const small = { operatingRevenue: '4999.99', mainBusinessRevenue: '4999.99', rdExpense: '1500', equityFinancing: '4000', rdStaff: 100 };
      const prior = { operatingRevenue: '4999.99', mainBusinessRevenue: '4800', rdExpense: '1500', equityFinancing: '4000' };
      const ok = run(small, prior, [SPECIALIZED], { mainBusinessRevenue: '4500' });
      expect(['small_equity', 'small_rd', 'small_rd_staff'].map((id) => criterion(ok, id).met)).toEqual([true, true, true]);
      const short = run({ ...small, rdStaff: 99, rdExpense: '1499.99' }, prior, [SPECIALIZED], { mainBusinessRevenue: '4500' });
      expect(criterion(short, 'small_rd').met).toBe(false);
      expect(short.gaps.find((g) => g.criterion === 'small_rd_staff')).toMatchObject({ shortfall: '2', unit: '人' }); // (100 − 99)/0.5 = 2
    });
  });

  it('takes a national award ranked 3rd as the innovation route when the general conditions fail', () => {
    const award = { year: 2021, level: 'national', kind: 'sci_tech', rank: 3, name: '国家科学技术进步奖二等奖' } as const;
    expect(run({ ip1Count: 0 }).outcome).toBe('not_eligible');
    expect(run({ ip1Count: 0, awards: [award] }).outcome).toBe('needs_review');
    expect(run({ ip1Count: 0, awards: [{ ...award, rank: 4 }] }).outcome).toBe('not_eligible');
  });

  it('leaves certification to review when no management system is certified, and unknown when not stated', () => {
    expect(criterion(run({ qualityCertified: false }), 'certification').basis).toBe('review');
    const unknown = run({ qualityCertified: null });
    expect(criterion(unknown, 'certification').basis).toBe('missing');
    expect(unknown.outcome).toBe('insufficient_data');
    expect(unknown.missing).toContain('2021年质量管理体系认证');
  });
});
