import type { Award, MoneyFieldKey, StandardRecord } from '#common/contracts/cultivation.ts';
import { ANNUAL_FIELD_LABELS } from '#common/contracts/cultivation.ts';
import { add, div, ge, intOf, isPositive, isZero, lt, mul, q, sub, sum, ONE, ZERO } from '#server/modules/cultivation/rules/exact.ts';
import type { Q } from '#server/modules/cultivation/rules/exact.ts';
import { need } from '#server/modules/cultivation/rules/facts.ts';
import type { Facts } from '#server/modules/cultivation/rules/facts.ts';
import { bandPoints, capBandPoints, nextBand, nextCapBand, percentBandsText } from '#server/modules/cultivation/rules/score.ts';
import type { Band, CapBand, Score } from '#server/modules/cultivation/rules/score.ts';
import type { Sheet, Tri } from '#server/modules/cultivation/rules/sheet.ts';
import { debtToRepay, pctOf, relativeGap, shortfallFixedBase, shortfallGrowingBase, wan, wanUp } from '#server/modules/cultivation/rules/sheet.ts';

// Pieces several rule sets share: sums over years, growth rates, the SME size test, awards and
// standards within a window.

/** Σ of a money figure over years; null when any year is unknown (and which ones). */
export function sumOver(facts: Facts, field: MoneyFieldKey, years: readonly number[]): { total: Q | null; known: Q; missing: string[] } {
  const missing: string[] = [];
  const known: Q[] = [];
  for (const y of years) {
    const v = facts.year(y).money(field);
    if (v === null) missing.push(need(y, field));
    else known.push(v);
  }
  const knownSum = sum(known);
  return { total: missing.length ? null : knownSum, known: knownSum, missing };
}

/** The n data years ending with the data year, oldest first (近三年 for annual figures). */
export function lastYears(facts: Facts, n: number): number[] {
  const years: number[] = [];
  for (let y = facts.dataYear - n + 1; y <= facts.dataYear; y++) years.push(y);
  return years;
}

export type GrowthResult = { kind: 'ok'; rate: Q } | { kind: 'missing'; needs: string[] } | { kind: 'undefined'; note: string };

/**
 * Average growth over two years, ½ × (X₂/X₁ + X₃/X₂) − 1 (工作指引's formula for 净资产 and
 * 销售收入 growth; the same reading serves "近2年主营业务收入平均增长率"). With `zeroBaseRule`
 * (高企): X₁ = 0 computes over the last two years; X₂ = 0 leaves it undefined.
 */
export function averageGrowth(facts: Facts, field: MoneyFieldKey, zeroBaseRule = false): GrowthResult {
  const [y1, y2, y3] = lastYears(facts, 3) as [number, number, number];
  const x1 = facts.year(y1).money(field);
  const x2 = facts.year(y2).money(field);
  const x3 = facts.year(y3).money(field);
  const needs = [x1 === null ? need(y1, field) : null, x2 === null ? need(y2, field) : null, x3 === null ? need(y3, field) : null].filter((n): n is string => n !== null);
  if (x2 !== null && isZero(x2)) return { kind: 'undefined', note: `${y2}年数值为 0，增长率无法计算` };
  if (zeroBaseRule && x1 !== null && isZero(x1) && x3 !== null && x2 !== null) return { kind: 'ok', rate: sub(div(x3, x2), ONE) };
  if (needs.length) return { kind: 'missing', needs };
  if (isZero(x1!)) return { kind: 'undefined', note: `${y1}年数值为 0，增长率无法计算` };
  const half: Q = { n: 1, d: 2 };
  return { kind: 'ok', rate: sub(mul(half, add(div(x2!, x1!), div(x3!, x2!))), ONE) };
}

/** Growth of the data year over the year before: X₂/X₁ − 1. */
export function yearGrowth(facts: Facts, field: MoneyFieldKey): GrowthResult {
  const y = facts.dataYear;
  const prev = facts.year(y - 1).money(field);
  const cur = facts.year(y).money(field);
  const needs = [prev === null ? need(y - 1, field) : null, cur === null ? need(y, field) : null].filter((n): n is string => n !== null);
  if (needs.length) return { kind: 'missing', needs };
  if (!ge(prev!, ZERO) || isZero(prev!)) return { kind: 'undefined', note: `${y - 1}年数值不为正，增长率无法计算` };
  return { kind: 'ok', rate: sub(div(cur!, prev!), ONE) };
}

const STAFF_LIMIT = q(1000);
const REVENUE_LIMIT = q(40000); // 4亿元 in 万元

/**
 * 中小企业 under 工信部联企业〔2011〕300号 for industry (criteria.md §4.4): fewer than 1 000 staff
 * or less than 4亿元 operating revenue. Other sectors have other limits the reference does not
 * give, so a non-industrial enterprise is left to review.
 */
