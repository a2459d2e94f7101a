import { div, intOf, isPositive, isZero, le, mul, pct, q, sub } from '#server/modules/cultivation/rules/exact.ts';
import type { Q } from '#server/modules/cultivation/rules/exact.ts';
import { need } from '#server/modules/cultivation/rules/facts.ts';
import type { Facts } from '#server/modules/cultivation/rules/facts.ts';
import type { RuleSet } from '#server/modules/cultivation/rules/rule-set.ts';
import { bandPoints, nextBand, percentBandsText, Score } from '#server/modules/cultivation/rules/score.ts';
import type { Band } from '#server/modules/cultivation/rules/score.ts';
import { hasAward, hasStandard, standardCompliance } from '#server/modules/cultivation/rules/shared.ts';
import { all, any, pctOf, relativeGap, shortfallFixedBase, Sheet, staffShortfall, wan, wanThreshold, wanUp } from '#server/modules/cultivation/rules/sheet.ts';
import type { Tri } from '#server/modules/cultivation/rules/sheet.ts';

// 科技型中小企业评价办法 (国科发政〔2017〕115号), criteria.md §3: conditions 1–4 must hold, and
// either the score (≥ 60, with a non-zero S&T-staff indicator) or one direct-qualification route.
// "Sales revenue" is read as 营业收入. Band boundaries are lower-inclusive ("30%(含)以上").

const BASIC = '基本条件（第六条）';
const SCORE = '评价指标（满分 100）';
const DIRECT = '直接认定（满足其一，免评分）';

const STAFF_LIMIT = q(500);
const MONEY_LIMIT = q(20000); // 2亿元 in 万元
const PASS = 60;

const pctBands = (rows: [number, number][]): Band[] => rows.map(([from, points]) => ({ from: pct(from), points }));
export const TECH_STAFF_BANDS = pctBands([[30, 20], [25, 16], [20, 12], [15, 8], [10, 4]]);
export const RD_REVENUE_BANDS = pctBands([[6, 50], [5, 40], [4, 30], [3, 20], [2, 10]]);
export const RD_COST_BANDS = pctBands([[30, 50], [25, 40], [20, 30], [15, 20], [10, 10]]);
const bandLabels = (bands: readonly Band[]) => percentBandsText(bands);

/** 科技成果 points from IP counts (≥1 Ⅰ类 → 30; else 4+/3/2/1 Ⅱ类 → 24/18/12/6). */
export function ipPoints(ip1: number, ip2: number): number {
  if (ip1 >= 1) return 30;
  if (ip2 >= 4) return 24;
  return ip2 * 6;
}

function sizeLimit(sheet: Sheet, facts: Facts, id: string, label: string, value: Q | null, limit: Q, unit: 'people' | 'money', field: 'staffTotal' | 'operatingRevenue' | 'totalAssets'): Tri {
  const met = value === null ? null : le(value, limit);
  const shown = value === null ? null : unit === 'people' ? `${intOf(value)}人` : wan(value);
  const bound = unit === 'people' ? `≤ ${intOf(limit)}人` : `≤ ${wanThreshold(limit)}`;
  if (met === false) {
    sheet.gap(id, `${label} ${shown}，超过上限（${bound}），不属于科技型中小企业评价范围`);
    sheet.outOfReach = true;
  }
  return sheet.add({ id, label, group: BASIC, value: shown, threshold: bound, met, needs: [need(facts.dataYear, field)] });
}

function techStaffIndicator(score: Score, facts: Facts): { tri: Tri; value: string | null } {
  const y = facts.dataYear;
  const staff = facts.last.count('staffTotal');
  const tech = facts.last.count('techStaff');
  const common = { id: 'tech_staff_points', label: '科技人员指标：科技人员数占职工总数的比例', category: 'staff', max: 20, threshold: bandLabels(TECH_STAFF_BANDS) };
  if (staff === null || tech === null || isZero(staff)) {
    score.unknown({ ...common, why: 'missing', needs: [need(y, 'staffTotal'), need(y, 'techStaff')] });
    return { tri: 'M', value: null };
  }
  const ratio = div(tech, staff);
  const points = bandPoints(ratio, TECH_STAFF_BANDS);
  score.known({ ...common, points, value: `${pctOf(ratio)}（${intOf(tech)}/${intOf(staff)}人）` });
  const next = nextBand(ratio, TECH_STAFF_BANDS);
  if (next) {
    const n = staffShortfall(tech, staff, next.from);
    score.step({ criterion: common.id, message: `科技人员占比 ${pctOf(ratio)} → ${pctOf(next.from)} 可得 ${next.points} 分（+${next.points - points}）：须再有 ${n} 名科技人员`, shortfall: n.toString(), unit: '人', gain: next.points - points, relative: relativeGap(sub(next.from, ratio), next.from) });
  }
  return { tri: points > 0 ? 'T' : 'F', value: `${pctOf(ratio)}，得 ${points} 分` };
}

