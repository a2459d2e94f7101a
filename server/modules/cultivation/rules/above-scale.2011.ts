import { ge, q, sub } from '#server/modules/cultivation/rules/exact.ts';
import { need } from '#server/modules/cultivation/rules/facts.ts';
import type { RuleSet } from '#server/modules/cultivation/rules/rule-set.ts';
import { all, relativeGap, Sheet, wan, wanThreshold, wanUp } from '#server/modules/cultivation/rules/sheet.ts';

// 规模以上工业企业: industrial legal-person units with annual 主营业务收入 ≥ 2 000万元, the
// threshold since 2011 (criteria.md §5.1). Only sections B, C and D of GB/T 4754 are industry.

const THRESHOLD = q(2000);

export const aboveScale2011: RuleSet = {
  id: 'above_scale.2011',
  rule: 'above_scale',
  title: '规模以上工业企业标准（年主营业务收入 2000万元及以上，2011年起）',
  documents: [{ title: '国家统计局 规模以上工业统计范围（2011年起主营业务收入2000万元及以上）', number: null, url: 'https://tjj.beijing.gov.cn/tjsj_31433/yjdsj_31440/gy_31782/2011/202003/t20200323_1728448.html' }],
  effectiveFrom: '2011-01-01',
  effectiveTo: null,
  passScore: null,
  evaluate(facts) {
    const sheet = new Sheet(facts);
    const y = facts.dataYear;
    const group = '入规条件';

    const industrial = facts.industrial;
    const industry = sheet.add({
      id: 'industrial',
      label: '属工业企业（国民经济行业分类 B 采矿业、C 制造业、D 电力热力燃气及水生产和供应业）',
      group,
      value: facts.input.enterprise.industryCode ? `行业代码 ${facts.input.enterprise.industryCode}` : null,
      threshold: 'B、C、D 门类',
      met: industrial,
      needs: ['国民经济行业代码'],
    });
    if (industrial === false) {
      sheet.gap('industrial', '非工业企业，不适用规模以上工业标准');
      sheet.outOfReach = true;
    }

    const revenue = facts.last.money('mainBusinessRevenue');
    const met = revenue === null ? null : ge(revenue, THRESHOLD);
    if (revenue !== null && !met) {
      const short = sub(THRESHOLD, revenue);
      sheet.gap('main_revenue', `${y}年主营业务收入 ${wan(revenue)}，需 ≥ ${wanThreshold(THRESHOLD)}：尚差 ${wanUp(short)}万元`, wanUp(short), '万元', relativeGap(short, THRESHOLD));
    }
    const revenueTri = sheet.add({
      id: 'main_revenue',
      label: '年主营业务收入',
      group,
      value: revenue === null ? null : wan(revenue),
      threshold: `≥ ${wanThreshold(THRESHOLD)}（含）`,
      met,
      needs: [need(y, 'mainBusinessRevenue')],
    });
    return { decision: all(industry, revenueTri), sheet };
  },
};
