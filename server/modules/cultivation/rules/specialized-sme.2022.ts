import { add, div, ge, isPositive, mul, pct, q, sub } from '#server/modules/cultivation/rules/exact.ts';
import { need } from '#server/modules/cultivation/rules/facts.ts';
import type { Facts } from '#server/modules/cultivation/rules/facts.ts';
import { GRADIENT_2022_DOCUMENTS, GRADIENT_2022_FROM, GRADIENT_2022_TO } from '#server/modules/cultivation/rules/gradient-2022.ts';
import { ipRange } from '#server/modules/cultivation/rules/innovative-sme.2022.ts';
import type { RuleSet } from '#server/modules/cultivation/rules/rule-set.ts';
import { bandPoints, nextBand, Score } from '#server/modules/cultivation/rules/score.ts';
import type { Band, CapBand } from '#server/modules/cultivation/rules/score.ts';
import { debtRatioIndicator, growthIndicator, hasAward, hasStandard, lastYears, ratioBandIndicator, smeSize, standardCompliance, sumOver, sumReaches } from '#server/modules/cultivation/rules/shared.ts';
import { all, any, pctOf, relativeGap, shortfallFixedBase, Sheet, textsOn, wan, wanUp } from '#server/modules/cultivation/rules/sheet.ts';
import type { Tri } from '#server/modules/cultivation/rules/sheet.ts';

// 专精特新中小企业认定标准 (2022), criteria.md §4.2: four conditions, the fourth being a score
// ≥ 60 or one direct route. Indicator 9 (特色化, set by each province; Hubei's not found),
// 12 (R&D staff ratio) and 13 (R&D institution level) are UNCONFIRMED, and 4 (leading product's
// field) is judged: they enter the score as 需评审 ranges and are never guessed.

const BASIC = '认定条件';
const SCORE = '评价指标（满分 100）';
const DIRECT = '第四项直接满足（其一）';
const PASS = 60;

const bands = (rows: [number, number][]): Band[] => rows.map(([from, points]) => ({ from: pct(from), points }));
export const SPECIALIZED_MAIN_SHARE_BANDS = bands([[80, 5], [70, 3], [60, 1]]);
export const SPECIALIZED_GROWTH_BANDS = bands([[10, 10], [8, 8], [6, 6], [4, 4], [0, 2]]);
export const SPECIALIZED_MARGIN_BANDS = bands([[10, 10], [8, 8], [6, 6], [4, 4], [2, 2]]);
export const SPECIALIZED_DEBT_BANDS: CapBand[] = [{ upTo: pct(50), points: 5 }, { upTo: pct(60), points: 3 }, { upTo: pct(70), points: 1 }];
export const SPECIALIZED_RD_AMOUNT_BANDS: Band[] = [[500, 10], [400, 8], [300, 6], [200, 4], [100, 2]].map(([from, points]) => ({ from: q(from!), points: points! }));
export const SPECIALIZED_RD_RATIO_BANDS = bands([[10, 10], [8, 8], [6, 6], [4, 4], [3, 2]]);

const RD_MIN = q(100);
const RD_RATIO_MIN = pct(3);
const REVENUE_MIN = q(1000);
const EQUITY_ALTERNATIVE = q(2000);

function nicheYears(sheet: Sheet, facts: Facts, min: number, id: string, label: string, group: string): Tri {
  const years = facts.last.plain('nicheYears');
  const met = years === null ? null : years >= min;
  if (met === false) sheet.gap(id, `从事特定细分市场 ${years} 年，需 ≥ ${min} 年：还需 ${min - years!} 年`, String(min - years!), '年', (min - years!) / min);
  return sheet.add({ id, label, group, value: years === null ? null : `${years}年`, threshold: `≥ ${min}年`, met, needs: [need(facts.dataYear, 'nicheYears')] });
}

