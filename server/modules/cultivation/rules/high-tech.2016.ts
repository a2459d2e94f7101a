import { add, div, ge, intOf, isPositive, isZero, le, mul, pct, q, sub } from '#server/modules/cultivation/rules/exact.ts';
import type { Q } from '#server/modules/cultivation/rules/exact.ts';
import { need } from '#server/modules/cultivation/rules/facts.ts';
import type { Facts } from '#server/modules/cultivation/rules/facts.ts';
import type { RuleSet } from '#server/modules/cultivation/rules/rule-set.ts';
import { averageGrowth, lastYears, sumOver } from '#server/modules/cultivation/rules/shared.ts';
import {
  all,
  pctOf,
  relativeGap,
  shortfallFixedBase,
  shortfallGrowingBase,
  Sheet,
  staffShortfall,
  wan,
  wanThreshold,
  wanUp,
} from '#server/modules/cultivation/rules/sheet.ts';
import type { Tri } from '#server/modules/cultivation/rules/sheet.ts';

// 高新技术企业认定管理办法 (国科发火〔2016〕32号) 第十一条 and 工作指引 (国科发火〔2016〕195号),
// criteria.md §2. All eight conditions must hold. The innovation-capability score (≥ 71 of 100)
// is scored by experts, so the best this engine can answer is needs_review; the growth rates
// the 工作指引 defines are computed and shown, but their point bands are UNCONFIRMED and not used.

const BASIC = '认定条件（办法第十一条）';
const INNOVATION = '创新能力评价（工作指引，需专家评审）';

const TECH_STAFF_MIN = pct(10);
const BAND_SMALL = q(5000); // ≤ 5 000万元（含）: 5 %
const BAND_MEDIUM = q(20000); // 5 000万 – 2亿元（含）: 4 %; above: 3 %
const RD_SMALL = pct(5);
const RD_MEDIUM = pct(4);
const RD_LARGE = pct(3);
const DOMESTIC_MIN = pct(60);
const HIGH_TECH_REVENUE_MIN = pct(60);

/** Whether the enterprise has been registered a full year on the day: 2021-03-15 → from 2022-03-15. */
export function registeredFullYear(registrationDate: string, on: string): boolean {
  const anniversary = `${Number(registrationDate.slice(0, 4)) + 1}${registrationDate.slice(4)}`;
  return anniversary <= on;
}

/** The R&D intensity the latest year's sales revenue requires (第十一条第五项). */
export function requiredRdRatio(latestSales: Q): { ratio: Q; band: string } {
  if (le(latestSales, BAND_SMALL)) return { ratio: RD_SMALL, band: `最近一年销售收入 ≤ ${wanThreshold(BAND_SMALL)}（含）` };
  if (le(latestSales, BAND_MEDIUM)) return { ratio: RD_MEDIUM, band: `最近一年销售收入 ${wanThreshold(BAND_SMALL)}–${wanThreshold(BAND_MEDIUM)}（含）` };
  return { ratio: RD_LARGE, band: `最近一年销售收入 > ${wanThreshold(BAND_MEDIUM)}` };
}

function registeredYear(sheet: Sheet, facts: Facts): Tri {
  const date = facts.input.enterprise.registrationDate;
  const met = date === null ? null : registeredFullYear(date, facts.asOf);
  if (met === false) sheet.gap('registered_one_year', `成立于 ${date}，申请时须注册成立满一年（${Number(date!.slice(0, 4)) + 1}${date!.slice(4)} 起）`);
  return sheet.add({ id: 'registered_one_year', label: '申请认定时注册成立一年以上', group: BASIC, value: date ? `成立于 ${date}` : null, threshold: '满 1 年', met, needs: ['成立日期'] });
}

function ownsCoreIp(sheet: Sheet, facts: Facts): Tri {
  const y = facts.dataYear;
  const ip1 = facts.last.count('ip1Count');
  const ip2 = facts.last.count('ip2Count');
  const label = '拥有对主要产品（服务）发挥核心支持作用的知识产权的所有权';
  const total = ip1 !== null && ip2 !== null ? add(ip1, ip2) : ip1 !== null && isPositive(ip1) ? ip1 : ip2 !== null && isPositive(ip2) ? ip2 : null;
  if (total === null) return sheet.add({ id: 'owns_core_ip', label, group: BASIC, met: null, threshold: '≥ 1 件', needs: [need(y, 'ip1Count'), need(y, 'ip2Count')] });
  if (isZero(total)) {
    sheet.gap('owns_core_ip', '尚无Ⅰ类或Ⅱ类知识产权：须通过自主研发、受让、受赠、并购等方式取得对主要产品（服务）发挥核心支持作用的知识产权（不含商标）', '1', '件', 1);
    return sheet.add({ id: 'owns_core_ip', label, group: BASIC, value: '0件', threshold: '≥ 1 件', met: false });
  }
  return sheet.review('owns_core_ip', label, BASIC, '已有知识产权；是否对主要产品（服务）发挥核心支持作用需评审', {
    value: `Ⅰ类 ${ip1 === null ? '未知' : `${intOf(ip1)}件`}，Ⅱ类 ${ip2 === null ? '未知' : `${intOf(ip2)}件`}`,
    threshold: '≥ 1 件，且发挥核心支持作用',
  });
}

