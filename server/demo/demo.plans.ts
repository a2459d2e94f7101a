import fs from 'node:fs';
import path from 'node:path';
import type { Unit } from '#common/contracts/org.ts';
import type { Deps } from '#server/platform/deps.ts';
import { PROJECT_ROOT } from '#server/platform/paths.ts';
import type { Actor } from '#server/platform/audit.ts';
import type { RequestContext } from '#server/platform/request-context.ts';
import { loadPrincipal } from '#server/modules/auth/auth.principal.ts';
import { listUnits } from '#server/modules/org/org.service.ts';
import { createPlan, decideReport, fileReport, parsePlanFromText, writeItem, writeMilestone } from '#server/modules/plans/plans.service.ts';
import { bindTargetUnchecked, recordManualValue, createRanking, listTargets, setQuotas, updateTarget } from '#server/modules/targets/targets.service.ts';

/**
 * The 2022 work plan in the demo district, read by the parser itself from the bureau's public
 * notice (../shared/seed, or the copy beside this file), then worked on as a bureau would by
 * June: lead sections and cooperating towns assigned, milestones, progress reports for 1–3月
 * and 1–6月 (most approved; a few units have not reported for June), targets bound to their
 * sources, the output-growth and new-规上 targets decomposed to towns, and a monthly ranking.
 * Deterministic; the actions carry 2022 dates so report punctuality reads as it would have.
 *
 * Metric sources the bindings name (registered by their modules at start-up; until they are,
 * the target shows 数据源未注册): see DEMO_SOURCES.
 */
export const DEMO_SOURCES = {
  outputGrowth: 'monitoring.output_value_growth',
  specialVehicleOutputGrowth: 'monitoring.chain_zq_output_value_growth',
  agriProcessingOutputGrowth: 'monitoring.chain_ncp_output_value_growth',
  chengliGroupOutput: 'monitoring.group_chengli_output_value',
  industrialVaGrowth: 'monitoring.industrial_va_growth',
  hightechVaGrowth: 'monitoring.hightech_va_growth',
  highTechRecognised: 'cultivation.high_tech_recognized',
  highTechFirst: 'cultivation.high_tech_first',
  highTechValid: 'cultivation.high_tech_valid',
  techSmeRegistered: 'cultivation.tech_sme_registered',
  littleGiantRecognised: 'cultivation.little_giant_recognized',
  provincialChampionRecognised: 'cultivation.champion_provincial_recognized',
  specialisedSmeRecognised: 'cultivation.specialized_sme_recognized',
} as const;

const SEED = 'zengdu-2022-work-plan.txt';
const here = path.join(PROJECT_ROOT, 'server/demo');

/** The seed notice: the shared copy beside the repository, else the copy kept with the demo. */
export function readSeedNotice(): string {
  const shared = path.resolve(here, '../../../shared/seed', SEED);
  return fs.readFileSync(fs.existsSync(shared) ? shared : path.join(here, SEED), 'utf8');
}

