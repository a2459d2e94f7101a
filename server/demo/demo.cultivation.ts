import type { AnnualFigures, QualificationKind, QualificationLevel, Recognition } from '#common/contracts/cultivation.ts';
import type { EnterpriseAnnualDataTable, QualificationsTable } from '#server/db/schema.ts';
import type { Actor } from '#server/platform/audit.ts';
import type { Deps } from '#server/platform/deps.ts';
import { newId, nowIso } from '#server/platform/ids.ts';
import { prng } from '#server/demo/demo.enterprises.ts';
import { figuresToColumns } from '#server/modules/cultivation/cultivation.annual.ts';
import { insertAnnualRows, insertQualificationRows } from '#server/modules/cultivation/cultivation.repo.ts';
import { defaultExpiry, emptyAnnualRow } from '#server/modules/cultivation/cultivation.service.ts';

/**
 * The demo district's cultivation data, evaluated as of 2022-12-31 (the plan's year): annual
 * figures for 2019–2021 (2022 for some) and the qualifications register — 高企 recognised
 * 2019–2022 (first-time and re-recognitions), 科技型中小企业 registered each year, 创新型 and
 * 专精特新 under the 2022 rules, national 小巨人, 单项冠军 (隐形冠军), 金种子/银种子, 龙头企业,
 * 困难企业 — so that every rung has members and a pool of candidates, some eligible, some
 * 需评审, some a figure or two short. Deterministic (seeded PRNG, enterprises in USCC order);
 * every figure is synthetic. The same figure generator feeds the province-scale benchmark.
 */

/** The kinds of enterprise the generator draws: they decide how the figures look. */
export const ARCHETYPES = ['star', 'tech', 'ordinary', 'small', 'none'] as const;
export type Archetype = (typeof ARCHETYPES)[number];

const YEARS = [2019, 2020, 2021] as const;

