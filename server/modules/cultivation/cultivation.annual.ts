import { ANNUAL_FIELDS, awardSchema, standardSchema } from '#common/contracts/cultivation.ts';
import type { AnnualFieldKey, AnnualFigures, Award, CountFieldKey, MoneyFieldKey, RdInstitutionLevel, StandardRecord } from '#common/contracts/cultivation.ts';
import { convertMoney, fromThousandths, isMoneyUnit, parseNumberCell, toHalfWidth, toThousandths } from '#common/quantity.ts';
import type { MoneyUnit } from '#common/quantity.ts';
import type { EnterpriseAnnualDataTable } from '#server/db/schema.ts';
import { q, ratioOf } from '#server/modules/cultivation/rules/exact.ts';
import type { Q } from '#server/modules/cultivation/rules/exact.ts';
import type { AnnualRow, PlainField, YearSource } from '#server/modules/cultivation/rules/facts.ts';

// Annual figures between their three forms: the database row (money as thousandths of 元), the
// engine's and the API's figures (money as exact 万元 strings), and spreadsheet cells as clerks
// write them (any money unit in the header, 是/否, 国家/省/市/县区/无, lists).

type Column = keyof EnterpriseAnnualDataTable;

/** Each field's column. */
export const FIELD_COLUMNS: Record<AnnualFieldKey, Column> = {
  staffTotal: 'staff_total',
  techStaff: 'tech_staff',
  rdStaff: 'rd_staff',
  operatingRevenue: 'operating_revenue',
  mainBusinessRevenue: 'main_business_revenue',
  totalRevenue: 'total_revenue',
  totalCostsExpenses: 'total_costs_expenses',
  highTechRevenue: 'high_tech_revenue',
  rdExpense: 'rd_expense',
  domesticRdExpense: 'domestic_rd_expense',
  totalAssets: 'total_assets',
  totalLiabilities: 'total_liabilities',
  netAssets: 'net_assets',
  netProfit: 'net_profit',
  ip1Count: 'ip1_count',
  ip1HighValueCount: 'ip1_high_value_count',
  ip1OwnCount: 'ip1_own_count',
  ip2Count: 'ip2_count',
  rdInstitutionLevel: 'rd_institution_level',
  nicheYears: 'niche_years',
  nicheMarketShare: 'niche_market_share',
  equityFinancing: 'equity_financing',
  digitalLevel: 'digital_level',
  qualityCertified: 'quality_certified',
  ownBrand: 'own_brand',
  strategicEmerging: 'strategic_emerging',
  awards: 'awards',
  standards: 'standards',
};

const FIELD_KIND = Object.fromEntries(ANNUAL_FIELDS.map((f) => [f.key, f.kind])) as Record<AnnualFieldKey, (typeof ANNUAL_FIELDS)[number]['kind']>;

// ---- Database ↔ figures ------------------------------------------------------------------------

/** Thousandths of 元 → 万元 as an exact canonical string. */
export function thousandthsToWan(value: string | number | bigint): string {
  return convertMoney(fromThousandths(BigInt(value)), '元', '万元');
}

/** An exact 万元 string → thousandths of 元, and whether it had to be rounded (finer than 0.001 元). */
export function wanToThousandths(value: string): { thousandths: bigint; rounded: boolean } {
  return toThousandths(convertMoney(value, '万元', '元'));
}

function parseJsonList<T>(text: string | null, parse: (item: unknown) => T | null): T[] | null {
  if (text === null) return null;
  const raw: unknown = JSON.parse(text);
  if (!Array.isArray(raw)) return null;
  return raw.map(parse).filter((x): x is T => x !== null);
}

const flag = (v: number | null): boolean | null => (v === null ? null : v === 1);

/** A stored row as the figures the engine and the API use. */
export function rowToFigures(row: EnterpriseAnnualDataTable): AnnualRow {
  const money = (v: string | number | bigint | null) => (v === null ? null : thousandthsToWan(v));
  const count = (v: number | string | null) => (v === null ? null : Number(v));
  return {
    year: Number(row.year),
    staffTotal: count(row.staff_total),
    techStaff: count(row.tech_staff),
    rdStaff: count(row.rd_staff),
    operatingRevenue: money(row.operating_revenue),
    mainBusinessRevenue: money(row.main_business_revenue),
    totalRevenue: money(row.total_revenue),
    totalCostsExpenses: money(row.total_costs_expenses),
    highTechRevenue: money(row.high_tech_revenue),
    rdExpense: money(row.rd_expense),
    domesticRdExpense: money(row.domestic_rd_expense),
    totalAssets: money(row.total_assets),
    totalLiabilities: money(row.total_liabilities),
    netAssets: money(row.net_assets),
    netProfit: money(row.net_profit),
    ip1Count: count(row.ip1_count),
    ip1HighValueCount: count(row.ip1_high_value_count),
    ip1OwnCount: count(row.ip1_own_count),
    ip2Count: count(row.ip2_count),
    rdInstitutionLevel: (row.rd_institution_level as RdInstitutionLevel | null) ?? null,
    nicheYears: count(row.niche_years),
    nicheMarketShare: row.niche_market_share === null ? null : fromThousandths(BigInt(row.niche_market_share)),
    equityFinancing: money(row.equity_financing),
    digitalLevel: count(row.digital_level),
    qualityCertified: flag(row.quality_certified === null ? null : Number(row.quality_certified)),
    ownBrand: flag(row.own_brand === null ? null : Number(row.own_brand)),
    strategicEmerging: flag(row.strategic_emerging === null ? null : Number(row.strategic_emerging)),
    awards: parseJsonList(row.awards, (item) => awardSchema.safeParse(item).data ?? null),
    standards: parseJsonList(row.standards, (item) => standardSchema.safeParse(item).data ?? null),
  };
}

