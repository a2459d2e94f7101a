import { div, ge, intOf, isPositive, le, mul, pct, q, sub } from '#server/modules/cultivation/rules/exact.ts';
import type { Q } from '#server/modules/cultivation/rules/exact.ts';
import { need } from '#server/modules/cultivation/rules/facts.ts';
import type { Facts } from '#server/modules/cultivation/rules/facts.ts';
import { GRADIENT_2022_DOCUMENTS, GRADIENT_2022_FROM, GRADIENT_2022_TO } from '#server/modules/cultivation/rules/gradient-2022.ts';
import type { RuleSet } from '#server/modules/cultivation/rules/rule-set.ts';
import { averageGrowth, hasAward, lastYears, smeSize, standardCompliance, sumOver, sumReaches } from '#server/modules/cultivation/rules/shared.ts';
import { all, any, debtToRepay, pctOf, percentText, relativeGap, shortfallFixedBase, shortfallGrowingBase, Sheet, staffShortfall, wan, wanThreshold, wanUp } from '#server/modules/cultivation/rules/sheet.ts';
import type { Tri } from '#server/modules/cultivation/rules/sheet.ts';

// 专精特新"小巨人"企业认定标准 (2022), criteria.md §4.3: all six groups (专、精、特、新、链、品),
// and the enterprise must already hold the provincial 专精特新中小企业 title. 产业链配套 is
// SINGLE and 主导产品所属领域 UNCONFIRMED in the reference, and both are judged anyway: 需评审.
// No score: the rule is a set of conditions.

const PRE = '前提';
const SPECIALIZATION = '专业化';
const REFINEMENT = '精细化';
const CHARACTERISTIC = '特色化';
const INNOVATION = '创新能力';
const CHAIN = '产业链配套与主导产品';

const HUNDRED_M = q(10000); // 1亿元 in 万元
const FIFTY_M = q(5000);

function ratioAtLeast(
  sheet: Sheet,
  c: { id: string; label: string; group: string; num: Q | null; den: Q | null; min: Q; needs: string[]; base: 'fixed' | 'growing'; gapText: (ratio: string, amount: string) => string },
): Tri {
  const threshold = `≥ ${pctOf(c.min)}`;
  if (c.num === null || c.den === null || !isPositive(c.den)) return sheet.add({ id: c.id, label: c.label, group: c.group, threshold, met: null, needs: c.needs });
  const ratio = div(c.num, c.den);
  const met = ge(ratio, c.min);
  if (!met) {
    const amount = c.base === 'fixed' ? shortfallFixedBase(c.num, c.den, c.min) : shortfallGrowingBase(c.num, c.den, c.min);
    sheet.gap(c.id, c.gapText(pctOf(ratio), wanUp(amount)), wanUp(amount), '万元', relativeGap(sub(c.min, ratio), c.min));
  }
  return sheet.add({ id: c.id, label: c.label, group: c.group, value: pctOf(ratio), threshold, met });
}

function specialization(sheet: Sheet, facts: Facts): Tri[] {
  const y = facts.dataYear;
  const last = facts.last;
  const years = last.plain('nicheYears');
  if (years !== null && years < 3) sheet.gap('niche_years', `从事特定细分市场 ${years} 年，需 ≥ 3 年：还需 ${3 - years} 年`, String(3 - years), '年', (3 - years) / 3);
  const niche = sheet.add({ id: 'niche_years', label: '截至上年末从事特定细分市场时间达到 3 年以上', group: SPECIALIZATION, value: years === null ? null : `${years}年`, threshold: '≥ 3年', met: years === null ? null : years >= 3, needs: [need(y, 'nicheYears')] });

  const share = ratioAtLeast(sheet, {
    id: 'main_share',
    label: '主营业务收入总额占营业收入总额比重',
    group: SPECIALIZATION,
    num: last.money('mainBusinessRevenue'),
    den: last.money('operatingRevenue'),
    min: pct(70),
    needs: [need(y, 'mainBusinessRevenue'), need(y, 'operatingRevenue')],
    base: 'growing',
    gapText: (r, x) => `主营业务收入占比 ${r}，需 ≥ 70%：须再增加主营业务收入 ${x}万元`,
  });

  const g = averageGrowth(facts, 'mainBusinessRevenue');
  let growth: Tri;
  if (g.kind === 'missing') growth = sheet.add({ id: 'main_growth', label: '近2年主营业务收入平均增长率', group: SPECIALIZATION, threshold: '≥ 5%', met: null, needs: g.needs });
  else if (g.kind === 'undefined') growth = sheet.review('main_growth', '近2年主营业务收入平均增长率', SPECIALIZATION, `${g.note}，需评审`, { threshold: '≥ 5%' });
  else {
    const met = ge(g.rate, pct(5));
    if (!met) {
      const x2 = facts.year(y - 1).money('mainBusinessRevenue')!;
      const x1 = facts.year(y - 2).money('mainBusinessRevenue')!;
      const x3 = facts.year(y).money('mainBusinessRevenue')!;
      const target = mul(x2, sub(mul(q(2), q('1.05')), div(x2, x1)));
      const amount = sub(target, x3);
      sheet.gap('main_growth', `近2年主营业务收入平均增长率 ${pctOf(g.rate)}，需 ≥ 5%：${y}年主营业务收入须达到 ${wanUp(target)}万元（再增加 ${wanUp(amount)}万元）`, wanUp(amount), '万元', relativeGap(amount, target));
    }
    growth = sheet.add({ id: 'main_growth', label: '近2年主营业务收入平均增长率', group: SPECIALIZATION, value: pctOf(g.rate), threshold: '≥ 5%', met });
  }
  return [niche, share, growth];
}

