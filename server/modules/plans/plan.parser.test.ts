import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsedPlanSchema, type ParsedPlan, type PlanItem, type PlanTarget } from '#common/contracts/plans.ts';
import { parsePlanText } from './plan.parser.ts';

const SEED_PATH = path.resolve(process.cwd(), '../shared/seed/zengdu-2022-work-plan.txt');
const FIXTURES = path.resolve(process.cwd(), 'tests/fixtures/plans');

function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

const seedText = readFileSync(SEED_PATH, 'utf8');
const seed = parsePlanText(seedText);

function items(plan: ParsedPlan): PlanItem[] {
  return plan.groups.flatMap((group) => group.items);
}

function seedItem(number: number): PlanItem {
  const item = items(seed).find((candidate) => candidate.number === number);
  if (!item) throw new Error(`seed has no item ${number}`);
  return item;
}

/** A target without its sentence, as a reviewer reads it. */
function brief({ subject, comparator, value, unit, kind }: PlanTarget): Omit<PlanTarget, 'text'> {
  return { subject, comparator, value, unit, kind };
}

const growth = (subject: string, comparator: PlanTarget['comparator'], value: number) =>
  ({ subject, comparator, value, unit: '%', kind: 'growth' }) as const;
const share = (subject: string, comparator: PlanTarget['comparator'], value: number) =>
  ({ subject, comparator, value, unit: '%', kind: 'share' }) as const;
const count = (subject: string, comparator: PlanTarget['comparator'], value: number, unit: string) =>
  ({ subject, comparator, value, unit, kind: 'count' }) as const;
const milestone = (subject: string) => ({ subject, comparator: '=', value: null, unit: null, kind: 'milestone' }) as const;

const SEED_GROUP_TITLES = [
  '围绕目标任务抓运行调度',
  '围绕强链补链抓产业发展',
  '围绕做多做强抓企业培育',
  '围绕提质增效抓工业项目',
  '围绕引智赋能抓科技创新',
  '围绕绿色安全抓监督管理',
  '围绕精准贴心抓企业服务',
  '围绕专业专注抓队伍建设',
];

const SEED_ITEM_TITLES = [
  '抓好首季开局',
  '抓好任务分解',
  '抓好预测预警',
  '抓好深度分析',
  '突出支柱产业强链',
  '突出新兴产业补链',
  '突出产业服务扩链',
  '实施中小企业成长工程',
  '实施专精特新培育工程',
  '实施龙头企业引领工程',
  '实施困难企业盘活工程',
  '深入实施“技改提能、制造焕新”行动',
  '深入实施“上云用数赋智”行动',
  '深入实施重大工业项目服务行动',
  '大力推进创新型城市建设',
  '大力推进产学研深度融合',
  '大力推进创新平台建设',
  '大力推进创新主体培育',
  '大力推进科技特派员队伍建设',
  '狠抓绿色发展',
  '狠抓安全生产',
  '狠抓疫情防控',
  '持续强化政策保障',
  '持续优化营商环境',
  '提升干事创业的专业能力',
  '提升干事创业的专注能力',
  '建设和谐高效机关',
];