/** A stored integer (SQLite: number; PostgreSQL: bigint as text) for exact arithmetic. */
function storedInteger(value: string | number | bigint): number | bigint {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return value;
  return value.length <= 15 ? Number(value) : BigInt(value);
}

const TEN_MILLION = 10_000_000; // thousandths of 元 per 万元
const HUNDRED_THOUSAND = 100_000; // thousandths of a percentage point per unit ratio

/**
 * A stored row as the engine reads it: money straight from integer thousandths of 元 to an exact
 * ratio over 10^7 (万元) — no string round trip — so a pool of 20,000 enterprises stays cheap.
 */
export class StoredYear implements YearSource {
  readonly year: number;
  private lists: { awards?: Award[] | null; standards?: StandardRecord[] | null } = {};
  // Every rule reads the same figures: each is converted once per row, not once per read.
  private readonly figures = new Map<string, Q | null>();
  constructor(private readonly row: EnterpriseAnnualDataTable) {
    this.year = Number(row.year);
  }

  money(field: MoneyFieldKey): Q | null {
    let figure = this.figures.get(field);
    if (figure === undefined) {
      const value = this.row[FIELD_COLUMNS[field]] as string | number | bigint | null;
      figure = value === null ? null : ratioOf(storedInteger(value), TEN_MILLION);
      this.figures.set(field, figure);
    }
    return figure;
  }

  count(field: CountFieldKey | 'digitalLevel'): Q | null {
    let figure = this.figures.get(field);
    if (figure === undefined) {
      const value = this.row[FIELD_COLUMNS[field]] as number | null;
      figure = value === null ? null : q(Number(value));
      this.figures.set(field, figure);
    }
    return figure;
  }

  marketShare(): Q | null {
    const value = this.row.niche_market_share;
    return value === null ? null : ratioOf(storedInteger(value), HUNDRED_THOUSAND);
  }

  plain<K extends PlainField>(field: K): AnnualFigures[K] {
    const value = this.row[FIELD_COLUMNS[field]] as string | number | null;
    if (value === null) return null as AnnualFigures[K];
    if (field === 'rdInstitutionLevel') return value as AnnualFigures[K];
    if (field === 'nicheYears' || field === 'digitalLevel') return Number(value) as AnnualFigures[K];
    return (Number(value) === 1) as AnnualFigures[K];
  }

  list<K extends 'awards' | 'standards'>(field: K): AnnualFigures[K] {
    if (field === 'awards') {
      if (this.lists.awards === undefined) this.lists.awards = parseJsonList(this.row.awards, (item) => awardSchema.safeParse(item).data ?? null);
      return this.lists.awards as AnnualFigures[K];
    }
    if (this.lists.standards === undefined) this.lists.standards = parseJsonList(this.row.standards, (item) => standardSchema.safeParse(item).data ?? null);
    return this.lists.standards as AnnualFigures[K];
  }
}

/** Figures (any subset) as column values; `rounded` lists money fields finer than 0.001 元. */
export function figuresToColumns(figures: Partial<AnnualFigures>): { set: Partial<EnterpriseAnnualDataTable>; rounded: AnnualFieldKey[] } {
  const set: Record<string, unknown> = {};
  const rounded: AnnualFieldKey[] = [];
  for (const [key, value] of Object.entries(figures) as [AnnualFieldKey, unknown][]) {
    if (value === undefined) continue;
    const column = FIELD_COLUMNS[key];
    if (value === null) {
      set[column] = null;
      continue;
    }
    switch (FIELD_KIND[key]) {
      case 'money': {
        const t = wanToThousandths(value as string);
        if (t.rounded) rounded.push(key);
        set[column] = t.thousandths.toString();
        break;
      }
      case 'percent':
        set[column] = toThousandths(value as string).thousandths.toString();
        break;
      case 'flag':
        set[column] = value ? 1 : 0;
        break;
      case 'awards':
      case 'standards':
        set[column] = JSON.stringify(value);
        break;
      default:
        set[column] = value;
    }
  }
  return { set: set as Partial<EnterpriseAnnualDataTable>, rounded };
}

