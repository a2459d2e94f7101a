// Exact rationals for the eligibility engine. Criteria compare ratios against boundaries such as
// "≥ 5 %" and "5 000万元（含）"; a binary float lands on the wrong side of such a boundary often
// enough to matter, so every figure is a fraction of two integers and every comparison is a
// cross-multiplication.
//
// Speed matters too (20,000 enterprises × six rules in a pool): a fraction is held in JS numbers
// while numerator and denominator are safe integers and every product stays below 2^53 — an
// integer product that a float computes below 2^53 is exact — and moves to BigInt the moment
// one would not. Money read from the database arrives as integer thousandths of 元 over 10^7
// (万元), so ratios of two figures divide out the denominator and stay small.

type Small = { readonly n: number; readonly d: number };
type Big = { readonly n: bigint; readonly d: bigint };

/** An exact rational n/d with d > 0: small (safe-integer numbers) or big (BigInt). */
export type Q = Small | Big;

const SAFE = Number.MAX_SAFE_INTEGER;

export const ZERO: Q = { n: 0, d: 1 };
export const ONE: Q = { n: 1, d: 1 };

const isSmall = (a: Q): a is Small => typeof a.n === 'number';
const big = (a: Q): Big => (isSmall(a) ? { n: BigInt(a.n), d: BigInt(a.d) } : a);
const fits = (x: number) => x <= SAFE && x >= -SAFE;

/** A BigInt result, back in numbers when it fits. */
function fromBig(n: bigint, d: bigint): Q {
  if (n <= 9007199254740991n && n >= -9007199254740991n && d <= 9007199254740991n) return { n: Number(n), d: Number(d) };
  return { n, d };
}

// 10^k for the scales that occur, computed once.
const POW10: number[] = Array.from({ length: 16 }, (_, k) => 10 ** k);
const POW10N: bigint[] = Array.from({ length: 40 }, (_, k) => 10n ** BigInt(k));
const pow10n = (k: number): bigint => POW10N[k] ?? 10n ** BigInt(k);

const DIGITS = /^\d*$/;

/** A canonical decimal string ('1234.5', '-0.03') as an exact rational; null if malformed. */
export function parseQ(text: string): Q | null {
  // Hand-rolled rather than a regex: figures are parsed by the hundred thousand in a pool.
  let s = text;
  if (s.length === 0 || s.charCodeAt(0) <= 32 || s.charCodeAt(s.length - 1) <= 32) s = s.trim();
  let start = 0;
  let negative = false;
  if (s[0] === '-' || s[0] === '+') {
    negative = s[0] === '-';
    start = 1;
  }
  const dot = s.indexOf('.', start);
  const whole = dot < 0 ? s.slice(start) : s.slice(start, dot);
  const fraction = dot < 0 ? '' : s.slice(dot + 1);
  if (whole === '' && fraction === '') return null;
  if (!DIGITS.test(whole) || !DIGITS.test(fraction)) return null;
  const digits = whole + fraction || '0';
  if (digits.length <= 15) {
    const magnitude = Number(digits);
    return { n: negative ? -magnitude : magnitude, d: POW10[fraction.length]! };
  }
  const magnitude = BigInt(digits);
  return fromBig(negative ? -magnitude : magnitude, pow10n(fraction.length));
}

/** parseQ for values already validated by a schema: throws on a malformed value. */
export function q(value: string | number | bigint): Q {
  if (typeof value === 'bigint') return fromBig(value, 1n);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`q: only safe integers may be given as numbers, got ${value}`);
    return { n: value, d: 1 };
  }
  const parsed = parseQ(value);
  if (!parsed) throw new RangeError(`q: not a decimal: ${JSON.stringify(value)}`);
  return parsed;
}

