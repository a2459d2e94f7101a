// The ranking bulletin (排序通报) as a Word document in official-document style (GB/T 9704-2012):
// A4, margins 37/35/28/26 mm, 22 lines of 28 characters; the 公文 fonts named so the document
// looks right on users' machines (方正小标宋简体 title, 仿宋_GB2312 body in 三号, 黑体 first-level
// and 楷体_GB2312 second-level headings); a red issuer mark and rule, 文号, title, addressees,
// body with the headline figures, ranking tables with red (预警) and yellow (滞后) marks, the
// issuer and date. Built from a bulletin's stored snapshot only, so it regenerates identically.
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';
import type { TargetComparator, TargetKind } from '#common/contracts/plans.ts';
import { TARGET_STATUS_LABELS } from '#common/contracts/targets.ts';
import type { RankingResult, TargetStatus } from '#common/contracts/targets.ts';

/** What a bulletin was generated from; stored with it. */
export type BulletinSnapshot = {
  issuer: string;
  number: string;
  title: string;
  issueDate: string;
  period: string;
  /** 1-6月 */
  periodLabel: string;
  timeProgressPct: number;
  targets: {
    subject: string;
    comparator: TargetComparator;
    value: string | null;
    unit: string | null;
    kind: TargetKind;
    actual: string | null;
    expected: string | null;
    completionPct: number | null;
    status: TargetStatus;
  }[];
  ranking: RankingResult;
};

const FONT = {
  title: '方正小标宋简体',
  body: '仿宋_GB2312',
  heading1: '黑体',
  heading2: '楷体_GB2312',
  table: '仿宋_GB2312',
} as const;
const SIZE = { mark: 52, title: 44, body: 32, table: 24 } as const; // half-points: 26pt, 二号, 三号, 小四
const RED = 'E60012';
const LINE = 579; // 28.95 pt in twips: 22 lines on the type area
const MM = 56.7; // twips per millimetre


function run(text: string, font: string, size: number, extra: { bold?: boolean; color?: string } = {}): TextRun {
  return new TextRun({ text, font: { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: font }, size, ...extra });
}

function body(text: string, options: { indent?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType] } = {}): Paragraph {
  return new Paragraph({
    alignment: options.align ?? AlignmentType.JUSTIFIED,
    indent: options.indent === false ? undefined : { firstLine: 640 },
    spacing: { line: LINE, lineRule: LineRuleType.EXACT },
    children: [run(text, FONT.body, SIZE.body)],
  });
}

function heading(text: string, level: 1 | 2): Paragraph {
  return new Paragraph({
    // A heading stays on the page of what it introduces.
    keepNext: true,
    keepLines: true,
    indent: { firstLine: 640 },
    spacing: { line: LINE, lineRule: LineRuleType.EXACT },
    children: [run(text, level === 1 ? FONT.heading1 : FONT.heading2, SIZE.body)],
  });
}

function cell(text: string, options: { header?: boolean; fill?: string; color?: string; width?: number } = {}): TableCell {
  return new TableCell({
    verticalAlign: VerticalAlign.CENTER,
    ...(options.width ? { width: { size: options.width, type: WidthType.PERCENTAGE } } : {}),
    ...(options.fill ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: options.fill } } : {}),
    margins: { left: 60, right: 60, top: 30, bottom: 30 },
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [run(text, options.header ? FONT.heading1 : FONT.table, SIZE.table, options.color ? { color: options.color } : {})],
      }),
    ],
  });
}

function table(header: string[], rows: TableCell[][]): Table {
  const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
    rows: [new TableRow({ tableHeader: true, children: header.map((h) => cell(h, { header: true })) }), ...rows.map((children) => new TableRow({ children }))],
  });
}

/** Red fill for 预警, yellow for 滞后: the 红黄牌 marks of a bulletin. */
function markOf(status: TargetStatus): { fill?: string; color?: string } {
  if (status === 'warning') return { fill: 'FFC7CE', color: '9C0006' };
  if (status === 'lagging') return { fill: 'FFEB9C', color: '9C5700' };
  return {};
}

/** The annual target as the plan words it: 增长超过 13%、20 家以上、增长 10%左右. */
function targetText(t: BulletinSnapshot['targets'][number]): string {
  if (t.value === null) return '完成';
  const figure = `${t.value}${t.unit ?? ''}`;
  const verb = t.kind === 'growth' ? '增长' : '';
  switch (t.comparator) {
    case '>':
      return `${verb}${t.kind === 'growth' ? '超过' : '突破'}${figure}`;
    case '>=':
      return `${verb}${figure}以上`;
    case '≈':
      return `${verb}${figure}左右`;
    case '<=':
      return `${verb}${figure}以内`;
    default:
      return `${verb}${figure}`;
  }
}

function formatRate(rate: number | null, unit = '%'): string {
  return rate === null ? '—' : `${rate.toFixed(1)}${unit}`;
}