function basicConditions(sheet: Sheet, facts: Facts): Tri[] {
  const y = facts.dataYear;
  const rd = facts.last.money('rdExpense');
  const revenue = facts.last.money('operatingRevenue');

  const niche = nicheYears(sheet, facts, 2, 'niche_years', '从事特定细分市场时间达到 2 年以上', BASIC);

  const rdMet = rd === null ? null : ge(rd, RD_MIN);
  if (rdMet === false) sheet.gap('rd_amount', `${y}年研发费用 ${wan(rd!)}，需 ≥ 100万元：须再投入 ${wanUp(sub(RD_MIN, rd!))}万元`, wanUp(sub(RD_MIN, rd!)), '万元', relativeGap(sub(RD_MIN, rd!), RD_MIN));
  const rdAmount = sheet.add({ id: 'rd_amount', label: '上年度研发费用总额', group: BASIC, value: rd === null ? null : wan(rd), threshold: '≥ 100万元', met: rdMet, needs: [need(y, 'rdExpense')] });

  let rdRatio: Tri;
  if (rd === null || revenue === null || !isPositive(revenue)) {
    rdRatio = sheet.add({ id: 'rd_ratio', label: '上年度研发费用占营业收入比重', group: BASIC, threshold: '≥ 3%', met: null, needs: [need(y, 'rdExpense'), need(y, 'operatingRevenue')] });
  } else {
    const ratio = div(rd, revenue);
    const met = ge(ratio, RD_RATIO_MIN);
    if (!met) {
      const short = shortfallFixedBase(rd, revenue, RD_RATIO_MIN);
      sheet.gap('rd_ratio', `${y}年研发费用占比 ${pctOf(ratio)}，需 ≥ 3%：按当年营业收入须再投入 ${wanUp(short)}万元`, wanUp(short), '万元', relativeGap(short, mul(RD_RATIO_MIN, revenue)));
    }
    rdRatio = sheet.add({ id: 'rd_ratio', label: '上年度研发费用占营业收入比重', group: BASIC, value: pctOf(ratio), threshold: '≥ 3%', met });
  }

  // 营业收入 ≥ 1 000万元, or below that ≥ 2 000万元 of new equity financing in the last 2 years.
  const revenueMet = revenue === null ? null : ge(revenue, REVENUE_MIN);
  const equity = revenueMet === false ? sumReaches(facts, 'equityFinancing', lastYears(facts, 2), EQUITY_ALTERNATIVE) : null;
  const scaleMet = revenueMet === true ? true : revenueMet === false ? equity!.met : null;
  if (scaleMet === false) {
    sheet.gap('revenue_or_equity', `${y}年营业收入 ${wan(revenue!)}，需 ≥ 1000万元（尚差 ${wanUp(sub(REVENUE_MIN, revenue!))}万元），或近2年新增股权融资 ≥ 2000万元`, wanUp(sub(REVENUE_MIN, revenue!)), '万元', relativeGap(sub(REVENUE_MIN, revenue!), REVENUE_MIN));
  }
  const scale = sheet.add({
    id: 'revenue_or_equity',
    label: '上年度营业收入 1000万元以上，或不足 1000万元但近 2 年新增股权融资（合格机构投资者实缴）2000万元以上',
    group: BASIC,
    value: revenue === null ? null : `营业收入 ${wan(revenue)}${equity ? `；近2年股权融资 ${equity.value ?? '未知'}` : ''}`,
    threshold: '≥ 1000万元，或股权融资 ≥ 2000万元',
    met: scaleMet,
    needs: revenue === null ? [need(y, 'operatingRevenue')] : lastYears(facts, 2).map((yy) => need(yy, 'equityFinancing')),
  });
  return [niche, rdAmount, rdRatio, scale];
}

