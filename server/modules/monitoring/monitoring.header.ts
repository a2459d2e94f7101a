// The monthly workbook's header contract (issue 3 §2): which column is which, in which unit.
// Clerks' headers vary: spaces and line breaks inside cells, full-width brackets, a unit suffix
// such as （千元）, two-row headers joined into one (工业总产值 over 本年累计), 本年累计 written as
// 1-本月 or 本期累计. Matching is by meaning, never by position.
import { INDICATORS } from '#common/indicators.ts';
import type { IndicatorCode, IndicatorDefinition, ValueColumn } from '#common/indicators.ts';
import { isMoneyUnit, moneyUnitFactor, toHalfWidth } from '#common/quantity.ts';

export type KeyColumn = 'uscc' | 'name' | 'period';

export type HeaderMatch =
  | { kind: 'key'; key: KeyColumn }
  | {
      kind: 'value';
      indicator: IndicatorCode;
      column: ValueColumn;
      /** The unit the column is in: from the header, or the indicator's default. */
      unit: string;
      unitFromHeader: boolean;
      /** Powers of ten from the column's unit to the indicator's: 万元 → 千元 is +1. */
      exponent: number;
    }
  | { kind: 'ignored'; reason: string }
  | { kind: 'unmatched'; reason: string };

const KEY_NAMES: Record<KeyColumn, readonly string[]> = {
  uscc: ['统一社会信用代码', '社会信用代码', '信用代码', '统一代码', '统一社会信用代码(组织机构代码)', 'uscc'],
  name: ['企业名称', '单位名称', '企业(单位)名称', '单位详细名称', '企业全称', '名称'],
  period: ['报告期', '报告期别', '统计期', '统计期别', '期别', '所属期', '年月', '报告月份', '月份'],
};

// 上年同期 first: its longer forms contain 累计.
const PREVIOUS_TOKENS = ['上年同期累计数', '上年同期累计', '上年1-本月累计', '上年1-本月', '上年同期数', '上年同期', '去年同期', '上年同期值', '同期累计', '同期', '上年'];
const CURRENT_TOKENS = ['本年1-本月累计', '本年1-本月', '1-本月累计', '1-本月', '本年累计数', '本年累计', '本期累计', '本年实际', '累计数', '累计', '本年', '本期'];
// Columns that carry the month alone: B204-1 has them, the platform takes cumulative values.
const MONTH_ONLY_TOKENS = ['本月', '当月'];

/** Units that may appear in a header, with their power of ten relative to a base per family. */
const PHYSICAL_UNITS: Record<string, { family: string; exponent: number }> = {
  千瓦时: { family: 'energy', exponent: 0 },
  度: { family: 'energy', exponent: 0 },
  万千瓦时: { family: 'energy', exponent: 4 },
  万度: { family: 'energy', exponent: 4 },
  亿千瓦时: { family: 'energy', exponent: 8 },
  人: { family: 'people', exponent: 0 },
};

function normaliseText(text: string): string {
  return toHalfWidth(text)
    .replace(/[\s\u00A0]+/g, '')
    .replace(/[（【[]/g, '(')
    .replace(/[）】\]]/g, ')')
    .replace(/[—–~～至到]/g, '-')
    .toLowerCase();
}

