import { intOf, isPositive, pct, q } from '#server/modules/cultivation/rules/exact.ts';
import type { Q } from '#server/modules/cultivation/rules/exact.ts';
import { need } from '#server/modules/cultivation/rules/facts.ts';
import type { Facts } from '#server/modules/cultivation/rules/facts.ts';
import type { RuleSet } from '#server/modules/cultivation/rules/rule-set.ts';
import { Score } from '#server/modules/cultivation/rules/score.ts';
import type { Band, CapBand } from '#server/modules/cultivation/rules/score.ts';
import { debtRatioIndicator, growthIndicator, hasAward, lastYears, ratioBandIndicator, smeSize, standardCompliance, sumReaches } from '#server/modules/cultivation/rules/shared.ts';
import { all, any, Sheet } from '#server/modules/cultivation/rules/sheet.ts';
import type { Tri } from '#server/modules/cultivation/rules/sheet.ts';
import { GRADIENT_2022_DOCUMENTS, GRADIENT_2022_FROM, GRADIENT_2022_TO } from '#server/modules/cultivation/rules/gradient-2022.ts';

// 创新型中小企业评价标准 (2022, 优质中小企业梯度培育管理暂行办法 附件), criteria.md §4.1:
// score ≥ 60 with 创新能力 ≥ 20, 成长性 ≥ 15 and 专业化 ≥ 15 — or any one direct route.

const BASIC = '基本条件';
const SCORE = '评价指标（满分 100）';
const DIRECT = '直接认定（满足其一）';
const PASS = 60;

const bands = (rows: [number, number][]): Band[] => rows.map(([from, points]) => ({ from: pct(from), points }));
export const INNOVATIVE_RD_BANDS = bands([[5, 20], [3, 15], [2, 10], [1, 5]]);
export const INNOVATIVE_GROWTH_BANDS = bands([[15, 20], [10, 15], [5, 10], [0, 5]]);
export const INNOVATIVE_DEBT_BANDS: CapBand[] = [{ upTo: pct(55), points: 10 }, { upTo: pct(75), points: 5 }];
export const INNOVATIVE_MAIN_SHARE_BANDS = bands([[70, 20], [60, 15], [55, 10], [50, 5]]);

type Known = boolean | null;
const positive = (x: Q | null): Known => (x === null ? null : isPositive(x));

/**
 * IP points from the best class the enterprise is known (lo) or may turn out (hi) to hold:
 * the first row of `ladder` whose condition holds. A Ⅰ类 count known to be 0 rules out its
 * high-value and self-developed subsets.
 */
export function ipRange(facts: Facts, ladder: readonly number[]): { lo: number; hi: number; value: string; needs: string[] } {
  const y = facts.dataYear;
  const last = facts.last;
  const i1 = positive(last.count('ip1Count'));
  const sub1 = (x: Known): Known => (i1 === false ? false : x);
  const rows: Known[] = [sub1(positive(last.count('ip1HighValueCount'))), sub1(positive(last.count('ip1OwnCount'))), i1, positive(last.count('ip2Count'))];
  const pick = (accept: (k: Known) => boolean) => {
    const index = rows.findIndex(accept);
    return index < 0 ? 0 : ladder[index]!;
  };
  const lo = pick((k) => k === true);
  const hi = pick((k) => k !== false);
  const fields = ['ip1HighValueCount', 'ip1OwnCount', 'ip1Count', 'ip2Count'] as const;
  const needs = fields.filter((f, i) => rows[i] === null && ladder[i]! > lo).map((f) => need(y, f));
  const count = (f: (typeof fields)[number]) => last.count(f);
  const show = (f: (typeof fields)[number], label: string) => `${label} ${count(f) === null ? '未知' : `${intOf(count(f)!)}件`}`;
  const value = [show('ip1Count', 'Ⅰ类'), show('ip1HighValueCount', '其中高价值'), show('ip1OwnCount', '其中自主研发'), show('ip2Count', 'Ⅱ类')].join('，');
  return { lo, hi, value, needs };
}

function ipIndicator(score: Score, facts: Facts): void {
  const ladder = [20, 15, 10, 5];
  const r = ipRange(facts, ladder);
  const common = { id: 'ip_points', label: '与主导产品相关的有效知识产权', category: 'innovation', max: 20, threshold: '高价值Ⅰ类 20分；自主研发Ⅰ类 15分；Ⅰ类 10分；Ⅱ类 5分；无 0分' };
  if (r.lo === r.hi) score.known({ ...common, points: r.lo, value: r.value });
  else score.unknown({ ...common, why: 'missing', lo: r.lo, hi: r.hi, value: r.value, needs: r.needs });
  if (r.lo === r.hi && r.lo < 10) score.step({ criterion: common.id, message: `取得 1 项Ⅰ类知识产权（如发明专利）可得 ≥10 分（+${10 - r.lo}）`, shortfall: '1', unit: '件', gain: 10 - r.lo, relative: 1 });
}

