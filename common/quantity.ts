// Numbers and units as clerks write them in spreadsheets and forms.
// Values travel as canonical decimal strings (`-1234.5`, never `1,234.50` or a float), so that
// a figure read from a file is exactly the figure stored, summed and shown.

/**
 * Full-width ASCII (Chinese input methods type `２０２２`, `（千元）`, `１，２３４`) → half-width,
 * and the ideographic space → an ordinary space. Used wherever clerk-typed text is parsed.
 */
export function toHalfWidth(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ');
}

/** A money unit found in report headers; every figure is converted between these exactly. */
export type MoneyUnit = '元' | '千元' | '万元' | '亿元';

/** The money units, smallest first. */
export const MONEY_UNITS: readonly MoneyUnit[] = ['元', '千元', '万元', '亿元'];

// Powers of ten, so any conversion is a shift of the decimal point and therefore exact.
const MONEY_UNIT_EXPONENT: Readonly<Record<MoneyUnit, number>> = { 元: 0, 千元: 3, 万元: 4, 亿元: 8 };

/** Whether a header unit is one of the money units the platform converts. */
export function isMoneyUnit(unit: string): unit is MoneyUnit {
  return Object.hasOwn(MONEY_UNIT_EXPONENT, unit);
}

/**
 * How many 元 one of `unit` is: 元 → 1, 千元 → 1000, 万元 → 10000, 亿元 → 100000000.
 * Returns null for anything else (万千瓦时, 吨, 人 …), so callers can tell money columns apart.
 */
export function moneyUnitFactor(unit: string): number | null {
  const trimmed = unit.trim();
  return isMoneyUnit(trimmed) ? 10 ** MONEY_UNIT_EXPONENT[trimmed] : null;
}

/**
 * Split a column header into its name and the unit in trailing brackets:
 * `工业总产值（千元）` → { base: '工业总产值', unit: '千元' }; `营业收入 (万元)` → { base: '营业收入', unit: '万元' }.
 * Half- and full-width brackets may be mixed; spaces and the line breaks of wrapped header cells
 * are ignored. Only the last bracket is taken: `工业总产值(当年价格)(千元)` keeps `(当年价格)` in base.
 * A header without a trailing bracket has unit null.
 */
export function parseUnitSuffix(header: string): { base: string; unit: string | null } {
  const text = toHalfWidth(header).replace(/\s*[\r\n]+\s*/g, '').replace(/\s+/g, ' ').trim();
  const match = /^(.*?)\s*\(([^()]*)\)$/.exec(text);
  if (!match) return { base: text, unit: null };
  const unit = (match[2] ?? '').replace(/\s+/g, '');
  return { base: match[1] ?? '', unit: unit === '' ? null : unit };
}

// The tiny exact decimal: value = coefficient × 10^(−scale). No fixed scale, because converting
// 0.01 元 to 亿元 needs ten places and a fixed scale would round and break the round trip.
interface ExactDecimal {
  readonly coefficient: bigint;
  readonly scale: number;
}

const PLAIN_DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

function parseDecimal(text: string): ExactDecimal | null {
  const match = PLAIN_DECIMAL.exec(text);
  if (!match) return null;
  const whole = match[2] ?? '';
  const fraction = match[3] ?? '';
  if (whole === '' && fraction === '') return null;
  const magnitude = BigInt(whole + fraction || '0');
  return { coefficient: match[1] === '-' ? -magnitude : magnitude, scale: fraction.length };
}

function formatDecimal({ coefficient, scale }: ExactDecimal): string {
  const negative = coefficient < 0n;
  let digits = (negative ? -coefficient : coefficient).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    const whole = digits.slice(0, digits.length - scale);
    const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
    digits = fraction === '' ? whole : `${whole}.${fraction}`;
  } else if (scale < 0 && coefficient !== 0n) {
    digits += '0'.repeat(-scale);
  }
  return negative ? `-${digits}` : digits;
}

/**
 * Convert an amount between money units exactly (no floating point):
 * convertMoney('1234.5', '千元', '万元') → '123.45'. The value must be a plain decimal string,
 * such as the output of parseNumberCell; the result is canonical (no trailing zeros, no '-0').
 * Throws RangeError on a malformed value, which is a programming error, not a user one.
 */
export function convertMoney(value: string, from: MoneyUnit, to: MoneyUnit): string {
  const decimal = parseDecimal(value);
  if (!decimal) throw new RangeError(`convertMoney: not a plain decimal: ${JSON.stringify(value)}`);
  const shift = MONEY_UNIT_EXPONENT[from] - MONEY_UNIT_EXPONENT[to];
  return formatDecimal({ coefficient: decimal.coefficient, scale: decimal.scale - shift });
}

/** Result of reading one spreadsheet or form cell as a number. */
export type NumberCellResult = { ok: true; value: string } | { ok: false; message: string };

/** Options for parseNumberCell. */
export interface NumberCellOptions {
  /** The column is a percentage: a trailing `%` is allowed and dropped (`12.5%` → '12.5', not 0.125). */
  readonly percent?: boolean;
}

