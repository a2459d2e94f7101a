import { describe, expect, it } from 'vitest';
import type { IndicatorCode } from '#common/indicators.ts';
import {
  changeState,
  contributionPts,
  directionCounts,
  districtFigure,
  groupFigures,
  growthPct,
  comparableRows,
  monthlySums,
  shareOfDivisionsGrowing,
} from '#server/modules/monitoring/monitoring.figures.ts';
import type { EnterpriseFacts, PeriodData, ValueRow } from '#server/modules/monitoring/monitoring.figures.ts';
import { forecastYearEnd } from '#server/modules/monitoring/monitoring.forecast.ts';

const K = 1000n; // values are thousandths: 120 千元 is 120_000n

function facts(id: string, townId: string, chainIds: string[], division: string | null, extra: Partial<EnterpriseFacts> = {}): EnterpriseFacts {
  return { id, name: id, uscc: id, townId, chainIds, division, groupId: null, scaleBand: 'under_20m', newEntrant: false, ...extra };
}

/**
 * The hand-computed district of the tests:
 *   A (T1, chains C1+C2, div 36) 120 / 100
 *   B (T1, chain C1,     div 13)  50 /  60
 *   C (T2, no chain,     div 36)  30 /   0   ← a base of 0
 *   D (T2,               div 13)  no report  ← missing
 *   E not 规上 this period, reported 1000 / 10 ← outside the comparable scope
 * District: 200 / 160 → +25 %. T1: 170/160 → +6.25 %, 拉动 6.25; T2: 30/0 → null, 拉动 18.75.
 */
function handData(): PeriodData {
  const roster = new Map<string, EnterpriseFacts>([
    ['A', facts('A', 'T1', ['C1', 'C2'], '36', { newEntrant: false, scaleBand: 'over_100m' })],
    ['B', facts('B', 'T1', ['C1'], '13')],
    ['C', facts('C', 'T2', [], '36', { newEntrant: true })],
    ['D', facts('D', 'T2', [], '13')],
  ]);
  const output = new Map<string, ValueRow>([
    ['A', { current: 120n * K, previous: 100n * K }],
    ['B', { current: 50n * K, previous: 60n * K }],
    ['C', { current: 30n * K, previous: 0n }],
    ['E', { current: 1000n * K, previous: 10n * K }],
  ]);
  return { roster, values: new Map<IndicatorCode, Map<string, ValueRow>>([['output_value', output]]) };
}

describe('comparable-scope growth and contribution on hand-computed data', () => {
  it('sums only the 规上 enterprises that reported, and lists who is missing', () => {
    const district = districtFigure(handData(), 'output_value');
    expect(district.current).toBe(200n * K);
    expect(district.previous).toBe(160n * K);
    expect(district.enterprises).toBe(3);
    expect(district.growthPct).toBeCloseTo(25, 12);
    expect(district.contributionPts).toBeCloseTo(25, 12);
    expect(district.missing).toEqual(['D']);
  });

  it('gives towns growth and contributions that add up to the district growth', () => {
    const towns = groupFigures(handData(), 'output_value', 'town');
    const t1 = towns.get('T1')!;
    const t2 = towns.get('T2')!;
    expect(t1.growthPct).toBeCloseTo(6.25, 12);
    expect(t1.contributionPts).toBeCloseTo(6.25, 12);
    // A base of 0: growth is null and named, the contribution still counts.
    expect(t2.growthPct).toBeNull();
    expect(t2.state).toBe('no_base');
    expect(t2.contributionPts).toBeCloseTo(18.75, 12);
    expect(t2.missing).toEqual(['D']);
    expect(t1.contributionPts! + t2.contributionPts!).toBeCloseTo(districtFigure(handData(), 'output_value').growthPct!, 12);
  });

  it('counts an enterprise in two chains in both, so chain contributions overlap', () => {
    const chains = groupFigures(handData(), 'output_value', 'chain');
    expect(chains.get('C1')).toMatchObject({ current: 170n * K, previous: 160n * K, enterprises: 2 });
    expect(chains.get('C1')!.growthPct).toBeCloseTo(6.25, 12);
    expect(chains.get('C2')).toMatchObject({ current: 120n * K, previous: 100n * K, enterprises: 1 });
    expect(chains.get('C2')!.growthPct).toBeCloseTo(20, 12);
    expect(chains.get('C2')!.contributionPts).toBeCloseTo(12.5, 12);
    // 6.25 + 12.5 ≠ 25: chains are not a partition.
    expect(chains.get('C1')!.contributionPts! + chains.get('C2')!.contributionPts!).toBeCloseTo(18.75, 12);
  });

  it('partitions by division, scale band, entrant status and enterprise all add up', () => {
    const growth = districtFigure(handData(), 'output_value').growthPct!;
    for (const dimension of ['division', 'scale', 'entrant', 'enterprise'] as const) {
      const total = [...groupFigures(handData(), 'output_value', dimension).values()].reduce((s, f) => s + (f.contributionPts ?? 0), 0);
      expect(total, dimension).toBeCloseTo(growth, 12);
    }
    const entrants = groupFigures(handData(), 'output_value', 'entrant');
    expect(entrants.get('new')!.contributionPts).toBeCloseTo(18.75, 12);
  });

  it('counts growing and falling enterprises and the share of growing divisions', () => {
    const data = handData();
    const rows = comparableRows(data, 'output_value');
    expect(directionCounts(rows, data.roster.keys())).toEqual({ growing: 2, falling: 1, flat: 0 });
    // 36: A+C 150/100 grows; 13: B 50/60 falls.
    expect(shareOfDivisionsGrowing(data, 'output_value')).toEqual({ divisions: 2, growing: 1, sharePct: 50 });
  });

  it('keeps full precision in growth (no rounding in the figure itself)', () => {
    expect(growthPct(4n, 3n)).toBe(((4 - 3) / 3) * 100);
    expect(growthPct(1n, 0n)).toBeNull();
    expect(growthPct(1n, -5n)).toBeNull();
    expect(contributionPts(10n, 5n, 0n)).toBeNull();
  });
});