export function smeSize(sheet: Sheet, facts: Facts, group: string): Tri {
  const id = 'sme_size';
  const label = '属中小企业（工业：从业人员 1000 人以下或营业收入 4亿元以下）';
  if (facts.industrial === false) {
    return sheet.review(id, label, group, '非工业企业，划型标准依工信部联企业〔2011〕300号所属行业核对，需评审');
  }
  const staff = facts.last.count('staffTotal');
  const revenue = facts.last.money('operatingRevenue');
  const staffOk = staff === null ? null : lt(staff, STAFF_LIMIT);
  const revenueOk = revenue === null ? null : lt(revenue, REVENUE_LIMIT);
  const value = [staff === null ? null : `${intOf(staff)}人`, revenue === null ? null : wan(revenue)].filter(Boolean).join('，') || null;
  const met = staffOk === true || revenueOk === true ? true : staffOk === false && revenueOk === false ? false : null;
  if (met === false) {
    sheet.gap(id, '从业人员 1000 人及以上且营业收入 4亿元及以上，属大型企业，不适用中小企业评价');
    sheet.outOfReach = true;
  }
  return sheet.add({
    id,
    label,
    group,
    value,
    threshold: '< 1000人 或 < 4亿元',
    met,
    needs: [need(facts.dataYear, 'staffTotal'), need(facts.dataYear, 'operatingRevenue')],
  });
}

/** Whether an award matching `test` was won in the last n years; null when awards are not recorded. */
export function hasAward(facts: Facts, n: number, test: (a: Award) => boolean): { met: boolean | null; value: string | null } {
  const awards = facts.awards();
  if (awards === null) return { met: null, value: null };
  const hit = awards.find((a) => facts.withinLastYears(a.year, n) && test(a));
  return { met: !!hit, value: hit ? `${hit.year}年 ${hit.name}${hit.rank ? `（第${hit.rank}）` : ''}` : awards.length ? '无符合条件的奖项' : '未获奖' };
}

export function hasStandard(facts: Facts, n: number | null, test: (s: StandardRecord) => boolean): { met: boolean | null; value: string | null } {
  const standards = facts.standards();
  if (standards === null) return { met: null, value: null };
  const hit = standards.find((s) => (n === null || facts.withinLastYears(s.year, n)) && test(s));
  return { met: !!hit, value: hit ? `${hit.year}年 ${hit.name}` : standards.length ? '无符合条件的标准' : '无' };
}

/**
 * A direct route from a sum of money over years (equity financing): met as soon as the known
 * years reach the bound, not met when every year is known and they do not; else unknown.
 */
export function sumReaches(facts: Facts, field: MoneyFieldKey, years: readonly number[], bound: Q): { met: boolean | null; value: string | null } {
  const s = sumOver(facts, field, years);
  if (ge(s.known, bound)) return { met: true, value: wan(s.known) };
  if (s.total !== null) return { met: false, value: wan(s.total) };
  return { met: null, value: s.missing.length < years.length ? `已知 ${wan(s.known)}` : null };
}

/**
 * The compliance conditions every rule lists as 默认满足 unless a platform record dated within
 * [from, asOf] says otherwise. `researchMisconduct`: the 科技型中小企业 condition also excludes
 * serious research misconduct (criteria.md §3.1 item 4).
 */
export function standardCompliance(sheet: Sheet, facts: Facts, group: string, from: string, options: { researchMisconduct?: boolean } = {}): Tri[] {
  const to = facts.asOf;
  // The sheet lists criteria in the order they are evaluated: keep mainland registration first.
  const registered = sheet.compliance('registered_mainland', '在中国境内（不含港澳台）注册的居民企业', group, [], from, to);
  return [
    registered,
    options.researchMisconduct
      ? sheet.compliance('no_major_accident', '未发生重大安全、重大质量事故、严重环境违法或严重科研失信行为', group, ['safety_accident', 'quality_accident', 'environmental_violation', 'research_misconduct'], from, to)
      : sheet.compliance('no_major_accident', '未发生重大安全、重大质量事故或严重环境违法行为', group, ['safety_accident', 'quality_accident', 'environmental_violation'], from, to),
    sheet.compliance('not_listed', '未列入经营异常名录和严重违法失信名单', group, ['abnormal_operation', 'dishonest'], from, to),
    sheet.compliance('products_allowed', '产品（服务）不属于国家禁止、限制或淘汰类', group, ['prohibited_products'], from, to),
  ];
}

/**
 * A scored indicator over a ratio with lower-inclusive bands (研发费用/营业收入 ≥ 5% → 20分 …).
 * Unknown numerator or denominator: the indicator's whole range, figures listed to collect.
 * Below the top band: the step to the next band, with the amount that closes it — added to the
 * numerator only (`fixed`: R&D against revenue already earned) or to both (`growing`: more
 * main-business revenue is also more operating revenue).
 */
