import { ge, le, percentText } from '#server/modules/cultivation/rules/exact.ts';
import type { Q } from '#server/modules/cultivation/rules/exact.ts';
import { textsOn } from '#server/modules/cultivation/rules/sheet.ts';
import type { Sheet, Tri } from '#server/modules/cultivation/rules/sheet.ts';

// Scored rules (科技型中小企业, 创新型中小企业, 专精特新) as intervals: an indicator whose data is
// missing, or which only experts can score, contributes [its lowest, its highest] points. The
// pass mark is decided when the whole interval lies on one side of it; otherwise the outcome
// says whether collecting data or an expert review would decide it.

/** A lower-inclusive band: value ≥ from earns points ("30%(含)以上"). Listed best first. */
export type Band = { from: Q; points: number };
/** An upper-inclusive band: value ≤ upTo earns points ("≤ 55%"). Listed best first. */
export type CapBand = { upTo: Q; points: number };

/** Points of the first band the value reaches; below every band, `below` (0). */
export function bandPoints(value: Q, bands: readonly Band[], below = 0): number {
  for (const band of bands) if (ge(value, band.from)) return band.points;
  return below;
}

/** The band just above the value's band (the next step up), or null at the top. */
export function nextBand(value: Q, bands: readonly Band[]): Band | null {
  let next: Band | null = null;
  for (const band of bands) {
    if (ge(value, band.from)) return next;
    next = band;
  }
  return next;
}

export function capBandPoints(value: Q, bands: readonly CapBand[], above = 0): number {
  for (const band of bands) if (le(value, band.upTo)) return band.points;
  return above;
}

export function nextCapBand(value: Q, bands: readonly CapBand[]): CapBand | null {
  let next: CapBand | null = null;
  for (const band of bands) {
    if (le(value, band.upTo)) return next;
    next = band;
  }
  return next;
}

/** A ladder of bands as the criterion's threshold text: '≥30% 20分；≥25% 16分 …'. */
export function bandsText(bands: readonly { label: string; points: number }[]): string {
  return bands.map((b) => `${b.label} ${b.points}分`).join('；');
}

// Band tables are constants of a rule set: their threshold text is built once per table.
const PERCENT_BANDS_TEXT = new WeakMap<object, string>();

/** '≥30% 20分；≥25% 16分 …；其他 0分' for lower-inclusive percentage bands (or '≤55% 10分 …' for caps). */
export function percentBandsText(bands: readonly Band[] | readonly CapBand[]): string {
  let text = PERCENT_BANDS_TEXT.get(bands);
  if (text === undefined) {
    const rows = (bands as readonly (Band | CapBand)[]).map((b) => ('from' in b ? { label: `≥${percentText(b.from)}%`, points: b.points } : { label: `≤${percentText(b.upTo)}%`, points: b.points }));
    text = bandsText([...rows, { label: '其他', points: 0 }]);
    PERCENT_BANDS_TEXT.set(bands, text);
  }
  return text;
}

type Item = { id: string; category: string; max: number; lo: number; hi: number; unknown: 'missing' | 'review' | null };

/** A suggestion to reach the next band of an indicator, shown as a gap when the score falls short. */
export type Step = { criterion: string; message: string; shortfall: string | null; unit: string | null; gain: number; relative: number };

export type ScoreRange = { lo: number; hi: number; missing: boolean; review: boolean };

export class Score {
  private readonly items: Item[] = [];
  readonly steps: Step[] = [];

  constructor(
    private readonly sheet: Sheet,
    readonly group: string,
  ) {}

  /** An indicator whose points are known. */
  known(c: { id: string; label: string; category: string; max: number; points: number; value: string | null; threshold: string; note?: string | null }): void {
    this.items.push({ id: c.id, category: c.category, max: c.max, lo: c.points, hi: c.points, unknown: null });
    if (!textsOn()) {
      this.sheet.tally(c.points > 0, 'data');
      return;
    }
    this.sheet.add({ id: c.id, label: c.label, group: this.group, value: c.value, threshold: c.threshold, met: c.points > 0, points: c.points, maxPoints: c.max, note: c.note ?? null });
  }

  /**
   * An indicator whose points lie in [lo, hi]: data missing (listed to collect) or left to
   * experts (需评审). `value` may still show what is known.
   */
  unknown(c: {
    id: string;
    label: string;
    category: string;
    max: number;
    lo?: number;
    hi?: number;
    why: 'missing' | 'review';
    value?: string | null;
    threshold: string;
    note?: string | null;
    needs?: readonly string[];
  }): void {
    const lo = c.lo ?? 0;
    const hi = c.hi ?? c.max;
    this.items.push({ id: c.id, category: c.category, max: c.max, lo, hi, unknown: lo === hi ? null : c.why });
    if (!textsOn()) {
      this.sheet.tally(null, c.why, c.needs);
      return;
    }
    this.sheet.add({
      id: c.id,
      label: c.label,
      group: this.group,
      value: c.value ?? null,
      threshold: c.threshold,
      met: null,
      basis: c.why,
      points: lo === hi ? lo : null,
      maxPoints: c.max,
      note: c.note ?? (c.why === 'review' ? '需评审' : lo > 0 ? `至少 ${lo} 分，数据补全后确定` : null),
      needs: c.needs ?? [],
    });
  }

  step(s: Step): void {
    if (s.gain > 0) this.steps.push(s);
  }

  range(category?: string): ScoreRange {
    const items = category ? this.items.filter((i) => i.category === category) : this.items;
    return {
      lo: items.reduce((t, i) => t + i.lo, 0),
      hi: items.reduce((t, i) => t + i.hi, 0),
      missing: items.some((i) => i.unknown === 'missing'),
      review: items.some((i) => i.unknown === 'review'),
    };
  }

  /**
   * A pass mark as a criterion: decided when the interval lies on one side of it. Undecided:
   * missing data first (collecting it may decide), else expert review.
   */
  threshold(c: { id: string; label: string; pass: number; category?: string }): Tri {
    const r = this.range(c.category);
    const value = r.lo === r.hi ? `${r.lo}分` : `${r.lo}–${r.hi}分`;
    if (r.lo >= c.pass) return this.sheet.add({ id: c.id, label: c.label, group: this.group, value, threshold: `≥ ${c.pass}分`, met: true, points: r.lo === r.hi ? r.lo : null });
    if (r.hi < c.pass) {
      this.sheet.gap(c.id, `${c.label} ${value}，需 ≥ ${c.pass}分：至少还差 ${c.pass - r.hi} 分`, String(c.pass - r.hi), '分', (c.pass - r.hi) / c.pass);
      return this.sheet.add({ id: c.id, label: c.label, group: this.group, value, threshold: `≥ ${c.pass}分`, met: false, points: r.lo === r.hi ? r.lo : null });
    }
    return this.sheet.add({
      id: c.id,
      label: c.label,
      group: this.group,
      value,
      threshold: `≥ ${c.pass}分`,
      met: null,
      basis: r.missing ? 'missing' : 'review',
      note: r.missing ? '部分指标缺数据，补全后确定' : '部分指标需评审',
    });
  }

  /** After the decision: when the score did not pass, each indicator's next step becomes a gap. */
  emitSteps(passed: boolean): void {
    if (passed) return;
    for (const s of this.steps) this.sheet.gap(s.criterion, s.message, s.shortfall, s.unit, s.relative);
  }

  /** The total when every indicator is known. */
  get total(): number | null {
    const r = this.range();
    return r.lo === r.hi ? r.lo : null;
  }
}