describe('profit states where growth cannot speak', () => {
  it.each([
    [-50n, 20n, 'turnaround'],
    [-50n, 0n, 'turnaround'],
    [-50n, -20n, 'loss_reduced'],
    [-20n, -50n, 'loss_increased'],
    [-20n, -20n, 'loss_flat'],
    [30n, -10n, 'to_loss'],
    [0n, 30n, 'no_base'],
    [0n, 0n, null],
    [30n, 40n, null],
  ] as const)('上年同期 %s → 本年 %s is %s', (previous, current, state) => {
    expect(changeState(current, previous)).toBe(state);
  });

  it('gives growth for a profit turned loss, and none over a loss base', () => {
    expect(growthPct(-10n, 30n)).toBeCloseTo(-133.333333333333, 9);
    expect(growthPct(20n, -50n)).toBeNull();
  });
});

describe('monthly values from cumulative differences', () => {
  it('subtracts last period for both columns, over enterprises that reported both times', () => {
    const now = new Map([
      ['A', { current: 120n, previous: 100n }],
      ['B', { current: 50n, previous: 60n }],
    ]);
    const before = new Map([['A', { current: 100n, previous: 90n }]]);
    expect(monthlySums(now, before, ['A', 'B'])).toEqual({ current: 20n, previous: 10n, enterprises: 1 });
    // 1–2月 is its own month: no period before it.
    expect(monthlySums(now, null, ['A', 'B'])).toEqual({ current: 170n, previous: 160n, enterprises: 2 });
  });
});

describe('year-end forecast by the seasonal share', () => {
  it('projects from last year\'s share reached by month N and the growth the rest of the year needs', () => {
    const forecast = forecastYearEnd({
      month: 6,
      current: 120n * K,
      previous: 100n * K,
      lastYear: { toMonth: 100n * K, december: 250n * K },
      targetGrowthPct: 13,
    });
    expect(forecast.method).toBe('seasonal_share');
    expect(forecast.sharePct).toBeCloseTo(40, 12);
    expect(forecast.projected).toBe(300n * K);
    expect(forecast.lastYearTotal).toBe(250n * K);
    expect(forecast.projectedGrowthPct).toBeCloseTo(20, 12);
    expect(forecast.targetValue).toBe(282_500n); // 250 × 1.13 = 282.5
    expect(forecast.gap).toBe(162_500n);
    // Last year's July–December: 150; this year needs 162.5 → +8.333 %.
    expect(forecast.requiredRemainingGrowthPct).toBeCloseTo((162.5 / 150 - 1) * 100, 9);
  });

  it('falls back to time progress without last December, and takes December as the actual year', () => {
    const byTime = forecastYearEnd({ month: 3, current: 30n, previous: 24n, lastYear: null, targetGrowthPct: 10 });
    expect(byTime.method).toBe('time_share');
    expect(byTime.projected).toBe(120n);
    expect(byTime.lastYearTotal).toBe(96n);
    const december = forecastYearEnd({ month: 12, current: 110n, previous: 100n, lastYear: null, targetGrowthPct: 13 });
    expect(december).toMatchObject({ method: 'actual', projected: 110n, targetValue: 113n, gap: 3n, requiredRemainingGrowthPct: null });
    expect(forecastYearEnd({ month: 6, current: 5n, previous: 0n, lastYear: null, targetGrowthPct: 13 }).method).toBe('none');
  });
  it('projects an average (平均用工人数) by last year\'s ratio of the year\'s average to the 1–N月 average, never by a share', () => {
    // Last year the same enterprises averaged 100 people in 1–6月 and 110 over the year: q = 1.1.
    const ratio = forecastYearEnd({ month: 6, current: 120n * K, previous: 100n * K, lastYear: { toMonth: 100n * K, december: 110n * K }, targetGrowthPct: 10, average: true });
    expect(ratio.method).toBe('average_ratio');
    expect(ratio.projected).toBe(132n * K);
    expect(ratio.lastYearTotal).toBe(110n * K);
    expect(ratio.projectedGrowthPct).toBeCloseTo(20, 12);
    expect(ratio.targetValue).toBe(121n * K);
    expect(ratio.gap).toBe(1n * K);
    // July–December must average (12 × 121 − 6 × 120) / 6 = 122 people; last year they averaged
    // (12 × 110 − 6 × 100) / 6 = 120: +1.667 %.
    expect(ratio.requiredRemainingGrowthPct).toBeCloseTo((122 / 120 - 1) * 100, 9);
    // Without last December the 1–N月 average is carried to the year end (a share of N/12 would give 200 people).
    const carried = forecastYearEnd({ month: 3, current: 50n * K, previous: 40n * K, lastYear: null, targetGrowthPct: 10, average: true });
    expect(carried).toMatchObject({ method: 'average_carry', projected: 50n * K, lastYearTotal: 40n * K, targetValue: 44n * K });
    expect(carried.requiredRemainingGrowthPct).toBeCloseTo(((12 * 44 - 3 * 50) / (12 * 40 - 3 * 40) - 1) * 100, 9);
    expect(forecastYearEnd({ month: 12, current: 105n, previous: 100n, lastYear: null, targetGrowthPct: 10, average: true })).toMatchObject({ method: 'actual', projected: 105n });
  });
});