function dateZh(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/**
 * The bulletin for the district, or — with `townId` — the variant for one town, which keeps
 * the public ranking (rank and score of every town) and only that town's detail.
 */
export async function renderBulletinDocx(snapshot: BulletinSnapshot, townId: string | null = null): Promise<Buffer> {
  const ranking = snapshot.ranking;
  const town = townId ? ranking.rows.find((r) => r.town.id === townId) : undefined;
  const children: (Paragraph | Table)[] = [];

  // 版头: issuer mark in red, 文号, red rule.
  children.push(
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 400, after: 200 }, children: [run(`${snapshot.issuer}文件`, FONT.title, SIZE.mark, { color: RED })] }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      border: { bottom: { color: RED, space: 8, style: BorderStyle.SINGLE, size: 18 } },
      spacing: { after: 400 },
      children: [run(snapshot.number, FONT.body, SIZE.body)],
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { line: LINE, lineRule: LineRuleType.EXACT, after: 300 },
      children: [run(town ? `${snapshot.title}（${town.town.name}）` : snapshot.title, FONT.title, SIZE.title)],
    }),
    body(town ? `${town.town.name}经发办：` : '各镇、街道、管委会经发办，局机关各股室：', { indent: false }),
  );

  const met = snapshot.targets.filter((t) => t.status === 'met').length;
  const behind = snapshot.targets.filter((t) => t.status === 'lagging' || t.status === 'warning');
  children.push(
    body(
      `现将 ${snapshot.periodLabel} 全区主要目标任务完成情况和各镇（街道、开发区）排序情况通报如下。截至 ${snapshot.periodLabel}，时间进度 ${snapshot.timeProgressPct.toFixed(1)}%，` +
        `${snapshot.targets.length} 项主要目标中已达标 ${met} 项${behind.length ? `，滞后或预警 ${behind.length} 项（${behind.map((t) => t.subject).join('、')}）` : ''}。`,
    ),
  );

  children.push(heading('一、主要目标完成情况', 1));
  children.push(
    table(
      ['指标', '全年目标', '当前实际', '进度要求', '完成率', '状态'],
      snapshot.targets.map((t) => {
        const mark = markOf(t.status);
        return [
          cell(t.subject, { width: 30 }),
          cell(targetText(t)),
          cell(t.actual === null ? '—' : `${t.actual}${t.unit ?? ''}`),
          cell(t.expected === null ? '—' : `${t.expected}${t.unit ?? ''}`),
          cell(formatRate(t.completionPct)),
          cell(TARGET_STATUS_LABELS[t.status], mark),
        ];
      }),
    ),
  );

  children.push(heading('二、各镇（街道、开发区）排序情况', 1));
  // The last place among the towns that have a score carries the red mark.
  const scored = ranking.rows.filter((r) => r.score !== null);
  const last = scored.length > 1 ? Math.max(...scored.map((r) => r.rank)) : null;
  children.push(
    body(
      `排序方法：${ranking.method === 'weighted' ? '按加权得分' : '按完成率'}，指标为${ranking.indicators.map((i) => `${i.label}${ranking.method === 'weighted' ? `（权重 ${i.weight}）` : ''}`).join('、')}。并列者名次相同，其后名次顺延。`,
    ),
  );
  children.push(heading('（一）综合排名', 2));
  children.push(
    table(
      ['名次', '镇（街道、开发区）', ranking.method === 'weighted' ? '综合得分' : '平均完成率'],
      ranking.rows.map((row) => {
        const mark = row.score !== null && row.rank === last ? markOf('warning') : {};
        return [cell(String(row.rank), mark), cell(row.town.name, mark), cell(row.score === null ? '—' : row.score.toFixed(2), mark)];
      }),
    ),
  );

  children.push(heading(town ? `（二）${town.town.name}各项指标情况` : '（二）分项指标情况', 2));
  // Towns with no figure for any indicator have no detail to show.
  const detailRows = town ? [town] : ranking.rows.filter((row) => row.cells.some((c) => c.rate !== null));
  children.push(
    table(
      ['镇（街道、开发区）', ...ranking.indicators.map((i) => `${i.label}${i.kind === 'quota' ? '完成率' : `（${i.unit}）`}`)],
      detailRows.map((row) => [
        cell(row.town.name),
        ...ranking.indicators.map((indicator) => {
          const c = row.cells.find((x) => x.key === indicator.key);
          const text = !c || c.rate === null ? '—' : indicator.kind === 'quota' ? formatRate(c.rate) : `${c.actual ?? c.rate}`;
          return cell(text, c ? markOf(c.status) : {});
        }),
      ]),
    ),
  );

  const marked = ranking.rows.filter((row) => row.cells.some((c) => c.status === 'warning'));
  children.push(heading('三、工作要求', 1));
  children.push(
    body(
      town
        ? `请${town.town.name}对照排名和各项指标，查找差距，对滞后指标逐项制定措施，确保完成全年目标任务。`
        : `对完成率低于时序进度的${marked.length ? `${marked.map((r) => r.town.name).join('、')}等` : ''}镇（街道、开发区）予以通报提醒（表中红色为预警、黄色为滞后）。各地要对照目标任务，倒排工期，挂图作战，确保完成全年目标任务。`,
    ),
  );
  children.push(
    new Paragraph({ spacing: { before: 600, line: LINE, lineRule: LineRuleType.EXACT }, alignment: AlignmentType.RIGHT, indent: { right: 640 }, children: [run(snapshot.issuer, FONT.body, SIZE.body)] }),
    new Paragraph({ spacing: { line: LINE, lineRule: LineRuleType.EXACT }, alignment: AlignmentType.RIGHT, indent: { right: 960 }, children: [run(dateZh(snapshot.issueDate), FONT.body, SIZE.body)] }),
  );

  const document = new Document({
    creator: '科经信工作平台',
    title: snapshot.title,
    styles: { default: { document: { run: { font: { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: FONT.body }, size: SIZE.body } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: 11906, height: 16838 },
            margin: { top: Math.round(37 * MM), bottom: Math.round(35 * MM), left: Math.round(28 * MM), right: Math.round(26 * MM), footer: Math.round(28 * MM) - 600 },
          },
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: { ascii: '宋体', hAnsi: '宋体', eastAsia: '宋体' }, size: 28 }),
                ],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(document);
}