// ---- Spreadsheet cells ---------------------------------------------------------------------------

export type CellParse<T> = { ok: true; value: T; warning?: string } | { ok: false; message: string };

const compact = (raw: unknown) => toHalfWidth(String(raw ?? '')).replace(/\s+/g, '');

/** A money cell in the header's unit, as exact 万元. */
export function parseMoneyCell(raw: unknown, unit: MoneyUnit): CellParse<string> {
  const parsed = parseNumberCell(raw);
  if (!parsed.ok) return parsed;
  const wan = convertMoney(parsed.value, unit, '万元');
  const { rounded } = wanToThousandths(wan);
  return rounded ? { ok: true, value: wan, warning: `数值精确到 0.001 元，多余的小数位已四舍五入` } : { ok: true, value: wan };
}

/** A non-negative whole number (people, IP items, years). */
export function parseCountCell(raw: unknown, unitLabel: string): CellParse<number> {
  const parsed = parseNumberCell(raw);
  if (!parsed.ok) return parsed;
  if (!/^\d+$/.test(parsed.value)) return { ok: false, message: `「${String(raw).trim()}」应为非负整数（${unitLabel}）` };
  const n = Number(parsed.value);
  if (n > 10_000_000) return { ok: false, message: `「${String(raw).trim()}」过大，请核对` };
  return { ok: true, value: n };
}

/** A share in percent: '12.5', '12.5%'; 0–100. */
export function parsePercentCell(raw: unknown): CellParse<string> {
  const parsed = parseNumberCell(raw, { percent: true });
  if (!parsed.ok) return parsed;
  const t = toThousandths(parsed.value);
  if (t.thousandths < 0n || t.thousandths > 100_000n) return { ok: false, message: `「${String(raw).trim()}」应在 0–100（%）之间` };
  return { ok: true, value: fromThousandths(t.thousandths), ...(t.rounded ? { warning: '占有率保留 3 位小数，多余的小数位已四舍五入' } : {}) };
}

const RD_LEVEL_WORDS: Record<string, RdInstitutionLevel> = {
  国家: 'national',
  国家级: 'national',
  省: 'provincial',
  省级: 'provincial',
  省部级: 'provincial',
  市: 'municipal',
  市级: 'municipal',
  县区: 'county',
  县区级: 'county',
  县: 'county',
  县级: 'county',
  区: 'county',
  区级: 'county',
  无: 'none',
  没有: 'none',
};

export function parseRdLevelCell(raw: unknown): CellParse<RdInstitutionLevel> {
  const level = RD_LEVEL_WORDS[compact(raw)];
  return level ? { ok: true, value: level } : { ok: false, message: `研发机构级别「${String(raw).trim()}」无法识别，请填 国家、省、市、县区 或 无` };
}

const YES = ['是', '有', 'Y', 'YES', 'TRUE', '1', '√'];
const NO = ['否', '无', '没有', 'N', 'NO', 'FALSE', '0', '×'];

export function parseFlagCell(raw: unknown): CellParse<boolean> {
  if (typeof raw === 'boolean') return { ok: true, value: raw };
  const text = compact(raw).toUpperCase();
  if (YES.includes(text)) return { ok: true, value: true };
  if (NO.includes(text)) return { ok: true, value: false };
  return { ok: false, message: `「${String(raw).trim()}」无法识别，请填“是”或“否”` };
}

const CHINESE_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 数字化水平等级: '3', '3级', '三级'. */
export function parseLevelCell(raw: unknown): CellParse<number> {
  const text = compact(raw).replace(/级$/, '');
  const n = /^[1-9]$/.test(text) ? Number(text) : CHINESE_DIGITS[text];
  return n ? { ok: true, value: n } : { ok: false, message: `数字化水平等级「${String(raw).trim()}」无法识别，请填 1–9 的整数，如 3 或 三级` };
}

const AWARD_LEVELS: Record<string, Award['level']> = { 国家: 'national', 国家级: 'national', 省: 'provincial', 省级: 'provincial', 省部级: 'provincial', 市: 'municipal', 市级: 'municipal', 其他: 'other' };
const AWARD_KINDS: Record<string, Award['kind']> = { 科技奖: 'sci_tech', 科学技术奖: 'sci_tech', 质量奖: 'quality', 创客中国: 'makers_china', 其他: 'other' };
const STANDARD_LEVELS: Record<string, StandardRecord['level']> = { 国际: 'international', 国际标准: 'international', 国家: 'national', 国家标准: 'national', 行业: 'industry', 行业标准: 'industry', 地方: 'local', 地方标准: 'local', 团体: 'group', 团体标准: 'group' };
const STANDARD_ROLES: Record<string, StandardRecord['role']> = { 主导: 'lead', 牵头: 'lead', 主持: 'lead', 参与: 'participate', 参编: 'participate' };

