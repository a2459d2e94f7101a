import { describe, expect, it } from 'vitest';
import type { PlanTarget } from '#common/contracts/plans.ts';
import { extractTargets } from './plan.targets.ts';

/** A target without its sentence, as a reviewer reads it. */
function brief({ subject, comparator, value, unit, kind }: PlanTarget): Omit<PlanTarget, 'text'> {
  return { subject, comparator, value, unit, kind };
}

function targetsOf(text: string): Omit<PlanTarget, 'text'>[] {
  return extractTargets(text).map(brief);
}

describe('extractTargets: the examples of the issue', () => {
  it.each<[string, Omit<PlanTarget, 'text'>]>([
    ['高新技术产业增加值同比增长 12%以上。', { subject: '高新技术产业增加值', comparator: '>=', value: 12, unit: '%', kind: 'growth' }],
    ['新增规上工业企业 20 家。', { subject: '新增规上工业企业', comparator: '=', value: 20, unit: '家', kind: 'count' }],
    ['全区高新技术企业突破 60 家。', { subject: '全区高新技术企业', comparator: '>', value: 60, unit: '家', kind: 'count' }],
    ['支持程力集团产值突破 100 亿元。', { subject: '程力集团产值', comparator: '>', value: 100, unit: '亿元', kind: 'amount' }],
    ['通过创新型县（市、区）验收评审。', { subject: '通过创新型县（市、区）验收评审', comparator: '=', value: null, unit: null, kind: 'milestone' }],
    ['确保技改投资占工业投资比重超过 40%。', { subject: '技改投资占工业投资比重', comparator: '>', value: 40, unit: '%', kind: 'share' }],
    ['全社会研发经费支出占 GDP 的比重达到 1.7%以上。', { subject: '全社会研发经费支出占 GDP 的比重', comparator: '>=', value: 1.7, unit: '%', kind: 'share' }],
    ['事故起数控制在 3 起以内。', { subject: '事故起数', comparator: '<=', value: 3, unit: '起', kind: 'count' }],
    ['单位工业增加值能耗下降 3%。', { subject: '单位工业增加值能耗下降', comparator: '=', value: 3, unit: '%', kind: 'growth' }],
    ['产能利用率提高到 80%。', { subject: '产能利用率', comparator: '>=', value: 80, unit: '%', kind: 'share' }],
  ])('%s', (sentence, expected) => {
    expect(targetsOf(sentence)).toEqual([expected]);
  });

  it('reads 左右 as about', () => {
    expect(targetsOf('规上工业增加值增长 10%左右。')[0]).toMatchObject({ comparator: '≈', value: 10, kind: 'growth' });
  });

  it('carries the subject over to the next clause (规上工业产值 … 增加值 …)', () => {
    expect(targetsOf('规上工业产值增幅超过13%，增加值增长10%左右。')).toEqual([
      { subject: '规上工业产值', comparator: '>', value: 13, unit: '%', kind: 'growth' },
      { subject: '规上工业增加值', comparator: '≈', value: 10, unit: '%', kind: 'growth' },
    ]);
  });

  it('pairs 分别 values with the subjects before them', () => {
    expect(targetsOf('力争专汽产量、产值分别增长 10%、12%。')).toEqual([
      { subject: '专汽产量', comparator: '=', value: 10, unit: '%', kind: 'growth' },
      { subject: '专汽产值', comparator: '=', value: 12, unit: '%', kind: 'growth' },
    ]);
    expect(targetsOf('新增规上企业和高新技术企业分别达到 20 家、30 家。').map((t) => [t.subject, t.comparator, t.value])).toEqual([
      ['新增规上企业', '>=', 20],
      ['新增高新技术企业', '>=', 30],
    ]);
  });

  it('shares the verb of a list (新增 … 20 家、… 10 家、… 2 家)', () => {
    expect(targetsOf('力争新增规模以上工业企业 20 家、产值过亿元企业 10 家、过十亿元企业 2 家。')).toEqual([
      { subject: '新增规模以上工业企业', comparator: '=', value: 20, unit: '家', kind: 'count' },
      { subject: '新增产值过亿元企业', comparator: '=', value: 10, unit: '家', kind: 'count' },
      { subject: '新增产值过十亿元企业', comparator: '=', value: 2, unit: '家', kind: 'count' },
    ]);
  });

  it('does not give a shared verb to a total', () => {
    expect(targetsOf('新认定高新技术企业 9 家，全区高新技术企业突破 60 家，高新技术企业总数 70 家。').map((t) => t.subject)).toEqual([
      '新认定高新技术企业',
      '全区高新技术企业',
      '高新技术企业总数',
    ]);
  });

  it('reads a number written before what it counts', () => {
    expect(targetsOf('推动 10 家企业实施自动化改造，建立 50 家升规后备企业库。').map((t) => [t.subject, t.value, t.unit])).toEqual([
      ['企业实施自动化改造', 10, '家'],
      ['建立升规后备企业库', 50, '家'],
    ]);
  });

  it('takes no years, names, ordinals, durations or quantities that only describe a noun', () => {
    expect(
      targetsOf(
        '力争 2022 年，推广 5G、工业互联网，深入实施“十百千万”行动，持续深化百名干部驻百企工作，第 2 批项目 3 个月内开工，对产值下降 10%以上的企业逐一走访。',
      ),
    ).toEqual([]);
  });

  it('keeps a target described with 的目标', () => {
    expect(targetsOf('实现规上工业增加值增长 8%的目标。')).toEqual([
      { subject: '规上工业增加值', comparator: '=', value: 8, unit: '%', kind: 'growth' },
    ]);
  });

  it('keeps the whole sentence as the text of each candidate', () => {
    const sentence = '力争全年科技型中小企业入库 70 家，新认定高新技术企业 9 家。';
    expect(extractTargets(`前一句没有数字。${sentence}`).map((t) => t.text)).toEqual([sentence, sentence]);
  });

  it('turns every sentence of the main targets into a target when asked', () => {
    expect(extractTargets('全区工业经济稳中有进。新增规上工业企业 20 家。', { everySentence: true }).map(brief)).toEqual([
      { subject: '全区工业经济稳中有进', comparator: '=', value: null, unit: null, kind: 'milestone' },
      { subject: '新增规上工业企业', comparator: '=', value: 20, unit: '家', kind: 'count' },
    ]);
  });
});
