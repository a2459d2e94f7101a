import type { AnnualFigures, CultivationRule, Evaluation } from '#common/contracts/cultivation.ts';
import { evaluateEligibility } from '#server/modules/cultivation/cultivation.eligibility.ts';
import type { AnnualRow, EligibilityInput, HeldQualification } from '#server/modules/cultivation/rules/facts.ts';

/** Every annual figure unknown: tests state exactly what they rely on. */
export const UNKNOWN_FIGURES: AnnualFigures = {
  staffTotal: null,
  techStaff: null,
  rdStaff: null,
  operatingRevenue: null,
  mainBusinessRevenue: null,
  totalRevenue: null,
  totalCostsExpenses: null,
  highTechRevenue: null,
  rdExpense: null,
  domesticRdExpense: null,
  totalAssets: null,
  totalLiabilities: null,
  netAssets: null,
  netProfit: null,
  ip1Count: null,
  ip1HighValueCount: null,
  ip1OwnCount: null,
  ip2Count: null,
  rdInstitutionLevel: null,
  nicheYears: null,
  nicheMarketShare: null,
  equityFinancing: null,
  digitalLevel: null,
  qualityCertified: null,
  ownBrand: null,
  strategicEmerging: null,
  awards: null,
  standards: null,
};

export function annualRow(year: number, figures: Partial<AnnualFigures> = {}): AnnualRow {
  return { year, ...UNKNOWN_FIGURES, ...figures };
}

/** The same figures for each of the given years (three equal years make 3-year ratios simple). */
export function sameYears(years: readonly number[], figures: Partial<AnnualFigures>): AnnualRow[] {
  return years.map((y) => annualRow(y, figures));
}

export function input(annual: AnnualRow[], options: { registrationDate?: string | null; industryCode?: string | null; qualifications?: HeldQualification[] } = {}): EligibilityInput {
  return {
    enterprise: { registrationDate: options.registrationDate === undefined ? '2010-01-01' : options.registrationDate, industryCode: options.industryCode === undefined ? '3630' : options.industryCode },
    annual,
    qualifications: options.qualifications ?? [],
  };
}

export function evaluate(rule: CultivationRule, data: EligibilityInput, asOf = '2022-12-31'): Evaluation {
  const [evaluation] = evaluateEligibility(data, asOf, [rule]);
  return evaluation!;
}

export function criterion(evaluation: Evaluation, id: string) {
  const found = evaluation.criteria.find((c) => c.id === id);
  if (!found) throw new Error(`no criterion ${id} in ${evaluation.rule}: ${evaluation.criteria.map((c) => c.id).join(', ')}`);
  return found;
}

export const held = (kind: HeldQualification['kind'], grantedOn: string, expiresOn: string | null = null, revokedOn: string | null = null): HeldQualification => ({
  kind,
  level: null,
  grantedOn,
  expiresOn,
  revokedOn,
});
