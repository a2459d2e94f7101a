import { validateUscc } from '#common/uscc.ts';
import type { Deps } from '#server/platform/deps.ts';
import type { Actor } from '#server/platform/audit.ts';
import { newId, nowIso } from '#server/platform/ids.ts';
import { listUnits } from '#server/modules/org/org.service.ts';
import { listChains } from '#server/modules/enterprises/enterprises.chains.ts';
import { composeUscc, insertEnterpriseSeeds } from '#server/modules/enterprises/enterprises.seed.ts';
import type { EnterpriseSeed } from '#server/modules/enterprises/enterprises.seed.ts';
import { townUnits } from '#server/modules/enterprises/enterprises.service.ts';

/**
 * The demo district's enterprise roster: about 320 synthetic enterprises across every active town
 * and every chain, with 集团, tags and a 规上 history (long-standing members, 2021 and 2022 new
 * entrants by annual and monthly review, exits, a re-entry). Deterministic: a seeded PRNG, no
 * clock in the data. The plan's named leaders (程力, 江南专汽, 泰晶科技, 金龙新材料, 楚天药业)
 * appear by name; their codes and every figure are made up.
 */

/** mulberry32: a small, fast, well-spread PRNG; the same seed gives the same district. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const BRANDS = [
  '鸿达', '华威', '大力', '恒通', '楚胜', '神龙', '成威', '新楚风', '炎帝', '编钟', '银杏', '涢水', '季梁', '白云', '大洪山', '万和', '顺达', '宏宇',
  '天成', '盛世', '瑞丰', '华昌', '合力', '永兴', '福源', '嘉禾', '联众', '金鼎', '汇通', '泰和', '众鑫', '宝龙', '兴旺', '昌盛', '博远', '鼎立',
  '正和', '信达', '安泰', '万通', '华鑫', '中驰', '凯力', '腾飞', '振华', '隆达', '三环', '东方', '新星', '金山', '百顺', '德力', '恒达', '中联',
  '久通', '鑫源', '荣盛', '祥瑞', '天河', '九州', '华泰', '宏达', '同兴', '富康', '天润', '明珠', '双龙', '金鹰', '远大', '新华', '长江', '聚力',
  '和兴', '大地', '光明', '佳禾', '山河', '润泽', '春晖', '丰源', '万里', '锦程', '华宇', '精工', '铭泰', '卓越', '晨光', '汉东', '随缘', '厉山',
];
const PREFIXES = ['随州市', '湖北', '随州', '曾都区', '湖北省'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙', '胡', '朱', '高', '何', '郭', '马', '罗', '梁', '宋', '郑', '谢', '韩', '唐'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明', '超', '秀英', '华', '平', '刚', '桂英', '建国', '志强', '海燕', '晓东', '红梅'];
const ROADS = ['交通大道', '沿河大道', '烈山大道', '汉东路', '文峰大道', '福州路', '编钟大道', '季梁大道', '白云大道', '迎宾大道', '工业园路', '新民路'];
const TAGS = ['专精特新', '高新技术企业', '科技型中小企业', '龙头企业', '上市后备', '两化融合'];

type Template = { suffixes: string[]; codes: string[] };

// Name endings and industry classes (GB/T 4754-2017) per chain; weight = how many enterprises.
const TEMPLATES: { chains: string[]; weight: number; template: Template }[] = [
  { chains: ['专汽及零部件'], weight: 62, template: { suffixes: ['专用汽车有限公司', '专用车制造有限公司', '特种汽车有限公司', '改装车有限公司'], codes: ['3630'] } },
  { chains: ['专汽及零部件'], weight: 34, template: { suffixes: ['汽车零部件有限公司', '车桥有限公司', '汽车配件有限公司', '液压件有限公司'], codes: ['3670'] } },
  { chains: ['专汽及零部件'], weight: 10, template: { suffixes: ['挂车制造有限公司', '车身有限公司'], codes: ['3660'] } },
  { chains: ['专汽及零部件', '移动应急装备'], weight: 12, template: { suffixes: ['应急救援装备有限公司', '消防车辆有限公司'], codes: ['3630'] } },
  { chains: ['移动应急装备'], weight: 12, template: { suffixes: ['应急装备有限公司', '安防设备有限公司', '救援装备科技有限公司'], codes: ['3595', '3599'] } },
  { chains: ['农产品加工'], weight: 68, template: { suffixes: ['香菇食品有限公司', '米业有限公司', '油脂有限公司', '茶业有限公司', '食品有限公司', '农业科技发展有限公司', '食用菌有限公司', '禽业有限公司'], codes: ['1372', '1311', '1331', '1530', '1371', '1352', '1439', '1469', '1391'] } },
  { chains: ['软体新材料/新型建材'], weight: 24, template: { suffixes: ['新材料有限公司', '建材有限公司', '新型墙体材料有限公司', '海绵制品有限公司', '软体家居有限公司'], codes: ['2924', '3021', '3024', '3091', '2929'] } },
  { chains: ['电子元器件'], weight: 20, template: { suffixes: ['电子科技有限公司', '晶体科技有限公司', '电子元件有限公司', '电路科技有限公司'], codes: ['3989', '3981', '3982', '3985'] } },
  { chains: ['装备制造'], weight: 30, template: { suffixes: ['机械制造有限公司', '精密机械有限公司', '重工有限公司', '泵业有限公司', '阀门有限公司'], codes: ['3484', '3511', '3421', '3441', '3443'] } },
  { chains: ['氢能及新能源汽车'], weight: 10, template: { suffixes: ['新能源汽车有限公司', '电池科技有限公司', '氢能科技有限公司'], codes: ['3612', '3841', '3849'] } },
  { chains: ['氢能及新能源汽车', '专汽及零部件'], weight: 5, template: { suffixes: ['新能源专用车有限公司'], codes: ['3612'] } },
  { chains: [], weight: 36, template: { suffixes: ['钢结构有限公司', '包装有限公司', '酒业有限公司', '金属制品有限公司', '建筑材料有限公司', '热电有限公司'], codes: ['3311', '2231', '1512', '3399', '3099', '4411'] } },
];

// Towns weighted by where industry sits: the development zone and the southern streets most.
const TOWN_WEIGHTS: Record<string, number> = {
  湖北曾都经济开发区: 20, 南郊街道: 14, 何店镇: 10, 淅河镇: 10, 东城街道: 7, 北郊街道: 8, 西城街道: 5, 涢水街道: 7, 万店镇: 6, 洛阳镇: 6, 府河镇: 7,
};

type Named = { name: string; town: string; code: string; chains: string[]; group?: string; since: string; tags: string[] };

// The plan names these (work points 6, 8, 10); everything about them here is synthetic.
const NAMED: Named[] = [
  { name: '程力专用汽车股份有限公司', town: '湖北曾都经济开发区', code: '3630', chains: ['专汽及零部件', '移动应急装备'], group: '程力集团', since: '2008-02', tags: ['龙头企业', '高新技术企业', '上市后备'] },
  { name: '湖北程力专用汽车有限公司', town: '南郊街道', code: '3630', chains: ['专汽及零部件'], group: '程力集团', since: '2012-02', tags: ['高新技术企业'] },
  { name: '程力重工股份有限公司', town: '湖北曾都经济开发区', code: '3599', chains: ['移动应急装备', '装备制造'], group: '程力集团', since: '2016-02', tags: ['专精特新'] },
  { name: '湖北程力电泳涂装有限公司', town: '湖北曾都经济开发区', code: '3360', chains: ['专汽及零部件'], group: '程力集团', since: '2022-05', tags: [] },
  { name: '湖北江南专用特种汽车有限公司', town: '南郊街道', code: '3630', chains: ['专汽及零部件'], group: '江南集团', since: '2010-02', tags: ['龙头企业', '上市后备'] },
  { name: '湖北江南汽车零部件有限公司', town: '淅河镇', code: '3670', chains: ['专汽及零部件'], group: '江南集团', since: '2017-02', tags: [] },
  { name: '泰晶科技股份有限公司', town: '湖北曾都经济开发区', code: '3989', chains: ['电子元器件'], since: '2009-02', tags: ['龙头企业', '高新技术企业', '专精特新'] },
  { name: '湖北金龙新材料股份有限公司', town: '北郊街道', code: '3985', chains: ['软体新材料/新型建材'], since: '2014-02', tags: ['上市后备', '高新技术企业'] },
  { name: '湖北楚天药业有限公司', town: '东城街道', code: '2720', chains: [], since: '2011-02', tags: ['上市后备'] },
  { name: '湖北齐星汽车车身股份有限公司', town: '何店镇', code: '3660', chains: ['专汽及零部件'], group: '齐星集团', since: '2009-02', tags: ['龙头企业'] },
  { name: '随州齐星专用车有限公司', town: '何店镇', code: '3630', chains: ['专汽及零部件'], group: '齐星集团', since: '2019-02', tags: [] },
];

/** The enterprise the demo enterprise account (qiye, 何店镇) speaks for. */
export const DEMO_ACCOUNT_ENTERPRISE = '随州齐星专用车有限公司';

