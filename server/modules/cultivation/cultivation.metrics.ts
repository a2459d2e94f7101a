import type { QualificationKind, QualificationLevel, Recognition } from '#common/contracts/cultivation.ts';
import type { MetricQuery, MetricRegistry, MetricSource } from '#server/platform/metrics.ts';
import { countGranted, countValid } from '#server/modules/cultivation/cultivation.repo.ts';
import { countOutputBandsOf } from '#server/modules/cultivation/cultivation.service.ts';

// The counts targets measure (work points 9–11, 18): recognitions granted in the year up to the
// end of the period, and qualifications valid at the end of the period — per kind, 高企 also
// split into 首次认定 and 重新认定. The targets module reads them through the registry only.

/** The last day of a reporting period 'YYYY-MM' (the combined 'YYYY-02' ends with February). */
export function periodEnd(period: string): string {
  const year = Number(period.slice(0, 4));
  const month = Number(period.slice(5, 7));
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

type Spec = { id: string; label: string; kind: QualificationKind; measure: 'granted' | 'valid'; recognition?: Recognition; level?: QualificationLevel; note: string };

const GRANTED_NOTE = '当年1月1日至报告期末认定（入库）的家数，按认定日期统计';
const VALID_NOTE = '报告期末在有效期内（未过期、未撤销）的家数';

const SPECS: Spec[] = [
  { id: 'cultivation.high_tech_recognized', label: '高新技术企业认定数（含重新认定）', kind: 'high_tech', measure: 'granted', note: GRANTED_NOTE },
  { id: 'cultivation.high_tech_first', label: '高新技术企业首次认定数', kind: 'high_tech', measure: 'granted', recognition: 'first', note: `${GRANTED_NOTE}，仅首次认定` },
  { id: 'cultivation.high_tech_renewed', label: '高新技术企业重新认定数', kind: 'high_tech', measure: 'granted', recognition: 'renewal', note: `${GRANTED_NOTE}，仅重新认定` },
  { id: 'cultivation.high_tech_valid', label: '有效高新技术企业总数', kind: 'high_tech', measure: 'valid', note: VALID_NOTE },
  { id: 'cultivation.tech_sme_registered', label: '科技型中小企业入库数', kind: 'tech_sme', measure: 'granted', note: GRANTED_NOTE },
  { id: 'cultivation.tech_sme_valid', label: '有效科技型中小企业数', kind: 'tech_sme', measure: 'valid', note: VALID_NOTE },
  { id: 'cultivation.innovative_sme_recognized', label: '创新型中小企业认定数', kind: 'innovative_sme', measure: 'granted', note: GRANTED_NOTE },
  { id: 'cultivation.innovative_sme_valid', label: '有效创新型中小企业数', kind: 'innovative_sme', measure: 'valid', note: VALID_NOTE },
  { id: 'cultivation.specialized_sme_recognized', label: '省级专精特新中小企业认定数', kind: 'specialized_sme', measure: 'granted', note: GRANTED_NOTE },
  { id: 'cultivation.specialized_sme_valid', label: '有效省级专精特新中小企业数', kind: 'specialized_sme', measure: 'valid', note: VALID_NOTE },
  { id: 'cultivation.little_giant_recognized', label: '国家级专精特新"小巨人"认定数', kind: 'little_giant', measure: 'granted', note: GRANTED_NOTE },
  { id: 'cultivation.little_giant_valid', label: '有效国家级专精特新"小巨人"数', kind: 'little_giant', measure: 'valid', note: VALID_NOTE },
  { id: 'cultivation.champion_recognized', label: '制造业单项冠军认定数（国家级和省级）', kind: 'champion', measure: 'granted', note: GRANTED_NOTE },
  { id: 'cultivation.champion_provincial_recognized', label: '省级单项冠军（隐形冠军）认定数', kind: 'champion', measure: 'granted', level: 'provincial', note: GRANTED_NOTE },
  { id: 'cultivation.champion_valid', label: '有效制造业单项冠军数（国家级和省级）', kind: 'champion', measure: 'valid', note: VALID_NOTE },
  { id: 'cultivation.seed_gold_valid', label: '上市后备"金种子"企业数', kind: 'seed_gold', measure: 'valid', note: VALID_NOTE },
  { id: 'cultivation.leading_valid', label: '龙头企业培育库企业数', kind: 'leading', measure: 'valid', note: VALID_NOTE },
];

function sourceOf(spec: Spec): MetricSource {
  return {
    id: spec.id,
    label: spec.label,
    unit: '家',
    kind: 'count',
    origin: 'register',
    byTown: true,
    note: spec.note,
    compute: async (deps, query: MetricQuery) => {
      const end = periodEnd(query.period);
      const options = { townId: query.townId ?? null, level: spec.level ?? null };
      const n =
        spec.measure === 'valid'
          ? await countValid(deps.db, spec.kind, end, options)
          : await countGranted(deps.db, spec.kind, `${query.period.slice(0, 4)}-01-01`, end, { ...options, ...(spec.recognition ? { recognition: spec.recognition } : {}) });
      return { value: String(n) };
    },
  };
}

const OUTPUT_NOTE = '报告期报送企业中工业总产值（本年1–N月累计，现价）达到该规模的家数；数据来自月度监测，无报表时为空';

/** 亿元 / 十亿元企业, counted on monitoring output through the port app.ts provides. */
function outputSource(id: string, label: string, band: 'over100m' | 'over1b'): MetricSource {
  return {
    id,
    label,
    unit: '家',
    kind: 'count',
    origin: 'computed',
    byTown: true,
    note: OUTPUT_NOTE,
    compute: async (deps, query: MetricQuery) => {
      const bands = await countOutputBandsOf(deps, query.period, query.townId ?? null);
      const n = bands[band];
      return { value: n === null ? null : String(n), detail: { reporting: bands.reporting } };
    },
  };
}

/** Registers cultivation's counts (app.ts, at start-up). */
export function registerCultivationMetrics(registry: MetricRegistry): void {
  for (const spec of SPECS) registry.register(sourceOf(spec));
  registry.register(outputSource('cultivation.output_100m_enterprises', '工业总产值亿元以上企业数', 'over100m'));
  registry.register(outputSource('cultivation.output_1b_enterprises', '工业总产值十亿元以上企业数', 'over1b'));
}