function techStaffRatio(sheet: Sheet, facts: Facts): Tri {
  const y = facts.dataYear;
  const staff = facts.last.count('staffTotal');
  const tech = facts.last.count('techStaff');
  const label = '科技人员占企业当年职工总数的比例';
  if (staff === null || tech === null || isZero(staff)) {
    return sheet.add({ id: 'tech_staff_ratio', label, group: BASIC, threshold: '≥ 10%', met: null, needs: [need(y, 'staffTotal'), need(y, 'techStaff')] });
  }
  const ratio = div(tech, staff);
  const met = ge(ratio, TECH_STAFF_MIN);
  if (!met) {
    const n = staffShortfall(tech, staff, TECH_STAFF_MIN);
    sheet.gap('tech_staff_ratio', `${y}年科技人员占比 ${pctOf(ratio)}，需 ≥ 10%：须再有 ${n} 名科技人员（新增人员同时计入职工总数）`, n.toString(), '人', relativeGap(sub(TECH_STAFF_MIN, ratio), TECH_STAFF_MIN));
  }
  return sheet.add({ id: 'tech_staff_ratio', label, group: BASIC, value: `${pctOf(ratio)}（${intOf(tech)}/${intOf(staff)}人）`, threshold: '≥ 10%', met });
}

/** The fiscal years the R&D test covers: the last three, fewer when the enterprise is younger. */
function rdYears(facts: Facts): number[] {
  const years = lastYears(facts, 3);
  const date = facts.input.enterprise.registrationDate;
  if (date === null) return years;
  const founded = Number(date.slice(0, 4));
  const actual = years.filter((y) => y >= founded);
  return actual.length ? actual : [facts.dataYear];
}

function rdIntensity(sheet: Sheet, facts: Facts): Tri[] {
  const years = rdYears(facts);
  const span = years.length === 3 ? '近三个会计年度' : `近${years.length}个会计年度（实际经营期）`;
  const rd = sumOver(facts, 'rdExpense', years);
  const sales = sumOver(facts, 'operatingRevenue', years);
  const latest = facts.last.money('operatingRevenue');
  const domestic = sumOver(facts, 'domesticRdExpense', years);

  let ratioTri: Tri;
  const ratioLabel = `${span}研发费用总额占同期销售收入总额的比例`;
  if (rd.total === null || sales.total === null || latest === null || !isPositive(sales.total)) {
    ratioTri = sheet.add({ id: 'rd_ratio', label: ratioLabel, group: BASIC, threshold: '≥ 5% / 4% / 3%（按最近一年销售收入）', met: null, needs: [...rd.missing, ...sales.missing] });
  } else {
    const required = requiredRdRatio(latest);
    const ratio = div(rd.total, sales.total);
    const met = ge(ratio, required.ratio);
    if (!met) {
      const short = shortfallFixedBase(rd.total, sales.total, required.ratio);
      sheet.gap(
        'rd_ratio',
        `${span}研发费用占比 ${pctOf(ratio)}，需 ≥ ${pctOf(required.ratio)}（${required.band}）：按同期销售收入须再投入 ${wanUp(short)}万元`,
        wanUp(short),
        '万元',
        relativeGap(short, mul(required.ratio, sales.total)),
      );
    }
    ratioTri = sheet.add({
      id: 'rd_ratio',
      label: ratioLabel,
      group: BASIC,
      value: `${pctOf(ratio)}（研发 ${wan(rd.total)} / 销售 ${wan(sales.total)}）`,
      threshold: `≥ ${pctOf(required.ratio)}（${required.band}）`,
      met,
    });
  }

  let domesticTri: Tri;
  const domesticLabel = '在中国境内发生的研发费用占研发费用总额的比例';
  if (rd.total === null || domestic.total === null) {
    domesticTri = sheet.add({ id: 'rd_domestic_share', label: domesticLabel, group: BASIC, threshold: '≥ 60%', met: null, needs: [...rd.missing, ...domestic.missing] });
  } else if (!isPositive(rd.total)) {
    // No R&D at all: the intensity test above already fails; the share has nothing to measure.
    domesticTri = sheet.add({ id: 'rd_domestic_share', label: domesticLabel, group: BASIC, value: '无研发费用', threshold: '≥ 60%', met: false });
  } else {
    const share = div(domestic.total, rd.total);
    const met = ge(share, DOMESTIC_MIN);
    if (!met) {
      const short = shortfallGrowingBase(domestic.total, rd.total, DOMESTIC_MIN);
      sheet.gap('rd_domestic_share', `境内研发费用占比 ${pctOf(share)}，需 ≥ 60%：须再增加境内研发费用 ${wanUp(short)}万元（同时计入研发费用总额）`, wanUp(short), '万元', relativeGap(sub(DOMESTIC_MIN, share), DOMESTIC_MIN));
    }
    domesticTri = sheet.add({ id: 'rd_domestic_share', label: domesticLabel, group: BASIC, value: pctOf(share), threshold: '≥ 60%', met });
  }
  return [ratioTri, domesticTri];
}