function specializationIndicators(score: Score, facts: Facts): void {
  const y = facts.dataYear;
  const last = facts.last;
  ratioBandIndicator(score, {
    id: 'main_share_points',
    label: '① 主营业务收入占营业收入比重',
    category: 'specialization',
    max: 5,
    bands: SPECIALIZED_MAIN_SHARE_BANDS,
    num: last.money('mainBusinessRevenue'),
    den: last.money('operatingRevenue'),
    needs: [need(y, 'mainBusinessRevenue'), need(y, 'operatingRevenue')],
    what: '主营业务收入占营业收入',
    base: 'growing',
    remedy: (x) => `须再增加主营业务收入 ${x}万元`,
  });
  growthIndicator(score, facts, { id: 'growth_points', label: '② 近2年主营业务收入平均增长率', category: 'specialization', max: 10, bands: SPECIALIZED_GROWTH_BANDS, field: 'mainBusinessRevenue', span: 'twoYearAverage', what: '近2年主营业务收入平均增长率' });

  const years = last.plain('nicheYears');
  const nicheCommon = { id: 'niche_points', label: '③ 从事特定细分市场年限', category: 'specialization', max: 5, threshold: '每满 2 年得 1 分，最高 5 分' };
  if (years === null) score.unknown({ ...nicheCommon, why: 'missing', needs: [need(y, 'nicheYears')] });
  else {
    const points = Math.min(5, Math.floor(years / 2));
    score.known({ ...nicheCommon, points, value: `${years}年` });
    if (points < 5) score.step({ criterion: nicheCommon.id, message: `细分市场年限 ${years} 年，满 ${(points + 1) * 2} 年可得 ${points + 1} 分（+1）`, shortfall: String((points + 1) * 2 - years), unit: '年', gain: 1, relative: 1 });
  }
  score.unknown({ id: 'field_points', label: '④ 主导产品所属领域（补短板、锻长板、填空白 / 工业"六基"、中华老字号、重点产业链龙头企业配套）', category: 'specialization', max: 5, why: 'review', threshold: '5分 / 3分 / 0分', note: '主导产品领域由评审认定，需评审' });
}

const QUALITY_THRESHOLD = '省级以上质量奖、质量管理体系认证、自有品牌、参与制定标准';

function refinementIndicators(score: Score, facts: Facts): void {
  const y = facts.dataYear;
  const last = facts.last;
  const digital = last.plain('digitalLevel');
  const digitalCommon = { id: 'digital_points', label: '⑤ 数字化水平', category: 'refinement', max: 5, threshold: '三级及以上 5分；二级 3分；一级 0分' };
  if (digital === null) score.unknown({ ...digitalCommon, why: 'missing', needs: [need(y, 'digitalLevel')] });
  else {
    const points = digital >= 3 ? 5 : digital === 2 ? 3 : 0;
    score.known({ ...digitalCommon, points, value: `${digital}级` });
    if (points < 5) score.step({ criterion: digitalCommon.id, message: `数字化水平由 ${digital} 级提升到${digital === 1 ? '二级（3分）或' : ''}三级可得 5 分（+${5 - points}）`, shortfall: String(3 - digital), unit: '级', gain: 5 - points, relative: (3 - digital) / 3 });
  }

  // ⑥ 3 points per item, at most 5.
  const awards = facts.awards();
  const items: { label: string; known: boolean | null; field: 'awards' | 'qualityCertified' | 'ownBrand' | 'standards' }[] = [
    { label: '省级以上质量奖', known: awards === null ? null : awards.some((a) => a.kind === 'quality' && (a.level === 'national' || a.level === 'provincial')), field: 'awards' },
    { label: '质量管理体系认证', known: last.plain('qualityCertified'), field: 'qualityCertified' },
    { label: '自有品牌', known: last.plain('ownBrand'), field: 'ownBrand' },
    { label: '参与制定标准', known: hasStandard(facts, null, () => true).met, field: 'standards' },
  ];
  const yes = items.filter((i) => i.known === true);
  const unknown = items.filter((i) => i.known === null);
  const lo = Math.min(5, yes.length * 3);
  const hi = Math.min(5, (yes.length + unknown.length) * 3);
  const qualityCommon = { id: 'quality_points', label: '⑥ 质量管理水平（每满足一项加 3 分，最高 5 分）', category: 'refinement', max: 5, threshold: QUALITY_THRESHOLD };
  // Summary mode (pools) drops the texts: not building them is a fifth of this rule's time.
  const value = textsOn() ? items.map((i) => `${i.label}：${i.known === null ? '未知' : i.known ? '是' : '否'}`).join('；') : '';
  if (lo === hi) score.known({ ...qualityCommon, points: lo, value });
  else score.unknown({ ...qualityCommon, why: 'missing', lo, hi, value, needs: unknown.map((i) => need(y, i.field)) });
  if (lo === hi && lo < 5) {
    const missingItems = items.filter((i) => i.known === false).map((i) => i.label);
    score.step({ criterion: qualityCommon.id, message: `再取得${missingItems.join('、')}中的 ${lo === 0 ? 2 : 1} 项可得 5 分（+${5 - lo}）`, shortfall: String(lo === 0 ? 2 : 1), unit: '项', gain: 5 - lo, relative: 0.5 });
  }

  ratioBandIndicator(score, {
    id: 'margin_points',
    label: '⑦ 上年度净利润率',
    category: 'refinement',
    max: 10,
    bands: SPECIALIZED_MARGIN_BANDS,
    num: last.money('netProfit'),
    den: last.money('operatingRevenue'),
    needs: [need(y, 'netProfit'), need(y, 'operatingRevenue')],
    what: '净利润率',
    base: 'fixed',
    remedy: (x) => `按${y}年营业收入净利润须再增加 ${x}万元`,
  });
  debtRatioIndicator(score, facts, { id: 'debt_points', label: '⑧ 上年度资产负债率', category: 'refinement', max: 5, bands: SPECIALIZED_DEBT_BANDS });
}