function rdIndicator(score: Score, facts: Facts): void {
  const y = facts.dataYear;
  const rd = facts.last.money('rdExpense');
  const revenue = facts.last.money('operatingRevenue');
  const costs = facts.last.money('totalCostsExpenses');
  const common = { id: 'rd_points', label: '研发投入指标（企业在两种方式中择优计分）', category: 'rd', max: 50, threshold: `A 研发费用/销售收入：${bandLabels(RD_REVENUE_BANDS)}；B 研发费用/成本费用总额：${bandLabels(RD_COST_BANDS)}` };
  if (rd === null) {
    score.unknown({ ...common, why: 'missing', needs: [need(y, 'rdExpense'), need(y, 'operatingRevenue')] });
    return;
  }
  const byRevenue = revenue !== null && isPositive(revenue) ? div(rd, revenue) : null;
  const byCost = costs !== null && isPositive(costs) ? div(rd, costs) : null;
  const pa = byRevenue === null ? null : bandPoints(byRevenue, RD_REVENUE_BANDS);
  const pb = byCost === null ? null : bandPoints(byCost, RD_COST_BANDS);
  const value = [byRevenue === null ? null : `A ${pctOf(byRevenue)}`, byCost === null ? null : `B ${pctOf(byCost)}`].filter(Boolean).join('；') || null;
  if (pa === null && pb === null) {
    score.unknown({ ...common, why: 'missing', needs: [need(y, 'operatingRevenue'), need(y, 'totalCostsExpenses')] });
    return;
  }
  const best = Math.max(pa ?? 0, pb ?? 0);
  if ((pa === null || pb === null) && best < 50) {
    // One measure unknown: the other might score better once known.
    score.unknown({ ...common, why: 'missing', lo: best, hi: 50, value, needs: [pa === null ? need(y, 'operatingRevenue') : need(y, 'totalCostsExpenses')] });
  } else {
    score.known({ ...common, points: best, value });
  }
  if (byRevenue !== null && revenue !== null) {
    const next = nextBand(byRevenue, RD_REVENUE_BANDS);
    if (next && next.points > best) {
      const short = shortfallFixedBase(rd, revenue, next.from);
      score.step({ criterion: common.id, message: `研发费用占销售收入 ${pctOf(byRevenue)} → ${pctOf(next.from)} 可得 ${next.points} 分（+${next.points - best}）：按${y}年销售收入须再投入 ${wanUp(short)}万元`, shortfall: wanUp(short), unit: '万元', gain: next.points - best, relative: relativeGap(short, mul(next.from, revenue)) });
    }
  }
}

function ipIndicator(score: Score, facts: Facts): void {
  const y = facts.dataYear;
  const ip1 = facts.last.count('ip1Count');
  const ip2 = facts.last.count('ip2Count');
  const common = { id: 'ip_points', label: '科技成果指标：与主营产品相关的有效知识产权', category: 'ip', max: 30, threshold: '≥1项Ⅰ类 30分；Ⅱ类 ≥4项 24分、3项 18分、2项 12分、1项 6分；无 0分' };
  const value = `Ⅰ类 ${ip1 === null ? '未知' : `${intOf(ip1)}件`}，Ⅱ类 ${ip2 === null ? '未知' : `${intOf(ip2)}件`}`;
  if (ip1 !== null && intOf(ip1) >= 1) {
    score.known({ ...common, points: 30, value });
    return;
  }
  if (ip1 === null || ip2 === null) {
    const lo = ip2 === null ? 0 : ipPoints(0, intOf(ip2));
    const hi = ip1 === null ? 30 : 24;
    score.unknown({ ...common, why: 'missing', lo, hi, value, needs: [ip1 === null ? need(y, 'ip1Count') : need(y, 'ip2Count')] });
    return;
  }
  const points = ipPoints(intOf(ip1), intOf(ip2));
  score.known({ ...common, points, value });
  score.step({ criterion: common.id, message: `取得 1 项Ⅰ类知识产权（如发明专利）可得 30 分（+${30 - points}）`, shortfall: '1', unit: '件', gain: 30 - points, relative: 1 });
}

