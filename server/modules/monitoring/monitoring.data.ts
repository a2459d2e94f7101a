// Loads what the figures of one period need, from the report rows and the registry as it is now
// (ADR 0005). Nothing is cached or materialised: every call reads the indexed rows afresh, so no
// stale total can survive a change of town, chain, group or 规上 status.
import { INDICATOR_CODES, scaleBandOf } from '#common/indicators.ts';
import type { IndicatorCode } from '#common/indicators.ts';
import { makePeriod, monthOf, yearOf } from '#common/period.ts';
import type { Period } from '#common/period.ts';
import type { Db } from '#server/db/client.ts';
import type { EnterpriseFacts, PeriodData, ValueRow } from '#server/modules/monitoring/monitoring.figures.ts';
import { big, bigOrNull, listAboveScaleIds, listChainMemberships, listPeriodValueRows, listPeriodValues, listRoster } from '#server/modules/monitoring/monitoring.repo.ts';
import type { ValueDriverRow } from '#server/modules/monitoring/monitoring.repo.ts';

export type LoadedPeriod = PeriodData & { period: Period };

/** December of the year before: the base of new-entrant status, scale bands and forecasts. */
export function lastDecemberOf(period: Period): Period {
  return makePeriod(yearOf(period) - 1, 12);
}

export type PeriodValues = PeriodData['values'];

/** A period's values filed by indicator and enterprise, changeable: what an import holds before and after its writes. */
export type PeriodValueMaps = Map<IndicatorCode, Map<string, ValueRow>>;

/** A period's rows filed by indicator and enterprise, converted once. */
function valuesByIndicator(rows: readonly ValueDriverRow[], wanted: ReadonlySet<IndicatorCode>): PeriodValueMaps {
  const values = new Map<IndicatorCode, Map<string, ValueRow>>();
  for (const code of wanted) values.set(code, new Map());
  for (const row of rows) {
    const filed = values.get(row.indicator as IndicatorCode);
    if (filed) filed.set(row.enterprise_id, { current: big(row.current_value), previous: bigOrNull(row.previous_value) });
  }
  return values;
}

/** Only the values reported for a period, by indicator: what a month-on-month comparison reads of the month before. */
export async function loadPeriodValues(db: Db, period: Period): Promise<PeriodValueMaps> {
  return valuesByIndicator(await listPeriodValueRows(db, period), new Set(INDICATOR_CODES));
}

/**
 * The period's roster (enterprises 规上 during it) with their current attributes, and every value
 * reported for it (or only `indicators`). Scale bands use last year's 1–12月 output value; an
 * enterprise without it is banded by this year's output annualised (1–N月 × 12 / N).
 */
export async function loadPeriod(db: Db, period: Period, indicators?: readonly IndicatorCode[], known?: PeriodValues): Promise<LoadedPeriod> {
  const december = lastDecemberOf(period);
  const wanted = new Set<IndicatorCode>(indicators ?? INDICATOR_CODES);
  const [rosterRows, chains, aboveLastDecember, decemberOutput, valueRows] = await Promise.all([
    listRoster(db, period),
    listChainMemberships(db),
    listAboveScaleIds(db, december),
    listPeriodValues(db, december, 'output_value'),
    // An import that has just written the period passes its values (all indicators) instead.
    known ? null : listPeriodValueRows(db, period, wanted.size === 1 ? [...wanted][0] : undefined),
  ]);
  const values: PeriodValues = valueRows ? valuesByIndicator(valueRows, wanted) : known!;
  const lastYearOutput = new Map(decemberOutput.map((r) => [r.enterpriseId, r.current]));
  const month = BigInt(monthOf(period));
  const output = values.get('output_value') ?? new Map<string, ValueRow>();
  // Output of this period is needed for bands even when the caller asked for another indicator.
  const thisYearOutput = wanted.has('output_value') ? output : new Map((await listPeriodValues(db, period, 'output_value')).map((r) => [r.enterpriseId, { current: r.current, previous: r.previous }]));

  const roster = new Map<string, EnterpriseFacts>();
  for (const row of rosterRows) {
    const annual = lastYearOutput.get(row.id) ?? ((thisYearOutput.get(row.id)?.current ?? 0n) * 12n) / month;
    roster.set(row.id, {
      id: row.id,
      name: row.name,
      uscc: row.uscc,
      townId: row.town_id,
      chainIds: chains.get(row.id) ?? [],
      division: row.industry_division,
      groupId: row.group_id,
      scaleBand: scaleBandOf(annual / 1000n),
      newEntrant: !aboveLastDecember.has(row.id),
    });
  }
  return { period, roster, values };
}