function refinement(sheet: Sheet, facts: Facts): Tri[] {
  const y = facts.dataYear;
  const last = facts.last;
  const system = sheet.review('information_system', '研发设计、生产制造、供应链管理等环节，至少 1 项核心业务采用信息系统支撑', REFINEMENT, '需评审（数字化水平等级仅供参考）', {
    value: last.plain('digitalLevel') ? `数字化水平 ${last.plain('digitalLevel')} 级` : null,
  });
  const certified = last.plain('qualityCertified');
  const certification =
    certified === true
      ? sheet.add({ id: 'certification', label: '取得相关管理体系认证，或产品通过发达国家和地区产品认证', group: REFINEMENT, value: '已取得质量管理体系认证', threshold: '其一', met: true })
      : certified === false
        ? sheet.review('certification', '取得相关管理体系认证，或产品通过发达国家和地区产品认证', REFINEMENT, '未取得质量管理体系认证；产品是否通过发达国家和地区认证需评审', { value: '无质量管理体系认证' })
        : sheet.add({ id: 'certification', label: '取得相关管理体系认证，或产品通过发达国家和地区产品认证', group: REFINEMENT, threshold: '其一', met: null, needs: [need(y, 'qualityCertified')] });

  const liabilities = last.money('totalLiabilities');
  const assets = last.money('totalAssets');
  let debt: Tri;
  if (liabilities === null || assets === null || !isPositive(assets)) {
    debt = sheet.add({ id: 'debt_ratio', label: '截至上年末资产负债率', group: REFINEMENT, threshold: '≤ 70%', met: null, needs: [need(y, 'totalLiabilities'), need(y, 'totalAssets')] });
  } else {
    const ratio = div(liabilities, assets);
    const met = le(ratio, pct(70));
    if (!met) {
      const amount = debtToRepay(liabilities, assets, pct(70));
      sheet.gap('debt_ratio', `资产负债率 ${pctOf(ratio)}，需 ≤ 70%：须以资产偿还负债 ${wanUp(amount)}万元`, wanUp(amount), '万元', relativeGap(sub(ratio, pct(70)), pct(70)));
    }
    debt = sheet.add({ id: 'debt_ratio', label: '截至上年末资产负债率', group: REFINEMENT, value: pctOf(ratio), threshold: '≤ 70%', met });
  }
  return [system, certification, debt];
}

function characteristic(sheet: Sheet, facts: Facts): Tri[] {
  const y = facts.dataYear;
  const shareValue = facts.last.marketShare();
  const min = pct(10);
  const met = shareValue === null ? null : ge(shareValue, min);
  if (met === false) sheet.gap('market_share', `主导产品全国细分市场占有率 ${pctOf(shareValue!)}，需 ≥ 10%：还差 ${percentText(sub(min, shareValue!))} 个百分点`, percentText(sub(min, shareValue!)), '个百分点', relativeGap(sub(min, shareValue!), min));
  const share = sheet.add({ id: 'market_share', label: '主导产品在全国细分市场占有率', group: CHARACTERISTIC, value: shareValue === null ? null : pctOf(shareValue), threshold: '≥ 10%', met, needs: [need(y, 'nicheMarketShare')], note: '"享有较高知名度和影响力"由评审认定' });
  const brand = facts.last.plain('ownBrand');
  if (brand === false) sheet.gap('own_brand', '尚无自主品牌：须拥有直接面向市场并具有竞争优势的自主品牌');
  const brandTri = sheet.add({ id: 'own_brand', label: '拥有直接面向市场并具有竞争优势的自主品牌', group: CHARACTERISTIC, value: brand === null ? null : brand ? '有' : '无', threshold: '有', met: brand, needs: [need(y, 'ownBrand')] });
  return [share, brandTri];
}

