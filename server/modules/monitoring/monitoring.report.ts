// 月度工业经济运行分析: the monthly dispatch meeting's material for a period, as Word (docx) and,
// through LibreOffice, PDF. Headline figures computed from the reports beside the statistics
// bureau's, tables by town, chain and industry, charts rendered on the server (ECharts SVG with a
// PNG for readers without SVG), warnings and the year-end forecast. Aggregates only, except the
// warnings about enterprises, which keep to the caller's scope like every other record.
import {
  AlignmentType,
  Document,
  Footer,
  ImageRun,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { CHANGE_STATE_LABELS, INDICATORS } from '#common/indicators.ts';
import type { ChangeState } from '#common/indicators.ts';
import { WARNING_LEVEL_LABELS, WARNING_RULE_LABELS } from '#common/contracts/monitoring.ts';
import type { FigureRow } from '#common/contracts/monitoring.ts';
import { beijingToday, formatPeriodZh, monthOf, yearOf } from '#common/period.ts';
import type { Period } from '#common/period.ts';
import { convertMoney } from '#common/quantity.ts';
import type { Deps } from '#server/platform/deps.ts';
import type { Scope } from '#server/platform/scope.ts';
import { blankPng, renderChartSvg, svgsToPng } from '#server/platform/charts.ts';
import { convertDocxToPdf, DOCX_MIME, PDF_MIME } from '#server/platform/pdf.ts';
import { loadDistrictConfig } from '#server/modules/org/org.district.ts';
import { getFigures, getForecast, getSummary, getTrend, listReported, listWarningsFor } from '#server/modules/monitoring/monitoring.service.ts';

const FONT = { title: '方正小标宋简体', body: '仿宋_GB2312', heading: '黑体', table: '仿宋_GB2312' } as const;
const SIZE = { title: 40, body: 30, table: 21, note: 21 } as const; // half-points

function run(text: string, font: string, size: number, extra: { bold?: boolean; color?: string } = {}): TextRun {
  return new TextRun({ text, font: { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: font }, size, ...extra });
}

function para(text: string, options: { indent?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType]; size?: number; font?: string } = {}): Paragraph {
  return new Paragraph({
    alignment: options.align ?? AlignmentType.JUSTIFIED,
    ...(options.indent === false ? {} : { indent: { firstLine: 600 } }),
    spacing: { line: 480, after: 60 },
    children: [run(text, options.font ?? FONT.body, options.size ?? SIZE.body)],
  });
}

function heading(text: string): Paragraph {
  return new Paragraph({ keepNext: true, spacing: { before: 240, after: 120 }, indent: { firstLine: 600 }, children: [run(text, FONT.heading, SIZE.body)] });
}

function cell(text: string, options: { header?: boolean; align?: 'left' | 'right' | 'center' } = {}): TableCell {
  return new TableCell({
    ...(options.header ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'E7EEF7' } } : {}),
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    children: [
      new Paragraph({
        alignment: options.align === 'right' ? AlignmentType.RIGHT : options.align === 'center' || options.header ? AlignmentType.CENTER : AlignmentType.LEFT,
        children: [run(text, FONT.table, SIZE.table, options.header ? { bold: true } : {})],
      }),
    ],
  });
}

function table(headers: string[], rows: string[][], numericFrom = 1): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: headers.map((h) => cell(h, { header: true })) }),
      ...rows.map((r) => new TableRow({ cantSplit: true, children: r.map((text, i) => cell(text, { align: i >= numericFrom ? 'right' : 'left' })) })),
    ],
  });
}