function highTechRevenue(sheet: Sheet, facts: Facts): Tri {
  const y = facts.dataYear;
  const ht = facts.last.money('highTechRevenue');
  const total = facts.last.money('totalRevenue');
  const label = '近一年高新技术产品（服务）收入占同期总收入的比例';
  if (ht === null || total === null || !isPositive(total)) {
    return sheet.add({ id: 'high_tech_revenue_ratio', label, group: BASIC, threshold: '≥ 60%', met: null, needs: [need(y, 'highTechRevenue'), need(y, 'totalRevenue')] });
  }
  const ratio = div(ht, total);
  const met = ge(ratio, HIGH_TECH_REVENUE_MIN);
  if (!met) {
    const short = shortfallGrowingBase(ht, total, HIGH_TECH_REVENUE_MIN);
    sheet.gap('high_tech_revenue_ratio', `${y}年高新技术产品（服务）收入占比 ${pctOf(ratio)}，需 ≥ 60%：须再增加高新技术产品（服务）收入 ${wanUp(short)}万元（同时计入总收入）`, wanUp(short), '万元', relativeGap(sub(HIGH_TECH_REVENUE_MIN, ratio), HIGH_TECH_REVENUE_MIN));
  }
  return sheet.add({ id: 'high_tech_revenue_ratio', label, group: BASIC, value: pctOf(ratio), threshold: '≥ 60%', met });
}

function growthInfo(sheet: Sheet, facts: Facts, id: string, label: string, field: 'netAssets' | 'operatingRevenue'): void {
  const g = averageGrowth(facts, field, true);
  const formula = '½ ×（第二年/第一年 + 第三年/第二年）− 1';
  if (g.kind === 'ok') {
    sheet.review(id, label, INNOVATION, `按工作指引公式计算；负增长得 0 分。各档分值未经核实（UNCONFIRMED），由专家评分`, { value: pctOf(g.rate), threshold: formula, maxPoints: 10 });
  } else if (g.kind === 'undefined') {
    sheet.review(id, label, INNOVATION, `${g.note}（工作指引：第二年为 0 时此项得 0 分）`, { threshold: formula, maxPoints: 10 });
  } else {
    sheet.add({ id, label, group: INNOVATION, threshold: formula, met: null, maxPoints: 10, needs: g.needs, optional: true, note: '补全三年数据后可计算增长率' });
  }
}

export const highTech2016: RuleSet = {
  id: 'high_tech.2016',
  rule: 'high_tech',
  title: '高新技术企业认定管理办法（2016）及工作指引',
  documents: [
    { title: '高新技术企业认定管理办法', number: '国科发火〔2016〕32号', url: 'https://www.most.gov.cn/xxgk/xinxifenlei/fdzdgknr/fgzc/gfxwj/gfxwj2016/201602/t20160205_123998.html' },
    { title: '高新技术企业认定管理工作指引', number: '国科发火〔2016〕195号', url: 'https://www.most.gov.cn/xxgk/xinxifenlei/fdzdgknr/fgzc/gfxwj/gfxwj2016/201606/t20160629_126169.html' },
  ],
  effectiveFrom: '2016-01-01',
  effectiveTo: null,
  passScore: 71,
  evaluate(facts) {
    const sheet = new Sheet(facts);
    const registered = registeredYear(sheet, facts);
    const ip = ownsCoreIp(sheet, facts);
    const field = sheet.review('key_field', '核心技术属于《国家重点支持的高新技术领域》规定的范围', BASIC, '技术领域归属由专家评审');
    const staff = techStaffRatio(sheet, facts);
    const [rd, domestic] = rdIntensity(sheet, facts);
    const revenue = highTechRevenue(sheet, facts);
    const yearBefore = `${facts.asOfYear - 1}${facts.asOf.slice(4)}`;
    const compliance = sheet.compliance('no_major_accident', '申请认定前一年内未发生重大安全、重大质量事故或严重环境违法行为', BASIC, ['safety_accident', 'quality_accident', 'environmental_violation'], yearBefore, facts.asOf);

    const innovation = sheet.review('innovation_score', '企业创新能力评价（知识产权、科技成果转化能力、研究开发组织管理水平、企业成长性）', INNOVATION, '由专家评分，须 70 分以上（≥ 71 分）', {
      threshold: '≥ 71分（满分 100）',
      maxPoints: 100,
    });
    growthInfo(sheet, facts, 'net_asset_growth', '净资产增长率（企业成长性）', 'netAssets');
    growthInfo(sheet, facts, 'sales_growth', '销售收入增长率（企业成长性）', 'operatingRevenue');

    return { decision: all(registered, ip, field, staff, rd!, domestic!, revenue, compliance, innovation), sheet };
  },
};
