import { describe, expect, it } from 'vitest';
import { looksLikeMonthlyHeader, looksLikeProductHeader, matchMonthlyHeader, matchProductHeader } from '#server/modules/monitoring/monitoring.header.ts';

describe('monthly header matching', () => {
  it.each([
    ['统一社会信用代码', 'uscc'],
    [' 统一社会\n信用代码 ', 'uscc'],
    ['企业名称', 'name'],
    ['单位详细名称', 'name'],
    ['报告期', 'period'],
    ['统计期别', 'period'],
  ])('recognises the key column %j', (header, key) => {
    expect(matchMonthlyHeader(header)).toEqual({ kind: 'key', key });
  });

  it.each([
    ['工业总产值本年累计', 'output_value', 'current'],
    ['工业总产值上年同期', 'output_value', 'previous'],
    ['工业总产值\n本年累计', 'output_value', 'current'],
    ['工业总产值 本年1—本月', 'output_value', 'current'],
    ['上年同期工业销售产值', 'sales_value', 'previous'],
    ['其中：出口交货值本年累计', 'export_value', 'current'],
    ['营业收入本年累计', 'revenue', 'current'],
    ['主营业务收入上年同期累计', 'revenue', 'previous'],
    ['用电量上年同期', 'electricity', 'previous'],
    ['利润总额本期累计', 'profit', 'current'],
    ['研发费用上年同期', 'rd_expense', 'previous'],
    ['平均用工人数', 'employees', 'current'],
    ['平均用工人数上年同期', 'employees', 'previous'],
    ['工业总产值(当年价格)本年累计', 'output_value', 'current'],
  ])('reads %j as %s %s in the default unit', (header, indicator, column) => {
    expect(matchMonthlyHeader(header)).toMatchObject({ kind: 'value', indicator, column, unitFromHeader: false, exponent: 0 });
  });

  it.each([
    ['工业总产值本年累计（千元）', '千元', 0],
    ['工业总产值本年累计(万元)', '万元', 1],
    ['营业收入上年同期 (元)', '元', -3],
    ['营业收入（亿元）本年累计', '亿元', 5],
    ['工业总产值（当年价格）（万元）上年同期', '万元', 1],
    ['用电量本年累计（千瓦时）', '千瓦时', -4],
    ['用电量本年累计（万千瓦时）', '万千瓦时', 0],
    ['平均用工人数（人）', '人', 0],
  ])('honours the unit in %j', (header, unit, exponent) => {
    expect(matchMonthlyHeader(header)).toMatchObject({ kind: 'value', unit, unitFromHeader: true, exponent });
  });

  it('refuses a unit that does not convert, and an indicator without its column', () => {
    expect(matchMonthlyHeader('用电量本年累计（万元）')).toMatchObject({ kind: 'unmatched', reason: expect.stringContaining('万千瓦时') });
    expect(matchMonthlyHeader('工业总产值')).toMatchObject({ kind: 'unmatched', reason: expect.stringContaining('工业总产值本年累计') });
    expect(matchMonthlyHeader('税金合计本年累计')).toMatchObject({ kind: 'unmatched' });
  });

  it('ignores month-only columns and helper columns instead of calling them unknown', () => {
    expect(matchMonthlyHeader('工业总产值本月')).toMatchObject({ kind: 'ignored' });
    expect(matchMonthlyHeader('序号')).toMatchObject({ kind: 'ignored' });
  });

  it('tells a monthly header row and a product header row apart', () => {
    expect(looksLikeMonthlyHeader(['统一社会信用代码', '企业名称', '报告期', '工业总产值本年累计'])).toBe(true);
    expect(looksLikeMonthlyHeader(['填报说明', '', ''])).toBe(false);
    expect(looksLikeProductHeader(['统一社会信用代码', '报告期', '产品名称', '计量单位', '本年累计', '上年同期'])).toBe(true);
    expect(matchProductHeader('计量单位')).toBe('unit');
  });
});