function innovationIndicators(score: Score, facts: Facts): void {
  const y = facts.dataYear;
  const last = facts.last;
  const ip = ipRange(facts, [10, 8, 6, 2]);
  const ipCommon = { id: 'ip_points', label: '⑩ 与主导产品相关的有效知识产权', category: 'innovation', max: 10, threshold: '高价值Ⅰ类 10分；自主研发Ⅰ类 8分；Ⅰ类 6分；Ⅱ类 2分；无 0分' };
  if (ip.lo === ip.hi) score.known({ ...ipCommon, points: ip.lo, value: ip.value });
  else score.unknown({ ...ipCommon, why: 'missing', lo: ip.lo, hi: ip.hi, value: ip.value, needs: ip.needs });
  if (ip.lo === ip.hi && ip.lo < 6) score.step({ criterion: ipCommon.id, message: `取得 1 项Ⅰ类知识产权（如发明专利）可得 ≥6 分（+${6 - ip.lo}）`, shortfall: '1', unit: '件', gain: 6 - ip.lo, relative: 1 });

  // ⑪ the better of the amount and the intensity.
  const rd = last.money('rdExpense');
  const revenue = last.money('operatingRevenue');
  const rdCommon = { id: 'rd_points', label: '⑪ 上年度研发费用投入（金额或占营业收入比重，择优）', category: 'innovation', max: 10, threshold: '≥500万或≥10% 10分；400–500万或8–10% 8分；300–400万或6–8% 6分；200–300万或4–6% 4分；100–200万或3–4% 2分' };
  if (rd === null) score.unknown({ ...rdCommon, why: 'missing', needs: [need(y, 'rdExpense')] });
  else {
    const byAmount = bandPoints(rd, SPECIALIZED_RD_AMOUNT_BANDS);
    const ratio = revenue !== null && isPositive(revenue) ? div(rd, revenue) : null;
    const byRatio = ratio === null ? null : bandPoints(ratio, SPECIALIZED_RD_RATIO_BANDS);
    const best = Math.max(byAmount, byRatio ?? 0);
    const value = `${wan(rd)}${ratio === null ? '' : `，占比 ${pctOf(ratio)}`}`;
    if (byRatio === null && best < 10) score.unknown({ ...rdCommon, why: 'missing', lo: best, hi: 10, value, needs: [need(y, 'operatingRevenue')] });
    else score.known({ ...rdCommon, points: best, value });
    const nextAmount = nextBand(rd, SPECIALIZED_RD_AMOUNT_BANDS);
    const nextRatio = ratio === null ? null : nextBand(ratio, SPECIALIZED_RD_RATIO_BANDS);
    // The cheaper way to the next point level above the current best.
    const options = [
      nextAmount && nextAmount.points > best ? sub(nextAmount.from, rd) : null,
      nextRatio && nextRatio.points > best && revenue !== null ? shortfallFixedBase(rd, revenue, nextRatio.from) : null,
    ].filter((x): x is NonNullable<typeof x> => x !== null);
    if (options.length) {
      const amount = options.reduce((a, b) => (ge(a, b) ? b : a));
      const gain = Math.min(...[nextAmount, nextRatio].filter((b) => b && b.points > best).map((b) => b!.points)) - best;
      score.step({ criterion: rdCommon.id, message: `研发费用再投入 ${wanUp(amount)}万元可得 +${gain} 分`, shortfall: wanUp(amount), unit: '万元', gain, relative: relativeGap(amount, add(rd, amount)) });
    }
  }

  const staff = last.count('staffTotal');
  const rdStaff = last.count('rdStaff');
  score.unknown({
    id: 'rd_staff_points',
    label: '⑫ 上年度研发人员占比',
    category: 'innovation',
    max: 5,
    why: 'review',
    value: staff !== null && rdStaff !== null && isPositive(staff) ? pctOf(div(rdStaff, staff)) : null,
    threshold: '各档分值未经核实（UNCONFIRMED）',
    note: '评分档位未经核实（UNCONFIRMED），需评审',
  });
  const level = last.plain('rdInstitutionLevel');
  score.unknown({
    id: 'rd_institution_points',
    label: '⑬ 建立研发机构级别',
    category: 'innovation',
    max: 10,
    why: 'review',
    value: level === null ? null : { national: '国家级', provincial: '省级', municipal: '市级', county: '县区级', none: '无' }[level],
    threshold: '各档分值未经核实（UNCONFIRMED）',
    note: '评分档位未经核实（UNCONFIRMED），需评审',
  });
}