describe('parsePlanText on the 2022 seed notice', () => {
  it('reads the covering notice: issuer, notice title, date, and the plan title with normalised spacing', () => {
    expect(seed.issuer).toBe('随州市曾都区科学技术和经济信息化局');
    expect(seed.noticeTitle).toBe('关于印发《曾都区 2022 年度科技和经信工作要点》的通知');
    expect(seed.title).toBe('曾都区 2022 年度科技和经信工作要点');
    expect(seed.date).toBe('2022-02-11');
    expect(parsedPlanSchema.parse(seed)).toEqual(seed);
  });

  it('keeps the overview paragraph, and not the notice around the plan', () => {
    expect(seed.overview.startsWith('整体展望：坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的十九大')).toBe(true);
    expect(seed.overview.endsWith('加快建成“专汽之都核心区”，为奋力开启曾都全面建设社会主义现代化新征程作出应有贡献。')).toBe(true);
    expect(seed.overview).not.toContain('\n');
    const everything = JSON.stringify(seed);
    expect(everything).not.toContain('印发给你们');
    expect(everything).not.toContain('抄报');
  });

  it('finds 8 groups and 27 items numbered on across the groups, each with its title', () => {
    expect(seed.groups.map((group) => [group.number, group.label, group.title])).toEqual(
      SEED_GROUP_TITLES.map((title, index) => [index + 1, '一二三四五六七八'[index], title]),
    );
    expect(seed.groups.map((group) => group.items.length)).toEqual([4, 3, 4, 3, 5, 3, 2, 3]);
    expect(items(seed).map((item) => item.number)).toEqual(SEED_ITEM_TITLES.map((_, index) => index + 1));
    expect(items(seed).map((item) => item.label)).toEqual(SEED_ITEM_TITLES.map((_, index) => String(index + 1)));
    expect(items(seed).map((item) => item.title)).toEqual(SEED_ITEM_TITLES);
  });

  it('keeps each item full text, joined across line and page breaks', () => {
    expect(seedItem(1).text).toBe(
      '抓好首季开局。按照“四能四则”（能开则开、能早则早、能多则多、能快则快）要求，计划前排、工作前推、进度前赶。' +
        '抓好节后开工调度，提前做好企业用能、用工等要素保障，组织企业迅速恢复生产，确保一季度规上工业增加值增长 12%。',
    );
    // item 2 runs over a page break inside 层层
    expect(seedItem(2).text).toContain('分片督导，层层传导压力');
    expect(seedItem(13).text.endsWith('推动曾都工业经济进入“数字时代。”')).toBe(true);
    expect(seedItem(27).text.endsWith('普法宣传教育及法治单位创建等各项工作。')).toBe(true);
  });

  it('loses no character of the plan body between the title and the 抄报 line', () => {
    const title = '曾都区 2022 年度科技和经信工作要点';
    const body = seedText.slice(seedText.lastIndexOf(title) + title.length, seedText.indexOf('抄报'));
    const mainTargetTexts = seed.mainTargets.map((target) => target.text).filter((text, index, all) => all[index - 1] !== text);
    const parsed = [
      seed.overview,
      '主要目标：',
      ...mainTargetTexts,
      ...seed.groups.flatMap((group) => [`${group.label}、${group.title}`, ...group.items.map((item) => `${item.label}.${item.text}`)]),
    ].join('');
    expect(parsed.replace(/\s+/g, '')).toBe(body.replace(/\s+/g, ''));
  });

  it('proposes the main targets from the 主要目标 paragraph, sentence by sentence', () => {
    expect([...new Set(seed.mainTargets.map((target) => target.text))]).toEqual([
      '通过创新型县（市、区）验收评审，力争全年建设省级新型研发机构 3 个以上，认定高新技术企业 30 家，高新技术产业增加值同比增长 12%以上。',
      '全区规模以上工业产值增幅超过 13%，增加值增长 10%左右，新增规上工业企业 20 家，确保全区工业经济运行在合理区间。',
    ]);
    expect(seed.mainTargets.map(brief)).toEqual([
      milestone('通过创新型县（市、区）验收评审'),
      count('建设省级新型研发机构', '>=', 3, '个'),
      count('认定高新技术企业', '=', 30, '家'),
      growth('高新技术产业增加值', '>=', 12),
      growth('全区规模以上工业产值', '>', 13),
      growth('全区规模以上工业增加值', '≈', 10),
      count('新增规上工业企业', '=', 20, '家'),
    ]);
  });

  it.each<[number, ReturnType<typeof brief>[]]>([
    [1, [growth('一季度规上工业增加值', '=', 12)]],
    [5, [growth('专汽产量', '=', 10), growth('专汽产值', '=', 12), growth('农产品加工产值', '=', 10)]],
    [
      8,
      [
        count('新增规模以上工业企业', '=', 20, '家'),
        count('新增产值过亿元企业', '=', 10, '家'),
        count('新增产值过十亿元企业', '=', 2, '家'),
        { subject: '程力集团产值', comparator: '>', value: 100, unit: '亿元', kind: 'amount' },
      ],
    ],
    [
      9,
      [
        count('认定国家级专精特新小巨人', '>=', 2, '家'),
        count('认定省级“隐形冠军”', '>=', 2, '家'),
        count('认定省级“专精特新”小巨人', '>=', 5, '家'),
      ],
    ],
    [12, [share('技改投资占工业投资比重', '>', 40)]],
    [14, [milestone('专用汽车和应急装备检测研发基地、程力电泳涂装等项目建成投产')]],
    [
      15,
      [
        share('高新技术产业增加值占 GDP 比重', '>', 20),
        share('全社会研发经费支出占 GDP 的比重', '>=', 1.7),
        milestone('曾都区建设成为随州市第一个创新型县（市、区）'),
      ],
    ],
    [16, [count('转化科技成果', '>=', 15, '项')]],
    [
      17,
      [
        milestone('应急产业技术研究院中试基地项目建成使用'),
        count('备案或认定省级以上科技创新平台', '>=', 3, '家'),
        count('备案或认定省级众创空间', '=', 1, '个'),
        share('规上企业研发机构覆盖率', '>', 35),
      ],
    ],
    [
      18,
      [count('科技型中小企业入库', '=', 70, '家'), count('新认定高新技术企业', '=', 9, '家'), count('全区高新技术企业', '>', 60, '家')],
    ],
  ])('proposes the targets of point %i', (number, expected) => {
    expect(seedItem(number).targets.map(brief)).toEqual(expected);
  });

  it('proposes nothing in the points without a quantity (no years, 5G or 十百千万)', () => {
    const withTargets = new Set([1, 5, 8, 9, 12, 14, 15, 16, 17, 18]);
    const others = items(seed).filter((item) => !withTargets.has(item.number));
    expect(others.map((item) => [item.number, item.targets])).toEqual(others.map((item) => [item.number, []]));
  });

  it('has a candidate for every number with a unit in the main targets and the items', () => {
    // An independent, deliberately simple reading: every Arabic number followed by a unit.
    const quantity = /(\d+(?:\.\d+)?)\s*(%|家|个|项|亿元)/gu;
    const sources = [
      { text: [...new Set(seed.mainTargets.map((t) => t.text))].join(''), targets: seed.mainTargets },
      ...items(seed).map((item) => ({ text: item.text, targets: item.targets })),
    ];
    let checked = 0;
    for (const { text, targets } of sources) {
      for (const [, value, unit] of text.matchAll(quantity)) {
        expect(targets, `${value}${unit} in ${text.slice(0, 20)}`).toContainEqual(expect.objectContaining({ value: Number(value), unit }));
        checked++;
      }
    }
    expect(checked).toBe(27);
  });

  it('keeps the sentence a candidate came from', () => {
    expect(seedItem(18).targets.map((target) => target.text)).toEqual(
      Array(3).fill('力争全年科技型中小企业入库 70 家，新认定高新技术企业 9 家，全区高新技术企业突破 60 家。'),
    );
  });
});

