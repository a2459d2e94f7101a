// Year-end projection (预测): the seasonal-share method. By month N last year, the same
// enterprises had reached a share r of their year-end (December 1–12月) total; if this year keeps
// last year's seasonal pattern, this year's year-end is this year's 1–N月 divided by r.
// Values are bigint thousandths; ratios are rounded half up to the nearest thousandth.
//
// Averages (平均用工人数) are not cumulative: 1–N月 is the average headcount of months 1..N and
// 1–12月 the year's average, so dividing by a share of the year would multiply people. The
// year-end average is projected by the ratio method instead: last year the same enterprises'
// 1–12月 average stood at q = (1–12月 average) / (1–N月 average) of their 1–N月 average; this
// year's year-end average = this year's 1–N月 average × q (the arithmetic is the share method's,
// with a ratio near 1 instead of a share). Without last December the 1–N月 average is carried to
// the year end (q = 1): headcount is a level, so the best guess is that it stays. The months
// left then need an average of (12·target − N·本年1–N月) / (12 − N), against last year's
// (12·上年全年 − N·上年同期) / (12 − N): their ratio − 1 is the growth they need.

export const FORECAST_METHODS = ['actual', 'seasonal_share', 'time_share', 'average_ratio', 'average_carry', 'none'] as const;
export type ForecastMethod = (typeof FORECAST_METHODS)[number];

export const FORECAST_METHOD_LABELS: Record<ForecastMethod, string> = {
  actual: '12月累计即全年实际值',
  seasonal_share: '同口径企业上年1–N月占上年全年的比重推算（季节比重法）',
  time_share: '缺少上年12月数据，按时间进度（N/12）推算',
  average_ratio: '平均数：按同口径企业上年全年平均与上年1–N月平均之比推算（比值法）',
  average_carry: '平均数：缺少上年12月数据，1–N月平均数延续至年末',
  none: '数据不足，无法预测',
};

export type ForecastInput = {
  /** Month of the period, 2–12 (2 = 1–2月). */
  month: number;
  /** Σ本年累计 and Σ上年同期 of the comparable enterprises of the group. */
  current: bigint;
  previous: bigint;
  /**
   * For those of them that also reported last December: Σ上年同期 (1–N月 last year) and Σ of last
   * year's December 本年累计 (1–12月). Null or a zero December total falls back to N/12.
   */
  lastYear: { toMonth: bigint; december: bigint } | null;
  /** The growth the year must reach, in percent (a setting until targets bind it). */
  targetGrowthPct: number | null;
  /** An average (平均用工人数), not a cumulative sum: projected by the ratio method. */
  average?: boolean;
};

export type Forecast = {
  method: ForecastMethod;
  /** The share of the year-end reached by month N, in percent. */
  sharePct: number | null;
  /** Projected 1–12月 of this year. */
  projected: bigint | null;
  /** Last year's 1–12月 of the same enterprises (estimated from the share where not reported). */
  lastYearTotal: bigint | null;
  projectedGrowthPct: number | null;
  /** The year-end value the target growth implies. */
  targetValue: bigint | null;
  /** What the year still needs: target − this year's 1–N月. */
  gap: bigint | null;
  /** The growth over last year's same months the remaining months need to meet the target. */
  requiredRemainingGrowthPct: number | null;
};

function divRound(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  let q = n / d;
  if ((n % d) * 2n >= d) q += 1n;
  return negative ? -q : q;
}

/** A percentage as an exact rational over 10^6 (six decimals are more than any target carries). */
function scaleByGrowth(value: bigint, growthPct: number): bigint {
  const factor = BigInt(Math.round((100 + growthPct) * 1_000_000));
  return divRound(value * factor, 100_000_000n);
}

/**
 * Projects a group's year-end value and the growth the remaining months need. The projected
 * growth equals the cumulative growth to date by construction (the method assumes last year's
 * seasonal pattern); its value lies in the year-end level and in the required growth.
 */
