import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { demoFigures, drawArchetype } from '#server/demo/demo.cultivation.ts';
import { prng } from '#server/demo/demo.enterprises.ts';
import {
  checkHeaderUnit,
  figuresToColumns,
  parseAwardsCell,
  parseFlagCell,
  parseLevelCell,
  parseMoneyCell,
  parsePercentCell,
  parseRdLevelCell,
  parseStandardsCell,
  rowToFigures,
  StoredYear,
} from '#server/modules/cultivation/cultivation.annual.ts';
import { evaluateEligibility, evaluateSummary, publicEvaluation } from '#server/modules/cultivation/cultivation.eligibility.ts';
import { emptyAnnualRow } from '#server/modules/cultivation/cultivation.service.ts';
import type { EnterpriseAnnualDataTable } from '#server/db/schema.ts';

// Annual figures between the database, the engine and spreadsheet cells: exact both ways, and
// the stored-row view the pools use answers exactly as the figures the API carries.

const stored = (enterpriseId: string, figures: ReturnType<typeof demoFigures>): EnterpriseAnnualDataTable[] =>
  figures.map(({ year, ...rest }) => ({ ...emptyAnnualRow(`${enterpriseId}-${year}`, enterpriseId, year, 'test', '2026-01-01T00:00:00.000Z'), ...figuresToColumns(rest).set }));

describe('annual figures', () => {
  it('round-trips figures through the database columns exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const random = prng(seed);
        const figures = demoFigures(random, drawArchetype(random));
        const rows = stored('e', figures);
        expect(rows.map(rowToFigures)).toEqual(figures);
      }),
      { numRuns: 60 },
    );
  });

  it('evaluates a stored row exactly as the same figures given as strings', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.constantFrom('2022-12-31', '2022-06-30', '2026-06-30'), (seed, asOf) => {
        const random = prng(seed);
        const figures = demoFigures(random, drawArchetype(random));
        const rows = stored('e', figures);
        const enterprise = { registrationDate: '2012-05-01', industryCode: '3630' };
        const fromStrings = evaluateEligibility({ enterprise, annual: figures, qualifications: [] }, asOf).map(publicEvaluation);
        const fromRows = evaluateEligibility({ enterprise, annual: rows.map((r) => new StoredYear(r)), qualifications: [] }, asOf).map(publicEvaluation);
        expect(fromRows).toEqual(fromStrings);
      }),
      { numRuns: 60 },
    );
  });

  it('summarises exactly: the same outcome, score and closeness as the full evaluation, without texts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const random = prng(seed);
        const input = { enterprise: { registrationDate: '2012-05-01', industryCode: '3630' }, annual: demoFigures(random, drawArchetype(random)), qualifications: [] };
        const full = evaluateEligibility(input, '2022-12-31');
        const summary = evaluateSummary(input, '2022-12-31');
        expect(summary.map((e) => [e.rule, e.outcome, e.score, e.scoreRange, e.closeness, e.missing])).toEqual(full.map((e) => [e.rule, e.outcome, e.score, e.scoreRange, e.closeness, e.missing]));
        expect(summary.every((e) => e.criteria.length === 0 && e.gaps.length === 0)).toBe(true);
        // Texts are back for the next full evaluation.
        expect(evaluateEligibility(input, '2022-12-31')[0]!.criteria.length).toBeGreaterThan(0);
      }),
      { numRuns: 60 },
    );
  });

  it('stores money as thousandths of 元 whatever the unit, and says when it rounds', () => {
    expect(parseMoneyCell(12345.6, '千元')).toEqual({ ok: true, value: '1234.56' });
    expect(parseMoneyCell('1,234,567.89', '元')).toEqual({ ok: true, value: '123.456789' });
    expect(parseMoneyCell('0.5', '亿元')).toEqual({ ok: true, value: '5000' });
    expect(parseMoneyCell('1.23456', '元')).toMatchObject({ ok: true, value: '0.000123456', warning: expect.stringContaining('四舍五入') });
    expect(figuresToColumns({ operatingRevenue: '0.000123456' }).set.operating_revenue).toBe('1235');
    expect(parseMoneyCell('12万', '万元').ok).toBe(false);
  });

  it.each([
    ['营业收入', null, false],
    ['营业收入', '万元', true],
    ['营业收入', '千元', true],
    ['营业收入', '万美元', false],
    ['细分市场占有率', null, true],
    ['细分市场占有率', '%', true],
    ['Ⅰ类知识产权数', '件', true],
    ['职工总数', '人', true],
    ['职工总数', '万元', false],
    ['自有品牌', '是/否', false],
  ] as const)('header unit of %s (%s) → readable %s', (header, unit, ok) => {
    const key = { 营业收入: 'operatingRevenue', 细分市场占有率: 'nicheMarketShare', Ⅰ类知识产权数: 'ip1Count', 职工总数: 'staffTotal', 自有品牌: 'ownBrand' } as const;
    expect(checkHeaderUnit(key[header], unit).ok).toBe(ok);
  });

  it('reads the choice, yes/no, level and percent cells clerks write', () => {
    expect(parseRdLevelCell('省级')).toEqual({ ok: true, value: 'provincial' });
    expect(parseRdLevelCell('县区')).toEqual({ ok: true, value: 'county' });
    expect(parseRdLevelCell('乡镇').ok).toBe(false);
    expect(parseFlagCell('是')).toEqual({ ok: true, value: true });
    expect(parseFlagCell('无')).toEqual({ ok: true, value: false });
    expect(parseFlagCell('也许').ok).toBe(false);
    expect(parseLevelCell('三级')).toEqual({ ok: true, value: 3 });
    expect(parseLevelCell('2级')).toEqual({ ok: true, value: 2 });
    expect(parsePercentCell('12.5%')).toEqual({ ok: true, value: '12.5' });
    expect(parsePercentCell('101').ok).toBe(false);
  });

  it('reads awards and standards lists, 无 as none', () => {
    expect(parseAwardsCell('2021|省级|科技奖|第2名|湖北省科技进步奖二等奖；2020|国家级|创客中国||全国500强')).toEqual({
      ok: true,
      value: [
        { year: 2021, level: 'provincial', kind: 'sci_tech', rank: 2, name: '湖北省科技进步奖二等奖' },
        { year: 2020, level: 'national', kind: 'makers_china', rank: null, name: '全国500强' },
      ],
    });
    expect(parseAwardsCell('无')).toEqual({ ok: true, value: [] });
    expect(parseAwardsCell('2021|省级|科技奖').ok).toBe(false);
    expect(parseStandardsCell('2020|行业|主导|QC/T 1234-2020 专用汽车')).toEqual({ ok: true, value: [{ year: 2020, level: 'industry', role: 'lead', name: 'QC/T 1234-2020 专用汽车' }] });
  });
});
