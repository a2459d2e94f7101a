// The indicator catalogue of the monthly industrial statistics (criteria.md §5.3, §5.4) and of the
// district figures the statistics bureau publishes. One table: the import matches headers against
// it, the figures service sums it, the web shows its names and units.
import { isMoneyUnit } from './quantity.ts';
import type { MoneyUnit } from './quantity.ts';

/** The indicators every 规上 enterprise reports monthly, 本年累计 beside 上年同期. */
export const INDICATOR_CODES = [
  'output_value',
  'sales_value',
  'export_value',
  'revenue',
  'profit',
  'electricity',
  'employees',
  'rd_expense',
] as const;
export type IndicatorCode = (typeof INDICATOR_CODES)[number];

export interface IndicatorDefinition {
  code: IndicatorCode;
  /** The name on the statistics forms and in import headers. */
  name: string;
  /** The unit values are stored and shown in (thousandths of it in the database, ADR 0001). */
  unit: string;
  /** Other names clerks put in headers for the same thing. */
  aliases: readonly string[];
  /** Money indicators accept 元/千元/万元/亿元 in a header and are converted. */
  money: boolean;
  /** Whether 上年同期 must be given (平均用工人数 often comes without it). */
  previousRequired: boolean;
  /** May be negative (a loss); exempt from the "lower than last month" check. */
  signed: boolean;
  /**
   * A stock, not a flow: 平均用工人数 is an average, so a month's value is not the difference of
   * two cumulative values and a fall is no data error.
   */
  average: boolean;
  /** From the financial form B203-1, which has no January: still reported as 1–2月. */
  financial: boolean;
}

/** The catalogue, in the order of the statistics forms. */
export const INDICATORS: readonly IndicatorDefinition[] = [
  { code: 'output_value', name: '工业总产值', unit: '千元', aliases: ['总产值', '工业总产值(当年价格)', '工业总产值(当年价)'], money: true, previousRequired: true, signed: false, average: false, financial: false },
  { code: 'sales_value', name: '工业销售产值', unit: '千元', aliases: ['销售产值', '工业销售产值(当年价格)', '工业销售产值(当年价)'], money: true, previousRequired: true, signed: false, average: false, financial: false },
  { code: 'export_value', name: '出口交货值', unit: '千元', aliases: ['其中:出口交货值', '其中出口交货值'], money: true, previousRequired: true, signed: false, average: false, financial: false },
  { code: 'revenue', name: '营业收入', unit: '千元', aliases: ['主营业务收入'], money: true, previousRequired: true, signed: false, average: false, financial: true },
  { code: 'profit', name: '利润总额', unit: '千元', aliases: ['利润'], money: true, previousRequired: true, signed: true, average: false, financial: true },
  { code: 'electricity', name: '用电量', unit: '万千瓦时', aliases: ['企业用电量', '工业用电量'], money: false, previousRequired: true, signed: false, average: false, financial: false },
  { code: 'employees', name: '平均用工人数', unit: '人', aliases: ['用工人数', '从业人员平均人数'], money: false, previousRequired: false, signed: false, average: true, financial: true },
  { code: 'rd_expense', name: '研发费用', unit: '千元', aliases: ['研究开发费用', 'R&D经费支出'], money: true, previousRequired: true, signed: false, average: false, financial: true },
];

const byCode = new Map<string, IndicatorDefinition>(INDICATORS.map((indicator) => [indicator.code, indicator]));

export function isIndicatorCode(value: unknown): value is IndicatorCode {
  return typeof value === 'string' && byCode.has(value);
}

/** The definition of an indicator; throws on an unknown code (a programming error). */
export function indicatorOf(code: IndicatorCode): IndicatorDefinition {
  const indicator = byCode.get(code);
  if (!indicator) throw new RangeError(`unknown indicator ${code}`);
  return indicator;
}

/** The money unit an indicator is stored in, or null for physical units (万千瓦时, 人). */
export function moneyUnitOf(code: IndicatorCode): MoneyUnit | null {
  const unit = indicatorOf(code).unit;
  return isMoneyUnit(unit) ? unit : null;
}