function strategicIndicator(score: Score, facts: Facts): void {
  const flag = facts.last.plain('strategicEmerging');
  const common = { id: 'field_points', label: '主导产品所属领域', category: 'specialization', max: 10, threshold: '属《战略性新兴产业分类》 10分；其他 5分' };
  if (flag === null) score.unknown({ ...common, why: 'missing', lo: 5, hi: 10, needs: [need(facts.dataYear, 'strategicEmerging')] });
  else score.known({ ...common, points: flag ? 10 : 5, value: flag ? '属战略性新兴产业' : '其他' });
}

function directRoutes(sheet: Sheet, facts: Facts): Tri[] {
  const award = hasAward(facts, 3, (a) => a.kind === 'sci_tech' && (a.level === 'national' || a.level === 'provincial'));
  const holds = facts.holds('high_tech');
  const level = facts.last.plain('rdInstitutionLevel');
  const equity = sumReaches(facts, 'equityFinancing', lastYears(facts, 3), q(500));
  return [
    sheet.add({ id: 'direct_award', label: '近三年内获得过国家级、省级科技奖励', group: DIRECT, value: award.value, threshold: '国家级或省级', met: award.met, optional: true, note: award.met === null ? '未登记获奖情况' : null }),
    sheet.add({
      id: 'direct_title',
      label: '获得的高新技术企业、国家级技术创新示范企业、知识产权优势企业和知识产权示范企业等荣誉在有效期内',
      group: DIRECT,
      value: holds ? '高新技术企业（有效）' : '无有效高企资格',
      threshold: '其一在有效期内',
      met: holds ? true : null,
      optional: true,
      note: holds ? null : '平台只登记高企资格；技术创新示范企业、知识产权优势/示范企业称号请人工核对',
    }),
    sheet.add({
      id: 'direct_rd_institution',
      label: '拥有经认定的省部级以上研发机构',
      group: DIRECT,
      value: level === null ? null : { national: '国家级', provincial: '省级', municipal: '市级', county: '县区级', none: '无' }[level],
      threshold: '省部级及以上',
      met: level === null ? null : level === 'national' || level === 'provincial',
      optional: true,
    }),
    sheet.add({ id: 'direct_equity', label: '近三年新增股权融资总额（合格机构投资者的实缴额）', group: DIRECT, value: equity.value, threshold: '≥ 500万元', met: equity.met, optional: true }),
  ];
}

export const innovativeSme2022: RuleSet = {
  id: 'innovative_sme.2022',
  rule: 'innovative_sme',
  title: '创新型中小企业评价标准（优质中小企业梯度培育管理暂行办法，2022）',
  documents: GRADIENT_2022_DOCUMENTS,
  effectiveFrom: GRADIENT_2022_FROM,
  effectiveTo: GRADIENT_2022_TO,
  passScore: PASS,
  evaluate(facts) {
    const sheet = new Sheet(facts);
    const y = facts.dataYear;
    const last = facts.last;
    const basics = [smeSize(sheet, facts, BASIC), ...standardCompliance(sheet, facts, BASIC, `${y}-01-01`)];

    const score = new Score(sheet, SCORE);
    ipIndicator(score, facts);
    ratioBandIndicator(score, {
      id: 'rd_points',
      label: '上年度研发费用总额占营业收入总额比重',
      category: 'innovation',
      max: 20,
      bands: INNOVATIVE_RD_BANDS,
      num: last.money('rdExpense'),
      den: last.money('operatingRevenue'),
      needs: [need(y, 'rdExpense'), need(y, 'operatingRevenue')],
      what: '研发费用占营业收入',
      base: 'fixed',
      remedy: (x) => `按${y}年营业收入须再投入 ${x}万元`,
    });
    growthIndicator(score, facts, { id: 'growth_points', label: '上年度主营业务收入增长率', category: 'growth', max: 20, bands: INNOVATIVE_GROWTH_BANDS, field: 'mainBusinessRevenue', span: 'year', what: '主营业务收入增长率' });
    debtRatioIndicator(score, facts, { id: 'debt_points', label: '上年度资产负债率', category: 'growth', max: 10, bands: INNOVATIVE_DEBT_BANDS });
    strategicIndicator(score, facts);
    ratioBandIndicator(score, {
      id: 'main_share_points',
      label: '上年度主营业务收入总额占营业收入总额比重',
      category: 'specialization',
      max: 20,
      bands: INNOVATIVE_MAIN_SHARE_BANDS,
      num: last.money('mainBusinessRevenue'),
      den: last.money('operatingRevenue'),
      needs: [need(y, 'mainBusinessRevenue'), need(y, 'operatingRevenue')],
      what: '主营业务收入占营业收入',
      base: 'growing',
      remedy: (x) => `须再增加主营业务收入 ${x}万元`,
    });

    const byScore = all(
      score.threshold({ id: 'score', label: '评价得分', pass: PASS }),
      score.threshold({ id: 'score_innovation', label: '创新能力得分', pass: 20, category: 'innovation' }),
      score.threshold({ id: 'score_growth', label: '成长性得分', pass: 15, category: 'growth' }),
      score.threshold({ id: 'score_specialization', label: '专业化得分', pass: 15, category: 'specialization' }),
    );
    const decision = all(...basics, any(byScore, ...directRoutes(sheet, facts)));
    score.emitSteps(decision === 'T' || byScore === 'T');
    return { decision, sheet, score };
  },
};