/** Whole 分-free money: an integer number of cents of 万元 (100元) as an exact 万元 string. */
function wan(cents: number): string {
  const c = Math.max(0, Math.round(cents));
  const whole = Math.trunc(c / 100);
  const frac = c % 100;
  return frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(2, '0').replace(/0$/, '')}`;
}

const between = (random: () => number, lo: number, hi: number) => lo + random() * (hi - lo);
const int = (random: () => number, lo: number, hi: number) => Math.floor(between(random, lo, hi + 1));

/** Draws an archetype: stars and tech firms are rarer than ordinary factories. */
export function drawArchetype(random: () => number, hint: { tags?: readonly string[]; aboveScale?: boolean } = {}): Archetype {
  const tags = hint.tags ?? [];
  if (tags.includes('高新技术企业') || tags.includes('专精特新')) return random() < 0.75 ? 'star' : 'tech';
  if (tags.includes('科技型中小企业')) return random() < 0.8 ? 'tech' : 'ordinary';
  const roll = random();
  if (hint.aboveScale === false) return roll < 0.55 ? 'small' : roll < 0.75 ? 'tech' : roll < 0.9 ? 'ordinary' : 'none';
  return roll < 0.1 ? 'star' : roll < 0.28 ? 'tech' : roll < 0.82 ? 'ordinary' : roll < 0.9 ? 'small' : 'none';
}

/**
 * Three years of figures for an archetype (2019–2021; with `withCurrent`, 2022 too). Money in
 * exact 万元 strings; growth compounds on whole cents, so every figure is a plain decimal.
 */
export function demoFigures(random: () => number, archetype: Archetype, years: readonly number[] = YEARS, scale = 1): ({ year: number } & AnnualFigures)[] {
  if (archetype === 'none') return [];
  const p = {
    star: { staff: [150, 420], tech: [0.12, 0.32], revenue: [6000, 45000], rd: [0.035, 0.075], ht: [0.55, 0.9], ip1: [1, 10], ip2: [6, 30], niche: [6, 22], share: [3, 16], debt: [0.3, 0.68], margin: [0.04, 0.13] },
    tech: { staff: [25, 160], tech: [0.1, 0.38], revenue: [600, 6000], rd: [0.025, 0.085], ht: [0.3, 0.8], ip1: [0, 3], ip2: [1, 10], niche: [2, 12], share: [0.5, 6], debt: [0.25, 0.75], margin: [0.01, 0.12] },
    ordinary: { staff: [40, 650], tech: [0.02, 0.12], revenue: [1500, 30000], rd: [0.003, 0.03], ht: [0, 0.3], ip1: [0, 1], ip2: [0, 5], niche: [1, 25], share: [0.1, 3], debt: [0.35, 0.85], margin: [-0.02, 0.08] },
    small: { staff: [15, 90], tech: [0.03, 0.15], revenue: [900, 2300], rd: [0.005, 0.04], ht: [0, 0.4], ip1: [0, 1], ip2: [0, 4], niche: [1, 10], share: [0.05, 1], debt: [0.3, 0.8], margin: [-0.03, 0.09] },
  }[archetype];
  const staffTotal = int(random, p.staff[0]!, p.staff[1]!);
  const techShare = between(random, p.tech[0]!, p.tech[1]!);
  const rdShare = between(random, p.rd[0]!, p.rd[1]!);
  const htShare = between(random, p.ht[0]!, p.ht[1]!);
  const mainShare = between(random, 0.62, 0.98);
  const debt = between(random, p.debt[0]!, p.debt[1]!);
  const margin = between(random, p.margin[0]!, p.margin[1]!);
  const domestic = between(random, 0.55, 1);
  const ip1 = int(random, p.ip1[0]!, p.ip1[1]!);
  const ip2 = int(random, p.ip2[0]!, p.ip2[1]!);
  const niche = int(random, p.niche[0]!, p.niche[1]!);
  const share = Math.round(between(random, p.share[0]!, p.share[1]!) * 10) / 10;
  const digital = archetype === 'star' ? int(random, 2, 4) : int(random, 1, 3);
  const level: AnnualFigures['rdInstitutionLevel'] =
    archetype === 'star' ? (random() < 0.45 ? 'provincial' : random() < 0.7 ? 'municipal' : 'none') : archetype === 'tech' ? (random() < 0.15 ? 'provincial' : random() < 0.4 ? 'municipal' : 'none') : random() < 0.1 ? 'county' : 'none';
  // Revenue path: the last year drawn, earlier years deflated by a yearly growth of −8 % … +28 %.
  let revenueCents = Math.round(between(random, p.revenue[0]!, p.revenue[1]!) * 100 * scale);
  const path: number[] = [];
  for (let i = years.length - 1; i >= 0; i--) {
    path[i] = revenueCents;
    revenueCents = Math.round(revenueCents / (1 + between(random, -0.08, 0.28)));
  }
  const equityYear = random() < (archetype === 'star' ? 0.15 : archetype === 'tech' ? 0.1 : 0.02) ? years[years.length - 1] : null;
  return years.map((year, i) => {
    const revenue = path[i]!;
    const rd = Math.round(revenue * rdShare * between(random, 0.9, 1.1));
    const assets = Math.round(revenue * between(random, 0.8, 1.6));
    return {
      year,
      staffTotal: Math.round(staffTotal * (0.9 + 0.05 * i)),
      techStaff: Math.round(staffTotal * (0.9 + 0.05 * i) * techShare),
      rdStaff: Math.round(staffTotal * (0.9 + 0.05 * i) * techShare * 0.7),
      operatingRevenue: wan(revenue),
      mainBusinessRevenue: wan(revenue * mainShare),
      totalRevenue: wan(revenue * 1.01),
      totalCostsExpenses: wan(revenue * (1 - margin) * 0.97),
      highTechRevenue: wan(revenue * 1.01 * htShare),
      rdExpense: wan(rd),
      domesticRdExpense: wan(rd * domestic),
      totalAssets: wan(assets),
      totalLiabilities: wan(assets * debt),
      netAssets: wan(assets * (1 - debt)),
      netProfit: wan(revenue * margin),
      ip1Count: ip1,
      ip1HighValueCount: ip1 > 2 ? 1 : 0,
      ip1OwnCount: Math.ceil(ip1 / 2),
      ip2Count: ip2 + i,
      rdInstitutionLevel: level,
      nicheYears: Math.max(0, niche - (years.length - 1 - i)),
      nicheMarketShare: String(share),
      equityFinancing: equityYear === year ? wan(between(random, 300, 9000) * 100) : '0',
      digitalLevel: digital,
      qualityCertified: archetype === 'star' || random() < 0.5,
      ownBrand: archetype !== 'small' && random() < 0.8,
      strategicEmerging: random() < (archetype === 'ordinary' ? 0.2 : 0.6),
      awards:
        archetype === 'star' && random() < 0.3
          ? [{ year: 2020 + int(random, 0, 1), level: random() < 0.8 ? 'provincial' : 'national', kind: 'sci_tech', rank: int(random, 1, 6), name: random() < 0.5 ? '湖北省科技进步奖二等奖' : '湖北省技术发明奖三等奖' }]
          : [],
      standards: archetype === 'star' && random() < 0.3 ? [{ year: 2020, level: random() < 0.6 ? 'industry' : 'group', role: random() < 0.5 ? 'lead' : 'participate', name: 'QC/T 专用汽车技术条件（演示）' }] : [],
    };
  });
}

type Held = { kind: QualificationKind; level?: QualificationLevel | null; recognition?: Recognition | null; grantedOn: string; expiresOn?: string | null; revokedOn?: string | null; note?: string };

/** The named leaders' titles (synthetic, shaped by the plan: a few national and provincial names). */
const NAMED_TITLES: Record<string, Held[]> = {
  程力专用汽车股份有限公司: [
    { kind: 'high_tech', recognition: 'renewal', grantedOn: '2022-11-09' },
    { kind: 'specialized_sme', grantedOn: '2020-12-18', expiresOn: '2023-12-17' },
    { kind: 'little_giant', grantedOn: '2021-07-19', expiresOn: '2024-07-18' },
    { kind: 'champion', level: 'provincial', grantedOn: '2018-11-30', expiresOn: '2024-11-29', note: '原支柱产业细分领域隐形冠军' },
    { kind: 'leading', grantedOn: '2020-03-01' },
    { kind: 'seed_gold', grantedOn: '2021-05-10' },
  ],
  泰晶科技股份有限公司: [
    { kind: 'high_tech', recognition: 'renewal', grantedOn: '2020-12-01' },
    { kind: 'specialized_sme', grantedOn: '2019-12-20', expiresOn: '2022-12-19' },
    { kind: 'little_giant', grantedOn: '2022-08-15', expiresOn: '2025-08-14' },
    { kind: 'champion', level: 'national', grantedOn: '2022-11-15', expiresOn: '2025-11-14' },
    { kind: 'leading', grantedOn: '2020-03-01' },
  ],
  湖北齐星汽车车身股份有限公司: [
    { kind: 'high_tech', recognition: 'first', grantedOn: '2022-12-14' },
    { kind: 'champion', level: 'provincial', grantedOn: '2018-11-30', expiresOn: '2024-11-29', note: '原支柱产业细分领域隐形冠军' },
    { kind: 'leading', grantedOn: '2020-03-01' },
  ],
  湖北江南专用特种汽车有限公司: [
    { kind: 'high_tech', recognition: 'renewal', grantedOn: '2021-11-24' },
    { kind: 'specialized_sme', grantedOn: '2022-09-30', expiresOn: '2025-09-29' },
    { kind: 'seed_gold', grantedOn: '2021-05-10' },
    { kind: 'leading', grantedOn: '2020-03-01' },
  ],
  湖北金龙新材料股份有限公司: [
    { kind: 'high_tech', recognition: 'first', grantedOn: '2020-12-01' },
    { kind: 'seed_silver', grantedOn: '2022-06-20' },
  ],
  湖北楚天药业有限公司: [{ kind: 'seed_silver', grantedOn: '2022-06-20' }],
};

const HIGH_TECH_DATES = ['2019-11-28', '2019-12-02', '2020-12-01', '2021-11-24', '2021-12-15', '2022-11-09', '2022-12-14'];

/** Titles drawn for an enterprise of an archetype that has none by name. */
function drawTitles(random: () => number, archetype: Archetype, index: number): Held[] {
  const out: Held[] = [];
  if (archetype === 'star') {
    if (random() < 0.7) {
      const grantedOn = HIGH_TECH_DATES[int(random, 0, HIGH_TECH_DATES.length - 1)]!;
      out.push({ kind: 'high_tech', recognition: grantedOn >= '2022' && random() < 0.6 ? 'renewal' : grantedOn >= '2022' ? 'first' : random() < 0.5 ? 'renewal' : 'first', grantedOn });
    }
    if (random() < 0.35) out.push(random() < 0.5 ? { kind: 'specialized_sme', grantedOn: '2021-12-10', expiresOn: '2024-12-09' } : { kind: 'specialized_sme', grantedOn: '2022-09-30', expiresOn: '2025-09-29' });
    if (random() < 0.25) out.push({ kind: 'innovative_sme', grantedOn: '2022-10-20', expiresOn: '2025-10-19' });
  }
  if (archetype === 'tech' || archetype === 'star') {
    if (random() < 0.55) out.push({ kind: 'tech_sme', grantedOn: `2022-0${int(random, 4, 9)}-${String(int(random, 1, 28)).padStart(2, '0')}`, expiresOn: '2022-12-31' });
    if (random() < 0.35) out.push({ kind: 'tech_sme', grantedOn: `2021-0${int(random, 4, 9)}-15`, expiresOn: '2021-12-31' });
  }
  if (archetype === 'ordinary' && index % 29 === 3) out.push({ kind: 'troubled', grantedOn: '2022-04-01', note: '订单下滑，列入盘活' });
  if (archetype === 'ordinary' && index % 23 === 5) out.push({ kind: 'leading', grantedOn: '2021-03-01' });
  // One revoked 高企 and a few expiring early 2023, for the reminders.
  if (archetype === 'star' && index % 31 === 7) out.push({ kind: 'high_tech', recognition: 'first', grantedOn: '2020-01-20', revokedOn: '2022-08-01', note: '复核撤销（演示）' });
  return out;
}

/**
 * Loads annual data and qualifications for the demo enterprises (one audit record for the
 * batch). Runs after the roster; a few hundred enterprises load well under a second.
 */
export async function loadDemoCultivation(deps: Deps, actor: Actor): Promise<{ annualRows: number; qualifications: number }> {
  const enterprises = await deps.db
    .selectFrom('enterprises as e')
    .leftJoin('enterprise_tags as t', 't.enterprise_id', 'e.id')
    .select(['e.id', 'e.name', 'e.uscc', 'e.above_scale', 't.tag'])
    .orderBy('e.uscc')
    .execute();
  const byId = new Map<string, { id: string; name: string; uscc: string; aboveScale: boolean; tags: string[] }>();
  for (const row of enterprises) {
    const e = byId.get(row.id) ?? { id: row.id, name: row.name, uscc: row.uscc, aboveScale: row.above_scale === 1, tags: [] };
    if (row.tag) e.tags.push(row.tag);
    byId.set(row.id, e);
  }
  const random = prng(20221231);
  const now = nowIso(deps.now());
  const annual: EnterpriseAnnualDataTable[] = [];
  const qualifications: QualificationsTable[] = [];
  let index = 0;
  for (const e of byId.values()) {
    const named = NAMED_TITLES[e.name];
    const archetype: Archetype = named ? 'star' : drawArchetype(random, { tags: e.tags, aboveScale: e.aboveScale });
    const years = random() < 0.2 ? [...YEARS, 2022] : [...YEARS];
    // The plan's named leaders are the district's large firms (several 亿元 to 十亿元).
    for (const figures of demoFigures(random, archetype, years, named ? 10 : 1)) {
      const { year, ...rest } = figures;
      annual.push({ ...emptyAnnualRow(newId(), e.id, year, 'demo', now), ...figuresToColumns(rest).set });
    }
    const seen = new Set<string>();
    for (const h of named ?? drawTitles(random, archetype, index)) {
      const key = `${h.kind}|${h.grantedOn}`;
      if (seen.has(key)) continue;
      seen.add(key);
      qualifications.push({
        id: newId(),
        enterprise_id: e.id,
        kind: h.kind,
        level: h.level ?? (h.kind === 'specialized_sme' ? 'provincial' : h.kind === 'little_giant' ? 'national' : null),
        recognition: h.kind === 'high_tech' ? (h.recognition ?? 'first') : null,
        number: h.kind === 'high_tech' ? `GR${h.grantedOn.slice(0, 4)}42${String(1000 + index).padStart(6, '0')}` : h.kind === 'tech_sme' ? `${h.grantedOn.slice(0, 4)}421303${String(index).padStart(5, '0')}` : null,
        granted_on: h.grantedOn,
        expires_on: h.expiresOn === undefined ? defaultExpiry(h.kind, h.grantedOn) : h.expiresOn,
        revoked_on: h.revokedOn ?? null,
        revoke_reason: h.revokedOn ? (h.note ?? '撤销') : null,
        note: h.revokedOn ? null : (h.note ?? null),
        created_at: now,
        updated_at: now,
      });
    }
    index++;
  }
  await deps.db.transaction().execute(async (trx) => {
    await insertAnnualRows(trx, annual);
    await insertQualificationRows(trx, qualifications);
    await deps.audit.append(trx, actor, {
      action: 'cultivation.demo_load',
      entityType: 'import',
      entityId: null,
      after: { annualRows: annual.length, qualifications: qualifications.length, note: '演示数据（虚构），按 2022-12-31 评估' },
    });
  });
  return { annualRows: annual.length, qualifications: qualifications.length };
}