describe('parsePlanText on other layouts', () => {
  it('reads a PDF extraction of the seed (page breaks, page numbers, broken lines, spaces around numbers, a split title) as the seed', () => {
    // seed-pdf-extracted.txt is the seed's notice and groups 一–三 re-wrapped at another width,
    // with form feeds, `- 2 -` page numbers, blank lines inside sentences, a title over three
    // lines, half-width brackets and commas, full-width digits and `12 %`-style spacing.
    const pdf = parsePlanText(fixture('seed-pdf-extracted.txt'));
    const { groups, ...header } = pdf;
    const { groups: seedGroups, ...seedHeader } = seed;
    expect(header).toEqual(seedHeader);
    expect(groups).toEqual(seedGroups.slice(0, 3));
  });

  it('reads items whose numbering restarts in each group, text before the first item, and a closing signature', () => {
    const plan = parsePlanText(fixture('restart-numbering.txt'));
    expect(plan).toMatchObject({ title: '曾都区 2023 年工业经济工作要点', noticeTitle: null, issuer: '随州市曾都区科学技术和经济信息化局', date: '2023-01-20' });
    expect(plan.overview).toBe('总体要求：以推动工业经济高质量发展为主题，坚持稳中求进，巩固专汽、农产品加工两大支柱产业，培育应急、电子信息等新兴产业。');
    expect(plan.groups.map((group) => [group.label, group.title, group.items.map((item) => item.number)])).toEqual([
      ['一', '抓好经济运行', [1, 2, 3]],
      ['二', '抓好企业培育', [0, 1, 2]],
      ['三', '抓好队伍建设', [1, 2]],
    ]);
    expect(plan.groups[1]?.items[0]).toMatchObject({ label: '', title: '本组工作由企业股牵头，各镇街经发办配合', text: '本组工作由企业股牵头，各镇街经发办配合。' });
    expect(plan.groups[2]?.items[1]?.text).toBe('加强作风建设。落实首问负责、限时办结制度。');
    expect(plan.mainTargets.map(brief)).toEqual([
      growth('全区规上工业增加值', '>=', 8),
      growth('规上工业产值', '≈', 10),
      count('新增规上工业企业', '=', 25, '家'),
      count('新增国家级专精特新“小巨人”企业', '=', 3, '家'),
      growth('工业投资', '=', 15),
      share('技改投资占工业投资比重', '>=', 45),
    ]);
    expect(plan.groups[0]?.items[1]?.targets.map(brief)).toEqual([
      { subject: '为企业争取融资', comparator: '>=', value: 20, unit: '亿元', kind: 'amount' },
    ]);
    expect(plan.groups[0]?.items[2]?.targets).toEqual([]);
  });

  it('reads 一、总体要求 and 二、主要目标 as the opening sections, and （一） items with 1. points inside', () => {
    const plan = parsePlanText(fixture('paren-items.txt'));
    expect(plan.title).toBe('曾都区 2023 年科技创新工作方案');
    expect(plan.overview).toBe(
      '以习近平新时代中国特色社会主义思想为指导，深入实施创新驱动发展战略。\n（一）坚持企业主体。推动创新资源向企业集聚。\n（二）坚持问题导向。聚焦产业链关键环节攻关。',
    );
    expect(plan.mainTargets.map(brief)).toEqual([
      count('新认定高新技术企业', '=', 12, '家'),
      count('高新技术企业总数', '>=', 75, '家'),
      count('科技型中小企业入库', '>=', 80, '家'),
      share('全社会研发经费支出占 GDP 的比重', '>=', 1.8),
    ]);
    expect(plan.groups.map((group) => [group.number, group.title, group.items.map((item) => [item.number, item.label, item.title])])).toEqual([
      [
        3,
        '重点任务',
        [
          [1, '（一）', '培育创新主体'],
          [2, '（二）', '建设创新平台'],
          [3, '（三）', '促进成果转化'],
        ],
      ],
      [
        4,
        '保障措施',
        [
          [1, '（一）', '加强组织领导'],
          [2, '（二）', '加强考核督办'],
        ],
      ],
    ]);
    expect(plan.groups[0]?.items[0]?.text).toBe(
      '培育创新主体\n实施高新技术企业倍增计划，建立后备企业库。力争新认定高新技术企业 12 家。\n1.开展政策宣讲。每季度举办一次培训会。\n2.开展上门辅导。组织专家对后备企业逐一辅导。',
    );
    expect(plan.groups[0]?.items[2]?.targets.map(brief)).toEqual([
      count('转化科技成果', '>=', 20, '项'),
      { subject: '技术合同成交额', comparator: '>', value: 5, unit: '亿元', kind: 'amount' },
    ]);
  });

  it('reads 1、 items, half-width punctuation, full-width digits, a 文件 red head, a Chinese-numeral date and a 抄送 line', () => {
    const plan = parsePlanText(fixture('dunhao-items.txt'));
    expect(plan).toMatchObject({
      title: '曾都区 2023 年安全生产工作计划',
      noticeTitle: '关于印发《曾都区 2023 年安全生产工作计划》的通知',
      issuer: '随州市曾都区科学技术和经济信息化局',
      date: '2023-03-01',
      overview: '指导思想：坚持人民至上、生命至上，统筹发展和安全。',
      mainTargets: [],
    });
    expect(items(plan).map((item) => [item.number, item.label, item.title])).toEqual([
      [1, '1', '开展全覆盖检查'],
      [2, '2', '开展专项整治'],
      [3, '3', '推进机械化换人'],
      [4, '4', '推进标准化建设'],
    ]);
    expect(items(plan)[0]?.text).toBe('开展全覆盖检查。全年检查工贸企业 300 家次以上，重大事故隐患整改率达到 100%。');
    expect(items(plan).flatMap((item) => item.targets).map(brief)).toEqual([
      count('检查工贸企业', '>=', 300, '家次'),
      share('重大事故隐患整改率', '>=', 100),
      count('整治企业', '=', 15, '家'),
      count('企业实施自动化改造', '=', 10, '家'),
      count('事故起数', '<=', 3, '起'),
      count('新增安全生产标准化达标企业', '=', 8, '家'),
    ]);
    expect(JSON.stringify(plan)).not.toContain('应急管理局');
  });

  it('reads a numbered list before the first group as main targets, not items', () => {
    const plan = parsePlanText(fixture('numbered-targets.txt'));
    expect(plan.overview).toBe(
      '2024 年全区科技和经信工作的总体要求是：坚持稳中求进工作总基调，推动工业经济质的有效提升和量的合理增长。全年主要目标如下：',
    );
    expect(plan.mainTargets.map(brief)).toEqual([
      growth('全区规上工业增加值', '≈', 8),
      growth('规上工业产值', '>=', 10),
      count('新增规上工业企业', '=', 30, '家'),
      milestone('通过省级创新型县（市、区）复核'),
    ]);
    expect(plan.groups.map((group) => group.items.map((item) => [item.number, item.title]))).toEqual([
      [
        [1, '抓好月度调度'],
        [2, '抓好要素保障'],
      ],
      [
        [1, '抓好主体培育'],
        [2, '抓好平台建设'],
      ],
    ]);
  });

  it('keeps a numbered list as items when the text has no groups', () => {
    const plan = parsePlanText('1.抓好调度。新增规上企业 5 家。\n2.抓好服务。走访企业。');
    expect(plan.mainTargets).toEqual([]);
    expect(plan.groups).toEqual([
      {
        number: 0,
        label: '',
        title: '',
        items: [
          expect.objectContaining({ number: 1, title: '抓好调度' }),
          expect.objectContaining({ number: 2, title: '抓好服务', targets: [] }),
        ],
      },
    ]);
  });

  it('reads main targets introduced inside the overview (主要目标是：)', () => {
    const plan = parsePlanText('某区工作要点\n总体要求：稳中求进。主要目标是：新增规上工业企业 20 家。\n一、抓运行\n1.抓调度。按月调度。');
    expect(plan.overview).toBe('总体要求：稳中求进。');
    expect(plan.mainTargets.map(brief)).toEqual([count('新增规上工业企业', '=', 20, '家')]);
  });

  it('gives an empty plan for empty text', () => {
    expect(parsePlanText('')).toEqual({ title: null, noticeTitle: null, issuer: null, date: null, overview: '', mainTargets: [], groups: [] });
  });
});