/** n / d for integers (thousandths of 元 over 10^7 is 万元). */
export function ratioOf(n: number | bigint, d: number | bigint): Q {
  if (typeof n === 'number' && typeof d === 'number' && Number.isSafeInteger(n) && Number.isSafeInteger(d) && d > 0) return { n, d };
  return div(fromBig(BigInt(n), 1n), fromBig(BigInt(d), 1n));
}

/** A percentage written as a number of percent: pct('4') = 4/100, pct('12.5') = 1/8. */
export function pct(value: string | number): Q {
  return mul(q(value), { n: 1, d: 100 });
}

export function add(a: Q, b: Q): Q {
  if (isSmall(a) && isSmall(b)) {
    if (a.d === b.d) {
      const n = a.n + b.n;
      if (fits(n)) return { n, d: a.d };
    } else if (a.d % b.d === 0 || b.d % a.d === 0) {
      // Decimal denominators (10^k, 10^k·100 …) divide one another: scale the smaller one up.
      const x = a.d > b.d ? a : b;
      const y = a.d > b.d ? b : a;
      const k = x.d / y.d;
      const scaled = y.n * k;
      const n = x.n + scaled;
      if (fits(scaled) && fits(n)) return { n, d: x.d };
    } else {
      const x = a.n * b.d;
      const y = b.n * a.d;
      const d = a.d * b.d;
      if (fits(x) && fits(y) && fits(d) && fits(x + y)) return { n: x + y, d };
    }
  }
  const A = big(a);
  const B = big(b);
  return A.d === B.d ? fromBig(A.n + B.n, A.d) : fromBig(A.n * B.d + B.n * A.d, A.d * B.d);
}

export const neg = (a: Q): Q => (isSmall(a) ? { n: -a.n, d: a.d } : { n: -a.n, d: a.d });
export const sub = (a: Q, b: Q): Q => add(a, neg(b));

export function mul(a: Q, b: Q): Q {
  if (isSmall(a) && isSmall(b)) {
    const n = a.n * b.n;
    const d = a.d * b.d;
    if (fits(n) && fits(d)) return { n, d };
  }
  const A = big(a);
  const B = big(b);
  return fromBig(A.n * B.n, A.d * B.d);
}

/** a ÷ b; throws on division by zero, which callers rule out before dividing. */
export function div(a: Q, b: Q): Q {
  if (isZero(b)) throw new RangeError('div: division by zero');
  if (isSmall(a) && isSmall(b)) {
    // Same denominator (two money figures): it cancels.
    const n = a.d === b.d ? a.n : a.n * b.d;
    const d = a.d === b.d ? b.n : a.d * b.n;
    if (fits(n) && fits(d)) return d < 0 ? { n: -n, d: -d } : { n, d };
  }
  const A = big(a);
  const B = big(b);
  const n = A.d === B.d ? A.n : A.n * B.d;
  const d = A.d === B.d ? B.n : A.d * B.n;
  return d < 0n ? fromBig(-n, -d) : fromBig(n, d);
}

/** −1, 0 or 1 as a <, =, > b, by cross-multiplication. */
export function cmp(a: Q, b: Q): -1 | 0 | 1 {
  if (isSmall(a) && isSmall(b)) {
    let left = a.n;
    let right = b.n;
    if (a.d !== b.d) {
      if (a.d % b.d === 0) right = b.n * (a.d / b.d);
      else if (b.d % a.d === 0) left = a.n * (b.d / a.d);
      else {
        left = a.n * b.d;
        right = b.n * a.d;
      }
    }
    if (fits(left) && fits(right)) return left < right ? -1 : left > right ? 1 : 0;
  }
  const A = big(a);
  const B = big(b);
  const left = A.n * B.d;
  const right = B.n * A.d;
  return left < right ? -1 : left > right ? 1 : 0;
}