// Lead section of each group (一 … 八) and the cooperating units of some items.
const GROUP_LEADS = ['运行科', '运行科', '企业股', '项目股', '科技股', '安全股', '企业股', '综合股'];
const PEOPLE: Record<string, string> = { 运行科: '李明', 企业股: '王芳', 项目股: '刘强', 科技股: '陈晓', 安全股: '张伟', 综合股: '赵敏', 曾都区科技创新促进中心: '孙悦' };
const ALL_TOWNS = ['西城街道', '东城街道', '南郊街道', '北郊街道', '涢水街道', '万店镇', '何店镇', '洛阳镇', '府河镇', '淅河镇', '湖北曾都经济开发区'];
const COOPERATING: Record<string, string[]> = {
  '2': ALL_TOWNS,
  '8': ['何店镇', '西城街道', '淅河镇', '湖北曾都经济开发区'],
  '12': ['何店镇', '淅河镇'],
  '16': ['曾都区科技创新促进中心'],
  '18': ['曾都区科技创新促进中心'],
  '19': ['曾都区科技创新促进中心'],
  '21': ['何店镇', '西城街道'],
};
const MILESTONES: Record<string, { title: string; due: string; done: string | null }[]> = {
  '1': [{ title: '一季度规上工业增加值增速达到 12%', due: '2022-04-20', done: '2022-04-18' }],
  '2': [
    { title: '年度目标任务分解下达到各镇街', due: '2022-03-15', done: '2022-03-10' },
    { title: '上半年目标任务排序通报', due: '2022-07-15', done: null },
  ],
  '14': [{ title: '程力电泳涂装项目建成投产', due: '2022-05-31', done: null }],
  '17': [{ title: '应急产业技术研究院中试基地项目建成使用', due: '2022-09-30', done: null }],
  '18': [{ title: '高新技术企业申报材料提交', due: '2022-06-30', done: '2022-06-20' }],
};
// Units that have not reported for 1–6月 (who has not reported).
const SILENT_IN_JUNE = new Set(['22|安全股', '27|综合股', '2|西城街道', '2|东城街道', '2|南郊街道', '2|北郊街道', '2|涢水街道', '2|万店镇', '2|洛阳镇', '2|府河镇']);

// 2022 output value by town (亿元) and its growth quota, consistent with the district's 13%.
const OUTPUT_QUOTAS: [string, string, string][] = [
  ['西城街道', '38', '12'],
  ['东城街道', '26', '11'],
  ['南郊街道', '34', '13'],
  ['北郊街道', '22', '12'],
  ['涢水街道', '18', '14'],
  ['万店镇', '20', '12'],
  ['何店镇', '52', '14'],
  ['洛阳镇', '16', '11'],
  ['府河镇', '14', '12'],
  ['淅河镇', '45', '13'],
  ['湖北曾都经济开发区', '135', '14'],
];
// New 规上 enterprises: quota per town (adds up to 20) and how many by June.
const NEW_ABOVE_SCALE: [string, number, number][] = [
  ['西城街道', 1, 1],
  ['东城街道', 1, 0],
  ['南郊街道', 2, 1],
  ['北郊街道', 1, 0],
  ['涢水街道', 1, 1],
  ['万店镇', 2, 1],
  ['何店镇', 3, 2],
  ['洛阳镇', 1, 0],
  ['府河镇', 1, 1],
  ['淅河镇', 3, 1],
  ['湖北曾都经济开发区', 4, 3],
];

function at(date: string): Deps['now'] {
  return () => new Date(`${date}T02:00:00.000Z`);
}

async function contextOf(deps: Deps, username: string, actor: Actor): Promise<RequestContext> {
  const user = await deps.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow();
  const principal = await loadPrincipal(deps.db, user.id, null, { kind: 'token', tokenId: 'demo' }, true);
  if (!principal) throw new Error(`demo account ${username} cannot act`);
  return { principal, actor: { ...actor, userId: principal.userId, name: principal.username, activeUnitId: principal.activeUnitId } };
}