export function forecastYearEnd(input: ForecastInput): Forecast {
  const empty: Forecast = {
    method: 'none',
    sharePct: null,
    projected: null,
    lastYearTotal: null,
    projectedGrowthPct: null,
    targetValue: null,
    gap: null,
    requiredRemainingGrowthPct: null,
  };
  if (input.previous <= 0n) return empty;
  const target = (total: bigint) => (input.targetGrowthPct === null ? null : scaleByGrowth(total, input.targetGrowthPct));
  const growth = (now: bigint, before: bigint) => (before > 0n ? (Number(now - before) / Number(before)) * 100 : null);

  if (input.month === 12) {
    const targetValue = target(input.previous);
    return {
      method: 'actual',
      sharePct: 100,
      projected: input.current,
      lastYearTotal: input.previous,
      projectedGrowthPct: growth(input.current, input.previous),
      targetValue,
      gap: targetValue === null ? null : targetValue - input.current,
      requiredRemainingGrowthPct: null,
    };
  }

  if (input.average) return forecastAverage(input, target, growth);

  let method: ForecastMethod;
  let shareNumerator: bigint;
  let shareDenominator: bigint;
  if (input.lastYear && input.lastYear.december > 0n && input.lastYear.toMonth > 0n) {
    method = 'seasonal_share';
    shareNumerator = input.lastYear.toMonth;
    shareDenominator = input.lastYear.december;
  } else {
    method = 'time_share';
    shareNumerator = BigInt(input.month);
    shareDenominator = 12n;
  }
  const lastYearTotal = divRound(input.previous * shareDenominator, shareNumerator);
  const projected = divRound(input.current * shareDenominator, shareNumerator);
  const targetValue = target(lastYearTotal);
  const remainingLastYear = lastYearTotal - input.previous;
  const gap = targetValue === null ? null : targetValue - input.current;
  return {
    method,
    sharePct: (Number(shareNumerator) / Number(shareDenominator)) * 100,
    projected,
    lastYearTotal,
    projectedGrowthPct: growth(projected, lastYearTotal),
    targetValue,
    gap,
    requiredRemainingGrowthPct: gap === null || remainingLastYear <= 0n ? null : growth(gap, remainingLastYear),
  };
}

/**
 * The year-end average of an averaged indicator (month < 12): this year's 1–N月 average times
 * last year's ratio of the 1–12月 to the 1–N月 average (1 without last December).
 */
function forecastAverage(input: ForecastInput, target: (total: bigint) => bigint | null, growth: (now: bigint, before: bigint) => number | null): Forecast {
  const ratio = input.lastYear && input.lastYear.december > 0n && input.lastYear.toMonth > 0n ? input.lastYear : null;
  const scale = (v: bigint) => (ratio ? divRound(v * ratio.december, ratio.toMonth) : v);
  const projected = scale(input.current);
  const lastYearTotal = scale(input.previous);
  const targetValue = target(lastYearTotal);
  const n = BigInt(input.month);
  // The months left must average (12·target − N·now) / (12 − N); last year they averaged
  // (12·last − N·previous) / (12 − N); the (12 − N) cancels in the growth.
  const remainingLastYear = 12n * lastYearTotal - n * input.previous;
  const remainingNeeded = targetValue === null ? null : 12n * targetValue - n * input.current;
  return {
    method: ratio ? 'average_ratio' : 'average_carry',
    sharePct: ratio ? (Number(ratio.toMonth) / Number(ratio.december)) * 100 : 100,
    projected,
    lastYearTotal,
    projectedGrowthPct: growth(projected, lastYearTotal),
    targetValue,
    gap: targetValue === null ? null : targetValue - input.current,
    requiredRemainingGrowthPct: remainingNeeded === null || remainingLastYear <= 0n ? null : growth(remainingNeeded, remainingLastYear),
  };
}