/** R&D intensity by size (上年度营业收入): ≥ 1亿 → ≥ 3 % in each of 2 years; 5 000万–1亿 → ≥ 6 %; below → financing, R&D and R&D staff. */
function rdBySize(sheet: Sheet, facts: Facts): Tri {
  const y = facts.dataYear;
  const revenue = facts.last.money('operatingRevenue');
  const label = '研发投入（按上年度营业收入规模分档）';
  if (revenue === null) return sheet.add({ id: 'rd_intensity', label, group: INNOVATION, threshold: '≥ 3% / ≥ 6% / 融资与研发人员', met: null, needs: [need(y, 'operatingRevenue')] });
  if (ge(revenue, FIFTY_M)) {
    const min = ge(revenue, HUNDRED_M) ? pct(3) : pct(6);
    const band = ge(revenue, HUNDRED_M) ? `营业收入 ≥ ${wanThreshold(HUNDRED_M)}` : `营业收入 ${wanThreshold(FIFTY_M)}–${wanThreshold(HUNDRED_M)}`;
    const results = lastYears(facts, 2).map((yy) =>
      ratioAtLeast(sheet, {
        id: `rd_intensity_${yy}`,
        label: `${yy}年研发费用占营业收入比重（${band}）`,
        group: INNOVATION,
        num: facts.year(yy).money('rdExpense'),
        den: facts.year(yy).money('operatingRevenue'),
        min,
        needs: [need(yy, 'rdExpense'), need(yy, 'operatingRevenue')],
        base: 'fixed',
        gapText: (r, x) => `${yy}年研发费用占比 ${r}，需 ≥ ${pctOf(min)}（近2年每年）：按当年营业收入须再投入 ${x}万元`,
      }),
    );
    return all(...results);
  }
  // Below 5 000万元: all three.
  const equity = sumReaches(facts, 'equityFinancing', lastYears(facts, 2), q(8000));
  if (equity.met === false) sheet.gap('small_equity', `近2年新增股权融资 ${equity.value}，需 ≥ 8000万元（营业收入 5000万元以下时）`);
  const e = sheet.add({ id: 'small_equity', label: '近2年新增股权融资总额（合格机构投资者实缴，营业收入 5000万元以下时）', group: INNOVATION, value: equity.value, threshold: '≥ 8000万元', met: equity.met, needs: lastYears(facts, 2).map((yy) => need(yy, 'equityFinancing')) });
  const rd = sumOver(facts, 'rdExpense', lastYears(facts, 2));
  const rdMet = rd.total === null ? null : ge(rd.total, q(3000));
  if (rdMet === false) sheet.gap('small_rd', `近2年研发费用合计 ${wan(rd.total!)}，需 ≥ 3000万元：须再投入 ${wanUp(sub(q(3000), rd.total!))}万元`, wanUp(sub(q(3000), rd.total!)), '万元', relativeGap(sub(q(3000), rd.total!), q(3000)));
  const r = sheet.add({ id: 'small_rd', label: '近2年研发费用总额（营业收入 5000万元以下时）', group: INNOVATION, value: rd.total === null ? null : wan(rd.total), threshold: '≥ 3000万元', met: rdMet, needs: rd.missing });
  const staff = facts.last.count('staffTotal');
  const rdStaff = facts.last.count('rdStaff');
  let s: Tri;
  if (staff === null || rdStaff === null || !isPositive(staff)) s = sheet.add({ id: 'small_rd_staff', label: '研发人员占职工总数比例（营业收入 5000万元以下时）', group: INNOVATION, threshold: '≥ 50%', met: null, needs: [need(y, 'staffTotal'), need(y, 'rdStaff')] });
  else {
    const ratio = div(rdStaff, staff);
    const met = ge(ratio, pct(50));
    if (!met) {
      const n = staffShortfall(rdStaff, staff, pct(50));
      sheet.gap('small_rd_staff', `研发人员占比 ${pctOf(ratio)}，需 ≥ 50%：须再有 ${n} 名研发人员`, n.toString(), '人', relativeGap(sub(pct(50), ratio), pct(50)));
    }
    s = sheet.add({ id: 'small_rd_staff', label: '研发人员占职工总数比例（营业收入 5000万元以下时）', group: INNOVATION, value: pctOf(ratio), threshold: '≥ 50%', met });
  }
  return all(e, r, s);
}

