// Numbers the Chinese way for the monitoring pages: amounts in 万元 / 亿元 from exact decimal
// strings (never through floating point before rounding for display), growth in %, contributions
// in 百分点, and the bulletins' words where growth says nothing.
import { CHANGE_STATE_LABELS } from '#common/indicators.ts';
import type { ChangeState } from '#common/indicators.ts';
import { convertMoney, isMoneyUnit } from '#common/quantity.ts';

/** Rounds a plain decimal string to `places` decimals, half away from zero, exactly. */
export function roundDecimal(value: string, places: number): string {
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(value.trim());
  if (!match) return value;
  const negative = match[1] === '-';
  const whole = match[2] || '0';
  const fraction = (match[3] ?? '').padEnd(places + 1, '0');
  let digits = BigInt(whole + fraction.slice(0, places));
  if (Number(fraction[places]) >= 5) digits += 1n;
  let text = digits.toString().padStart(places + 1, '0');
  if (places > 0) text = `${text.slice(0, -places)}.${text.slice(-places)}`;
  const isZero = /^0(\.0*)?$/.test(text);
  return negative && !isZero ? `-${text}` : text;
}

/** Thousands separators on the whole part: 1234567.8 → 1,234,567.8. */
export function groupThousands(value: string): string {
  const [whole = '', fraction] = value.split('.');
  const sign = whole.startsWith('-') ? '-' : '';
  const digits = whole.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${digits}${fraction === undefined ? '' : `.${fraction}`}`;
}

export type AmountUnit = '万元' | '亿元';

/** The display unit for an amount in 千元: 亿元 from 1亿元 up, else 万元. */
export function autoUnit(thousandYuan: string): AmountUnit {
  return Math.abs(Number(thousandYuan)) >= 100_000 ? '亿元' : '万元';
}

/**
 * An indicator value for people: money (stored in 千元) as 万元 or 亿元 with two decimals,
 * 万千瓦时 with one, people as whole numbers. `—` for nothing.
 */
export function formatValue(value: string | null | undefined, unit: string, display?: AmountUnit): string {
  if (value === null || value === undefined || value === '') return '—';
  if (isMoneyUnit(unit)) {
    const to = display ?? autoUnit(convertMoney(value, unit, '千元'));
    return `${groupThousands(roundDecimal(convertMoney(value, unit, to), 2))} ${to}`;
  }
  if (unit === '人') return `${groupThousands(roundDecimal(value, 0))} 人`;
  return `${groupThousands(roundDecimal(value, 1))} ${unit}`;
}

/** The number alone in the display unit (for chart axes and table cells sorted numerically). */
export function valueIn(value: string | null | undefined, unit: string, display: AmountUnit): number | null {
  if (value === null || value === undefined || value === '') return null;
  return Number(isMoneyUnit(unit) ? convertMoney(value, unit, display) : value);
}

/** Growth in percent with one decimal and its sign; the state's word where growth is null. */
export function formatGrowth(pct: number | null | undefined, state?: ChangeState | null): string {
  if (pct === null || pct === undefined) return state ? CHANGE_STATE_LABELS[state] : '—';
  const text = `${pct > 0 ? '+' : ''}${pct.toFixed(1)}%`;
  return state ? `${text}（${CHANGE_STATE_LABELS[state]}）` : text;
}

/** A contribution (拉动) in percentage points, two decimals. */
export function formatPoints(pts: number | null | undefined): string {
  if (pts === null || pts === undefined) return '—';
  return `${pts > 0 ? '+' : ''}${pts.toFixed(2)} 个百分点`;
}

/** Red for a rise, green for a fall, as Chinese statistical tables colour them. */
export function growthColor(pct: number | null | undefined): string | undefined {
  if (pct === null || pct === undefined || pct === 0) return undefined;
  return pct > 0 ? '#cf1322' : '#389e0d';
}

/** '2022-06' → '2022年1-6月'. */
export function periodLabel(period: string): string {
  return `${period.slice(0, 4)}年1-${Number(period.slice(5, 7))}月`;
}
