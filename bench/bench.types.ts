/** One measured figure, printed as one JSON line by `npm run bench`. */
export type BenchLine = {
  name: string;
  value: number;
  unit: string;
  /** What the figure is compared against (a peer's time, a goal), when there is one. */
  baseline?: number | null;
  /** value / baseline. */
  ratio?: number | null;
  note?: string;
};

export type Bench = {
  name: string;
  /** Yields figures as they are measured so a long run shows progress. */
  run: (options: { full: boolean }) => AsyncIterable<BenchLine>;
};

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