function pickWeighted<T>(random: () => number, items: readonly T[], weight: (t: T) => number): T {
  const total = items.reduce((s, t) => s + weight(t), 0);
  let at = random() * total;
  for (const item of items) {
    at -= weight(item);
    if (at < 0) return item;
  }
  return items[items.length - 1]!;
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const period = (year: number, month: number) => `${year}-${String(month).padStart(2, '0')}`;

/** A 规上 history: mostly long-standing members; some 2021/2022 entrants; some exits; a few never 规上. */
function scaleHistory(random: () => number, index: number): EnterpriseSeed['spells'] {
  const roll = random();
  if (roll < 0.22) return []; // 规下: candidates for cultivation
  if (roll < 0.27) return [{ fromPeriod: period(2014 + Math.floor(random() * 5), 2), fromReason: '年度入库', toPeriod: period(2020 + Math.floor(random() * 2), 12), toReason: '退库' }];
  if (roll < 0.29) {
    return [
      { fromPeriod: '2015-02', fromReason: '年度入库', toPeriod: '2019-12', toReason: '退库' },
      { fromPeriod: '2021-02', fromReason: '年度入库' },
    ];
  }
  if (roll < 0.36) return [{ fromPeriod: '2022-02', fromReason: '年度入库' }]; // new this year, annual review
  if (roll < 0.4) return [{ fromPeriod: period(2022, 3 + (index % 8)), fromReason: '月度入库' }]; // new this year, monthly review
  if (roll < 0.47) {
    const fromPeriod = random() < 0.7 ? '2021-02' : period(2021, 4 + (index % 7));
    return [{ fromPeriod, fromReason: fromPeriod.endsWith('-02') ? '年度入库' : '月度入库' }];
  }
  return [{ fromPeriod: period(2008 + Math.floor(random() * 13), 2), fromReason: '年度入库' }];
}

/**
 * Writes the roster (one audit record for the batch) and returns the id of the enterprise the
 * demo enterprise account is attached to.
 */
export async function loadDemoEnterprises(deps: Deps, actor: Actor): Promise<{ count: number; accountEnterpriseId: string }> {
  const roster = buildDemoRoster(townUnits(await listUnits(deps.db)), await listChains(deps.db));
  const now = nowIso(deps.now());
  const groups = new Map([...new Set(roster.map((s) => s.groupName).filter((g): g is string => !!g))].map((name) => [name, newId()]));
  const seeds: EnterpriseSeed[] = roster.map(({ groupName, ...seed }) => ({ ...seed, groupId: groupName ? groups.get(groupName)! : null }));
  await deps.db.transaction().execute(async (trx) => {
    for (const [name, id] of groups) await trx.insertInto('enterprise_groups').values({ id, name, created_at: now, updated_at: now }).execute();
    await insertEnterpriseSeeds(trx, seeds, now);
    await deps.audit.append(trx, actor, {
      action: 'enterprise.demo_load',
      entityType: 'enterprise_import',
      entityId: null,
      after: { enterprises: seeds.length, groups: [...groups.keys()], note: '演示数据（虚构）' },
    });
  });
  const account = await deps.db.selectFrom('enterprises').select('id').where('name', '=', DEMO_ACCOUNT_ENTERPRISE).executeTakeFirstOrThrow();
  return { count: seeds.length, accountEnterpriseId: account.id };
}

export type DemoSeed = EnterpriseSeed & { groupName?: string | undefined };

/** The roster itself, from the district's towns and chains: the same list on every call. */
export function buildDemoRoster(units: readonly { id: string; name: string }[], chains: readonly { id: string; name: string }[]): DemoSeed[] {
  const random = prng(20220217);
  const townId = (name: string) => {
    const unit = units.find((u) => u.name === name);
    if (!unit) throw new Error(`演示企业的镇街 ${name} 不在辖区配置中`);
    return unit.id;
  };
  const chainId = (name: string) => {
    const chain = chains.find((c) => c.name === name);
    if (!chain) throw new Error(`演示企业的产业链 ${name} 不在辖区配置中`);
    return chain.id;
  };
  const towns = Object.keys(TOWN_WEIGHTS).filter((t) => units.some((u) => u.name === t));

  const usedNames = new Set<string>();
  const usedCodes = new Set<string>();
  const uscc = (old: boolean) => {
    for (;;) {
      const body = old
        ? `${pick(random, ['7', '6', '5'])}${Array.from({ length: 7 }, () => Math.floor(random() * 10)).join('')}`
        : `MA4${Array.from({ length: 5 }, () => pick(random, [...USCC_CHARS])).join('')}`;
      const code = composeUscc(body);
      if (!usedCodes.has(code)) {
        usedCodes.add(code);
        return code;
      }
    }
  };
  const contact = () => ({
    contactName: `${pick(random, SURNAMES)}${pick(random, GIVEN)}`,
    contactPhone: `1${pick(random, ['3', '5', '8', '9'])}${Array.from({ length: 9 }, () => Math.floor(random() * 10)).join('')}`,
  });
  const registered = (from: number) => {
    const year = from + Math.floor(random() * Math.max(1, 2021 - from));
    return `${year}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
  };
  const address = (town: string) => `随州市曾都区${town.replace('湖北曾都经济开发区', '曾都经济开发区')}${pick(random, ROADS)}${1 + Math.floor(random() * 300)}号`;
  const tagsFor = (above: boolean) => TAGS.filter((t) => random() < (t === '科技型中小企业' ? 0.18 : t === '专精特新' ? 0.08 : t === '高新技术企业' ? 0.16 : 0.04) && (above || t !== '龙头企业'));

  const seeds: DemoSeed[] = [];
  for (const named of NAMED) {
    usedNames.add(named.name);
    seeds.push({
      uscc: uscc(true),
      name: named.name,
      townId: townId(named.town),
      industryCode: named.code,
      chainIds: named.chains.map(chainId),
      groupName: named.group,
      registrationDate: registered(2000),
      address: address(named.town),
      ...contact(),
      tags: named.tags,
      spells: [{ fromPeriod: named.since, fromReason: named.since.endsWith('-02') ? '年度入库' : '月度入库' }],
    });
  }

  let index = 0;
  for (const entry of TEMPLATES) {
    for (let k = 0; k < entry.weight; k++, index++) {
      const town = pickWeighted(random, towns, (t) => TOWN_WEIGHTS[t] ?? 1);
      let name = '';
      for (let tries = 0; tries < 50; tries++) {
        const candidate = `${pick(random, PREFIXES)}${pick(random, BRANDS)}${pick(random, entry.template.suffixes)}`;
        if (!usedNames.has(candidate)) {
          name = candidate;
          break;
        }
      }
      if (!name) name = `随州市${BRANDS[index % BRANDS.length]}${index}${entry.template.suffixes[0]}`;
      usedNames.add(name);
      const spells = scaleHistory(random, index);
      const above = spells?.some((s) => !s.toPeriod) ?? false;
      const old = random() < 0.35;
      seeds.push({
        uscc: uscc(old),
        name,
        townId: townId(town),
        industryCode: pick(random, entry.template.codes),
        chainIds: entry.chains.map(chainId),
        registrationDate: registered(old ? 1995 : 2015),
        address: address(town),
        ...contact(),
        tags: [...tagsFor(above), ...(above ? [] : random() < 0.5 ? ['规上培育'] : [])],
        spells,
      });
    }
  }

  // A few codes that fail the check digit, as early pilot codes do: kept, with the warning shown.
  for (const seed of seeds.filter((_, i) => i % 97 === 40)) {
    const last = seed.uscc.slice(-1);
    seed.uscc = `${seed.uscc.slice(0, 17)}${USCC_CHARS[(USCC_CHARS.indexOf(last) + 7) % USCC_CHARS.length]}`;
    seed.usccWarnings = validateUscc(seed.uscc).warnings;
  }

  return seeds;
}
