import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { relatedTargetGroupSchema } from '#common/contracts/plans.ts';
import { parsePlanText } from './plan.parser.ts';
import { findRelatedTargets, normaliseSubject } from './plan.related.ts';

const seed = parsePlanText(readFileSync(path.resolve(process.cwd(), '../shared/seed/zengdu-2022-work-plan.txt'), 'utf8'));

describe('normaliseSubject', () => {
  it.each([
    ['认定高新技术企业', '高新技术企业', ['认定（含重新认定）']],
    ['新认定高新技术企业', '高新技术企业', ['首次认定']],
    ['首次认定高新技术企业', '高新技术企业', ['首次认定']],
    ['全区高新技术企业', '高新技术企业', []],
    ['高新技术企业总数', '高新技术企业', []],
    ['全区规模以上工业增加值', '规上工业增加值', []],
    ['一季度规上工业增加值', '规上工业增加值', ['一季度']],
    ['新增规模以上工业企业', '规上工业企业', ['新增']],
    ['科技型中小企业入库', '科技型中小企业', ['入库']],
    ['认定省级“隐形冠军”', '省级隐形冠军', ['认定（含重新认定）']],
  ])('%s → %s %j', (subject, normalised, qualifiers) => {
    expect(normaliseSubject(subject)).toEqual({ subject: normalised, qualifiers });
  });
});

describe('findRelatedTargets on the 2022 seed', () => {
  const related = findRelatedTargets(seed);

  it('groups the three high-tech enterprise measures as related, not as a conflict', () => {
    const highTech = related.find((group) => group.subject === '高新技术企业');
    expect(highTech?.conflict).toBe(false);
    expect(highTech?.targets.map((member) => [member.target.subject, member.target.comparator, member.target.value, member.measure])).toEqual([
      ['认定高新技术企业', '=', 30, '数量·认定（含重新认定）'],
      ['新认定高新技术企业', '=', 9, '数量·首次认定'],
      ['全区高新技术企业', '>', 60, '数量·总量'],
    ]);
    expect(highTech?.targets.map((member) => member.source)).toEqual([
      { section: 'mainTargets', targetIndex: 2 },
      { section: 'item', groupIndex: 4, itemIndex: 3, targetIndex: 1, groupNumber: 5, itemNumber: 18, itemTitle: '大力推进创新主体培育' },
      { section: 'item', groupIndex: 4, itemIndex: 3, targetIndex: 2, groupNumber: 5, itemNumber: 18, itemTitle: '大力推进创新主体培育' },
    ]);
  });

  it('relates the year and the first quarter of value-added growth, and the repeated 新增规上 target, without conflict', () => {
    expect(related.map((group) => [group.subject, group.conflict, group.targets.map((member) => member.measure)])).toEqual([
      ['高新技术企业', false, ['数量·认定（含重新认定）', '数量·首次认定', '数量·总量']],
      ['规上工业增加值', false, ['增速·全年', '增速·一季度']],
      ['规上工业企业', false, ['数量·新增', '数量·新增']],
    ]);
    for (const group of related) expect(relatedTargetGroupSchema.parse(group)).toEqual(group);
  });
});

describe('findRelatedTargets conflicts', () => {
  it('flags the same measure with different values', () => {
    const plan = parsePlanText(
      '某区工作要点\n主要目标：新增规上工业企业 25 家，规上工业增加值增长 8%。\n一、抓培育\n1.抓升规。力争新增规模以上工业企业 30 家。\n2.抓运行。全区规上工业增加值增长 9%左右。',
    );
    expect(findRelatedTargets(plan).map((group) => [group.subject, group.conflict])).toEqual([
      ['规上工业企业', true],
      ['规上工业增加值', true],
    ]);
  });

  it('reads the same value with another comparator (8% and 8%左右) as one target said twice', () => {
    const plan = parsePlanText('某区工作要点\n主要目标：规上工业增加值增长 8%。\n一、抓运行\n1.抓调度。全区规上工业增加值增长 8%左右。');
    expect(findRelatedTargets(plan)).toEqual([expect.objectContaining({ subject: '规上工业增加值', conflict: false })]);
  });

  it('compares money in any unit: 1 亿元 is 10000 万元', () => {
    const plan = parsePlanText('某区工作要点\n主要目标：技术合同成交额 1 亿元。\n一、抓转化\n1.抓成交。技术合同成交额 10000 万元。');
    expect(findRelatedTargets(plan)).toEqual([expect.objectContaining({ subject: '技术合同成交额', conflict: false })]);
  });

  it('does not relate different subjects', () => {
    const plan = parsePlanText('某区工作要点\n主要目标：认定国家级专精特新小巨人 2 家，认定省级专精特新小巨人 5 家。');
    expect(findRelatedTargets(plan)).toEqual([]);
  });
});
