import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { add, ceilDecimal, ceilInt, cmp, div, floorDecimal, floorInt, ge, le, mul, pct, q, ratioOf, sub } from '#server/modules/cultivation/rules/exact.ts';
import type { Q } from '#server/modules/cultivation/rules/exact.ts';
import { debtToRepay, shortfallFixedBase, shortfallGrowingBase, staffShortfall } from '#server/modules/cultivation/rules/sheet.ts';
import { annualRow, criterion, evaluate, input } from '#tests/support/cultivation-input.ts';

// The gap arithmetic and the exact numbers under it: every shortfall shown closes its gap, and
// the staff count is the smallest that does.

/** A money amount in 万元 with up to four decimals (1 元), as a canonical string. */
const money = (min: number, max: number) => fc.integer({ min: min * 10000, max: max * 10000 }).map((n) => floorDecimal({ n: BigInt(n), d: 10000n }, 4));
const percent = fc.integer({ min: 1, max: 99 });

describe('exact rationals', () => {
  it('floors and ceils at any number of places, negatives included', () => {
    expect(floorDecimal(q('-1.005'), 2)).toBe('-1.01');
    expect(ceilDecimal(q('-1.005'), 2)).toBe('-1');
    expect(floorDecimal(div(q(2), q(3)), 4)).toBe('0.6666');
    expect(ceilDecimal(div(q(2), q(3)), 4)).toBe('0.6667');
    expect(ceilInt(div(q(-7), q(2)))).toBe(-3n);
    expect(floorInt(div(q(-7), q(2)))).toBe(-4n);
  });

  it('rounds so that floor ≤ x ≤ ceil within one unit of the last place', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), fc.integer({ min: 0, max: 6 }), (n, d, places) => {
        const x: Q = { n, d };
        const lo = q(floorDecimal(x, places));
        const hi = q(ceilDecimal(x, places));
        const unit: Q = { n: 1n, d: 10n ** BigInt(places) };
        return le(lo, x) && ge(hi, x) && cmp(sub(hi, lo), unit) <= 0;
      }),
    );
  });

  it('moves to BigInt when a product would pass 2^53, and back when it fits', () => {
    const huge = ratioOf(9_007_199_254_740_991n * 1000n, 10_000_000n); // ≈ 9×10^11 万元, numerator past 2^53: BigInt
    expect(typeof huge.n).toBe('bigint');
    expect(ge(div(huge, huge), q(1))).toBe(true);
    expect(floorDecimal(huge, 2)).toBe('900719925474.09'); // 9007199254740991000 / 10^7
    const small = div(ratioOf(3, 10_000_000), ratioOf(7, 10_000_000));
    expect(small).toEqual({ n: 3, d: 7 });
    // (2^53 − 1)/1 × 3 overflows numbers and is still exact.
    expect(cmp(mul(q(9_007_199_254_740_991), q(3)), q(27_021_597_764_222_973n))).toBe(0);
  });

  it('compares by cross-multiplication, agreeing with integer arithmetic on scaled values', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 10n }), fc.bigInt({ min: 1n, max: 10n ** 10n }), percent, (num, den, p) => {
        // num/den ≥ p % ⇔ 100·num ≥ p·den
        return ge(div(q(num), q(den)), pct(p)) === 100n * num >= BigInt(p) * den;
      }),
    );
  });
});

describe('gap arithmetic', () => {
  it('staff: N = ⌈(r·T − S)/(1 − r)⌉ is the smallest hiring that reaches r', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20000 }), fc.integer({ min: 0, max: 20000 }), percent, (total, partRaw, p) => {
        const part = partRaw % (total + 1);
        const r = pct(p);
        const n = staffShortfall(q(part), q(total), r);
        const reaches = (k: bigint) => ge(div(q(BigInt(part) + k), q(BigInt(total) + k)), r);
        if (ge(div(q(part), q(total)), r)) return n === 0n;
        return n > 0n && reaches(n) && !reaches(n - 1n);
      }),
    );
  });

  it('fixed base (R&D against revenue earned): adding the shortfall, rounded up to 0.01万元, reaches r', () => {
    fc.assert(
      fc.property(money(0, 1000), money(1, 100000), percent, (num, den, p) => {
        const r = pct(p);
        const x = shortfallFixedBase(q(num), q(den), r);
        if (le(x, q(0))) return ge(div(q(num), q(den)), r);
        return ge(div(add(q(num), q(ceilDecimal(x, 2))), q(den)), r);
      }),
    );
  });

  it('growing base (new revenue is also revenue): the rounded-up shortfall reaches r', () => {
    fc.assert(
      fc.property(money(0, 1000), money(1, 100000), percent, (num, den, p) => {
        const r = pct(p);
        const x = shortfallGrowingBase(q(num), q(den), r);
        if (le(x, q(0))) return true;
        const added = q(ceilDecimal(x, 2));
        return ge(div(add(q(num), added), add(q(den), added)), r);
      }),
    );
  });

  it('debt: repaying the rounded-up amount from assets brings the ratio down to p', () => {
    fc.assert(
      fc.property(money(1, 100000), fc.integer({ min: 1, max: 100 }), percent, (assets, liabilityPct, p) => {
        const a = q(assets);
        const l = mul(a, pct(liabilityPct));
        const bound = pct(p);
        const x = debtToRepay(l, a, bound);
        if (le(x, q(0))) return le(div(l, a), bound);
        const repaid = q(ceilDecimal(x, 2));
        if (ge(repaid, l)) return true; // repaying everything always reaches any bound
        return le(div(sub(l, repaid), sub(a, repaid)), bound);
      }),
    );
  });

  it('the engine’s R&D gap is the exact amount: adding it meets the 3 % condition, a cent less does not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 50000 }), fc.integer({ min: 100, max: 299 }), (revenue, perMille) => {
        const rd = floorDecimal({ n: BigInt(revenue * perMille), d: 10000n }, 4);
        const e = evaluate('specialized_sme', input([annualRow(2021, { operatingRevenue: String(revenue), rdExpense: rd })]));
        const gap = e.gaps.find((g) => g.criterion === 'rd_ratio');
        if (!gap) return criterion(e, 'rd_ratio').met === true;
        const after = add(q(rd), q(gap.shortfall!));
        const cent: Q = { n: 1n, d: 100n };
        return ge(div(after, q(revenue)), pct(3)) && !ge(div(sub(after, cent), q(revenue)), pct(3));
      }),
      { numRuns: 200 },
    );
  });
});
