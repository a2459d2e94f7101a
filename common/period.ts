// The reporting period of the monthly industrial statistics: the one period type of the platform.
// Since 2013 January and February are collected together (criteria.md §5.2), so a year has
// eleven periods, 'YYYY-02' (1–2月) … 'YYYY-12', and figures are reported for the month and
// cumulatively from January; 'YYYY-01' does not exist.
import { toHalfWidth } from './quantity.ts';

/** A monthly reporting period 'YYYY-MM', MM in 02–12; 'YYYY-02' is the combined 1–2月 period. */
export type Period = string & { readonly __brand: 'Period' };

/** Result of reading a period typed by a clerk or found in a spreadsheet cell. */
export type ParsePeriodResult = { ok: true; period: Period } | { ok: false; message: string };

// Years a clerk's entry can plausibly mean; anything else is a typing slip (2202-06). The type
// itself allows any four-digit year, so arithmetic such as samePeriodLastYear never fails.
const MIN_YEAR = 2000;
const MAX_YEAR = 2099;
const DAY_MS = 86_400_000;
// Excel's day 0 is 1899-12-30 (day 60 is the fictitious 1900-02-29, far outside MIN_YEAR).
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** Whether a value is a canonical period string ('2022-06'; never '2022-01'). */
export function isPeriod(value: unknown): value is Period {
  if (typeof value !== 'string') return false;
  const match = /^(\d{4})-(\d{2})$/.exec(value);
  if (!match) return false;
  const month = Number(match[2]);
  return Number(match[1]) >= 1000 && month >= 2 && month <= 12;
}

/**
 * The period for a year and a month 2–12. Throws RangeError otherwise; for user input use
 * parsePeriod, which explains what to fix.
 */
export function makePeriod(year: number, month: number): Period {
  const text = `${year}-${String(month).padStart(2, '0')}`;
  if (!Number.isInteger(year) || !Number.isInteger(month) || !isPeriod(text)) {
    throw new RangeError(`makePeriod: no reporting period ${year}-${month}`);
  }
  return text;
}

function fromParts(year: number, month: number, shown: string): ParsePeriodResult {
  if (year < MIN_YEAR || year > MAX_YEAR) {
    return { ok: false, message: `报告期「${shown}」的年份不对，应在 ${MIN_YEAR}–${MAX_YEAR} 年之间，请核对` };
  }
  if (month === 1) return { ok: false, message: `1–2月合并报送，请填 ${year}年1-2月` };
  if (month < 1 || month > 12) {
    return { ok: false, message: `报告期「${shown}」的月份不对，应为 2–12 月（1–2月合并为 ${year}年1-2月），请核对` };
  }
  return { ok: true, period: makePeriod(year, month) };
}

function fromUtcDate(date: Date): ParsePeriodResult {
  if (Number.isNaN(date.getTime())) return { ok: false, message: '报告期日期无效，请填写如 2022-06 或 2022年1-6月' };
  return fromParts(date.getUTCFullYear(), date.getUTCMonth() + 1, date.toISOString().slice(0, 10));
}

// Single-month forms; the separator decides nothing, the month may have one or two digits.
const MONTH_FORMS = [/^(\d{4})[-./](\d{1,2})$/, /^(\d{4})(\d{2})$/, /^(\d{4})年(\d{1,2})月?份?$/];
// Cumulative 1–N月, as in 统计 tables: 2022年1-6月, 2022年1—6月, 2022年1至6月.
const CUMULATIVE_FORM = /^(\d{4})年(\d{1,2})(?:-|–|—|~|至|到)(\d{1,2})月?份?$/;

// The canonical form, which the API is sent on every request: no normalising needed.
const CANONICAL = /^(\d{4})-(\d{2})$/;

