// Exact decimal arithmetic on canonical decimal strings (ADR 0001): quotas must add up to the
// district target exactly, so sums and the growth-consistency products are never floats.
// Ratios shown to people (completion rates) are computed as numbers at the very end.

type Exact = { c: bigint; s: number };

const PLAIN = /^([+-]?)(\d*)(?:\.(\d*))?$/;

function parse(text: string): Exact {
  const match = PLAIN.exec(text.trim());
  if (!match || ((match[2] ?? '') === '' && (match[3] ?? '') === '')) throw new RangeError(`not a decimal: ${JSON.stringify(text)}`);
  const fraction = match[3] ?? '';
  const magnitude = BigInt(`${match[2] ?? ''}${fraction}` || '0');
  return { c: match[1] === '-' ? -magnitude : magnitude, s: fraction.length };
}

function format({ c, s }: Exact): string {
  const negative = c < 0n;
  let digits = (negative ? -c : c).toString();
  if (s > 0) {
    digits = digits.padStart(s + 1, '0');
    const whole = digits.slice(0, digits.length - s);
    const fraction = digits.slice(digits.length - s).replace(/0+$/, '');
    digits = fraction === '' ? whole : `${whole}.${fraction}`;
  }
  if (digits === '0') return '0';
  return negative ? `-${digits}` : digits;
}

function align(a: Exact, b: Exact): [bigint, bigint, number] {
  const s = Math.max(a.s, b.s);
  return [a.c * 10n ** BigInt(s - a.s), b.c * 10n ** BigInt(s - b.s), s];
}

export function isDecimal(text: string): boolean {
  return PLAIN.test(text.trim()) && /\d/.test(text);
}

/** The canonical form: '12.50' → '12.5', '-0' → '0'. */
export function canonical(text: string): string {
  return format(parse(text));
}

export function add(a: string, b: string): string {
  const [x, y, s] = align(parse(a), parse(b));
  return format({ c: x + y, s });
}

export function sub(a: string, b: string): string {
  const [x, y, s] = align(parse(a), parse(b));
  return format({ c: x - y, s });
}

export function mul(a: string, b: string): string {
  const x = parse(a);
  const y = parse(b);
  return format({ c: x.c * y.c, s: x.s + y.s });
}

export function sum(values: readonly string[]): string {
  return values.reduce((total, value) => add(total, value), '0');
}

/** -1, 0 or 1 as a is less than, equal to or greater than b. */
export function compare(a: string, b: string): -1 | 0 | 1 {
  const [x, y] = align(parse(a), parse(b));
  return x < y ? -1 : x > y ? 1 : 0;
}

/** a ÷ b rounded half away from zero to `places` decimals (b ≠ 0). */
export function divide(a: string, b: string, places: number): string {
  const [x, y] = align(parse(a), parse(b));
  if (y === 0n) throw new RangeError('division by zero');
  const scale = 10n ** BigInt(places);
  const numerator = x * scale;
  const negative = numerator < 0n !== y < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = y < 0n ? -y : y;
  let q = n / d;
  if ((n % d) * 2n >= d) q += 1n;
  return format({ c: negative ? -q : q, s: places });
}

/** For display arithmetic only (rates, paces). */
export function toNumber(text: string): number {
  return Number(text);
}

/** A JS number as a canonical decimal string with at most `places` decimals. */
export function fromNumber(value: number, places = 4): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  return canonical(value.toFixed(places));
}