/** The two columns each indicator has on the form. */
export const VALUE_COLUMNS = ['current', 'previous'] as const;
export type ValueColumn = (typeof VALUE_COLUMNS)[number];
export const VALUE_COLUMN_LABELS: Record<ValueColumn, string> = { current: '本年累计', previous: '上年同期' };

/**
 * Figures the platform cannot compute from enterprise reports and takes from the statistics
 * bureau each month (MISSION B; criteria.md §5.2): value-added growth is real growth at
 * comparable prices and is never derived from output value.
 */
export const REPORTED_INDICATOR_CODES = [
  'industrial_va_growth',
  'hightech_va_growth',
  'industrial_investment_growth',
  'tech_renovation_investment_growth',
  'industrial_va',
] as const;
export type ReportedIndicatorCode = (typeof REPORTED_INDICATOR_CODES)[number];

export interface ReportedIndicatorDefinition {
  code: ReportedIndicatorCode;
  name: string;
  unit: string;
  /** Growth figures may be negative. */
  signed: boolean;
  note: string;
}

export const REPORTED_INDICATORS: readonly ReportedIndicatorDefinition[] = [
  { code: 'industrial_va_growth', name: '规上工业增加值增速', unit: '%', signed: true, note: '统计局公布，可比价实际增速' },
  { code: 'hightech_va_growth', name: '高新技术产业增加值增速', unit: '%', signed: true, note: '统计局公布，可比价实际增速' },
  { code: 'industrial_investment_growth', name: '工业投资增速', unit: '%', signed: true, note: '统计局公布' },
  { code: 'tech_renovation_investment_growth', name: '技改投资增速', unit: '%', signed: true, note: '统计局公布' },
  { code: 'industrial_va', name: '规上工业增加值', unit: '亿元', signed: false, note: '统计局公布，现价总量' },
];

const reportedByCode = new Map<string, ReportedIndicatorDefinition>(REPORTED_INDICATORS.map((indicator) => [indicator.code, indicator]));

export function isReportedIndicatorCode(value: unknown): value is ReportedIndicatorCode {
  return typeof value === 'string' && reportedByCode.has(value);
}

export function reportedIndicatorOf(code: ReportedIndicatorCode): ReportedIndicatorDefinition {
  const indicator = reportedByCode.get(code);
  if (!indicator) throw new RangeError(`unknown reported indicator ${code}`);
  return indicator;
}

/**
 * Size bands of 规上 enterprises by the previous year's output value, as the plan counts them
 * (10 new enterprises above 1亿元, 2 above 10亿元). Bounds in 千元, lower bound inclusive.
 */
export const SCALE_BANDS = [
  { code: 'over_1b', name: '10亿元以上', min: 1_000_000n },
  { code: 'over_100m', name: '1亿–10亿元', min: 100_000n },
  { code: 'over_20m', name: '2000万–1亿元', min: 20_000n },
  { code: 'under_20m', name: '2000万元以下', min: 0n },
] as const;
export type ScaleBandCode = (typeof SCALE_BANDS)[number]['code'];

/** The band of an annual output value in 千元 (a negative or missing value falls in the lowest). */
export function scaleBandOf(annualOutputThousandYuan: bigint): ScaleBandCode {
  for (const band of SCALE_BANDS) if (annualOutputThousandYuan >= band.min) return band.code;
  return 'under_20m';
}

/**
 * How a figure changed when growth cannot say it (a base ≤ 0) or says it badly (profit turning
 * into a loss): the statistics bulletins' words.
 */
export const CHANGE_STATES = ['turnaround', 'loss_reduced', 'loss_increased', 'loss_flat', 'to_loss', 'no_base'] as const;
export type ChangeState = (typeof CHANGE_STATES)[number];
export const CHANGE_STATE_LABELS: Record<ChangeState, string> = {
  turnaround: '扭亏',
  loss_reduced: '减亏',
  loss_increased: '增亏',
  loss_flat: '亏损持平',
  to_loss: '由盈转亏',
  no_base: '上年同期为零',
};
