import type { AdverseKind, AnnualFigures, Award, CountFieldKey, MoneyFieldKey, QualificationKind, QualificationLevel, StandardRecord } from '#common/contracts/cultivation.ts';
import { ANNUAL_FIELD_LABELS } from '#common/contracts/cultivation.ts';
import { industrySection } from '#common/industry.ts';
import { parseQ, pct, q } from '#server/modules/cultivation/rules/exact.ts';
import type { Q } from '#server/modules/cultivation/rules/exact.ts';

// What the engine knows about one enterprise: its registry facts, annual figures per year, the
// qualifications it holds and any adverse record. Pure data: no database, no clock.

/** A qualification as the criteria see it (a valid 高企 certificate is a direct route, …). */
export type HeldQualification = {
  kind: QualificationKind;
  level: QualificationLevel | null;
  grantedOn: string;
  expiresOn: string | null;
  revokedOn: string | null;
};

/**
 * A platform record that contradicts a compliance condition (a major accident, a listing as
 * abnormal or dishonest, …). None present: the condition counts as met by default.
 */
export type AdverseRecord = { kind: AdverseKind; date: string; note: string };

export type AnnualRow = { year: number } & AnnualFigures;

export type EligibilityInput = {
  enterprise: { registrationDate: string | null; industryCode: string | null };
  /** One entry per year: figures as the API carries them, or a stored row's view. */
  annual: readonly (AnnualRow | YearSource)[];
  qualifications: readonly HeldQualification[];
  adverseRecords?: readonly AdverseRecord[];
};

/** Annual fields read as they are (choices, whole numbers, yes/no). */
export type PlainField = 'rdInstitutionLevel' | 'nicheYears' | 'digitalLevel' | 'qualityCertified' | 'ownBrand' | 'strategicEmerging';

/**
 * One year's figures as the criteria read them. Two implementations: `RowYear` over figures as
 * the API carries them (money as 万元 strings), and the cultivation module's view of a stored
 * row (money as integer thousandths of 元, no string round trip) for pools of thousands.
 */
export interface YearSource {
  readonly year: number;
  money(field: MoneyFieldKey): Q | null;
  count(field: CountFieldKey | 'digitalLevel'): Q | null;
  /** 细分市场占有率 as a ratio (12.5 % → 1/8). */
  marketShare(): Q | null;
  plain<K extends PlainField>(field: K): AnnualFigures[K];
  list<K extends 'awards' | 'standards'>(field: K): AnnualFigures[K];
}

/** Figures as the API carries them, parsed on first use. */
export class RowYear implements YearSource {
  private readonly cache: Partial<Record<string, Q | null>> = {};
  readonly year: number;
  constructor(private readonly row: AnnualRow) {
    this.year = row.year;
  }

  money(field: MoneyFieldKey): Q | null {
    const cached = this.cache[field];
    if (cached !== undefined) return cached;
    const text = this.row[field];
    return (this.cache[field] = text === null ? null : parseQ(text));
  }

  count(field: CountFieldKey | 'digitalLevel'): Q | null {
    const value = this.row[field];
    return value === null ? null : q(value);
  }

  marketShare(): Q | null {
    const text = this.row.nicheMarketShare;
    return text === null ? null : pct(text);
  }

  plain<K extends PlainField>(field: K): AnnualFigures[K] {
    return this.row[field];
  }

  list<K extends 'awards' | 'standards'>(field: K): AnnualFigures[K] {
    return this.row[field];
  }
}

const NO_YEAR: YearSource = {
  year: 0,
  money: () => null,
  count: () => null,
  marketShare: () => null,
  plain: () => null,
  list: () => null,
};

const isSource = (x: AnnualRow | YearSource): x is YearSource => typeof (x as YearSource).money === 'function';

/** Facts of one enterprise as of one day: the data year is the year before asOf. */
export class Facts {
  readonly asOfYear: number;
  readonly dataYear: number;
  private readonly years = new Map<number, YearSource>();

  constructor(
    readonly input: EligibilityInput,
    readonly asOf: string,
  ) {
    this.asOfYear = Number(asOf.slice(0, 4));
    this.dataYear = this.asOfYear - 1;
    for (const row of input.annual) this.years.set(row.year, isSource(row) ? row : new RowYear(row));
    this.last = this.year(this.dataYear);
  }

  /** A year's figures; a year without a row answers every figure as unknown. */
  year(y: number): YearSource {
    return this.years.get(y) ?? NO_YEAR;
  }

  /** Whether there is a row for the year. */
  has(y: number): boolean {
    return this.years.has(y);
  }

  /** The data year's facts. */
  readonly last: YearSource;

  /** Whether a qualification of the kind is valid on the day (granted, not expired, not revoked). */
  holds(kind: QualificationKind, on: string = this.asOf): boolean {
    return this.input.qualifications.some((q) => q.kind === kind && isValidOn(q, on));
  }

  /** Awards of the data year's row (the list is kept with the latest annual data). */
  awards(): readonly Award[] | null {
    return this.listOf('awards');
  }

  standards(): readonly StandardRecord[] | null {
    return this.listOf('standards');
  }

  /** Adverse records of the given kinds dated within [from, to]. */
  adverse(kinds: readonly AdverseKind[], from: string, to: string): AdverseRecord[] {
    return (this.input.adverseRecords ?? []).filter((r) => kinds.includes(r.kind) && r.date >= from && r.date <= to);
  }

  /**
   * Whether the enterprise is industrial (GB/T 4754 sections B, C, D: the codes the platform's
   * industry table holds); null when its industry code is unknown.
   */
  get industrial(): boolean | null {
    const code = this.input.enterprise.industryCode;
    return code ? industrySection(code) !== null : null;
  }

  /**
   * Whether a dated event of year `year` lies within "the last n years": the n calendar years
   * ending with the asOf year (近三年 as of 2022-12-31 = 2020, 2021, 2022).
   */
  withinLastYears(year: number, n: number): boolean {
    return year <= this.asOfYear && year > this.asOfYear - n;
  }

  private listOf<K extends 'awards' | 'standards'>(key: K): AnnualFigures[K] | null {
    // Lists accumulate: the most recent row that states one (data year first, then the asOf year, then older).
    const candidates = [this.dataYear, this.asOfYear, this.dataYear - 1, this.dataYear - 2];
    for (const y of candidates) {
      const list = this.years.get(y)?.list(key);
      if (list !== null && list !== undefined) return list;
    }
    return null;
  }
}

export function isValidOn(q: HeldQualification, on: string): boolean {
  if (q.grantedOn > on) return false;
  if (q.expiresOn !== null && q.expiresOn < on) return false;
  if (q.revokedOn !== null && q.revokedOn <= on) return false;
  return true;
}

// The same few dozen names recur for every enterprise of a pool: built once each.
const NEEDS = new Map<number, Partial<Record<keyof typeof ANNUAL_FIELD_LABELS, string>>>();

/** The name of an annual figure for a given year, as the "what to collect" list shows it. */
export function need(year: number, field: keyof typeof ANNUAL_FIELD_LABELS): string {
  let byField = NEEDS.get(year);
  if (!byField) NEEDS.set(year, (byField = {}));
  return (byField[field] ??= `${year}年${ANNUAL_FIELD_LABELS[field]}`);
}