// JS renders very large and very small numbers in exponent form (1e+21, 1e-7); spell them out.
function numberToDecimalString(value: number): string {
  const text = String(value);
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return formatDecimal(parseDecimal(text) ?? { coefficient: 0n, scale: 0 });
  const fraction = match[3] ?? '';
  const coefficient = BigInt(`${match[1]}${match[2]}${fraction}`);
  return formatDecimal({ coefficient, scale: fraction.length - Number(match[4]) });
}

const UNIT_IN_CELL = /[十百千万亿元%个吨人台件]/;

/**
 * Read a cell as an exact canonical decimal string: `1,234.50` → '1234.5', `１２３` → '123',
 * 3.0 → '3'. Accepts numbers, numeric strings with surrounding spaces, thousands separators and
 * full-width digits, and a trailing `%` only when `percent` is set. Refuses text (`暂无`, `12万`)
 * and empty cells with a message saying what to fix; never throws.
 */
export function parseNumberCell(raw: unknown, options: NumberCellOptions = {}): NumberCellResult {
  if (typeof raw === 'number') {
    return Number.isFinite(raw) ? { ok: true, value: numberToDecimalString(raw) } : { ok: false, message: '数值无效，请填写数字' };
  }
  if (typeof raw === 'bigint') return { ok: true, value: raw.toString() };
  if (raw === null || raw === undefined) return { ok: false, message: '未填写数值，请填写数字' };
  if (typeof raw !== 'string') return { ok: false, message: '无法识别为数值，请填写数字' };

  const shown = raw.trim();
  let text = toHalfWidth(raw).replace(/[\s\u00A0]+/g, '').replace(/\u2212/g, '-');
  if (text === '') return { ok: false, message: '未填写数值，请填写数字' };
  if (text.endsWith('%')) {
    if (!options.percent) return { ok: false, message: `「${shown}」带有百分号，此栏请只填数字，不带 %` };
    text = text.slice(0, -1);
  }
  if (/^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/.test(text)) text = text.replace(/,/g, '');
  else if (/^[+-]?[\d,]+(\.\d*)?$/.test(text) && text.includes(',')) {
    return { ok: false, message: `「${shown}」的千分位逗号位置不对，请核对，或去掉逗号只填数字` };
  }
  if (/^[+-]?(\d+\.?\d*|\.\d+)e[+-]?\d+$/i.test(text)) {
    return { ok: false, message: `「${shown}」是科学计数法，可能已丢失精度，请把单元格设为数值格式后重新填写完整数字` };
  }
  const decimal = parseDecimal(text);
  if (decimal) return { ok: true, value: formatDecimal(decimal) };
  if (/\d/.test(text) && UNIT_IN_CELL.test(text)) {
    return { ok: false, message: `「${shown}」带有单位或文字，请只填数字，单位以表头为准` };
  }
  return { ok: false, message: `「${shown}」不是数值，请填写数字；没有数据请留空` };
}

/**
 * A plain decimal string as a count of thousandths, the database form of indicator values
 * (ADR 0001): '1234.5' → 1234500n. More than three decimals are rounded half away from zero
 * and `rounded` says so, for the import preview. Throws RangeError on a malformed value.
 */
export function toThousandths(value: string): { thousandths: bigint; rounded: boolean } {
  const decimal = parseDecimal(value.trim());
  if (!decimal) throw new RangeError(`toThousandths: not a plain decimal: ${JSON.stringify(value)}`);
  const { coefficient, scale } = decimal;
  if (scale <= 3) return { thousandths: coefficient * 10n ** BigInt(3 - scale), rounded: false };
  const divisor = 10n ** BigInt(scale - 3);
  const magnitude = coefficient < 0n ? -coefficient : coefficient;
  let quotient = magnitude / divisor;
  const remainder = magnitude % divisor;
  if (remainder * 2n >= divisor) quotient += 1n;
  return { thousandths: coefficient < 0n ? -quotient : quotient, rounded: remainder !== 0n };
}

/** A count of thousandths as a canonical decimal string: 1234500n → '1234.5', -5n → '-0.005'. */
export function fromThousandths(value: bigint): string {
  return formatDecimal({ coefficient: value, scale: 3 });
}

/**
 * Moves the decimal point of a plain decimal string: shiftDecimal('1.5', 4) → '15000',
 * shiftDecimal('15', -4) → '0.0015'. Exact; used to convert between units that differ by a power
 * of ten (千瓦时 → 万千瓦时). Throws RangeError on a malformed value.
 */
export function shiftDecimal(value: string, places: number): string {
  const decimal = parseDecimal(value.trim());
  if (!decimal || !Number.isInteger(places)) throw new RangeError(`shiftDecimal: not a plain decimal: ${JSON.stringify(value)}`);
  return formatDecimal({ coefficient: decimal.coefficient, scale: decimal.scale - places });
}