function innovation(sheet: Sheet, facts: Facts): Tri {
  const y = facts.dataYear;
  const rd = rdBySize(sheet, facts);
  const level = facts.last.plain('rdInstitutionLevel');
  if (level === 'none') sheet.gap('rd_institution', '尚无自建或与高校、科研机构联合建立的研发机构（技术研究院、企业技术中心、工程中心、院士/博士后工作站等）');
  const institution = sheet.add({
    id: 'rd_institution',
    label: '自建或与高等院校、科研机构联合建立研发机构',
    group: INNOVATION,
    value: level === null ? null : { national: '国家级', provincial: '省级', municipal: '市级', county: '县区级', none: '无' }[level],
    threshold: '有',
    met: level === null ? null : level !== 'none',
    needs: [need(y, 'rdInstitutionLevel')],
  });
  const ip1 = facts.last.count('ip1Count');
  const ip1Count = ip1 === null ? null : intOf(ip1);
  const ipMet = ip1Count === null ? null : ip1Count >= 2;
  if (ipMet === false) sheet.gap('ip1_two', `与主导产品相关的Ⅰ类知识产权 ${ip1Count} 项，需 ≥ 2 项：须再取得 ${2 - ip1Count!} 项`, String(2 - ip1Count!), '件', (2 - ip1Count!) / 2);
  const ip = sheet.add({ id: 'ip1_two', label: '拥有 2 项以上与主导产品相关的Ⅰ类知识产权，且实际应用并已产生经济效益', group: INNOVATION, value: ip1Count === null ? null : `${ip1Count}件`, threshold: '≥ 2件', met: ipMet, needs: [need(y, 'ip1Count')] });
  const general = all(rd, institution, ip);

  const award = hasAward(facts, 3, (a) => a.kind === 'sci_tech' && a.level === 'national' && a.rank !== null && a.rank <= 3);
  const makers = hasAward(facts, 3, (a) => a.kind === 'makers_china' && a.level === 'national' && a.rank !== null && a.rank <= 50);
  const direct = [
    sheet.add({ id: 'direct_award', label: '近三年获得国家级科技奖励，并在获奖单位中排名前三', group: `${INNOVATION}（直接满足）`, value: award.value, threshold: '国家级前三', met: award.met, optional: true }),
    sheet.add({ id: 'direct_makers_china', label: '近三年进入"创客中国"中小企业创新创业大赛全国 50 强企业组名单', group: `${INNOVATION}（直接满足）`, value: makers.value, threshold: '全国50强', met: makers.met, optional: true }),
  ];
  return any(general, ...direct);
}

export const littleGiant2022: RuleSet = {
  id: 'little_giant.2022',
  rule: 'little_giant',
  title: '专精特新"小巨人"企业认定标准（优质中小企业梯度培育管理暂行办法，2022）',
  documents: GRADIENT_2022_DOCUMENTS,
  effectiveFrom: GRADIENT_2022_FROM,
  effectiveTo: GRADIENT_2022_TO,
  passScore: null,
  evaluate(facts) {
    const sheet = new Sheet(facts);
    const holds = facts.holds('specialized_sme');
    if (!holds) sheet.gap('is_specialized_sme', '须先认定为省级专精特新中小企业');
    const pre = sheet.add({ id: 'is_specialized_sme', label: '已认定为省级专精特新中小企业', group: PRE, value: holds ? '是（有效期内）' : '否', threshold: '是', met: holds });
    const basics = [smeSize(sheet, facts, PRE), ...standardCompliance(sheet, facts, PRE, `${facts.dataYear}-01-01`)];
    const chain = sheet.review('industry_chain', '位于产业链关键环节，围绕重点产业链实现关键基础技术和产品的产业化应用，发挥"补短板""锻长板""填空白"等作用', CHAIN, '由评审认定（参考资料仅单一来源 SINGLE），需评审');
    const field = sheet.review('leading_field', '主导产品原则上属于制造业核心基础零部件、电子元器件、关键软件、先进基础工艺和关键基础材料等领域，或制造强国、网络强国战略重点领域', CHAIN, '领域表述未经核实（UNCONFIRMED），需评审');
    const decision = all(pre, ...basics, ...specialization(sheet, facts), ...refinement(sheet, facts), ...characteristic(sheet, facts), innovation(sheet, facts), chain, field);
    return { decision, sheet };
  },
};