function directRoutes(sheet: Sheet, facts: Facts): Tri[] {
  const award = hasAward(facts, 3, (a) => a.kind === 'sci_tech' && a.rank !== null && ((a.level === 'provincial' && a.rank <= 3) || (a.level === 'national' && a.rank <= 5)));
  const rd2 = sumOver(facts, 'rdExpense', lastYears(facts, 2));
  const avgRd = rd2.total === null ? null : mul(rd2.total, { n: 1, d: 2 });
  const equity = sumReaches(facts, 'equityFinancing', lastYears(facts, 2), q(6000));
  const makers = hasAward(facts, 3, (a) => a.kind === 'makers_china' && a.level === 'national' && a.rank !== null && a.rank <= 500);
  return [
    sheet.add({ id: 'direct_award', label: '近三年获得过省级科技奖励并在获奖单位中排名前三，或获得国家级科技奖励并在获奖单位中排名前五', group: DIRECT, value: award.value, threshold: '省级前三 / 国家级前五', met: award.met, optional: true }),
    sheet.add({ id: 'direct_rd_average', label: '近两年研发费用总额均值', group: DIRECT, value: avgRd === null ? null : wan(avgRd), threshold: '≥ 1000万元', met: avgRd === null ? null : ge(avgRd, q(1000)), optional: true }),
    sheet.add({ id: 'direct_equity', label: '近两年新增股权融资总额（合格机构投资者的实缴额）', group: DIRECT, value: equity.value, threshold: '≥ 6000万元', met: equity.met, optional: true }),
    sheet.add({ id: 'direct_makers_china', label: '近三年进入"创客中国"中小企业创新创业大赛全国 500 强企业组名单', group: DIRECT, value: makers.value, threshold: '全国500强', met: makers.met, optional: true }),
  ];
}

export const specializedSme2022: RuleSet = {
  id: 'specialized_sme.2022',
  rule: 'specialized_sme',
  title: '专精特新中小企业认定标准（优质中小企业梯度培育管理暂行办法，2022）',
  documents: GRADIENT_2022_DOCUMENTS,
  effectiveFrom: GRADIENT_2022_FROM,
  effectiveTo: GRADIENT_2022_TO,
  passScore: PASS,
  evaluate(facts) {
    const sheet = new Sheet(facts);
    const basics = [smeSize(sheet, facts, BASIC), ...standardCompliance(sheet, facts, BASIC, `${facts.dataYear}-01-01`), ...basicConditions(sheet, facts)];

    const score = new Score(sheet, SCORE);
    specializationIndicators(score, facts);
    refinementIndicators(score, facts);
    score.unknown({ id: 'local_points', label: '⑨ 特色化指标（由各省确定，1–3 个，共 15 分）', category: 'characteristic', max: 15, why: 'review', threshold: '湖北省指标未经核实（UNCONFIRMED）', note: '省定特色化指标未经核实（UNCONFIRMED），需评审' });
    innovationIndicators(score, facts);
    const byScore = score.threshold({ id: 'score', label: '评价得分', pass: PASS });

    const decision = all(...basics, any(byScore, ...directRoutes(sheet, facts)));
    score.emitSteps(decision === 'T' || byScore === 'T');
    return { decision, sheet, score };
  },
};