/** Loads the demo plan and targets; called by loadDemoDistrict after the accounts exist. */
export async function loadDemoPlan(deps: Deps, actor: Actor): Promise<void> {
  const units = await listUnits(deps.db);
  const unit = (name: string): Unit => {
    const found = units.find((u) => u.name === name);
    if (!found) throw new Error(`演示工作要点的单位 ${name} 不在辖区配置中`);
    return found;
  };
  const admin = await contextOf(deps, 'admin', actor);
  const yunxing = await contextOf(deps, 'yunxing', actor);
  const hedian = await contextOf(deps, 'hedian', actor);
  const on = (date: string): Deps => ({ ...deps, now: at(date) });

  const parsed = parsePlanFromText(readSeedNotice(), SEED);
  const plan = await createPlan(on('2022-02-15'), admin, { text: parsed.text, fileName: SEED, plan: parsed.plan, year: 2022 });
  const items = plan.nodes.filter((n) => n.kind === 'item');
  const groups = plan.nodes.filter((n) => n.kind === 'group');

  const assignment = (item: (typeof items)[number]) => {
    const section = GROUP_LEADS[groups.findIndex((g) => g.id === item.parentId)]!;
    const lead = item.label === '19' ? '曾都区科技创新促进中心' : section;
    return { section, lead, cooperating: (COOPERATING[item.label] ?? []).filter((name) => name !== lead) };
  };

  // Lead sections, cooperating units, owners, people, milestones.
  for (const item of items) {
    const { section, lead, cooperating } = assignment(item);
    await writeItem(on('2022-02-16'), admin, item.id, {
      leadUnitId: unit(lead).id,
      cooperatingUnitIds: cooperating.map((name) => unit(name).id),
      ownerSectionId: unit(section).id,
      responsiblePerson: PEOPLE[lead] ?? null,
    });
    for (const m of MILESTONES[item.label] ?? []) await writeMilestone(on('2022-02-16'), admin, item.id, { title: m.title, dueDate: m.due, doneDate: m.done });
  }

  // Progress reports for 1–3月 (all approved) and 1–6月 (most approved, some not yet, some missing).
  for (const [period, filed, reviewed] of [
    ['2022-03', '2022-04-06', '2022-04-08'],
    ['2022-06', '2022-07-05', '2022-07-08'],
  ] as const) {
    for (const item of items) {
      const n = item.number;
      const progress = Math.min(100, (period === '2022-03' ? 10 : 35) + ((n * 7) % (period === '2022-03' ? 20 : 45)));
      const { lead, cooperating } = assignment(item);
      const assigned = [lead, ...cooperating];
      for (const unitName of assigned) {
        if (period === '2022-06' && SILENT_IN_JUNE.has(`${item.label}|${unitName}`)) continue;
        if (unitName !== assigned[0] && unitName !== '何店镇' && unitName !== '曾都区科技创新促进中心') continue;
        const reporter = unitName === '何店镇' ? hedian : admin;
        const reportId = await fileReport(on(filed), reporter, item.id, {
          period,
          unitId: unit(unitName).id,
          progress,
          text: `${unitName}：${item.title}，${period === '2022-03' ? '一季度' : '上半年'}按计划推进，完成年度工作量约 ${progress}%。`,
          figures: n === 8 && unitName === '何店镇' ? [{ label: '新增规上企业', value: period === '2022-03' ? '1' : '2', unit: '家' }] : [],
        });
        if (period === '2022-06' && n % 5 === 0) continue; // awaiting review
        await decideReport(on(reviewed), admin, reportId, { decision: 'approve', note: '' });
      }
    }
  }

  // Targets: bindings, manual figures with evidence, decomposition to towns, the ranking.
  const targets = (await listTargets(deps, admin, { planId: plan.plan.id })).items;
  const find = (subject: string, itemLabel: string | null = null) => {
    const found = targets.find((t) => t.subject === subject && t.itemLabel === itemLabel);
    if (!found) throw new Error(`demo target ${subject} not parsed from the seed`);
    return found;
  };
  const bind = async (subject: string, itemLabel: string | null, sourceId: string | null, base?: string) => {
    await deps.db.transaction().execute((trx) =>
      bindTargetUnchecked(on('2022-02-20'), trx, admin.actor, find(subject, itemLabel).id, { kind: sourceId ? 'metric' : 'manual', sourceId, ...(base ? { base } : {}) }),
    );
  };
  await bind('全区规模以上工业产值', null, DEMO_SOURCES.outputGrowth, '420');
  await bind('全区规模以上工业增加值', null, DEMO_SOURCES.industrialVaGrowth);
  await bind('高新技术产业增加值', null, DEMO_SOURCES.hightechVaGrowth);
  await bind('一季度规上工业增加值', '1', DEMO_SOURCES.industrialVaGrowth);
  await bind('认定高新技术企业', null, DEMO_SOURCES.highTechRecognised);
  await bind('新认定高新技术企业', '18', DEMO_SOURCES.highTechFirst);
  await bind('全区高新技术企业', '18', DEMO_SOURCES.highTechValid);
  await bind('科技型中小企业入库', '18', DEMO_SOURCES.techSmeRegistered);
  await bind('专汽产值', '5', DEMO_SOURCES.specialVehicleOutputGrowth);
  await bind('农产品加工产值', '5', DEMO_SOURCES.agriProcessingOutputGrowth);
  await bind('程力集团产值', '8', DEMO_SOURCES.chengliGroupOutput);
  await bind('认定国家级专精特新小巨人', '9', DEMO_SOURCES.littleGiantRecognised);
  await bind('认定省级“隐形冠军”', '9', DEMO_SOURCES.provincialChampionRecognised);
  await bind('认定省级“专精特新”小巨人', '9', DEMO_SOURCES.specialisedSmeRecognised);
  for (const [subject, label] of [
    ['新增规上工业企业', null],
    ['建设省级新型研发机构', null],
    ['技改投资占工业投资比重', '12'],
    ['转化科技成果', '16'],
  ] as const) {
    await bind(subject, label, null);
  }
  await updateTarget(on('2022-02-20'), admin, find('全区规模以上工业产值').id, { ownerUnitId: unit('运行科').id });
  await updateTarget(on('2022-02-20'), admin, find('新增规上工业企业').id, { ownerUnitId: unit('企业股').id });

  const newAboveScale = find('新增规上工业企业').id;
  await setQuotas(on('2022-03-01'), admin, find('全区规模以上工业产值').id, {
    quotas: OUTPUT_QUOTAS.map(([town, base, quota]) => ({ townId: unit(town).id, value: quota, base, note: null })),
  });
  await setQuotas(on('2022-03-01'), admin, newAboveScale, { quotas: NEW_ABOVE_SCALE.map(([town, quota]) => ({ townId: unit(town).id, value: String(quota), note: null })) });

  const manual: [string, string | null, string, string, string, string][] = [
    ['新增规上工业企业', null, '2022-03', '5', '2022-04-10', '一季度月度入库名单（统计局反馈）'],
    ['新增规上工业企业', null, '2022-06', '11', '2022-07-10', '上半年月度入库名单（统计局反馈）'],
    ['建设省级新型研发机构', null, '2022-06', '1', '2022-07-10', '省科技厅备案通知（鄂科技发〔2022〕）'],
    ['技改投资占工业投资比重', '12', '2022-06', '38.5', '2022-07-12', '统计局固定资产投资快报'],
    ['转化科技成果', '16', '2022-06', '6', '2022-07-12', '技术合同登记台账'],
    ['通过创新型县（市、区）验收评审', null, '2022-06', '0', '2022-07-12', '已报送自评报告，待省科技厅组织验收'],
  ];
  for (const [subject, label, period, value, date, evidence] of manual) {
    await recordManualValue(on(date), admin, find(subject, label).id, { period, value, evidence });
  }
  for (const [town, , june] of NEW_ABOVE_SCALE) {
    await recordManualValue(on('2022-07-10'), admin, newAboveScale, { period: '2022-06', townId: unit(town).id, value: String(june), evidence: '月度入库名单' });
  }

  await createRanking(
    on('2022-07-01'),
    yunxing,
    {
      year: 2022,
      name: '镇街主要目标任务排序',
      method: 'weighted',
      capPct: 150,
      indicators: [
        { key: 'output', label: '规上工业产值增速', kind: 'quota', targetId: find('全区规模以上工业产值').id, weight: 40, higherIsBetter: true },
        { key: 'new_above_scale', label: '新增规上工业企业', kind: 'quota', targetId: newAboveScale, weight: 40, higherIsBetter: true },
        { key: 'reporting', label: '工作要点报送及时率', kind: 'metric', sourceId: 'plans.reporting_rate', weight: 20, higherIsBetter: true },
      ],
    },
    { trustSources: true },
  );
}
