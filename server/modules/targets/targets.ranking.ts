// Ranking towns (排序通报): pure scoring and competition ranking, so the rules are tested apart
// from the data behind them.
import type { RankingMethod } from '#common/contracts/targets.ts';

export type RankedIndicator = { key: string; weight: number; higherIsBetter: boolean };

/** One town's rate per indicator key (completion % of a quota, or the metric's value); null = no data. */
export type TownRates = { townId: string; rates: Record<string, number | null> };

export type TownScore = { townId: string; score: number | null; points: Record<string, number | null> };

/**
 * Scores towns over chosen indicators.
 * - `completion`: the weighted mean of the rates a town has (rates capped at capPct).
 * - `weighted`: each indicator gives weight × rate ÷ best rate (the best town earns the full
 *   weight; for a lower-is-better indicator, weight × best ÷ rate); a rate ≤ 0 earns nothing.
 * A town with no rate at all has no score.
 */
export function scoreTowns(method: RankingMethod, indicators: readonly RankedIndicator[], towns: readonly TownRates[], capPct: number | null): TownScore[] {
  const capped = (rate: number | null): number | null => (rate === null ? null : capPct === null ? rate : Math.min(rate, capPct));
  if (method === 'completion') {
    return towns.map((town) => {
      let weighted = 0;
      let weights = 0;
      const points: Record<string, number | null> = {};
      for (const indicator of indicators) {
        const rate = capped(town.rates[indicator.key] ?? null);
        points[indicator.key] = rate === null ? null : round2(rate);
        if (rate === null) continue;
        const weight = indicator.weight > 0 ? indicator.weight : 1;
        weighted += rate * weight;
        weights += weight;
      }
      return { townId: town.townId, score: weights === 0 ? null : round2(weighted / weights), points };
    });
  }
  const best = new Map<string, number | null>();
  for (const indicator of indicators) {
    const rates = towns.map((t) => capped(t.rates[indicator.key] ?? null)).filter((r): r is number => r !== null && r > 0);
    best.set(indicator.key, rates.length === 0 ? null : indicator.higherIsBetter ? Math.max(...rates) : Math.min(...rates));
  }
  return towns.map((town) => {
    let score = 0;
    let any = false;
    const points: Record<string, number | null> = {};
    for (const indicator of indicators) {
      const rate = capped(town.rates[indicator.key] ?? null);
      const top = best.get(indicator.key) ?? null;
      if (rate === null) {
        points[indicator.key] = null;
        continue;
      }
      any = true;
      const earned = top === null || rate <= 0 ? 0 : indicator.higherIsBetter ? (indicator.weight * rate) / top : (indicator.weight * top) / rate;
      points[indicator.key] = round2(earned);
      score += earned;
    }
    return { townId: town.townId, score: any ? round2(score) : null, points };
  });
}

/**
 * Competition ranking, highest score first: equal scores (to two decimals) share a rank and
 * the next rank is skipped (1, 2, 2, 4). Towns without a score come last, sharing one rank.
 * Returns the rank of each input position.
 */
export function competitionRanks(scores: readonly (number | null)[]): number[] {
  const keyed = scores.map((score, index) => ({ index, key: score === null ? null : Math.round(score * 100) }));
  const sorted = [...keyed].sort((a, b) => (a.key === null ? (b.key === null ? 0 : 1) : b.key === null ? -1 : b.key - a.key));
  const ranks = new Array<number>(scores.length);
  sorted.forEach((entry, position) => {
    const previous = sorted[position - 1];
    ranks[entry.index] = previous && previous.key === entry.key ? ranks[previous.index]! : position + 1;
  });
  return ranks;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