function parseText(input: string): ParsePeriodResult {
  const canonical = CANONICAL.exec(input);
  if (canonical) return fromParts(Number(canonical[1]), Number(canonical[2]), input);
  const shown = input.trim();
  const text = toHalfWidth(input).replace(/\s+/g, '');
  const unknown: ParsePeriodResult = { ok: false, message: `无法识别报告期「${shown}」，请填写如 2022-06、202206 或 2022年1-6月` };
  for (const form of MONTH_FORMS) {
    const match = form.exec(text);
    if (match) return fromParts(Number(match[1]), Number(match[2]), shown);
  }
  const cumulative = CUMULATIVE_FORM.exec(text);
  if (!cumulative) return unknown;
  const year = Number(cumulative[1]);
  const first = Number(cumulative[2]);
  const last = Number(cumulative[3]);
  if (first !== 1) {
    return { ok: false, message: `报告期按1月起累计，请填 ${year}年1-${last}月 这样的形式` };
  }
  return fromParts(year, last, shown);
}

/**
 * Read a reporting period however a clerk or a spreadsheet gives it: '2022-06', '202206',
 * '2022年6月', '2022年1-6月' (cumulative, → 2022-06), '2022.06', '2022/6', full-width digits and
 * spaces; an Excel date serial (days since 1899-12-30) or a Date (its UTC calendar fields, as
 * Excel dates carry no zone). January alone is refused: it is reported together with February.
 * Never throws.
 */
export function parsePeriod(input: string | number | Date): ParsePeriodResult {
  if (input instanceof Date) return fromUtcDate(input);
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return { ok: false, message: '报告期无效，请填写如 2022-06 或 2022年1-6月' };
    // 200001–209912 read as YYYYMM; Excel serials for those years are 36526–73415, so no clash.
    if (Number.isInteger(input) && input >= 100_000 && input <= 999_999) return parseText(String(input));
    const date = new Date(EXCEL_EPOCH_MS + Math.floor(input) * DAY_MS);
    return fromUtcDate(date);
  }
  if (typeof input === 'string') return parseText(input);
  return { ok: false, message: '报告期无效，请填写如 2022-06 或 2022年1-6月' };
}

/** The year of a period (2022 for '2022-06'). */
export function yearOf(period: Period): number {
  return Number(period.slice(0, 4));
}

/** The month of a period, 2–12 (2 stands for the combined 1–2月). */
export function monthOf(period: Period): number {
  return Number(period.slice(5, 7));
}

/** The cumulative label used in statistical tables: '2022-06' → '2022年1-6月', '2022-02' → '2022年1-2月'. */
export function formatPeriodZh(period: Period): string {
  return `${yearOf(period)}年1-${monthOf(period)}月`;
}

/** The reporting period before this one in the same year (2022-03 → 2022-02); null for 1–2月. */
export function previousPeriod(period: Period): Period | null {
  const month = monthOf(period);
  return month === 2 ? null : makePeriod(yearOf(period), month - 1);
}

/** The same period a year earlier, the base of 同比 growth (2022-06 → 2021-06, 2022-02 → 2021-02). */
export function samePeriodLastYear(period: Period): Period {
  return makePeriod(yearOf(period) - 1, monthOf(period));
}

/** The eleven reporting periods of a year, 1–2月 first: YYYY-02 … YYYY-12. */
export function periodsOfYear(year: number): Period[] {
  return Array.from({ length: 11 }, (_, index) => makePeriod(year, index + 2));
}

/**
 * Whether a period has not begun on the given Beijing date 'YYYY-MM-DD': 2022-06 is future until
 * 2022-06-01; the combined 2022-02 begins on 2022-01-01. Throws RangeError on a malformed date.
 */
export function isFuturePeriod(period: Period, today: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  if (!match) throw new RangeError(`isFuturePeriod: today must be YYYY-MM-DD, got ${JSON.stringify(today)}`);
  const firstMonth = monthOf(period) === 2 ? 1 : monthOf(period);
  const start = `${yearOf(period)}-${String(firstMonth).padStart(2, '0')}-01`;
  return today < start;
}

/** Today's date in Beijing (UTC+8, no daylight saving) as 'YYYY-MM-DD', whatever the machine's zone. */
export function beijingToday(now: Date = new Date()): string {
  return new Date(now.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}