function directRoutes(sheet: Sheet, facts: Facts): Tri[] {
  const holds = facts.holds('high_tech');
  const award = hasAward(facts, 5, (a) => a.kind === 'sci_tech' && a.level === 'national' && a.rank !== null && a.rank <= 3);
  const level = facts.last.plain('rdInstitutionLevel');
  const standard = hasStandard(facts, 5, (s) => s.role === 'lead' && (s.level === 'international' || s.level === 'national' || s.level === 'industry'));
  return [
    sheet.add({ id: 'direct_high_tech', label: '拥有有效期内高新技术企业资格证书', group: DIRECT, value: holds ? '有效' : '无', threshold: '有效', met: holds, optional: true }),
    sheet.add({ id: 'direct_national_award', label: '近五年内获得过国家级科技奖励，并在获奖单位中排在前三名', group: DIRECT, value: award.value, threshold: '国家级、前三名', met: award.met, optional: true, note: award.met === null ? '未登记获奖情况' : null }),
    sheet.add({
      id: 'direct_rd_institution',
      label: '拥有经认定的省部级以上研发机构',
      group: DIRECT,
      value: level === null ? null : { national: '国家级', provincial: '省级', municipal: '市级', county: '县区级', none: '无' }[level],
      threshold: '省部级及以上',
      met: level === null ? null : level === 'national' || level === 'provincial',
      optional: true,
    }),
    sheet.add({ id: 'direct_standard', label: '近五年内主导制定过国际标准、国家标准或行业标准', group: DIRECT, value: standard.value, threshold: '主导制定', met: standard.met, optional: true, note: standard.met === null ? '未登记标准制定情况' : null }),
  ];
}

export const techSme2017: RuleSet = {
  id: 'tech_sme.2017',
  rule: 'tech_sme',
  title: '科技型中小企业评价办法（2017）',
  documents: [{ title: '科技型中小企业评价办法', number: '国科发政〔2017〕115号', url: 'https://www.most.gov.cn/xxgk/xinxifenlei/fdzdgknr/fgzc/gfxwj/gfxwj2017/201705/t20170510_132709.html' }],
  effectiveFrom: '2017-05-03',
  effectiveTo: null,
  passScore: PASS,
  evaluate(facts) {
    const sheet = new Sheet(facts);
    const last = facts.last;
    // Conditions 1–4 (the year before and the current year for the compliance conditions).
    const basics = [
      sizeLimit(sheet, facts, 'staff_limit', '职工总数', last.count('staffTotal'), STAFF_LIMIT, 'people', 'staffTotal'),
      sizeLimit(sheet, facts, 'revenue_limit', '年销售收入', last.money('operatingRevenue'), MONEY_LIMIT, 'money', 'operatingRevenue'),
      sizeLimit(sheet, facts, 'assets_limit', '资产总额', last.money('totalAssets'), MONEY_LIMIT, 'money', 'totalAssets'),
      ...standardCompliance(sheet, facts, BASIC, `${facts.dataYear}-01-01`, { researchMisconduct: true }),
    ];

    const score = new Score(sheet, SCORE);
    const staffNonZero = techStaffIndicator(score, facts);
    rdIndicator(score, facts);
    ipIndicator(score, facts);
    const total = score.threshold({ id: 'score', label: '评价得分', pass: PASS });
    const staffTri = sheet.add({
      id: 'tech_staff_nonzero',
      label: '科技人员指标得分不为 0（科技人员占比 ≥ 10%）',
      group: SCORE,
      value: staffNonZero.value,
      met: staffNonZero.tri === 'M' ? null : staffNonZero.tri === 'T',
      threshold: '> 0分',
      needs: [need(facts.dataYear, 'staffTotal'), need(facts.dataYear, 'techStaff')],
    });
    const byScore = all(total, staffTri);
    const direct = directRoutes(sheet, facts);
    const decision = all(...basics, any(byScore, ...direct));
    score.emitSteps(decision === 'T' || byScore === 'T');
    return { decision, sheet, score };
  },
};