export const ge = (a: Q, b: Q) => cmp(a, b) >= 0;
export const gt = (a: Q, b: Q) => cmp(a, b) > 0;
export const le = (a: Q, b: Q) => cmp(a, b) <= 0;
export const lt = (a: Q, b: Q) => cmp(a, b) < 0;
export const isZero = (a: Q) => (isSmall(a) ? a.n === 0 : a.n === 0n);
export const isPositive = (a: Q) => (isSmall(a) ? a.n > 0 : a.n > 0n);

export function sum(values: readonly Q[]): Q {
  let total = ZERO;
  for (const v of values) total = add(total, v);
  return total;
}

export const max = (a: Q, b: Q): Q => (ge(a, b) ? a : b);

/** ⌊n/d⌋ for a big fraction. */
function floorBig(a: Big): bigint {
  const quotient = a.n / a.d; // truncates toward zero
  return a.n < 0n && quotient * a.d !== a.n ? quotient - 1n : quotient;
}

/** ⌊n/d⌋ for a small one, corrected for the float division's rounding. */
function floorSmall(a: Small): number | null {
  if (!fits(a.n) || Math.abs(a.n) > 2 ** 52 || a.d > 2 ** 52) return null;
  let k = Math.floor(a.n / a.d);
  if (k * a.d > a.n) k--;
  else if ((k + 1) * a.d <= a.n) k++;
  return k;
}

/** The largest integer ≤ a (⌊a⌋). */
export function floorInt(a: Q): bigint {
  if (isSmall(a)) {
    const k = floorSmall(a);
    if (k !== null) return BigInt(k);
  }
  return floorBig(big(a));
}

/** The smallest integer ≥ a (⌈a⌉). */
export function ceilInt(a: Q): bigint {
  return -floorInt(neg(a));
}

/** The value of an integer-valued figure (a count) as a number. */
export function intOf(a: Q): number {
  return Number(floorInt(a));
}

function formatDigits(digitsIn: string, negative: boolean, places: number): string {
  let digits = digitsIn;
  if (places > 0) {
    if (digits.length <= places) digits = '0'.repeat(places + 1 - digits.length) + digits;
    const cut = digits.length - places;
    let end = digits.length;
    while (end > cut && digits.charCodeAt(end - 1) === 48) end--;
    digits = end === cut ? digits.slice(0, cut) : `${digits.slice(0, cut)}.${digits.slice(cut, end)}`;
  }
  return negative && digits !== '0' ? `-${digits}` : digits;
}

function formatScaled(scaled: number | bigint, places: number): string {
  const negative = scaled < 0;
  const magnitude = negative ? -scaled : scaled;
  return formatDigits(typeof magnitude === 'number' ? String(magnitude) : magnitude.toString(), negative, places);
}

function roundedScaled(a: Q, places: number, up: boolean): number | bigint {
  const scaledQ = mul(up ? neg(a) : a, { n: POW10[places] ?? Number(pow10n(places)), d: 1 });
  if (isSmall(scaledQ)) {
    const k = floorSmall(scaledQ);
    if (k !== null) return up ? -k : k;
  }
  const k = floorBig(big(scaledQ));
  return up ? -k : k;
}

/**
 * A canonical decimal string with at most `places` decimals, rounded toward −∞: a figure shown
 * never looks better than it is ('9.999 %' shows as 9.99, not as a passing 10).
 */
export function floorDecimal(a: Q, places: number): string {
  return formatScaled(roundedScaled(a, places, false), places);
}

/** As floorDecimal, rounded toward +∞: a shortfall shown is always enough to close the gap. */
export function ceilDecimal(a: Q, places: number): string {
  return formatScaled(roundedScaled(a, places, true), places);
}

/** A ratio as a percentage string, rounded down to two decimals: 0.031 → '3.1'. */
export function percentText(ratio: Q): string {
  return floorDecimal(mul(ratio, { n: 100, d: 1 }), 2);
}

/** A lossy number for ranking only (closeness ordering), never for a decision. */
export function approx(a: Q): number {
  return Number(a.n) / Number(a.d);
}