/** Entries of a list cell: separated by ；, ; or line breaks; '无' is the empty list. */
function listEntries(raw: unknown): string[] | 'none' {
  const text = String(raw ?? '').trim();
  if (compact(text) === '无') return 'none';
  return text
    .split(/[；;\r\n]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

const fieldsOf = (entry: string) => entry.split(/[|｜]/).map((s) => s.trim());

/** A year field: 2021 or 2021年. */
function yearOf(text: string): number | null {
  const match = /^(\d{4})年?$/.exec(compact(text));
  return match ? Number(match[1]) : null;
}

export const AWARDS_FORMAT = '每项一行或以“；”分隔，格式：年度|级别|类别|排名|名称，如 2021|省级|科技奖|2|湖北省科技进步奖二等奖（级别：国家级/省级/市级/其他；类别：科技奖/质量奖/创客中国/其他；排名可空；无获奖填“无”）';
export const STANDARDS_FORMAT = '每项一行或以“；”分隔，格式：年度|级别|角色|名称，如 2020|行业|主导|QC/T 1234-2020（级别：国际/国家/行业/地方/团体；角色：主导/参与；无填“无”）';

export function parseAwardsCell(raw: unknown): CellParse<Award[]> {
  const entries = listEntries(raw);
  if (entries === 'none') return { ok: true, value: [] };
  const out: Award[] = [];
  for (const entry of entries) {
    const [year, level, kind, rank, ...name] = fieldsOf(entry);
    const y = yearOf(year ?? '');
    const l = AWARD_LEVELS[compact(level)];
    const k = AWARD_KINDS[compact(kind)];
    const rankText = compact(rank).replace(/^第|名$/g, '');
    const r = rankText === '' ? null : /^\d+$/.test(rankText) ? Number(rankText) : NaN;
    const n = name.join('|').trim();
    if (y === null || !l || !k || Number.isNaN(r) || r === 0 || n === '') return { ok: false, message: `获奖情况「${entry}」格式不对：${AWARDS_FORMAT}` };
    out.push({ year: y, level: l, kind: k, rank: r, name: n.slice(0, 200) });
  }
  return { ok: true, value: out };
}

export function parseStandardsCell(raw: unknown): CellParse<StandardRecord[]> {
  const entries = listEntries(raw);
  if (entries === 'none') return { ok: true, value: [] };
  const out: StandardRecord[] = [];
  for (const entry of entries) {
    const [year, level, role, ...name] = fieldsOf(entry);
    const y = yearOf(year ?? '');
    const l = STANDARD_LEVELS[compact(level)];
    const r = STANDARD_ROLES[compact(role)];
    const n = name.join('|').trim();
    if (y === null || !l || !r || n === '') return { ok: false, message: `制定标准「${entry}」格式不对：${STANDARDS_FORMAT}` };
    out.push({ year: y, level: l, role: r, name: n.slice(0, 200) });
  }
  return { ok: true, value: out };
}

/** How a header unit is honoured for a field, or why the column cannot be read. */
export function checkHeaderUnit(key: AnnualFieldKey, unit: string | null): { ok: true; money?: MoneyUnit; note?: string } | { ok: false; message: string } {
  const field = ANNUAL_FIELDS.find((f) => f.key === key)!;
  const kind = field.kind;
  if (kind === 'money') {
    if (unit === null) return { ok: false, message: `「${field.header}」列没有注明单位，请把表头写成「${field.header}（万元）」（可用 元、千元、万元、亿元）` };
    if (!isMoneyUnit(unit)) return { ok: false, message: `「${field.header}」列的单位「${unit}」无法识别，请用 元、千元、万元 或 亿元` };
    return { ok: true, money: unit };
  }
  if (unit === null) return kind === 'percent' ? { ok: true, note: `「${field.header}」列未注明单位，按百分数（%）读取` } : { ok: true };
  if (kind === 'percent') return unit === '%' ? { ok: true } : { ok: false, message: `「${field.header}」列的单位应为 %` };
  if (kind === 'count' || kind === 'level') {
    const accepted = kind === 'level' ? ['级'] : field.unit === '人' ? ['人', '个'] : field.unit === '件' ? ['件', '项', '个'] : ['年'];
    return accepted.includes(unit) ? { ok: true } : { ok: false, message: `「${field.header}」列的单位「${unit}」不对，应为 ${accepted.join(' 或 ')}` };
  }
  return { ok: false, message: `「${field.header}」列不带单位，请去掉表头括号中的「${unit}」` };
}
