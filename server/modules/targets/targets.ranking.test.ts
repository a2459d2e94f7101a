import { describe, expect, it } from 'vitest';
import { competitionRanks, scoreTowns } from '#server/modules/targets/targets.ranking.ts';

describe('competition ranking', () => {
  it('ties share a rank and the next rank is skipped (1, 2, 2, 4)', () => {
    expect(competitionRanks([90, 80, 80, 70])).toEqual([1, 2, 2, 4]);
  });

  it('ranks by score whatever the input order, ties judged to two decimals', () => {
    expect(competitionRanks([70, 80.001, 90, 80.004])).toEqual([4, 2, 1, 2]);
  });

  it('towns without a score come last, sharing one rank', () => {
    expect(competitionRanks([null, 50, null, 60])).toEqual([3, 2, 3, 1]);
  });
});

describe('scoring methods', () => {
  const towns = [
    { townId: 'a', rates: { output: 120, firms: 50 } },
    { townId: 'b', rates: { output: 60, firms: 100 } },
    { townId: 'c', rates: { output: null, firms: 80 } },
  ];

  it('completion: the weighted mean of the rates a town has', () => {
    const scores = scoreTowns('completion', [{ key: 'output', weight: 1, higherIsBetter: true }, { key: 'firms', weight: 3, higherIsBetter: true }], towns, null);
    expect(scores.map((s) => s.score)).toEqual([67.5, 90, 80]);
  });

  it('completion rates above the cap count as the cap', () => {
    const scores = scoreTowns('completion', [{ key: 'output', weight: 1, higherIsBetter: true }], towns, 100);
    expect(scores.map((s) => s.score)).toEqual([100, 60, null]);
  });

  it('weighted: each indicator gives weight × rate ÷ best rate', () => {
    const scores = scoreTowns('weighted', [{ key: 'output', weight: 60, higherIsBetter: true }, { key: 'firms', weight: 40, higherIsBetter: true }], towns, null);
    expect(scores.map((s) => s.score)).toEqual([80, 70, 32]);
    expect(scores[0]!.points).toEqual({ output: 60, firms: 20 });
  });

  it('weighted: a lower-is-better indicator gives weight × best ÷ rate; a negative rate earns nothing', () => {
    const scores = scoreTowns('weighted', [{ key: 'late', weight: 10, higherIsBetter: false }], [
      { townId: 'a', rates: { late: 2 } },
      { townId: 'b', rates: { late: 4 } },
      { townId: 'c', rates: { late: -1 } },
    ], null);
    expect(scores.map((s) => s.score)).toEqual([10, 5, 0]);
  });
});