/** The header without brackets or decoration, for comparing names: '工业总产值(当年价格)' → '工业总产值'. */
function bareName(text: string): string {
  return normaliseText(text)
    .replace(/\([^()]*\)/g, '')
    .replace(/^其中[:：]?/, '')
    .replace(/[:：_/|·、#*]/g, '');
}

const bareKeyNames = Object.fromEntries(Object.entries(KEY_NAMES).map(([key, names]) => [key, names.map(bareName)])) as Record<KeyColumn, string[]>;

const indicatorNames: { indicator: IndicatorDefinition; names: string[] }[] = INDICATORS.map((indicator) => ({
  indicator,
  names: [indicator.name, ...indicator.aliases].map(bareName).sort((a, b) => b.length - a.length),
}));

/** Bracketed parts of a header that name a unit (the last one wins), and the rest. */
function extractUnit(text: string): { unit: string | null; others: string[] } {
  const groups = [...normaliseText(text).matchAll(/\(([^()]*)\)/g)].map((m) => m[1] ?? '');
  let unit: string | null = null;
  const others: string[] = [];
  for (const group of groups) {
    const candidate = group.replace(/^单位[:：]?/, '');
    if (isMoneyUnit(candidate) || Object.hasOwn(PHYSICAL_UNITS, candidate)) unit = candidate;
    else others.push(group);
  }
  return { unit, others };
}

/** Powers of ten from a header unit to the indicator's unit, or null when they do not convert. */
export function unitExponent(indicator: IndicatorDefinition, unit: string): number | null {
  if (unit === indicator.unit) return 0;
  const from = moneyUnitFactor(unit);
  const to = moneyUnitFactor(indicator.unit);
  if (from !== null && to !== null) return Math.round(Math.log10(from / to));
  const a = PHYSICAL_UNITS[unit];
  const b = PHYSICAL_UNITS[indicator.unit];
  if (a && b && a.family === b.family) return a.exponent - b.exponent;
  return null;
}

function findIndicator(name: string): IndicatorDefinition | null {
  for (const { indicator, names } of indicatorNames) if (names.includes(name)) return indicator;
  return null;
}

/**
 * Reads one header cell of the monthly sheet. Two-row headers arrive joined by the reader
 * (`工业总产值` + `本年累计` → `工业总产值本年累计`); the unit may sit in either part.
 */
export function matchMonthlyHeader(header: string): HeaderMatch {
  const bare = bareName(header);
  if (bare === '') return { kind: 'unmatched', reason: '表头为空' };
  for (const key of ['uscc', 'name', 'period'] as const) if (bareKeyNames[key].includes(bare)) return { kind: 'key', key };
  if (['序号', '行次', '备注', '镇街', '所属镇街', '行业代码', '国民经济行业代码', '填报人', '联系电话'].includes(bare)) {
    return { kind: 'ignored', reason: '不导入的辅助列' };
  }

  let column: ValueColumn | null = null;
  let name = bare;
  for (const token of PREVIOUS_TOKENS) {
    if (bare.startsWith(token) || bare.endsWith(token)) {
      column = 'previous';
      name = bare.startsWith(token) ? bare.slice(token.length) : bare.slice(0, bare.length - token.length);
      break;
    }
  }
  if (!column) {
    for (const token of MONTH_ONLY_TOKENS) {
      if ((bare.endsWith(token) || bare.startsWith(token)) && findIndicator(bare.startsWith(token) ? bare.slice(token.length) : bare.slice(0, -token.length))) {
        return { kind: 'ignored', reason: '本月数不导入，以1–本月累计数为准' };
      }
    }
    for (const token of CURRENT_TOKENS) {
      if (bare.startsWith(token) || bare.endsWith(token)) {
        column = 'current';
        name = bare.startsWith(token) ? bare.slice(token.length) : bare.slice(0, bare.length - token.length);
        break;
      }
    }
  }
  const indicator = findIndicator(name);
  if (!indicator) return { kind: 'unmatched', reason: '无法识别的表头' };
  if (!column) {
    // 平均用工人数 is commonly a single column; any other indicator must say which column it is.
    if (!indicator.previousRequired) column = 'current';
    else return { kind: 'unmatched', reason: `请注明是「${indicator.name}本年累计」还是「${indicator.name}上年同期」` };
  }
  const { unit } = extractUnit(header);
  if (unit === null) return { kind: 'value', indicator: indicator.code, column, unit: indicator.unit, unitFromHeader: false, exponent: 0 };
  const exponent = unitExponent(indicator, unit);
  if (exponent === null) return { kind: 'unmatched', reason: `${indicator.name}的单位应为${indicator.unit}，表头写的是「${unit}」，无法换算` };
  return { kind: 'value', indicator: indicator.code, column, unit, unitFromHeader: true, exponent };
}

export type ProductKey = 'uscc' | 'name' | 'period' | 'product' | 'unit' | 'current' | 'previous';

const PRODUCT_NAMES: Record<ProductKey, readonly string[]> = {
  ...KEY_NAMES,
  product: ['产品名称', '产品', '主要产品名称', '品名'],
  unit: ['计量单位', '单位'],
  current: ['本年累计', '本年1-本月', '1-本月累计', '本期累计', '累计', '产量本年累计', '本年累计产量'],
  previous: ['上年同期', '上年同期累计', '上年1-本月', '去年同期', '产量上年同期', '上年同期产量'],
};
const bareProductNames = Object.fromEntries(Object.entries(PRODUCT_NAMES).map(([key, names]) => [key, names.map(bareName)])) as Record<ProductKey, string[]>;

/** Reads one header cell of the 产品产量 sheet (long form: one product per row). */
export function matchProductHeader(header: string): ProductKey | null {
  const bare = bareName(header);
  for (const [key, names] of Object.entries(bareProductNames) as [ProductKey, string[]][]) if (names.includes(bare)) return key;
  return null;
}

/** Whether a header row looks like the monthly sheet's: an enterprise key and at least one value. */
export function looksLikeMonthlyHeader(headers: readonly string[]): boolean {
  const matches = headers.map(matchMonthlyHeader);
  const hasKey = matches.some((m) => m.kind === 'key' && (m.key === 'uscc' || m.key === 'name'));
  return hasKey && matches.some((m) => m.kind === 'value');
}

/** Whether a header row looks like the 产品产量 sheet's. */
export function looksLikeProductHeader(headers: readonly string[]): boolean {
  const keys = new Set(headers.map(matchProductHeader));
  return keys.has('product') && keys.has('current') && (keys.has('uscc') || keys.has('name'));
}