const yi = (thousand: string) => Number(convertMoney(thousand, '千元', '亿元')).toFixed(2);
const pct = (v: number | null, state?: ChangeState | null) => (v === null ? (state ? CHANGE_STATE_LABELS[state] : '—') : v.toFixed(1));
const pts = (v: number | null) => (v === null ? '—' : v.toFixed(2));
const amount = (value: string, unit: string) => (unit === '千元' ? `${yi(value)}亿元` : `${Number(value).toFixed(unit === '人' ? 0 : 1)}${unit}`);
const growthWords = (v: number | null, state: ChangeState | null) => (v === null ? (state ? CHANGE_STATE_LABELS[state] : '无可比基数') : v >= 0 ? `同比增长${v.toFixed(1)}%` : `同比下降${(-v).toFixed(1)}%`);

function groupRows(groups: FigureRow[]): string[][] {
  return groups.map((g) => [g.name, yi(g.current), pct(g.growthPct, g.state), pts(g.contributionPts), `${g.enterprises}/${g.missing}`]);
}

/**
 * Builds the analysis of a period. Charts: cumulative growth by month (this year and last) and
 * growth by town. Chromium rasterises them for the PNG fallback where installed; LibreOffice
 * converts to PDF (503 without it).
 */
export async function buildAnalysisReport(deps: Deps, scope: Scope, period: Period, format: 'docx' | 'pdf'): Promise<{ fileName: string; mime: string; buffer: Buffer }> {
  const year = yearOf(period);
  const [summary, divisions, towns, chains, trend, reported, forecast, warnings] = await Promise.all([
    getSummary(deps, period),
    getFigures(deps, { period, indicator: 'output_value', dimension: 'division' }),
    getFigures(deps, { period, indicator: 'output_value', dimension: 'town' }),
    getFigures(deps, { period, indicator: 'output_value', dimension: 'chain' }),
    getTrend(deps, { year, indicator: 'output_value', dimension: 'district' }),
    listReported(deps, year),
    getForecast(deps, { period, indicator: 'output_value' }),
    listWarningsFor(deps, scope, { period, activeOnly: 'true', page: 1, pageSize: 200 }),
  ]);
  let districtName = '本区';
  try {
    districtName = loadDistrictConfig(deps.config.districtFile).district.name;
  } catch {
    // The name is decoration; the figures do not depend on it.
  }
  const label = formatPeriodZh(period);
  const d = towns.district;
  const output = summary.total.output_value;
  const reportedNow = reported.items.filter((r) => r.period === period);
  const va = reportedNow.find((r) => r.code === 'industrial_va_growth');

  // ---- charts ----
  const months = trend.points.map((p) => `1-${monthOf(p.period as Period)}月`);
  const charts = [
    {
      width: 640,
      height: 300,
      svg: await renderChartSvg(
        {
          title: { text: '规上工业总产值累计增速（%）', left: 'center', textStyle: { fontSize: 14 } },
          legend: { top: 28, data: [`${year}年`, `${year - 1}年`] },
          grid: { left: 48, right: 24, top: 64, bottom: 32 },
          xAxis: { type: 'category', data: months },
          yAxis: { type: 'value' },
          series: [
            { name: `${year}年`, type: 'line', data: trend.points.map((p) => (p.cumulative?.growthPct == null ? null : Number(p.cumulative.growthPct.toFixed(2)))) },
            { name: `${year - 1}年`, type: 'line', lineStyle: { type: 'dashed' }, data: trend.points.map((p) => (p.lastYear?.growthPct == null ? null : Number(p.lastYear.growthPct.toFixed(2)))) },
          ],
        },
        640,
        300,
      ),
    },
    {
      width: 640,
      height: 320,
      svg: await renderChartSvg(
        {
          title: { text: `各镇街规上工业总产值增速（%，${label}）`, left: 'center', textStyle: { fontSize: 14 } },
          grid: { left: 48, right: 24, top: 48, bottom: 100 },
          xAxis: { type: 'category', data: towns.groups.map((g) => g.name), axisLabel: { rotate: 35, interval: 0 } },
          yAxis: { type: 'value' },
          series: [{ type: 'bar', data: towns.groups.map((g) => (g.growthPct === null ? null : Number(g.growthPct.toFixed(2)))), label: { show: true, position: 'top', formatter: '{c}' } }],
        },
        640,
        320,
      ),
    },
  ];
  const pngs = (await svgsToPng(charts)) ?? charts.map(() => blankPng());
  const image = (i: number) =>
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [new ImageRun({ type: 'svg', data: Buffer.from(charts[i]!.svg), fallback: { type: 'png', data: pngs[i]! }, transformation: { width: charts[i]!.width * 0.9, height: charts[i]!.height * 0.9 } })],
    });

  // ---- text ----
  const others = INDICATORS.filter((i) => ['sales_value', 'export_value', 'revenue', 'profit', 'electricity'].includes(i.code)).map((i) => {
    const t = summary.total[i.code];
    return `${i.name}${amount(t.current, i.unit)}，${growthWords(t.growthPct, t.state)}`;
  });
  const bestTowns = [...towns.groups].filter((g) => g.growthPct !== null).sort((a, b) => (b.growthPct ?? 0) - (a.growthPct ?? 0));
  const byContribution = [...towns.groups].sort((a, b) => (b.contributionPts ?? 0) - (a.contributionPts ?? 0));
  const redWarnings = warnings.items.filter((w) => w.level === 'red');
  const ruleCounts = new Map<string, number>();
  for (const w of warnings.items) ruleCounts.set(WARNING_RULE_LABELS[w.rule], (ruleCounts.get(WARNING_RULE_LABELS[w.rule]) ?? 0) + 1);

  const children: (Paragraph | Table)[] = [
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 200 }, children: [run(`${districtName}${label}工业经济运行分析`, FONT.title, SIZE.title)] }),
    para(`区科学技术和经济信息化局\u3000${beijingToday(deps.now())}${deps.config.demoMode ? '\u3000（演示数据，数字均为虚构）' : ''}`, { align: AlignmentType.CENTER, indent: false, size: SIZE.note }),
    heading('一、总体运行情况'),
    para(
      `${label}，全区${output.enterprises}家规上工业企业按同口径报送月报，实现工业总产值${amount(output.current, '千元')}，${growthWords(output.growthPct, output.state)}` +
        `${d.monthly ? `，其中当月${growthWords(d.monthly.growthPct, null)}` : ''}；${others.join('；')}。` +
        (va ? `据区统计局公布，规上工业增加值（可比价）增长${va.value}%。` : '规上工业增加值增速以统计局公布数为准，本期尚未录入。') +
        `${d.missing ? `另有${d.missing}家规上企业本期未报送，未计入上述数据。` : ''}`,
    ),
    table(
      ['指标', '本年累计', '上年同期', '增速（%）', '企业数'],
      INDICATORS.map((i) => {
        const t = summary.total[i.code];
        return [`${i.name}（${i.unit === '千元' ? '亿元' : i.unit}）`, i.unit === '千元' ? yi(t.current) : t.current, i.unit === '千元' ? yi(t.previous) : t.previous, pct(t.growthPct, t.state), String(t.enterprises)];
      }),
    ),
    ...(reportedNow.length
      ? [para(`统计局公布：${reportedNow.map((r) => `${r.name}${r.value}${r.unit}`).join('；')}（来源：${[...new Set(reportedNow.map((r) => r.source))].join('、')}）。`, { size: SIZE.note })]
      : []),
    heading('二、逐月走势'),
    para(
      `${year}年各月规上工业总产值累计增速见下图（虚线为上年同期）。增长面：${divisions.divisionsGrowing.divisions}个行业大类中${divisions.divisionsGrowing.growing}个增长；` +
        `${d.enterprises}家报送企业中${d.growing}家增长、${d.falling}家下降。`,
    ),
    image(0),
    heading('三、分镇街情况'),
    para(
      bestTowns.length
        ? `增速居前的是${bestTowns.slice(0, 3).map((g) => `${g.name}（${pct(g.growthPct)}%）`).join('、')}；拉动全区增长最多的是${byContribution.slice(0, 3).map((g) => `${g.name}（${pts(g.contributionPts)}个百分点）`).join('、')}。各镇街拉动合计等于全区增速。`
        : '本期各镇街暂无可比数据。',
    ),
    table(['镇街', '产值（亿元）', '增速（%）', '拉动（百分点）', '报送/未报'], groupRows(towns.groups)),
    image(1),
    heading('四、分产业链情况'),
    para('同一企业可属多个产业链，各产业链拉动不能相加。'),
    table(['产业链', '产值（亿元）', '增速（%）', '拉动（百分点）', '报送/未报'], groupRows(chains.groups)),
    heading('五、分行业情况'),
    table(['行业大类', '产值（亿元）', '增速（%）', '拉动（百分点）', '报送/未报'], groupRows([...divisions.groups].sort((a, b) => Number(b.current) - Number(a.current)).slice(0, 15))),
    heading('六、预警情况'),
    para(
      warnings.total
        ? `本期共有${warnings.total}条预警（红色${warnings.counts.red}条、橙色${warnings.counts.orange}条、黄色${warnings.counts.yellow}条），其中${[...ruleCounts].map(([rule, n]) => `${rule}${n}条`).join('、')}。`
        : '本期无预警。',
    ),
    ...(redWarnings.length ? [table(['级别', '对象', '原因'], redWarnings.slice(0, 20).map((w) => [WARNING_LEVEL_LABELS[w.level], w.subject.name, w.reason]), 99)] : []),
    heading('七、全年预测'),
    para(
      forecast.district.projected
        ? `按同口径企业上年同期进度（${forecast.district.sharePct?.toFixed(1)}%）推算，全年规上工业总产值预计${yi(forecast.district.projected)}亿元，增长${pct(forecast.district.projectedGrowthPct)}%。` +
            (forecast.district.requiredRemainingGrowthPct !== null
              ? `完成全年增长${forecast.targetGrowthPct}%的目标，剩余月份需增长${pct(forecast.district.requiredRemainingGrowthPct)}%。`
              : '')
        : `数据不足，暂不能预测（${forecast.district.methodLabel}）。`,
    ),
    table(
      ['镇街', '预计全年（亿元）', '预计增速（%）', '剩余月份需增长（%）'],
      forecast.byTown.filter((t) => t.enterprises > 0).map((t) => [t.name, t.projected ? yi(t.projected) : '—', pct(t.projectedGrowthPct), pct(t.requiredRemainingGrowthPct)]),
    ),
    heading('附：计算口径'),
    para(
      '增速为同口径增速：本期报送企业本年1–N月累计之和 ÷ 同一批企业上年同期累计之和 − 1；1–2月合并为一期。拉动（百分点）=（本年累计 − 上年同期）÷ 全区上年同期 × 100。' +
        '工业总产值为现价，增速不等同于增加值（可比价）增速。上年同期为零或亏损时不计增速，以扭亏、减亏、增亏等表述。',
      { size: SIZE.note },
    ),
  ];

  const doc = new Document({
    creator: '科经信工作平台',
    title: `${districtName}${label}工业经济运行分析`,
    styles: { default: { document: { run: { font: FONT.body } } } },
    sections: [
      {
        properties: { page: { margin: { top: 1440, bottom: 1440, left: 1440, right: 1440 } } },
        footers: { default: new Footer({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'] })] })] }) },
        children,
      },
    ],
  });
  const docx = await Packer.toBuffer(doc);
  const base = `${districtName}${label}工业经济运行分析`;
  if (format === 'docx') return { fileName: `${base}.docx`, mime: DOCX_MIME, buffer: docx };
  return { fileName: `${base}.pdf`, mime: PDF_MIME, buffer: await convertDocxToPdf(docx) };
}