export function ratioBandIndicator(
  score: Score,
  c: {
    id: string;
    label: string;
    category: string;
    max: number;
    bands: readonly Band[];
    num: Q | null;
    den: Q | null;
    needs: readonly string[];
    what: string;
    base: 'fixed' | 'growing';
    remedy: (amount: string) => string;
  },
): void {
  const threshold = percentBandsText(c.bands);
  if (c.num === null || c.den === null || !isPositive(c.den)) {
    score.unknown({ id: c.id, label: c.label, category: c.category, max: c.max, why: 'missing', threshold, needs: c.needs });
    return;
  }
  const ratio = div(c.num, c.den);
  const points = bandPoints(ratio, c.bands);
  score.known({ id: c.id, label: c.label, category: c.category, max: c.max, points, value: pctOf(ratio), threshold });
  const next = nextBand(ratio, c.bands);
  if (!next) return;
  const amount = c.base === 'fixed' ? shortfallFixedBase(c.num, c.den, next.from) : shortfallGrowingBase(c.num, c.den, next.from);
  score.step({
    criterion: c.id,
    message: `${c.what} ${pctOf(ratio)} → ${pctOf(next.from)} 可得 ${next.points} 分（+${next.points - points}）：${c.remedy(wanUp(amount))}`,
    shortfall: wanUp(amount),
    unit: '万元',
    gain: next.points - points,
    relative: relativeGap(sub(next.from, ratio), next.from),
  });
}

/** The asset–liability ratio as a scored indicator with upper-inclusive bands (≤ 55% → 10分 …). */
export function debtRatioIndicator(score: Score, facts: Facts, c: { id: string; label: string; category: string; max: number; bands: readonly CapBand[] }): void {
  const y = facts.dataYear;
  const liabilities = facts.last.money('totalLiabilities');
  const assets = facts.last.money('totalAssets');
  const threshold = percentBandsText(c.bands);
  if (liabilities === null || assets === null || !isPositive(assets)) {
    score.unknown({ id: c.id, label: c.label, category: c.category, max: c.max, why: 'missing', threshold, needs: [need(y, 'totalLiabilities'), need(y, 'totalAssets')] });
    return;
  }
  const ratio = div(liabilities, assets);
  const points = capBandPoints(ratio, c.bands);
  score.known({ id: c.id, label: c.label, category: c.category, max: c.max, points, value: pctOf(ratio), threshold });
  const next = nextCapBand(ratio, c.bands);
  if (!next) return;
  const amount = debtToRepay(liabilities, assets, next.upTo);
  score.step({
    criterion: c.id,
    message: `资产负债率 ${pctOf(ratio)} → ${pctOf(next.upTo)} 可得 ${next.points} 分（+${next.points - points}）：须以资产偿还负债 ${wanUp(amount)}万元`,
    shortfall: wanUp(amount),
    unit: '万元',
    gain: next.points - points,
    relative: relativeGap(sub(ratio, next.upTo), next.upTo),
  });
}

/**
 * A growth rate as a scored indicator (lower-inclusive bands on the rate). The step names the
 * data-year figure that would have reached the next band: for one-year growth (1+g)·X₁; for the
 * two-year average X₃ = X₂·(2(1+g) − X₂/X₁).
 */
export function growthIndicator(
  score: Score,
  facts: Facts,
  c: { id: string; label: string; category: string; max: number; bands: readonly Band[]; field: MoneyFieldKey; span: 'year' | 'twoYearAverage'; what: string },
): void {
  const threshold = percentBandsText(c.bands);
  const g = c.span === 'year' ? yearGrowth(facts, c.field) : averageGrowth(facts, c.field);
  if (g.kind === 'missing') {
    score.unknown({ id: c.id, label: c.label, category: c.category, max: c.max, why: 'missing', threshold, needs: g.needs });
    return;
  }
  if (g.kind === 'undefined') {
    score.unknown({ id: c.id, label: c.label, category: c.category, max: c.max, why: 'review', threshold, note: `${g.note}，需评审` });
    return;
  }
  const points = bandPoints(g.rate, c.bands);
  score.known({ id: c.id, label: c.label, category: c.category, max: c.max, points, value: pctOf(g.rate), threshold });
  const next = nextBand(g.rate, c.bands);
  if (!next) return;
  const y = facts.dataYear;
  const x3 = facts.year(y).money(c.field)!;
  const x2 = facts.year(y - 1).money(c.field)!;
  const onePlus = add(ONE, next.from);
  const target =
    c.span === 'year' ? mul(onePlus, x2) : mul(x2, sub(mul(q(2), onePlus), div(x2, facts.year(y - 2).money(c.field)!)));
  const amount = sub(target, x3);
  score.step({
    criterion: c.id,
    message: `${c.what} ${pctOf(g.rate)} → ${pctOf(next.from)} 可得 ${next.points} 分（+${next.points - points}）：${y}年${ANNUAL_FIELD_LABELS[c.field]}须达到 ${wanUp(target)}万元（再增加 ${wanUp(amount)}万元）`,
    shortfall: wanUp(amount),
    unit: '万元',
    gain: next.points - points,
    relative: relativeGap(amount, target),
  });
}
